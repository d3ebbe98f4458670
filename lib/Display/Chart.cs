using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;

namespace Course.Display;

/// <summary>
/// A plotly.js figure (traces + layout). Build one with the static methods (Line, Scatter, Bar, Histogram,
/// Heatmap, Contour, ImageGrid, Subplots), adjust it with the fluent With* methods (they change this chart and return it),
/// and display it: notebooks render it with plotly.js shipped offline, the book builder adds a PNG rendering.
/// </summary>
public sealed class Chart : IMimeRenderable
{
    private readonly List<JsonObject> _traces = new();
    private readonly JsonObject _layout = new();

    private Chart() { }

    public IReadOnlyList<JsonObject> Traces => _traces;
    public JsonObject Layout => _layout;

    // ---- builders ---------------------------------------------------------------------------

    /// <summary>A line through y against 0, 1, 2, ...</summary>
    public static Chart Line<T>(IEnumerable<T> y, string? name = null) where T : INumberBase<T> =>
        Line(Enumerable.Range(0, Count(y, nameof(y))), y, name);

    /// <summary>A line through the points (x[i], y[i]).</summary>
    public static Chart Line<TX, TY>(IEnumerable<TX> x, IEnumerable<TY> y, string? name = null)
        where TX : INumberBase<TX> where TY : INumberBase<TY> =>
        new Chart().AddTrace(XY("scatter", x, y, name, "lines"));

    /// <summary>Markers at the points (x[i], y[i]); optional hover labels.</summary>
    public static Chart Scatter<TX, TY>(IEnumerable<TX> x, IEnumerable<TY> y, string? name = null, IEnumerable<string>? labels = null)
        where TX : INumberBase<TX> where TY : INumberBase<TY>
    {
        var trace = XY("scatter", x, y, name, "markers");
        if (labels is not null)
        {
            var l = labels.ToArray();
            if (l.Length != ((JsonArray)trace["x"]!).Count) throw new ArgumentException($"{l.Length} labels for {((JsonArray)trace["x"]!).Count} points.", nameof(labels));
            trace["text"] = new JsonArray(l.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
        }
        return new Chart().AddTrace(trace);
    }

    /// <summary>One bar per category.</summary>
    public static Chart Bar<T>(IEnumerable<string> categories, IEnumerable<T> values, string? name = null) where T : INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(categories);
        var c = categories.ToArray();
        var v = Numbers(values, nameof(values));
        if (c.Length != v.Count) throw new ArgumentException($"{c.Length} categories but {v.Count} values.", nameof(values));
        var trace = new JsonObject { ["type"] = "bar", ["x"] = new JsonArray(c.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()), ["y"] = v };
        if (name is not null) trace["name"] = name;
        return new Chart().AddTrace(trace);
    }

    /// <summary>A histogram of the values (bins = 0 lets plotly choose).</summary>
    public static Chart Histogram<T>(IEnumerable<T> values, int bins = 0, string? name = null) where T : INumberBase<T>
    {
        if (bins < 0) throw new ArgumentOutOfRangeException(nameof(bins), bins, "bins must be 0 (automatic) or positive.");
        var trace = new JsonObject { ["type"] = "histogram", ["x"] = Numbers(values, nameof(values)) };
        if (bins > 0) trace["nbinsx"] = bins;
        if (name is not null) trace["name"] = name;
        return new Chart().AddTrace(trace);
    }

    /// <summary>A heatmap of z[row, column] with optional axis labels; showValues writes each value in its cell.</summary>
    public static Chart Heatmap<T>(T[,] z, IEnumerable<string>? xLabels = null, IEnumerable<string>? yLabels = null, bool showValues = false)
        where T : INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(z);
        int rows = z.GetLength(0), cols = z.GetLength(1);
        var flat = new T[rows * cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) flat[r * cols + c] = z[r, c];
        return Heatmap(flat, rows, cols, xLabels, yLabels, showValues);
    }

    /// <summary>A heatmap of a row-major rows x cols array (for example a tensor's ToArray()).</summary>
    public static Chart Heatmap<T>(IReadOnlyList<T> values, int rows, int cols, IEnumerable<string>? xLabels = null, IEnumerable<string>? yLabels = null, bool showValues = false)
        where T : INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        if (rows <= 0 || cols <= 0) throw new ArgumentException($"a heatmap needs positive rows and cols, not {rows} x {cols}.");
        if (values.Count != rows * cols) throw new ArgumentException($"{values.Count} values do not fill {rows} x {cols}.", nameof(values));
        var z = new JsonArray();
        for (int r = 0; r < rows; r++)
            z.Add(new JsonArray(Enumerable.Range(0, cols).Select(c => Num(double.CreateChecked(values[r * cols + c]))).ToArray()));
        var trace = new JsonObject { ["type"] = "heatmap", ["z"] = z, ["colorscale"] = "Viridis" };
        if (xLabels is not null) trace["x"] = Labels(xLabels, cols, "xLabels");
        if (yLabels is not null) trace["y"] = Labels(yLabels, rows, "yLabels");
        if (showValues) { trace["texttemplate"] = "%{z:.3g}"; trace["showscale"] = false; }
        var chart = new Chart().AddTrace(trace);
        chart._layout["yaxis"] = new JsonObject { ["autorange"] = "reversed" };
        if (xLabels is not null) chart._layout["xaxis"] = new JsonObject { ["type"] = "category" };
        if (yLabels is not null) ((JsonObject)chart._layout["yaxis"]!)["type"] = "category";
        return chart;
    }

    /// <summary>
    /// Contour lines of a surface z = f(x, y) sampled on a grid: <paramref name="values"/> is row-major with one row per
    /// y and one column per x (z[i, j] = f(x[j], y[i])). The axes are numeric and y grows upwards, so lines and markers
    /// added with <see cref="Add"/> (for example an optimiser's path) land on the same coordinates.
    /// </summary>
    public static Chart Contour<TZ, TX, TY>(IReadOnlyList<TZ> values, IEnumerable<TX> x, IEnumerable<TY> y, int levels = 20)
        where TZ : INumberBase<TZ> where TX : INumberBase<TX> where TY : INumberBase<TY>
    {
        ArgumentNullException.ThrowIfNull(values);
        if (levels < 2) throw new ArgumentOutOfRangeException(nameof(levels), levels, "a contour needs at least 2 levels.");
        var xs = Numbers(x, nameof(x));
        var ys = Numbers(y, nameof(y));
        int rows = ys.Count, cols = xs.Count;
        if (rows < 2 || cols < 2) throw new ArgumentException($"a contour needs at least 2 x and 2 y values, not {cols} x and {rows} y.");
        if (values.Count != rows * cols) throw new ArgumentException($"{values.Count} values do not fill {rows} y values x {cols} x values.", nameof(values));
        var z = new JsonArray();
        for (int r = 0; r < rows; r++)
            z.Add(new JsonArray(Enumerable.Range(0, cols).Select(c => Num(double.CreateChecked(values[r * cols + c]))).ToArray()));
        var trace = new JsonObject
        {
            ["type"] = "contour", ["x"] = xs, ["y"] = ys, ["z"] = z, ["colorscale"] = "Viridis", ["ncontours"] = levels,
            ["showlegend"] = false,
        };
        var chart = new Chart().AddTrace(trace);
        // the colour bar takes the right margin, where plotly puts the legend: paths added later list their names below
        chart._layout["legend"] = new JsonObject { ["orientation"] = "h", ["x"] = 0, ["y"] = -0.2, ["yanchor"] = "top" };
        return chart;
    }

    /// <summary>
    /// A grid of images from a flat array and its shape: [H, W], [N, H, W], [N, 1, H, W] (grey) or [N, 3, H, W] (colour).
    /// Values in [0, 1] or [0, 255]; titles (one per image) are optional.
    /// </summary>
    public static Chart ImageGrid(IReadOnlyList<float> pixels, IReadOnlyList<long> shape, int columns = 8, IEnumerable<string>? titles = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(shape);
        if (columns <= 0) throw new ArgumentOutOfRangeException(nameof(columns), columns, "columns must be positive.");
        long[] s = shape.ToArray();
        (long n, long ch, long h, long w) = s.Length switch
        {
            2 => (1L, 1L, s[0], s[1]),
            3 => (s[0], 1L, s[1], s[2]),
            4 when s[1] is 1 or 3 => (s[0], s[1], s[2], s[3]),
            _ => throw new ArgumentException($"image shape must be [H, W], [N, H, W] or [N, C, H, W] with C = 1 or 3, not [{string.Join(", ", s)}].", nameof(shape))
        };
        if (n * ch * h * w != pixels.Count)
            throw new ArgumentException($"shape [{string.Join(", ", s)}] needs {n * ch * h * w} values, not {pixels.Count}.", nameof(pixels));
        if (n == 0) throw new ArgumentException("no images to show.", nameof(shape));
        float max = 0; foreach (var p in pixels) if (p > max) max = p;
        double scale = max > 1.0f ? 1.0 : 255.0;
        var titleList = titles?.ToArray();
        if (titleList is not null && titleList.Length != n) throw new ArgumentException($"{titleList.Length} titles for {n} images.", nameof(titles));

        var charts = new List<Chart>();
        for (long i = 0; i < n; i++)
        {
            var z = new JsonArray();
            for (long y = 0; y < h; y++)
            {
                var row = new JsonArray();
                for (long x = 0; x < w; x++)
                {
                    if (ch == 1) row.Add(Num(Math.Clamp(pixels[(int)(i * h * w + y * w + x)] * scale, 0, 255)));
                    else row.Add(new JsonArray(Enumerable.Range(0, 3).Select(c => Num(Math.Round(Math.Clamp(pixels[(int)(((i * 3 + c) * h + y) * w + x)] * scale, 0, 255)))).ToArray()));
                }
                z.Add(row);
            }
            var trace = ch == 1
                ? new JsonObject { ["type"] = "heatmap", ["z"] = z, ["zmin"] = 0, ["zmax"] = 255, ["showscale"] = false, ["colorscale"] = new JsonArray(new JsonArray(0, "#000000"), new JsonArray(1, "#ffffff")) }
                : new JsonObject { ["type"] = "image", ["z"] = z };
            var chart = new Chart().AddTrace(trace);
            chart._layout["xaxis"] = new JsonObject { ["visible"] = false, ["constrain"] = "domain" };
            chart._layout["yaxis"] = new JsonObject { ["visible"] = false, ["autorange"] = "reversed", ["scaleanchor"] = "x", ["constrain"] = "domain" };
            if (titleList is not null) chart.WithTitle(titleList[i]);
            charts.Add(chart);
        }
        if (charts.Count == 1) return charts[0].WithSize(300, 300);
        int cols = (int)Math.Min(columns, n), rows = (int)((n + cols - 1) / cols);
        return Subplots(rows, cols, charts.ToArray()).WithSize(Math.Max(300, 110 * cols), Math.Max(160, 120 * rows + (titleList is null ? 0 : 20 * rows)));
    }

    /// <summary>Places charts in a rows x columns grid, each with its own axes (titles become subplot titles).</summary>
    public static Chart Subplots(int rows, int columns, params Chart[] charts)
    {
        ArgumentNullException.ThrowIfNull(charts);
        if (rows <= 0 || columns <= 0) throw new ArgumentException($"a grid needs positive rows and columns, not {rows} x {columns}.");
        if (charts.Length == 0 || charts.Length > rows * columns)
            throw new ArgumentException($"{charts.Length} charts do not fit a {rows} x {columns} grid.", nameof(charts));
        var result = new Chart();
        result._layout["grid"] = new JsonObject { ["rows"] = rows, ["columns"] = columns, ["pattern"] = "independent", ["roworder"] = "top to bottom" };
        var annotations = new JsonArray();
        for (int i = 0; i < charts.Length; i++)
        {
            string suffix = i == 0 ? "" : (i + 1).ToString(CultureInfo.InvariantCulture);
            foreach (var t in charts[i]._traces)
            {
                var copy = (JsonObject)t.DeepClone();
                copy["xaxis"] = "x" + suffix;
                copy["yaxis"] = "y" + suffix;
                result._traces.Add(copy);
            }
            var sub = charts[i]._layout;
            var xa = sub["xaxis"]?.DeepClone() as JsonObject ?? new JsonObject();
            var ya = sub["yaxis"]?.DeepClone() as JsonObject ?? new JsonObject();
            if (ya["scaleanchor"] is not null) ya["scaleanchor"] = "x" + suffix;
            result._layout["xaxis" + suffix] = xa;
            result._layout["yaxis" + suffix] = ya;
            if (sub["title"]?["text"]?.GetValue<string>() is { } title)
                annotations.Add(new JsonObject
                {
                    ["text"] = title, ["showarrow"] = false, ["xref"] = $"x{suffix} domain", ["yref"] = $"y{suffix} domain",
                    ["x"] = 0.5, ["y"] = 1.0, ["xanchor"] = "center", ["yanchor"] = "bottom", ["font"] = new JsonObject { ["size"] = 12 }
                });
        }
        if (annotations.Count > 0) result._layout["annotations"] = annotations;
        result._layout["showlegend"] = charts.Any(c => c._traces.Count > 1);
        result._layout["margin"] = new JsonObject { ["l"] = 30, ["r"] = 10, ["t"] = 40, ["b"] = 30 };
        return result;
    }

    // ---- fluent adjustments -----------------------------------------------------------------

    /// <summary>Draws the other chart's traces on this chart's axes (for example a second line).</summary>
    public Chart Add(Chart other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var t in other._traces) _traces.Add((JsonObject)t.DeepClone());
        if (_traces.Count > 1) _layout["showlegend"] = true;
        return this;
    }

    public Chart WithTitle(string title) { _layout["title"] = new JsonObject { ["text"] = title }; return this; }
    public Chart WithXLabel(string label) { Axis("xaxis")["title"] = new JsonObject { ["text"] = label }; return this; }
    public Chart WithYLabel(string label) { Axis("yaxis")["title"] = new JsonObject { ["text"] = label }; return this; }
    public Chart WithLogY() { Axis("yaxis")["type"] = "log"; return this; }
    public Chart WithLogX() { Axis("xaxis")["type"] = "log"; return this; }

    public Chart WithSize(int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"size must be positive, not {width} x {height}.");
        _layout["width"] = width;
        _layout["height"] = height;
        return this;
    }

    // ---- output -----------------------------------------------------------------------------

    /// <summary>The plotly figure: {"data": [...], "layout": {...}}.</summary>
    public JsonObject ToFigure() => new()
    {
        ["data"] = new JsonArray(_traces.Select(t => (JsonNode?)t.DeepClone()).ToArray()),
        ["layout"] = _layout.DeepClone()
    };

    /// <summary>A div plus a script that draws the figure once plotly.js is on the page.</summary>
    public string ToHtml() => PlotlyHtml.Figure(ToFigure());

    public MimeBundle ToMimeBundle()
    {
        var figure = ToFigure();
        return PlotlyHtml.FigureBundle(figure, PlotlyHtml.Describe(figure));
    }

    public override string ToString() => PlotlyHtml.Describe(ToFigure());

    // ---- helpers ----------------------------------------------------------------------------

    private Chart AddTrace(JsonObject trace) { _traces.Add(trace); return this; }

    private JsonObject Axis(string name)
    {
        if (_layout[name] is not JsonObject axis) _layout[name] = axis = new JsonObject();
        return axis;
    }

    private static JsonObject XY<TX, TY>(string type, IEnumerable<TX> x, IEnumerable<TY> y, string? name, string mode)
        where TX : INumberBase<TX> where TY : INumberBase<TY>
    {
        var xs = Numbers(x, nameof(x));
        var ys = Numbers(y, nameof(y));
        if (xs.Count != ys.Count) throw new ArgumentException($"x has {xs.Count} values but y has {ys.Count}.", nameof(y));
        var trace = new JsonObject { ["type"] = type, ["mode"] = mode, ["x"] = xs, ["y"] = ys };
        if (name is not null) trace["name"] = name;
        return trace;
    }

    private static int Count<T>(IEnumerable<T> values, string param)
    {
        ArgumentNullException.ThrowIfNull(values, param);
        return values.Count();
    }

    private static JsonArray Numbers<T>(IEnumerable<T> values, string param) where T : INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(values, param);
        return new JsonArray(values.Select(v => Num(double.CreateChecked(v))).ToArray());
    }

    private static JsonArray Labels(IEnumerable<string> labels, int expected, string param)
    {
        var l = labels.ToArray();
        if (l.Length != expected) throw new ArgumentException($"{param} has {l.Length} labels, expected {expected}.", param);
        return new JsonArray(l.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
    }

    /// <summary>A JSON number, or null (a gap in plotly) for NaN and infinities, which JSON cannot hold.</summary>
    internal static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
}

using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;

namespace Course;

/// <summary>
/// Microsoft.Data.Analysis helpers that give the answers a statistician expects where the package's own methods do not
/// (checked on version 0.24.0):
/// <list type="bullet">
/// <item><c>DataFrame.Description()</c> counts a null as a zero in the mean ([1, null, 3] has mean 1.33, not 2):
/// <see cref="Describe"/> skips nulls.</item>
/// <item><c>DataFrame.LoadCsv</c> reads every number as float32 (0.1 becomes 0.100000001, integers above 2^24 lose
/// digits), guesses types from the first 10 rows only and parses with the current culture: <see cref="LoadCsv"/> reads
/// whole numbers as int64, other numbers as double, guesses from every row and parses invariantly.</item>
/// <item><c>GroupBy(...).Mean()</c> gives 0 for a group whose values are all null: <see cref="GroupMean"/> gives null.</item>
/// </list>
/// </summary>
public static class DataFrames
{
    /// <summary>
    /// One row per numeric column: <c>column</c>, <c>count</c> (values that are not null), <c>nulls</c>, and over the
    /// values that are not null <c>mean</c>, <c>std</c> (sample standard deviation, n - 1 in the denominator, as pandas),
    /// <c>min</c> and <c>max</c>; a statistic without values (a column of nulls, the std of one value) is null.
    /// </summary>
    public static DataFrame Describe(DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var names = new List<string>();
        var count = new List<long>();
        var nulls = new List<long>();
        var mean = new List<double?>();
        var std = new List<double?>();
        var min = new List<double?>();
        var max = new List<double?>();
        foreach (var column in frame.Columns.Where(IsNumeric))
        {
            var values = Values(column).ToArray();
            names.Add(column.Name);
            count.Add(values.Length);
            nulls.Add(column.Length - values.Length);
            if (values.Length == 0) { mean.Add(null); std.Add(null); min.Add(null); max.Add(null); continue; }
            double m = values.Average();
            mean.Add(m);
            std.Add(values.Length < 2 ? null : Math.Sqrt(values.Sum(v => (v - m) * (v - m)) / (values.Length - 1)));
            min.Add(values.Min());
            max.Add(values.Max());
        }
        return new DataFrame(
            new StringDataFrameColumn("column", names),
            new Int64DataFrameColumn("count", count),
            new Int64DataFrameColumn("nulls", nulls),
            new DoubleDataFrameColumn("mean", mean),
            new DoubleDataFrameColumn("std", std),
            new DoubleDataFrameColumn("min", min),
            new DoubleDataFrameColumn("max", max));
    }

    /// <summary>
    /// The mean of each value column per group of <paramref name="groupColumn"/>, over the values that are not null:
    /// null for a group whose values are all null. Groups appear in the order of their first row; rows whose group is
    /// null are left out (as pandas does). Without <paramref name="valueColumns"/>, every other numeric column.
    /// </summary>
    public static DataFrame GroupMean(DataFrame frame, string groupColumn, params string[] valueColumns)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(groupColumn);
        var key = Column(frame, groupColumn);
        var columns = valueColumns is { Length: > 0 }
            ? valueColumns.Select(name => Column(frame, name)).ToList()
            : frame.Columns.Where(c => c.Name != groupColumn && IsNumeric(c)).ToList();
        foreach (var c in columns.Where(c => !IsNumeric(c)))
            throw new ArgumentException($"column '{c.Name}' holds {c.DataType.Name}, not numbers; a mean needs a numeric column.", nameof(valueColumns));

        var groups = new Dictionary<object, List<long>>();
        var order = new List<long>(); // the first row of each group
        for (long row = 0; row < key.Length; row++)
        {
            if (key[row] is not { } k) continue;
            if (!groups.TryGetValue(k, out var rows)) { groups[k] = rows = new List<long>(); order.Add(row); }
            rows.Add(row);
        }
        var result = new List<DataFrameColumn> { key.Clone(new Int64DataFrameColumn("row", order)) };
        foreach (var c in columns)
        {
            var means = order.Select(first =>
            {
                var values = groups[key[first]].Where(r => c[r] is not null).Select(r => Convert.ToDouble(c[r], CultureInfo.InvariantCulture)).ToList();
                return values.Count == 0 ? (double?)null : values.Average();
            });
            result.Add(new DoubleDataFrameColumn(c.Name, means));
        }
        return new DataFrame(result);
    }

    /// <summary>
    /// Reads a CSV file: whole numbers as int64, other numbers as double, true/false as bool, anything else as string;
    /// an empty field is null. Types are guessed from every row, numbers parsed with the invariant culture.
    /// </summary>
    public static DataFrame LoadCsv(string path, char separator = ',', bool header = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"no CSV file at {Path.GetFullPath(path)}.", path);
        using var stream = File.OpenRead(path);
        return ReadCsv(stream, separator, header);
    }

    /// <summary>Reads CSV text as <see cref="LoadCsv"/> reads a file.</summary>
    public static DataFrame ParseCsv(string csv, char separator = ',', bool header = true)
    {
        ArgumentNullException.ThrowIfNull(csv);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        return ReadCsv(stream, separator, header);
    }

    /// <summary>The type <see cref="LoadCsv"/> gives a column with these fields: long, double, bool or string.</summary>
    public static Type GuessType(IEnumerable<string?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var present = fields.Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => f!.Trim()).ToList();
        if (present.Count == 0) return typeof(string);
        if (present.All(f => long.TryParse(f, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))) return typeof(long);
        if (present.All(f => double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out _))) return typeof(double);
        if (present.All(f => bool.TryParse(f, out _))) return typeof(bool);
        return typeof(string);
    }

    private static DataFrame ReadCsv(Stream stream, char separator, bool header) =>
        DataFrame.LoadCsv(stream, separator, header, guessRows: int.MaxValue, cultureInfo: CultureInfo.InvariantCulture,
                          guessTypeFunction: fields => GuessType(fields));

    private static bool IsNumeric(DataFrameColumn c) => c.IsNumericColumn();

    private static IEnumerable<double> Values(DataFrameColumn c)
    {
        for (long i = 0; i < c.Length; i++)
            if (c[i] is { } v) yield return Convert.ToDouble(v, CultureInfo.InvariantCulture);
    }

    private static DataFrameColumn Column(DataFrame frame, string name) =>
        frame.Columns.IndexOf(name) >= 0 ? frame.Columns[name]
            : throw new ArgumentException($"no column '{name}' (columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}).", nameof(name));
}

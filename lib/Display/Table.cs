using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace Course.Display;

/// <summary>
/// A table of rows and named columns, built from any sequence of records (objects, records, anonymous types,
/// tuples, dictionaries) or from a dictionary. Shows as an HTML table in notebooks (sorted by a click on a column
/// header), as aligned text in terminals, and exports to CSV.
/// </summary>
public sealed class Table : IMimeRenderable
{
    private readonly string[] _columns;
    private readonly object?[][] _rows;

    public Table(IEnumerable<string> columns, IEnumerable<IEnumerable<object?>> rows)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        _columns = columns.ToArray();
        if (_columns.Length == 0) throw new ArgumentException("a table needs at least one column.", nameof(columns));
        _rows = rows.Select(r => r.ToArray()).ToArray();
        for (int i = 0; i < _rows.Length; i++)
            if (_rows[i].Length != _columns.Length)
                throw new ArgumentException($"row {i} has {_rows[i].Length} values but the table has {_columns.Length} columns ({string.Join(", ", _columns)}).", nameof(rows));
    }

    public IReadOnlyList<string> Columns => _columns;
    public IReadOnlyList<IReadOnlyList<object?>> Rows => _rows;

    /// <summary>Rows shown in HTML and text (the CSV export always has all rows).</summary>
    public int MaxRows { get; set; } = 100;

    public object? this[int row, string column]
    {
        get
        {
            int c = Array.IndexOf(_columns, column);
            if (c < 0) throw new KeyNotFoundException($"no column '{column}' (columns: {string.Join(", ", _columns)}).");
            return _rows[row][c];
        }
    }

    /// <summary>One row per record; columns are the public properties and fields of the records.</summary>
    public static Table From<T>(IEnumerable<T> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return FromRecords(records.Cast<object?>().ToList(), typeof(T));
    }

    /// <summary>Two columns, key and value, one row per entry (any IDictionary or IReadOnlyDictionary).</summary>
    public static Table FromDictionary(object dictionary)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        var rows = new List<object?[]>();
        if (dictionary is IDictionary d)
        {
            foreach (DictionaryEntry e in d) rows.Add([e.Key, e.Value]);
        }
        else if (dictionary is IEnumerable seq)
        {
            foreach (var item in seq)
            {
                var t = item!.GetType();
                var key = t.GetProperty("Key") ?? throw new ArgumentException($"{dictionary.GetType().Name} is not a dictionary.");
                rows.Add([key.GetValue(item), t.GetProperty("Value")!.GetValue(item)]);
            }
        }
        else throw new ArgumentException($"{dictionary.GetType().Name} is not a dictionary.", nameof(dictionary));
        return new Table(["key", "value"], rows);
    }

    internal static Table FromRecords(IReadOnlyList<object?> items, Type? declared = null)
    {
        if (declared == typeof(object)) declared = null;
        var columns = new List<string>();
        var getters = new List<Func<object, (bool, object?)>>();
        void AddColumn(string name, Func<object, (bool, object?)> get)
        {
            if (columns.Contains(name)) return;
            columns.Add(name);
            getters.Add(get);
        }

        foreach (var type in (declared is not null && !declared.IsInterface && !declared.IsAbstract ? [declared] : items.Where(i => i is not null).Select(i => i!.GetType()).Distinct()))
        {
            if (Formatter.IsScalarType(type)) { AddColumn("value", o => (true, o)); continue; }
            if (typeof(ITuple).IsAssignableFrom(type))
            {
                int n = type.IsGenericType ? type.GetGenericArguments().Length : 0;
                for (int k = 0; k < n && k < 7; k++) { int idx = k; AddColumn($"Item{k + 1}", o => o is ITuple t && idx < t.Length ? (true, t[idx]) : (false, null)); }
                continue;
            }
            if (typeof(IDictionary<string, object?>).IsAssignableFrom(type))
            {
                foreach (var o in items)
                    if (o is IDictionary<string, object?> dict)
                        foreach (var key in dict.Keys) { var k = key; AddColumn(k, r => r is IDictionary<string, object?> dd && dd.TryGetValue(k, out var v) ? (true, v) : (false, null)); }
                continue;
            }
            foreach (var member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance).OrderBy(m => m.MetadataToken))
            {
                if (member is PropertyInfo p && p.CanRead && p.GetIndexParameters().Length == 0 && p.GetMethod!.IsPublic && p.Name != "EqualityContract")
                    AddColumn(p.Name, o => p.DeclaringType!.IsInstanceOfType(o) ? (true, p.GetValue(o)) : (false, null));
                else if (member is FieldInfo f)
                    AddColumn(f.Name, o => f.DeclaringType!.IsInstanceOfType(o) ? (true, f.GetValue(o)) : (false, null));
            }
        }
        if (columns.Count == 0) AddColumn("value", o => (true, o));
        var rows = items.Select(item => getters.Select(g => item is null ? null : g(item) is (true, var v) ? v : null).ToArray());
        return new Table(columns, rows);
    }

    public string ToHtml()
    {
        var sb = new StringBuilder("<table class=\"course-table\"><thead><tr>");
        foreach (var c in _columns) sb.Append("<th>").Append(WebUtility.HtmlEncode(c)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var row in _rows.Take(MaxRows))
        {
            sb.Append("<tr>");
            foreach (var v in row) sb.Append("<td>").Append(WebUtility.HtmlEncode(Cell(v))).Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
        if (_rows.Length > MaxRows) sb.Append($"<p><i>{MaxRows} of {_rows.Length} rows shown</i></p>");
        return sb.ToString();
    }

    /// <summary>Aligned plain text, one line per row.</summary>
    public string ToText()
    {
        var shown = _rows.Take(MaxRows).Select(r => r.Select(Cell).ToArray()).ToList();
        var widths = _columns.Select((c, i) => Math.Max(c.Length, shown.Count == 0 ? 0 : shown.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        sb.AppendLine(string.Join("  ", _columns.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var r in shown) sb.AppendLine(string.Join("  ", r.Select((v, i) => IsNumber(v) ? v.PadLeft(widths[i]) : v.PadRight(widths[i]))).TrimEnd());
        if (_rows.Length > MaxRows) sb.AppendLine($"({MaxRows} of {_rows.Length} rows shown)");
        return sb.ToString().TrimEnd('\n', '\r');
    }

    /// <summary>RFC 4180 CSV with a header row; numbers in full precision, invariant culture.</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(",", _columns.Select(CsvField))).Append('\n');
        foreach (var row in _rows) sb.Append(string.Join(",", row.Select(v => CsvField(Formatter.FormatScalar(v))))).Append('\n');
        return sb.ToString();
    }

    /// <summary>Writes the CSV to <paramref name="path"/> (through a temporary file, so no half-written file is left).</summary>
    public void SaveCsv(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(tmp, ToCsv(), new UTF8Encoding(false));
        File.Move(tmp, full, overwrite: true);
    }

    /// <summary>Text and HTML; the HTML sorts by a click on a column header (<see cref="TableSort"/>).</summary>
    public MimeBundle ToMimeBundle() => new MimeBundle().With(MimeTypes.PlainText, ToText()).With(MimeTypes.Html, ToHtml()).Require(TableSort.Asset);

    public override string ToString() => ToText();

    private static string Cell(object? v) => v switch
    {
        null => "",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        _ => Formatter.FormatScalar(v) is var s && (Formatter.IsScalar(v) || Formatter.OverridesToString(v.GetType())) ? s : v.GetType().Name
    };

    private static bool IsNumber(string s) => s.Length > 0 && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string CsvField(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}

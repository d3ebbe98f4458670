using Course.Display;
using Microsoft.Data.Analysis;

namespace Course;

/// <summary>
/// How Microsoft.Data.Analysis data frames and columns look in a notebook: as the kit's <see cref="Table"/> (HTML and
/// aligned text), the first <see cref="MaxRows"/> rows of them. <see cref="Register"/> is called by lib/course.csx,
/// the first cell of every chapter.
/// </summary>
public static class DataFrameDisplay
{
    private static int _registered;

    /// <summary>Rows of a data frame read into the table that shows it.</summary>
    public static int MaxRows { get; set; } = 100;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        Formatter.Register<DataFrame>(Preview);
        Formatter.Register<DataFrameColumn>(Preview);
    }

    /// <summary>The first <paramref name="maxRows"/> rows of the frame as a table (null cells are empty).</summary>
    public static Table ToTable(DataFrame frame, int maxRows = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRows);
        return ToTable(frame.Columns, frame.Rows.Count, maxRows);
    }

    /// <summary>The first <paramref name="maxRows"/> values of the column as a one-column table.</summary>
    public static Table ToTable(DataFrameColumn column, int maxRows = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRows);
        return ToTable([column], column.Length, maxRows);
    }

    public static MimeBundle Preview(DataFrame frame) => Bundle(ToTable(frame, MaxRows), frame.Rows.Count);

    public static MimeBundle Preview(DataFrameColumn column) => Bundle(ToTable(column, MaxRows), column.Length);

    private static Table ToTable(IReadOnlyList<DataFrameColumn> columns, long rowCount, int maxRows)
    {
        if (columns.Count == 0) return new Table(["(no columns)"], []);
        long shown = Math.Min(rowCount, maxRows);
        var rows = new List<object?[]>((int)Math.Min(shown, 100_000));
        for (long r = 0; r < shown; r++)
        {
            var row = new object?[columns.Count];
            for (int c = 0; c < columns.Count; c++) row[c] = columns[c][r];
            rows.Add(row);
        }
        return new Table(columns.Select(c => c.Name), rows) { MaxRows = (int)Math.Max(shown, 1) };
    }

    private static MimeBundle Bundle(Table table, long rowCount)
    {
        var bundle = table.ToMimeBundle();
        if (rowCount > table.Rows.Count)
        {
            var note = $"({table.Rows.Count} of {rowCount} rows shown)";
            bundle.With(MimeTypes.PlainText, bundle.GetText(MimeTypes.PlainText) + "\n" + note)
                  .With(MimeTypes.Html, bundle.GetText(MimeTypes.Html) + "<p><i>" + note + "</i></p>");
        }
        return bundle;
    }
}

namespace Course.Display;

public static class TableExtensions
{
    /// <summary>A table with one row per record (see <see cref="Table.From{T}"/>).</summary>
    public static Table ToTable<T>(this IEnumerable<T> records) => Table.From(records);

    /// <summary>The records as CSV text with a header row.</summary>
    public static string ToCsv<T>(this IEnumerable<T> records) => Table.From(records).ToCsv();
}

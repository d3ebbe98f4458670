using Course.Display;

// In namespace System, as in .NET Interactive, so that x.Display() works in every cell without a using.
namespace System;

public static class CourseDisplayExtensions
{
    /// <summary>Shows the value as a new output (or prints it outside a notebook); returns the update handle.</summary>
    public static DisplayHandle? Display(this object? value, params string[] mimeTypes) => Output.Display(value, mimeTypes);

    /// <summary>Shows the text as the given MIME type, e.g. "text/markdown" or "text/html".</summary>
    public static DisplayHandle? DisplayAs(this string text, string mimeType) =>
        Output.Display(new MimeBundle().With(mimeType, text));

    /// <summary>Shows the records as a table.</summary>
    public static DisplayHandle? DisplayTable<T>(this IEnumerable<T> records) => Output.Display(Table.From(records));
}

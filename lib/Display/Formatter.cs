using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;

namespace Course.Display;

/// <summary>
/// Turns any value into a MIME bundle. Order: registered formatters (most derived type first),
/// values that render themselves (<see cref="IMimeRenderable"/>), strings and scalars as text,
/// dictionaries and sequences of records as tables, sequences of scalars as a bracketed list,
/// and finally the value's own ToString().
/// </summary>
public static class Formatter
{
    private static readonly Dictionary<Type, Func<object, MimeBundle>> Registered = new();
    private static readonly object Gate = new();

    /// <summary>Items of a scalar sequence shown before "...".</summary>
    public static int MaxListItems { get; set; } = 64;

    /// <summary>Items of a sequence of records read into a table when it is displayed.</summary>
    public static int MaxTableItems { get; set; } = 10_000;

    /// <summary>Registers how values of type <typeparamref name="T"/> (and derived types) are displayed.</summary>
    public static void Register<T>(Func<T, MimeBundle> format)
    {
        ArgumentNullException.ThrowIfNull(format);
        lock (Gate) Registered[typeof(T)] = o => format((T)o);
        TypeRegistered?.Invoke(typeof(T));
    }

    /// <summary>The types with a registered formatter, in no particular order.</summary>
    public static IReadOnlyList<Type> RegisteredTypes
    {
        get { lock (Gate) return Registered.Keys.ToList(); }
    }

    /// <summary>
    /// Raised after a formatter is registered, with its type: a host with a formatter registry of its own (.NET
    /// Interactive) hands the type on, so values registered later display there too.
    /// </summary>
    public static event Action<Type>? TypeRegistered;

    /// <summary>Registers a single-representation formatter (for example HTML) for type <typeparamref name="T"/>.</summary>
    public static void Register<T>(Func<T, string> format, string mimeType = MimeTypes.PlainText)
    {
        ArgumentNullException.ThrowIfNull(format);
        Register<T>(v => new MimeBundle().With(mimeType, format(v)));
    }

    public static void Unregister<T>()
    {
        lock (Gate) Registered.Remove(typeof(T));
    }

    /// <summary>The MIME bundle of <paramref name="value"/>, restricted to <paramref name="mimeTypes"/> when any are given.</summary>
    public static MimeBundle Format(object? value, params string[] mimeTypes)
    {
        var bundle = FormatAll(value);
        if (mimeTypes is { Length: > 0 })
        {
            // "display(x, "text/html")" on a value that only offers text shows its text as HTML, escaped.
            if (mimeTypes.Contains(MimeTypes.Html) && !bundle.Data.ContainsKey(MimeTypes.Html) && bundle.GetText(MimeTypes.PlainText) is { } text)
                bundle.With(MimeTypes.Html, "<pre>" + WebUtility.HtmlEncode(text) + "</pre>");
            bundle = bundle.Select(mimeTypes);
        }
        return bundle;
    }

    /// <summary>The text/plain form of a value (what a terminal shows).</summary>
    public static string ToPlainText(object? value) =>
        FormatAll(value).GetText(MimeTypes.PlainText) ?? value?.ToString() ?? "<null>";

    private static MimeBundle FormatAll(object? value)
    {
        switch (value)
        {
            case null: return MimeBundle.Text("<null>");
            case MimeBundle b: return b;
        }
        if (FindRegistered(value.GetType()) is { } registered) return registered(value);
        switch (value)
        {
            case IMimeRenderable r: return r.ToMimeBundle();
            case string s: return MimeBundle.Text(s);
        }
        if (IsScalar(value)) return MimeBundle.Text(FormatScalar(value));
        if (value is IDictionary || IsGenericDictionary(value.GetType()))
            return Table.FromDictionary(value).ToMimeBundle();
        if (value is IEnumerable seq)
        {
            var elementType = ElementType(value.GetType());
            if (elementType is not null && IsScalarType(elementType)) return MimeBundle.Text(FormatList(seq));
            // never enumerate without bound: a sequence may be lazy and endless
            var items = seq.Cast<object?>().Take(MaxTableItems + 1).ToList();
            if (items.All(i => i is null || IsScalar(i))) return MimeBundle.Text(FormatList(items));
            bool more = items.Count > MaxTableItems;
            var table = Table.FromRecords(more ? items.GetRange(0, MaxTableItems) : items).ToMimeBundle();
            if (more)
            {
                var note = $"(only the first {MaxTableItems} items of the sequence were read)";
                table.With(MimeTypes.PlainText, table.GetText(MimeTypes.PlainText) + "\n" + note)
                     .With(MimeTypes.Html, table.GetText(MimeTypes.Html) + "<p><i>" + note + "</i></p>");
            }
            return table;
        }
        return MimeBundle.Text(value.ToString() ?? value.GetType().Name);
    }

    private static Func<object, MimeBundle>? FindRegistered(Type type)
    {
        lock (Gate)
        {
            if (Registered.Count == 0) return null;
            for (var t = type; t is not null; t = t.BaseType)
                if (Registered.TryGetValue(t, out var f)) return f;
            foreach (var i in type.GetInterfaces())
                if (Registered.TryGetValue(i, out var f)) return f;
            return null;
        }
    }

    internal static bool IsScalar(object value) => IsScalarType(value.GetType());

    internal static bool IsScalarType(Type t) =>
        t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(DateTime) ||
        t == typeof(DateTimeOffset) || t == typeof(TimeSpan) || t == typeof(Guid) || t == typeof(Half) ||
        (Nullable.GetUnderlyingType(t) is { } u && IsScalarType(u));

    /// <summary>Culture-independent text of a scalar; floating point values in full precision.</summary>
    public static string FormatScalar(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "True" : "False",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? ""
    };

    private static string FormatList(IEnumerable items)
    {
        var parts = new List<string>();
        int count = 0;
        bool counted = items is ICollection;
        foreach (var item in items)
        {
            if (count++ < MaxListItems) parts.Add(item is string s ? "\"" + s + "\"" : FormatScalar(item));
            else if (!counted) break; // a lazy sequence is read only as far as it is shown
        }
        if (counted) count = ((ICollection)items).Count;
        var more = count > MaxListItems ? (counted ? $", ... ({count} items)" : ", ...") : "";
        return "[" + string.Join(", ", parts) + more + "]";
    }

    private static bool IsGenericDictionary(Type t) =>
        t.GetInterfaces().Append(t).Any(i => i.IsGenericType &&
            (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)));

    internal static Type? ElementType(Type t)
    {
        if (t.IsArray) return t.GetElementType();
        var e = t.GetInterfaces().Append(t).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return e?.GetGenericArguments()[0];
    }

    internal static bool OverridesToString(Type t) =>
        t.GetMethod(nameof(ToString), BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes)?.DeclaringType != typeof(object);
}

using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive.Formatting;
using KitFormatter = Course.Display.Formatter;
using DniFormatter = Microsoft.DotNet.Interactive.Formatting.Formatter;

namespace Course.Display.Interactive;

/// <summary>
/// Makes the kit's values look in .NET Interactive as they do in the course kernel: every type the kit's
/// <see cref="KitFormatter"/> knows (tensors, data frames, Plotly.NET charts, and whatever a cell registers later) and
/// every <see cref="IMimeRenderable"/> (charts, tables, progress) is formatted by the kit, as HTML and text; plotly.js
/// comes from the kit's offline copy, sent once per kernel before the first output that needs it; and
/// <see cref="Output"/> (progress bars, live charts, interrupts) goes to the running submission.
/// <see cref="Register"/> is called by lib/course.csx, the first cell of every chapter.
/// </summary>
public static class InteractiveDisplay
{
    private static int _registered;

    /// <summary>True when this process is a .NET Interactive kernel (its core assembly is loaded).</summary>
    public static bool InInteractive =>
        AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Microsoft.DotNet.Interactive");

    /// <summary>
    /// Registers the kit's formatters and display target with .NET Interactive; does nothing and returns false
    /// anywhere else (the course kernel, the runner, a console program).
    /// </summary>
    public static bool Register()
    {
        if (!InInteractive) return false;
        if (Interlocked.Exchange(ref _registered, 1) == 0) RegisterWithInteractive();
        return true;
    }

    // kept out of Register so that no type of Microsoft.DotNet.Interactive is loaded unless that kernel is running
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RegisterWithInteractive()
    {
        Output.UseHost(new InteractiveTarget());
        // what the kit shows as text only (scalars, strings, modules and other objects) stays text, as in the course
        // kernel; sequences and dictionaries become the kit's tables; the kit's own values keep HTML and text
        Register(typeof(object), MimeTypes.PlainText);
        Register(typeof(string), MimeTypes.PlainText);
        Register(typeof(System.Collections.IEnumerable), MimeTypes.Html, MimeTypes.PlainText);
        Register(typeof(IMimeRenderable), MimeTypes.Html, MimeTypes.PlainText);
        foreach (var type in KitFormatter.RegisteredTypes) Register(type, MimeTypes.Html, MimeTypes.PlainText);
        KitFormatter.TypeRegistered += type => Register(type, MimeTypes.Html, MimeTypes.PlainText);
    }

    private static void Register(Type type, params string[] mimeTypes)
    {
        foreach (var mimeType in mimeTypes)
            DniFormatter.Register(type, (value, context) => Write(value, context, mimeType), mimeType);
        DniFormatter.SetPreferredMimeTypesFor(type, mimeTypes);
    }

    // .NET Interactive asks for HTML, then for text; the kit makes one bundle with both, so the HTML pass keeps it for the
    // text pass of the same value, which takes it (a value changed and shown again is formatted afresh)
    [ThreadStatic] private static (object Value, MimeBundle Bundle)? _fromHtmlPass;

    private static MimeBundle BundleOf(object value, string mimeType)
    {
        if (mimeType == MimeTypes.Html)
        {
            var fresh = KitFormatter.Format(value);
            _fromHtmlPass = (value, fresh);
            return fresh;
        }
        var kept = _fromHtmlPass;
        _fromHtmlPass = null;
        return kept is { } k && ReferenceEquals(k.Value, value) ? k.Bundle : KitFormatter.Format(value);
    }

    private static bool Write(object value, FormatContext context, string mimeType)
    {
        var bundle = BundleOf(value, mimeType);
        if (mimeType == MimeTypes.Html) InteractiveTarget.SendPageAssets(bundle);
        var text = bundle.GetText(mimeType);
        if (text is null && mimeType == MimeTypes.Html && bundle.GetText(MimeTypes.PlainText) is { } plain)
            text = "<pre>" + System.Net.WebUtility.HtmlEncode(plain) + "</pre>";
        context.Writer.Write(text ?? bundle.ToString());
        return true;
    }
}

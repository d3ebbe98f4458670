using System.Net;
using Course.Display;

namespace Course;

/// <summary>
/// How tensors look in a notebook: the PyTorch-style text (as in a terminal) plus an HTML preview headed by
/// shape, dtype and device. <see cref="Register"/> is called by lib/course.csx, the first cell of every chapter.
/// </summary>
public static class TensorDisplay
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        Formatter.Register<Tensor>(Preview);
    }

    /// <summary>The MIME bundle of a tensor (a disposed tensor shows as such instead of failing).</summary>
    public static MimeBundle Preview(Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (t.IsInvalid) return MimeBundle.Text("tensor(<disposed>)");
#if TORCHSHARP
        var text = t.ToString(TorchSharp.TensorStringStyle.Numpy);   // TorchSharp's ToString() gives the shape, not the values
#else
        var text = t.ToString();
#endif
        var header = $"{t.dtype} [{string.Join(", ", t.shape)}] on {t.device}" + (t.requires_grad ? ", requires_grad" : "");
        var html = $"<div class=\"course-tensor\"><div style=\"color:#6e7781;font-size:12px\">{WebUtility.HtmlEncode(header)}</div>" +
                   $"<pre style=\"margin:2px 0\">{WebUtility.HtmlEncode(text)}</pre></div>";
        return new MimeBundle().With(MimeTypes.PlainText, text).With(MimeTypes.Html, html);
    }
}

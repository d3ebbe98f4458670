namespace Course.Display;

/// <summary>Raw HTML to show as-is (what <c>HTML("...")</c> returns in a notebook).</summary>
public sealed record HtmlString(string Html) : IMimeRenderable
{
    public MimeBundle ToMimeBundle() => MimeBundle.Html(Html);
    public override string ToString() => Html;
}

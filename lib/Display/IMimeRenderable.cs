namespace Course.Display;

/// <summary>A value that knows how it looks in a notebook: it returns its own MIME bundle.</summary>
public interface IMimeRenderable
{
    MimeBundle ToMimeBundle();
}

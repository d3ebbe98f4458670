namespace Course.Display;

/// <summary>Where displayed values go: a notebook session implements this; terminals have none.</summary>
public interface IDisplayTarget
{
    /// <summary>Shows a value as a new output and returns a handle that can replace it later.</summary>
    DisplayHandle Display(object? value, params string[] mimeTypes);

    /// <summary>Signalled when the user interrupts the running cell.</summary>
    CancellationToken Cancellation { get; }
}

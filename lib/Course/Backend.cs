namespace Course;

/// <summary>
/// Which binding this build of the library runs on: the course's own (lib/Course) or TorchSharp (lib/Course.TorchSharp,
/// compiled with TORCHSHARP). Full runs on TorchSharp keep their results and checkpoints apart from the course
/// binding's, under artifacts/torchsharp/, so they never replace the numbers the book and the README report.
/// </summary>
public static class Backend
{
#if TORCHSHARP
    public const string Name = "torchsharp";
#else
    public const string Name = "course";
#endif

    /// <summary>artifacts/ for the course binding, artifacts/torchsharp/ for TorchSharp.</summary>
    public static string Artifacts(string root) =>
        Name == "torchsharp" ? Path.Combine(root, "artifacts", "torchsharp") : Path.Combine(root, "artifacts");
}

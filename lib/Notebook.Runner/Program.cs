using System.Globalization;
using Course.Notebook.Runner;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

const string Usage = """
usage: Course.Notebook.Runner <command> [options]
  run  [notebook-or-folder ...] [--fast] [--no-book] [--no-png] [--out-dir folder] [--timeout-minutes 60] [--torchsharp]
       execute the notebooks (default: every chapter in notebooks/), each in its own process, write executed copies
       to artifacts/notebooks/ (or --out-dir, which builds no book), then build the book in artifacts/book/.
       Stops at the first failing notebook (exit code 1).
  exec <notebook.ipynb> [--out executed.ipynb] [--fast] [--no-png] [--torchsharp]
       execute one notebook in this process (tests use it); exit code 1 when a cell fails.
  --torchsharp: run on TorchSharp (the load line "../lib/course.csx" becomes "../lib/course.torchsharp.csx"; build
       lib/Course.TorchSharp.Runtime first); executed copies go to artifacts/torchsharp/notebooks/, no book is built;
       run without notebooks runs the chapters whose metadata lists "torchsharp" in course_backends.
  student [notebook-or-folder ...] [--out artifacts/student] [--instructor-out artifacts/instructor]
       write student copies (exercise solutions replaced by stubs that throw NotImplementedException) and instructor
       copies (solutions kept), outputs cleared; --out notebooks turns this checkout into a students' copy.
  check-exercises [notebook-or-folder ...] [--require]
       run each chapter's exercises section on its own, with the solutions (all must pass) and as the student copy
       (exactly the autograder cells must fail, with ExerciseNotDoneException); --require: every notebook has one.
  export [notebook-or-folder ...] [--out folder]
       write each notebook (default: every chapter) as a .NET file-based app, artifacts/apps/<chapter>.cs (or --out);
       run one with 'COURSE_FAST=1 dotnet run artifacts/apps/<chapter>.cs'; it writes <chapter>.html next to itself.
  book
       build artifacts/book/ from the executed notebooks already in artifacts/notebooks/.
  --fast (or COURSE_FAST=1): notebooks shrink data and steps.
environment (./course sets it): COURSE_ROOT, COURSE_TORCH_NATIVE, COURSE_PLOTLY_JS; run passes it to each notebook's process.
""";

try
{
    if (args.Length == 0 || args[0] is "-h" or "--help" or "help") { Console.Out.WriteLine(Usage); return args.Length == 0 ? 2 : 0; }
    var rest = args[1..];
    return args[0] switch
    {
        "run" => await RunCommand.RunAsync(rest),
        "exec" => await ExecCommand.RunAsync(rest),
        "book" => BookCommand.Run(rest),
        "student" => StudentCommand.Run(rest),
        "check-exercises" => await CheckExercisesCommand.RunAsync(rest),
        "export" => ExportCommand.Run(rest),
        _ => throw new UsageException($"unknown command '{args[0]}'."),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine($"Course.Notebook.Runner: {e.Message}");
    Console.Error.WriteLine(Usage);
    return 2;
}
catch (Exception e) when (e is InvalidDataException or FileNotFoundException or DirectoryNotFoundException or IOException or InvalidOperationException)
{
    Console.Error.WriteLine($"Course.Notebook.Runner: {e.Message}");
    return 1;
}

using System.Globalization;
using Course.Kernel;
using Course.Kernel.Install;

// a kernel must hear SIGINT even when its parent ignores it (see SigIntDisposition); before .NET's signal handling starts
if (args.Length > 0 && args[0] == "run") SigIntDisposition.RestoreDefault();

// the same culture as the headless runner: numbers print alike everywhere
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

const string Usage = """
usage: Course.Kernel <command> [options]
  install [--prefix DIR | --data-dir DIR] [--dotnet-interactive TOOL]
      install the Jupyter kernelspec "csharp-course" ("C# (course)") for this user (~/.local/share/jupyter,
      $JUPYTER_DATA_DIR or $XDG_DATA_HOME/jupyter), or under DIR/share/jupyter (--prefix) or DIR (--data-dir);
      with --dotnet-interactive, also "csharp-course-interactive": .NET Interactive (the dotnet-interactive
      executable TOOL) with the course's environment, its HTTP API on loopback only.
  run --connection-file FILE [--no-parent-watch] [--heartbeat-timeout SECONDS] [--verbose]
      run the kernel (Jupyter front ends start it this way from kernel.json). It exits when the process that started
      it is gone (unless --no-parent-watch) or, with --heartbeat-timeout, when a client that pinged the heartbeat
      stops for that long.
""";

try
{
    if (args.Length == 0 || args[0] is "-h" or "--help" or "help") { Console.Out.WriteLine(Usage); return args.Length == 0 ? 2 : 0; }
    switch (args[0])
    {
        case "install":
        {
            string? dataDir = null, interactiveTool = null;
            for (int i = 1; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--user": break;
                    case "--prefix": dataDir = Path.Combine(Value(args, ref i), "share", "jupyter"); break;
                    case "--data-dir": dataDir = Value(args, ref i); break;
                    case "--dotnet-interactive": interactiveTool = Value(args, ref i); break;
                    default: throw new ArgumentException($"unknown option {args[i]}.");
                }
            }
            var target = Path.GetFullPath(dataDir ?? KernelSpecInstaller.UserDataDirectory());
            var folder = KernelSpecInstaller.Install(target);
            Console.Out.WriteLine($"installed the Jupyter kernel \"{KernelInfo.DisplayName}\" ({KernelInfo.SpecName}) in {folder}");
            if (interactiveTool is not null)
            {
                folder = KernelSpecInstaller.InstallInteractive(target, interactiveTool);
                Console.Out.WriteLine($"installed the Jupyter kernel \".NET Interactive C# (course)\" ({KernelSpecInstaller.InteractiveSpecName}) in {folder}");
            }
            return 0;
        }
        case "run":
        {
            string? connection = null;
            bool watchParent = true;
            TimeSpan? heartbeat = null;
            for (int i = 1; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--connection-file" or "-f": connection = Value(args, ref i); break;
                    case "--no-parent-watch": watchParent = false; break;
                    case "--verbose": KernelLog.Verbose = true; break;
                    case "--heartbeat-timeout":
                        var text = Value(args, ref i);
                        heartbeat = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
                            ? TimeSpan.FromSeconds(s) : throw new ArgumentException($"--heartbeat-timeout needs a positive number of seconds, got {text}.");
                        break;
                    default: throw new ArgumentException($"unknown option {args[i]}.");
                }
            }
            if (connection is null) throw new ArgumentException("run needs --connection-file FILE (Jupyter passes it from kernel.json).");
            var code = KernelHost.Run(new KernelOptions(connection, watchParent, heartbeat));
            // a cell that never checks for interrupts may still hold a thread; the process ends anyway
            Environment.Exit(code);
            return code;
        }
        default:
            throw new ArgumentException($"unknown command '{args[0]}'.");
    }
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"Course.Kernel: {e.Message}");
    Console.Error.WriteLine(Usage);
    return 2;
}
catch (Exception e) when (e is FileNotFoundException or InvalidDataException or InvalidOperationException or DllNotFoundException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"Course.Kernel: {e.Message}");
    return 1;
}

static string Value(string[] args, ref int i) =>
    i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");

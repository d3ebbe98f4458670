// The whole course library in one line. The first cell of every chapter is:
//     #load "../lib/course.csx"
// It works the same in the headless runner, the tests and the Jupyter kernel (they share one engine).
// The engine references shadow copies of these assemblies, so rebuilding the library (./course setup) while a
// notebook is open is never blocked; restart the kernel to pick up the new build.
// The references follow the build configuration: building lib/Course (./course setup) writes them.
#load "../artifacts/dotnet/course.references.csx"

global using Torch;
global using Torch.Modules;
global using static Torch.torch;
global using F = Torch.torch.nn.functional;
global using Course;
global using Course.Models;
global using Course.Display;
global using Course.Exercises;

// tensors, data frames (Microsoft.Data.Analysis) and Plotly.NET charts display as the kit's own tables and charts
Course.TensorDisplay.Register();
Course.DataFrameDisplay.Register();
Course.Display.PlotlyNet.PlotlyNetDisplay.Register();
// inside .NET Interactive (dotnet-interactive, Polyglot Notebooks) the same displays, progress and interrupts; elsewhere nothing
Course.Display.Interactive.InteractiveDisplay.Register();

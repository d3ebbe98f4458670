// The course library on TorchSharp: the first cell of a chapter becomes
//     #load "../lib/course.torchsharp.csx"
// instead of #load "../lib/course.csx", and the chapter runs on TorchSharp 0.107.0 with its CPU libtorch 2.10 (README,
// "Two backends"). The references are written when lib/Course.TorchSharp.Runtime is built (./course run --torchsharp).
#load "../artifacts/dotnet/course.torchsharp.references.csx"

global using TorchSharp;
global using TorchSharp.Modules;
global using static TorchSharp.torch;
global using TorchSharp.PyBridge;
global using F = TorchSharp.torch.nn.functional;
global using Course;
global using Course.Models;
global using Course.Display;
global using Course.Exercises;
// TorchSharp.Modules has types of these names too; the chapters mean the course's
global using DataLoader = Course.DataLoader;
global using TensorDataset = Course.TensorDataset;
global using GroupNorm = Course.Models.GroupNorm;

// TorchSharp's native libraries, found from the notebook's shadow copies
Course.TorchSharpRuntime.Load();
// tensors, data frames (Microsoft.Data.Analysis) and Plotly.NET charts display as the kit's own tables and charts
Course.TensorDisplay.Register();
Course.DataFrameDisplay.Register();
Course.Display.PlotlyNet.PlotlyNetDisplay.Register();
// inside .NET Interactive (dotnet-interactive, Polyglot Notebooks) the same displays, progress and interrupts; elsewhere nothing
Course.Display.Interactive.InteractiveDisplay.Register();

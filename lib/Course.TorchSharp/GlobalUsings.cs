// The binding this build of the course library is compiled against: TorchSharp (lib/Course/GlobalUsings.cs names the
// course's own binding). These four lines are what a student's code changes to move to TorchSharp.
global using TorchSharp;
global using TorchSharp.Modules;
global using static TorchSharp.torch;
global using F = TorchSharp.torch.nn.functional;

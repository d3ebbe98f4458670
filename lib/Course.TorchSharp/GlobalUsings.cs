// The binding this build of the course library is compiled against: TorchSharp (lib/Course/GlobalUsings.cs names the
// course's own binding). These lines are what a student's code changes to move to TorchSharp; the PyBridge line brings
// save_safetensors / load_safetensors (package TorchSharp.PyBridge), which the course's binding has built in.
global using TorchSharp;
global using TorchSharp.Modules;
global using TorchSharp.PyBridge;
global using static TorchSharp.torch;
global using F = TorchSharp.torch.nn.functional;

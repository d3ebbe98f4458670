// The binding this build of the ONNX library is compiled against: TorchSharp (lib/Onnx/GlobalUsings.cs names the
// course's own binding).
global using TorchSharp;
global using TorchSharp.Modules;
global using static TorchSharp.torch;

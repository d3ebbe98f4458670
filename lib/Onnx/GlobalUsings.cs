// The binding this library is compiled against: the course's (lib/Onnx.TorchSharp compiles the same sources against
// TorchSharp with its own copy of this file, as lib/Course.TorchSharp does for the course library).
global using Torch;
global using Torch.Modules;
global using static Torch.torch;

// The binding this library is compiled against: the course's own (lib/Torch). lib/Course.TorchSharp compiles the same
// sources against TorchSharp with its own copy of this file, so no other file of the library names a binding.
global using Torch;
global using Torch.Modules;
global using static Torch.torch;
global using F = Torch.torch.nn.functional;

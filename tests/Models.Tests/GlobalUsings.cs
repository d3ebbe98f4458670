// The binding these tests are compiled against (the TorchSharp build of the tests names TorchSharp instead).
global using Xunit;
global using Torch;
global using Torch.Modules;
global using Course.Models;
global using static Torch.torch;
global using F = Torch.torch.nn.functional;

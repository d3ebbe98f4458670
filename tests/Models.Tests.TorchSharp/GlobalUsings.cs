// The binding these tests are compiled against here: TorchSharp (tests/Models.Tests/GlobalUsings.cs names the course's).
global using Xunit;
global using TorchSharp;
global using TorchSharp.Modules;
global using TorchSharp.PyBridge;
global using Course.Models;
global using static TorchSharp.torch;
global using F = TorchSharp.torch.nn.functional;
// TorchSharp has a GroupNorm layer of its own; the tests mean the course's
global using GroupNorm = Course.Models.GroupNorm;
// gradient checking, which TorchSharp lacks (tests/Shared/TorchSharpSupport.cs)
global using autograd = Course.Testing.TorchSharpAutograd;
// PyTorch's get_submodule / set_submodule, which TorchSharp lacks (lib/Course.TorchSharp/SubmodulePaths.cs)
global using static Course.SubmodulePaths;
// the course binding's optimizer StateBytes (lib/Course.TorchSharp/OptimizerStateBytes.cs)
global using static Course.OptimizerStateBytes;

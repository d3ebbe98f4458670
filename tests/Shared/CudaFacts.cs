#if TORCHSHARP
using torch = TorchSharp.torch;
#else
using torch = Torch.torch;
#endif
using Xunit;

namespace Course.Testing;

/// <summary>A test that needs a CUDA device: skipped, saying so, on a machine without one.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        if (!torch.cuda.is_available())
            Skip = $"needs a CUDA device; this machine has none (libtorch {torch.__version__}, cuda.is_available() = false)";
    }
}

/// <summary>A test of what happens without CUDA: skipped, saying so, on a machine that has a CUDA device.</summary>
public sealed class NoCudaFactAttribute : FactAttribute
{
    public NoCudaFactAttribute()
    {
        if (torch.cuda.is_available())
            Skip = $"checks the behaviour without a CUDA device; this machine has one (libtorch {torch.__version__}, cuda.is_available() = true)";
    }
}

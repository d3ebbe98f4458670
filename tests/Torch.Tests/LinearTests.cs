namespace Torch.Tests;

/// <summary>Runs only where the shim's CPU linear kernel is built (libtorch 1.x with a BLAS), saying why otherwise.</summary>
public sealed class CpuLinearFactAttribute : FactAttribute
{
    public CpuLinearFactAttribute()
    {
        if (!backends.cpu_linear_available())
            Skip = $"the shim's CPU linear kernel is built only against libtorch 1.x with a BLAS (this is {__version__})";
    }
}

public sealed class CpuLinearTheoryAttribute : TheoryAttribute
{
    public CpuLinearTheoryAttribute()
    {
        if (!backends.cpu_linear_available())
            Skip = new CpuLinearFactAttribute().Skip;
    }
}

/// <summary>
/// The shim's CPU linear kernel (lib/Native/src/linear.cpp) against its definition y = x Wᵀ + b, written out here with
/// matmul (libtorch's own products, not the kernel): outputs and gradients in float64, for inputs small enough to run on
/// one thread and large enough to be shared out, in both ways of cutting dW; finite differences; second derivatives;
/// frozen inputs; and the build that makes the sharing happen at all.
/// </summary>
public class LinearTests
{
    private static Tensor Definition(Tensor x, Tensor w, Tensor? b) => b is null ? x.matmul(w.t()) : x.matmul(w.t()) + b;

    // (input shape, out features, bias, input transposed in memory): one row, a batch of sequences, a non-contiguous
    // input, and products of ~4M multiply-adds that are cut into blocks: dW by its rows (N ≥ K) and by its columns (N < K)
    public static TheoryData<long[], long, bool, bool> Cases => new()
    {
        { new long[] { 1, 7 }, 5, true, false },
        { new long[] { 2, 9, 7 }, 5, true, false },
        { new long[] { 2, 9, 7 }, 5, false, false },
        { new long[] { 13, 7 }, 5, true, true },
        { new long[] { 16, 128, 32 }, 64, true, false },
        { new long[] { 2048, 64 }, 24, true, false },
        { new long[] { 2048, 64 }, 24, false, true },
    };

    private static (Tensor x, Tensor w, Tensor? b) Inputs(long[] shape, long outFeatures, bool bias, bool transposed, ScalarType dtype = ScalarType.Float64)
    {
        manual_seed(21);
        var x = transposed
            ? randn(shape.Reverse().ToArray(), dtype).t().requires_grad_()   // the same shape, columns apart
            : randn(shape, dtype).requires_grad_();
        var w = randn(new[] { outFeatures, shape[^1] }, dtype).requires_grad_();
        var b = bias ? randn(new[] { outFeatures }, dtype).requires_grad_() : null;
        return (x, w, b);
    }

    [CpuLinearFact]
    public void TheCpuKernelIsWhatLinearRunsOnTheCpu()
    {
        using var scope = NewDisposeScope();
        var (x, w, b) = Inputs(new long[] { 4, 7 }, 5, true, false);
        Assert.Contains("CpuLinear", F.linear(x, w, b).grad_fn);
        Assert.Contains("CpuLinear", nn.Linear(7, 5).forward(x.to(float32)).grad_fn);
    }

    [CpuLinearFact]
    public void ItsWorkIsSharedOverLibtorchsThreads()
    {
        // at::parallel_for is a header template: a shim compiled without libtorch's OpenMP runtime runs every block on
        // the calling thread, and the kernels silently lose their point (this happened; see lib/Native/CMakeLists.txt)
        Assert.Equal(get_num_threads(), backends.kernel_threads());
    }

    [CpuLinearTheory]
    [MemberData(nameof(Cases))]
    public void OutputAndGradientsEqualTheDefinitions(long[] shape, long outFeatures, bool bias, bool transposed)
    {
        using var scope = NewDisposeScope();
        var (x, w, b) = Inputs(shape, outFeatures, bias, transposed);
        Assert.Equal(transposed, !x.is_contiguous());
        var y = F.linear(x, w, b);
        var expected = Definition(x, w, b);
        Assert.Equal(shape[..^1].Append(outFeatures).ToArray(), y.shape);
        Assert.True(autograd.max_relative_error(y, expected) < 1e-12, $"output: relative error {autograd.max_relative_error(y, expected):E2}");

        var g = randn(y.shape, float64);
        Tensor?[] Grads(Tensor output)
        {
            x.grad = w.grad = null;
            if (b is not null) b.grad = null;
            (output * g).sum().backward();
            return new[] { x.grad, w.grad, b?.grad };
        }
        var kernel = Grads(y);
        var definition = Grads(expected);
        for (int i = 0; i < 3; i++)
        {
            if (definition[i] is null) { Assert.Null(kernel[i]); continue; }
            Assert.Equal(definition[i]!.shape, kernel[i]!.shape);
            Assert.True(autograd.max_relative_error(kernel[i]!, definition[i]!) < 1e-12,
                $"{new[] { "x", "W", "b" }[i]}: relative error {autograd.max_relative_error(kernel[i]!, definition[i]!):E2}");
        }
    }

    [CpuLinearFact]
    public void GradientsEqualFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var (x, w, b) = Inputs(new long[] { 3, 4, 6 }, 5, true, false);
        var g = randn(new long[] { 3, 4, 5 }, float64);
        double error = autograd.gradcheck(() => (F.linear(x, w, b) * g).sum(), x, w, b!);
        Assert.True(error < 1e-7, $"relative error {error:E2}");
    }

    [CpuLinearFact]
    public void SecondDerivativesEqualTheDefinitions()
    {
        // with create_graph the backward is recorded, so a gradient of a gradient (a gradient penalty, say) is right
        using var scope = NewDisposeScope();
        var (x, w, b) = Inputs(new long[] { 2048, 64 }, 24, true, false);
        var g = randn(new long[] { 2048, 24 }, float64);
        var h = randn(new long[] { 2048, 64 }, float64);
        Tensor[] SecondOrder(Func<Tensor> f)
        {
            x.grad = w.grad = b!.grad = null;
            (f() * g).sum().backward(create_graph: true);
            var penalty = (x.grad! * h).sum() + w.grad!.square().sum();
            x.grad = w.grad = b.grad = null;
            penalty.backward();
            return new[] { x.grad!, w.grad! };
        }
        var kernel = SecondOrder(() => F.linear(x, w, b));
        var definition = SecondOrder(() => Definition(x, w, b));
        for (int i = 0; i < 2; i++)
            Assert.True(autograd.max_relative_error(kernel[i], definition[i]) < 1e-12,
                $"{new[] { "x", "W" }[i]}: relative error {autograd.max_relative_error(kernel[i], definition[i]):E2}");
    }

    [CpuLinearFact]
    public void FrozenInputsGetNoGradient()
    {
        using var scope = NewDisposeScope();
        var (x, w, b) = Inputs(new long[] { 2048, 64 }, 24, true, false);
        w.requires_grad_(false);
        b!.requires_grad_(false);
        F.linear(x, w, b).sum().backward();
        Assert.Null(w.grad);
        Assert.Null(b.grad);
        Assert.True(x.grad!.allclose(ones(2048, 24, float64).matmul(w), 1e-12, 1e-12));
        // an input that needs no gradient while the weight does (a first layer)
        var frozenInput = x.detach();
        w.requires_grad_();
        F.linear(frozenInput, w, null).sum().backward();
        Assert.True(w.grad!.allclose(ones(24, 2048, float64).matmul(frozenInput), 1e-12, 1e-12));
    }

    [CpuLinearFact]
    public void Float32AgreesWithFloat64()
    {
        using var scope = NewDisposeScope();
        var (x, w, b) = Inputs(new long[] { 2048, 64 }, 24, true, false, ScalarType.Float32);
        var y32 = F.linear(x, w, b);
        Assert.Equal(ScalarType.Float32, y32.dtype);
        Assert.True(y32.to(float64).allclose(Definition(x.to(float64), w.to(float64), b!.to(float64)), 1e-5, 1e-5));
    }

    [CpuLinearFact]
    public void BadInputRaisesAnExceptionNamingTheCause()
    {
        // shapes and dtypes the kernel does not take go to at::linear, whose errors name the cause
        using var scope = NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => F.linear(randn(4, 7), randn(5, 6)));
        Assert.Contains("cannot be multiplied", e.Message);
        e = Assert.Throws<TorchException>(() => F.linear(randn(4, 7), randn(5, 7).to(float64)));
        Assert.Contains("Double", e.Message);
        e = Assert.Throws<TorchException>(() => F.linear(randn(4, 7), randn(5, 7), randn(4)));
        Assert.Contains("size", e.Message);
    }
}

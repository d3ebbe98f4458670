// Linked into the TorchSharp builds of the tests (tests/*.TorchSharp) only.
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Testing;

/// <summary>The tests run on TorchSharp as the chapters do: with libtorch's oneDNN off (Course.OneDnn says why).</summary>
internal static class TorchSharpOneDnnOff
{
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void SwitchOff() => Course.OneDnn.Enabled = false;
}

/// <summary>What the course's binding has beyond TorchSharp and the tests use: a tensor's elements as an array, and a
/// module's parameter count.</summary>
internal static class TorchSharpSupport
{
    /// <summary>The elements as T (converted, as the course's binding does; TorchSharp's data&lt;T&gt; needs the tensor's own type).</summary>
    public static T[] ToArray<T>(this Tensor t) where T : unmanaged
    {
        var type = default(T) switch
        {
            float => ScalarType.Float32, double => ScalarType.Float64, long => ScalarType.Int64, int => ScalarType.Int32,
            short => ScalarType.Int16, byte => ScalarType.Byte, sbyte => ScalarType.Int8, bool => ScalarType.Bool,
            _ => throw new ArgumentException($"{typeof(T).Name} has no tensor element type"),
        };
        if (t.dtype == type) return t.data<T>().ToArray();
        using var converted = t.to(type);
        return converted.data<T>().ToArray();
    }

    public static long num_parameters(this nn.Module module) => module.parameters().Sum(p => p.numel());

    extension(Tensor t)
    {
        /// <summary>The course's binding's name for TorchSharp's <c>IsInvalid</c>.</summary>
        public bool IsDisposed => t.IsInvalid;
        /// <summary>Tensors alive in this process (TorchSharp counts them as <c>TotalCount</c>).</summary>
        public static long LiveCount => Tensor.TotalCount;
    }

    extension(Device)
    {
        /// <summary>The course's binding's <c>Device.CPU</c> (TorchSharp: <c>torch.CPU</c>).</summary>
        public static Device CPU => torch.CPU;
    }
}

/// <summary>
/// Gradient checking, which the course's binding has as <c>torch.autograd.gradcheck</c> and TorchSharp does not: the same
/// centred differences (ε = 1e-5, float64), the same relative error. The TorchSharp builds of the tests alias it as
/// <c>autograd</c> (GlobalUsings.cs), so <c>autograd.gradcheck</c> in a test file means this there.
/// </summary>
internal static class TorchSharpAutograd
{
    public static Tensor numerical_grad(Func<Tensor> f, Tensor x, double eps = 1e-5)
    {
        if (x.dtype != float64 || x.device.type != DeviceType.CPU || !x.is_contiguous())
            throw new ArgumentException($"numerical_grad needs a contiguous float64 CPU tensor (got {x.dtype} on {x.device})");
        var grad = new double[x.numel()];
        using (no_grad())
        {
            using var flat = x.view(-1);
            var data = flat.data<double>();                 // writes go to x's memory
            for (long i = 0; i < grad.Length; i++)
            {
                double saved = data[i];
                data[i] = saved + eps;
                double plus = Value(f);
                data[i] = saved - eps;
                double minus = Value(f);
                data[i] = saved;
                grad[i] = (plus - minus) / (2 * eps);
            }
        }
        return tensor(grad, x.shape);
    }

    private static double Value(Func<Tensor> f)
    {
        using var scope = NewDisposeScope();
        var y = f();
        if (y.numel() != 1) throw new ArgumentException($"the function must return a single number, not a tensor of shape [{string.Join(", ", y.shape)}]");
        return y.item<double>();
    }

    public static double max_relative_error(Tensor a, Tensor b)
    {
        var x = a.data<double>().ToArray();
        var y = b.data<double>().ToArray();
        if (x.Length != y.Length) throw new ArgumentException($"tensors differ in size: {x.Length} vs {y.Length}");
        double worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double scale = Math.Max(Math.Max(Math.Abs(x[i]), Math.Abs(y[i])), 1e-12);
            worst = Math.Max(worst, Math.Abs(x[i] - y[i]) / scale);
        }
        return worst;
    }

    public static double gradcheck(Func<Tensor> f, params Tensor[] inputs)
    {
        foreach (var x in inputs) x.grad = null;
        using (NewDisposeScope()) f().backward();
        double worst = 0;
        foreach (var x in inputs)
        {
            using var analytic = x.grad is null ? zeros_like(x) : x.grad.clone();
            using var numeric = numerical_grad(f, x);
            worst = Math.Max(worst, max_relative_error(analytic, numeric));
        }
        return worst;
    }
}

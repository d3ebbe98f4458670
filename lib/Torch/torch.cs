using System.Runtime.InteropServices;
using Torch.Interop;
using N = Torch.Interop.Native;

namespace Torch;

/// <summary>
/// The entry point, named as in PyTorch and TorchSharp: <c>using Torch; using static Torch.torch;</c>
/// then <c>torch.randn(3, 4)</c>, <c>nn.Linear(4, 2)</c>, <c>optim.AdamW(...)</c>, <c>torch.no_grad()</c>.
/// </summary>
public static partial class torch
{
    // ---- element types -------------------------------------------------------------------------
    public const ScalarType float32 = ScalarType.Float32, @float = ScalarType.Float32;
    public const ScalarType float64 = ScalarType.Float64, @double = ScalarType.Float64;
    public const ScalarType float16 = ScalarType.Float16, half = ScalarType.Float16;
    public const ScalarType bfloat16 = ScalarType.BFloat16;
    public const ScalarType int64 = ScalarType.Int64, @long = ScalarType.Int64;
    public const ScalarType int32 = ScalarType.Int32, @int = ScalarType.Int32;
    public const ScalarType int16 = ScalarType.Int16, int8 = ScalarType.Int8, uint8 = ScalarType.Byte;
    public const ScalarType @bool = ScalarType.Bool;

    public static Device device(string spec) => Device.Parse(spec);
    public static readonly Device CPU = Device.CPU;

    // ---- capabilities, threads, seeds ----------------------------------------------------------
    public static string __version__ => Marshal.PtrToStringUTF8(N.ts_version()) ?? "?";
    public static int get_num_threads() => N.ts_get_num_threads();
    public static void set_num_threads(int n) => N.Check(N.ts_set_num_threads(n));
    /// <summary>Seeds libtorch's generators (CPU and every CUDA device).</summary>
    public static void manual_seed(long seed) => N.Check(N.ts_manual_seed((ulong)seed));

    public static class cuda
    {
        public static bool is_available() => N.ts_cuda_is_available() != 0 && N.ts_cuda_device_count() > 0;
        public static int device_count() => N.ts_cuda_device_count();
    }

    public static class backends
    {
        /// <summary>True where libtorch has fused scaled-dot-product attention (2.0 and later).</summary>
        public static bool fused_attention_available() => N.ts_fused_attention_available() != 0;
        /// <summary>True where the shim's CPU attention kernel is built (libtorch 1.x with a BLAS).</summary>
        public static bool cpu_attention_available() => N.ts_cpu_attention_available() != 0;
        /// <summary>True where the shim's CPU linear kernel is built (libtorch 1.x with a BLAS): its products are shared out over libtorch's threads.</summary>
        public static bool cpu_linear_available() => N.ts_cpu_linear_available() != 0;
        /// <summary>
        /// How many of libtorch's threads the shim's own CPU kernels (attention, linear, dropout) share their work
        /// over: <see cref="get_num_threads"/> when the shim is built with libtorch's OpenMP runtime, 1 otherwise.
        /// </summary>
        public static int kernel_threads() => N.ts_kernel_threads();
        public static class mkldnn { public static bool is_available() => N.ts_mkldnn_available() != 0; }
    }

    // ---- grad mode -----------------------------------------------------------------------------
    /// <summary>Linear algebra, as <c>torch.linalg</c> (what the course uses of it).</summary>
    public static class linalg
    {
        /// <summary>(Σ|x|^ord)^(1/ord) over <paramref name="dims"/> (all of them when null).</summary>
        public static Tensor vector_norm(Tensor input, double ord = 2, long[]? dims = null, bool keepdim = false)
            => input.norm(ord, dims ?? Enumerable.Range(0, (int)input.dim()).Select(d => (long)d).ToArray(), keepdim);
    }

    /// <summary>How often each value 0, 1, … occurs in a 1-D tensor of non-negative integers, as TorchSharp and PyTorch
    /// write it (weighted counts are not supported here).</summary>
    public static Tensor bincount(Tensor input, Tensor? weights = null, long minlength = 0)
        => weights is null ? input.bincount(minlength) : throw new NotSupportedException("bincount with weights: count with index_add_ or scatter_add_");

    public static bool is_floating_point(ScalarType dtype) => dtype.IsFloatingPoint();
    public static bool is_floating_point(Tensor input) => input.is_floating_point();
    public static bool is_grad_enabled() => N.ts_is_grad_enabled() != 0;
    public static void set_grad_enabled(bool on) => N.ts_set_grad_enabled(on ? 1 : 0);
    /// <summary><c>using (torch.no_grad()) { ... }</c>: no graph is recorded on this thread until disposed.</summary>
    public static IDisposable no_grad() => new GradMode(false);
    public static IDisposable enable_grad() => new GradMode(true);

    private sealed class GradMode : IDisposable
    {
        private readonly bool previous = is_grad_enabled();
        private bool done;
        public GradMode(bool on) => set_grad_enabled(on);
        public void Dispose() { if (!done) { done = true; set_grad_enabled(previous); } }
    }

    // ---- memory --------------------------------------------------------------------------------
    /// <summary>Opens a scope that frees every tensor created on this thread until it is disposed.</summary>
    public static DisposeScope NewDisposeScope() => new();

    // ---- factories -----------------------------------------------------------------------------
    private static Device Dev(Device? d) => (d ?? Device.CPU).Checked();

    private delegate Status Factory(long[] s, int n, int dt, int dev, int di, out IntPtr r);

    private static Tensor Make(Factory f, long[] size, ScalarType? dtype, Device? device, bool requires_grad)
    {
        var d = Dev(device);
        var t = Tensor.New(f(size, size.Length, (int)(dtype ?? float32), (int)d.type, d.NativeIndex, out var r), r);
        return requires_grad ? t.requires_grad_() : t;
    }

    public static Tensor empty(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Make(N.ts_empty, size, dtype, device, requires_grad);
    public static Tensor zeros(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Make(N.ts_zeros, size, dtype, device, requires_grad);
    public static Tensor ones(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Make(N.ts_ones, size, dtype, device, requires_grad);
    public static Tensor rand(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Make(N.ts_rand, size, dtype, device, requires_grad);
    public static Tensor randn(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Make(N.ts_randn, size, dtype, device, requires_grad);

    public static Tensor empty(params long[] size) => empty(size, null);
    public static Tensor zeros(params long[] size) => zeros(size, null);
    public static Tensor ones(params long[] size) => ones(size, null);
    public static Tensor rand(params long[] size) => rand(size, null);
    public static Tensor randn(params long[] size) => randn(size, null);
    // Shapes given as separate numbers with named options: torch.zeros(2, 3, dtype: torch.float64)
    public static Tensor zeros(long d0, long d1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => zeros(new[] { d0, d1 }, dtype, device, requires_grad);
    public static Tensor ones(long d0, long d1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => ones(new[] { d0, d1 }, dtype, device, requires_grad);
    public static Tensor rand(long d0, long d1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => rand(new[] { d0, d1 }, dtype, device, requires_grad);
    public static Tensor randn(long d0, long d1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => randn(new[] { d0, d1 }, dtype, device, requires_grad);
    public static Tensor zeros(long d0, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => zeros(new[] { d0 }, dtype, device, requires_grad);
    public static Tensor ones(long d0, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => ones(new[] { d0 }, dtype, device, requires_grad);
    public static Tensor rand(long d0, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => rand(new[] { d0 }, dtype, device, requires_grad);
    public static Tensor randn(long d0, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => randn(new[] { d0 }, dtype, device, requires_grad);

    public static Tensor full(long[] size, double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var d = Dev(device);
        var t = Tensor.New(N.ts_full(size, size.Length, value, 0, (int)(dtype ?? float32), (int)d.type, d.NativeIndex, out var r), r);
        return requires_grad ? t.requires_grad_() : t;
    }

    public static Tensor randint(long low, long high, long[] size, ScalarType? dtype = null, Device? device = null)
    {
        var d = Dev(device);
        return Tensor.New(N.ts_randint(low, high, size, size.Length, (int)(dtype ?? int64), (int)d.type, d.NativeIndex, out var r), r);
    }
    public static Tensor randint(long high, long[] size, ScalarType? dtype = null, Device? device = null) => randint(0, high, size, dtype, device);

    public static Tensor randperm(long n, ScalarType? dtype = null, Device? device = null)
    {
        var d = Dev(device);
        return Tensor.New(N.ts_randperm(n, (int)(dtype ?? int64), (int)d.type, d.NativeIndex, out var r), r);
    }

    /// <summary>Integers [0, end) as int64, like torch.arange(10).</summary>
    public static Tensor arange(long end, ScalarType? dtype = null, Device? device = null) => arange(0L, end, 1L, dtype, device);
    public static Tensor arange(long start, long end, long step = 1, ScalarType? dtype = null, Device? device = null)
    {
        var d = Dev(device);
        return Tensor.New(N.ts_arange(start, end, step, 1, (int)(dtype ?? int64), (int)d.type, d.NativeIndex, out var r), r);
    }
    public static Tensor arange(double start, double end, double step = 1, ScalarType? dtype = null, Device? device = null)
    {
        var d = Dev(device);
        return Tensor.New(N.ts_arange(start, end, step, 0, (int)(dtype ?? float32), (int)d.type, d.NativeIndex, out var r), r);
    }
    public static Tensor linspace(double start, double end, long steps, ScalarType? dtype = null, Device? device = null)
    {
        var d = Dev(device);
        return Tensor.New(N.ts_linspace(start, end, steps, (int)(dtype ?? float32), (int)d.type, d.NativeIndex, out var r), r);
    }
    public static Tensor eye(long n, ScalarType? dtype = null, Device? device = null)
    {
        var d = Dev(device);
        return Tensor.New(N.ts_eye(n, (int)(dtype ?? float32), (int)d.type, d.NativeIndex, out var r), r);
    }

    public static Tensor empty_like(Tensor t) => Tensor.New(N.ts_empty_like(t.Handle, out var r), r);
    public static Tensor zeros_like(Tensor t) => Tensor.New(N.ts_zeros_like(t.Handle, out var r), r);
    public static Tensor ones_like(Tensor t) => Tensor.New(N.ts_ones_like(t.Handle, out var r), r);
    public static Tensor randn_like(Tensor t) => Tensor.New(N.ts_randn_like(t.Handle, out var r), r);
    public static Tensor rand_like(Tensor t) => Tensor.New(N.ts_rand_like(t.Handle, out var r), r);

    // ---- from C# data (the data are copied) -----------------------------------------------------
    /// <summary>A tensor from a C# array; <paramref name="shape"/> defaults to 1-D.</summary>
    public static unsafe Tensor tensor<T>(T[] data, long[]? shape = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) where T : unmanaged
        => FromSpan<T>(data, shape ?? new long[] { data.Length }, dtype, device, requires_grad);

    public static Tensor tensor<T>(T[,] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) where T : unmanaged
    {
        var flat = new T[data.Length];
        Buffer.BlockCopy(data, 0, flat, 0, System.Runtime.CompilerServices.Unsafe.SizeOf<T>() * data.Length);
        return tensor(flat, new long[] { data.GetLength(0), data.GetLength(1) }, dtype, device, requires_grad);
    }

    public static Tensor tensor(double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => FromSpan<double>(new[] { value }, Array.Empty<long>(), dtype ?? float32, device, requires_grad);
    public static Tensor tensor(long value, ScalarType? dtype = null, Device? device = null)
        => FromSpan<long>(new[] { value }, Array.Empty<long>(), dtype ?? int64, device, false);

    /// <summary>A tensor from a span of elements with the given shape (copied).</summary>
    public static unsafe Tensor from_span<T>(ReadOnlySpan<T> data, long[] shape, ScalarType? dtype = null, Device? device = null) where T : unmanaged
        => FromSpan(data, shape, dtype, device, false);

    /// <summary>A tensor whose elements are the given little-endian bytes, read as <paramref name="dtype"/>.</summary>
    internal static unsafe Tensor from_bytes(ReadOnlySpan<byte> bytes, long[] shape, ScalarType dtype)
    {
        long count = 1;
        foreach (var s in shape) count *= s;
        if (count * dtype.ElementSize() != bytes.Length) throw new ArgumentException($"{bytes.Length} bytes do not hold shape [{string.Join(", ", shape)}] of {dtype.Name()}");
        fixed (byte* p = bytes) return Tensor.New(N.ts_from_host(p, shape, shape.Length, (int)dtype, out var r), r);
    }

    private static unsafe Tensor FromSpan<T>(ReadOnlySpan<T> data, long[] shape, ScalarType? dtype, Device? device, bool requires_grad) where T : unmanaged
    {
        long count = 1;
        foreach (var s in shape) count *= s;
        if (count != data.Length) throw new ArgumentException($"shape [{string.Join(", ", shape)}] holds {count} elements but {data.Length} were given");
        var type = ScalarTypeExtensions.Of<T>();
        Tensor t;
        fixed (T* p = data) t = Tensor.New(N.ts_from_host(p, shape, shape.Length, (int)type, out var r), r);
        if (dtype is { } want && want != type) { var c = t.to(want); t.Dispose(); t = c; }
        if (device is { } d && d.type != DeviceType.CPU) { var c = t.to(d); t.Dispose(); t = c; }
        return requires_grad ? t.requires_grad_() : t;
    }

    // ---- functions PyTorch also offers at module level ------------------------------------------
    public static Tensor cat(IList<Tensor> tensors, long dim = 0) => Join(N.ts_cat, tensors, dim);
    public static Tensor stack(IList<Tensor> tensors, long dim = 0) => Join(N.ts_stack, tensors, dim);
    private delegate Status JoinFn(IntPtr[] ts, int n, long dim, out IntPtr r);
    private static Tensor Join(JoinFn f, IList<Tensor> tensors, long dim)
    {
        if (tensors.Count == 0) throw new ArgumentException("expected a non-empty list of tensors");
        var hs = tensors.Select(t => t.Handle.DangerousGetHandle()).ToArray();
        var result = Tensor.New(f(hs, hs.Length, dim, out var r), r);
        GC.KeepAlive(tensors);
        return result;
    }
    public static Tensor where(Tensor condition, Tensor a, Tensor b) => Tensor.New(N.ts_where(condition.Handle, a.Handle, b.Handle, out var r), r);
    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);
    public static Tensor outer(Tensor a, Tensor b) => a.outer(b);
    public static Tensor exp(Tensor t) => t.exp();
    public static Tensor log(Tensor t) => t.log();
    public static Tensor sqrt(Tensor t) => t.sqrt();
    public static Tensor tanh(Tensor t) => t.tanh();
    public static Tensor sigmoid(Tensor t) => t.sigmoid();
    public static Tensor relu(Tensor t) => t.relu();
    public static Tensor abs(Tensor t) => t.abs();
    public static Tensor sin(Tensor t) => t.sin();
    public static Tensor cos(Tensor t) => t.cos();
    public static Tensor softmax(Tensor t, long dim) => t.softmax(dim);
    public static Tensor sum(Tensor t) => t.sum();
    public static Tensor mean(Tensor t) => t.mean();
    public static Tensor maximum(Tensor a, Tensor b) => a.maximum(b);
    public static Tensor minimum(Tensor a, Tensor b) => a.minimum(b);
    public static Tensor argmax(Tensor t, long dim, bool keepdim = false) => t.argmax(dim, keepdim);
    public static Tensor tril(Tensor t, long diagonal = 0) => t.tril(diagonal);
    public static Tensor triu(Tensor t, long diagonal = 0) => t.triu(diagonal);
    public static Tensor clamp(Tensor t, double? min = null, double? max = null) => t.clamp(min, max);
    public static bool allclose(Tensor a, Tensor b, double rtol = 1e-5, double atol = 1e-8) => a.allclose(b, rtol, atol);
    public static Tensor multinomial(Tensor probs, long num_samples, bool replacement = false) => probs.multinomial(num_samples, replacement);
}

using System.Runtime.InteropServices;
using Torch.Interop;
using H = Torch.Interop.TensorHandle;

namespace Torch;

/// <summary>
/// An n-dimensional array on a device, with autograd. Owns one native tensor; free it with
/// Dispose (or let a <see cref="DisposeScope"/> do it). Names follow PyTorch.
/// </summary>
public partial class Tensor : IDisposable
{
    internal readonly H handle;
    internal DisposeScope? scope;

    internal Tensor(IntPtr ptr, bool attachToScope = true)
    {
        if (ptr == IntPtr.Zero) throw new TorchException("libtorch returned an undefined tensor");
        handle = new H(ptr);
        if (attachToScope) DisposeScope.Current?.Attach(this);
    }

    /// <summary>Checks a native status and wraps the result.</summary>
    internal static Tensor New(Status status, IntPtr result)
    {
        Native.Check(status);
        return new Tensor(result);
    }

    /// <summary>Like <see cref="New"/>, but an undefined result (e.g. no grad yet) gives null.</summary>
    internal static Tensor? NewOrNull(Status status, IntPtr result)
    {
        Native.Check(status);
        return result == IntPtr.Zero ? null : new Tensor(result);
    }

    internal H Handle
    {
        get
        {
            if (handle.IsClosed) throw new ObjectDisposedException(nameof(Tensor), "this tensor was disposed (by Dispose or by the DisposeScope that created it)");
            return handle;
        }
    }

    /// <summary>Number of native tensors alive in this process (for leak checks).</summary>
    public static long LiveCount => H.Live;

    public bool IsDisposed => handle.IsClosed;
    /// <summary>TorchSharp's name for <see cref="IsDisposed"/>: the native tensor is gone.</summary>
    public bool IsInvalid => handle.IsClosed;

    public void Dispose()
    {
        handle.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Keeps this tensor alive past the current scope: it moves to the enclosing one (or to none).</summary>
    public Tensor MoveToOuterDisposeScope()
    {
        var outer = scope?.Outer;
        scope = null;
        outer?.Attach(this);
        return this;
    }

    /// <summary>Takes this tensor out of every scope: the caller disposes it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        scope = null;
        return this;
    }

    // ---- metadata ------------------------------------------------------------------------------
    public long[] shape
    {
        get
        {
            var s = new long[Native.ts_dim(Handle)];
            Native.Check(Native.ts_sizes(handle, s));
            return s;
        }
    }

    public long size(int dim) { var s = shape; return s[dim < 0 ? dim + s.Length : dim]; }
    public long[] stride() { var s = new long[dim()]; Native.Check(Native.ts_strides(Handle, s)); return s; }
    public int dim() => Native.ts_dim(Handle);
    public int ndim => dim();
    public long numel() => Native.ts_numel(Handle);
    public ScalarType dtype => (ScalarType)Native.ts_dtype(Handle);
    public Device device
    {
        get
        {
            var type = (DeviceType)Native.ts_device_type(Handle);
            return type == DeviceType.CPU ? Device.CPU : new Device(type, Native.ts_device_index(handle));
        }
    }
    public bool is_cuda => device.type == DeviceType.CUDA;
    public bool is_floating_point() => dtype.IsFloatingPoint();
    public bool is_leaf => Native.ts_is_leaf(Handle) != 0;
    public bool is_contiguous() => Native.ts_is_contiguous(Handle, 0) != 0;
    public bool is_channels_last() => Native.ts_is_contiguous(Handle, 1) != 0;
    public string? grad_fn { get { var s = Marshal.PtrToStringUTF8(Native.ts_grad_fn_name(Handle)); return string.IsNullOrEmpty(s) ? null : s; } }

    // ---- autograd ------------------------------------------------------------------------------
    public bool requires_grad
    {
        get => Native.ts_requires_grad(Handle) != 0;
        set => Native.Check(Native.ts_requires_grad_(Handle, value ? 1 : 0));
    }

    public Tensor requires_grad_(bool requires = true) { requires_grad = requires; return this; }

    /// <summary>The accumulated gradient, or null before the first backward (a new handle each read).</summary>
    public Tensor? grad
    {
        get => NewOrNull(Native.ts_grad(Handle, out var r), r);
        set => Native.Check(Native.ts_set_grad(Handle, value?.Handle ?? H.Null));
    }

    public void backward(Tensor? gradient = null, bool retain_graph = false, bool create_graph = false) =>
        Native.Check(Native.ts_backward(Handle, gradient?.Handle ?? H.Null, retain_graph ? 1 : 0, create_graph ? 1 : 0));

    public void retain_grad() => Native.Check(Native.ts_retain_grad(Handle));
    public Tensor detach() => New(Native.ts_detach(Handle, out var r), r);

    // ---- host data -----------------------------------------------------------------------------
    /// <summary>A copy of the elements in row-major order (converted to <typeparamref name="T"/> if needed).</summary>
    public unsafe T[] ToArray<T>() where T : unmanaged
    {
        var want = ScalarTypeExtensions.Of<T>();
        if (dtype != want)
        {
            using var converted = to(want);
            return converted.ToArray<T>();
        }
        var result = new T[numel()];
        fixed (T* p = result)
            Native.Check(Native.ts_to_host(Handle, p, (long)result.Length * sizeof(T)));
        return result;
    }

    /// <summary>The elements as TorchSharp's <c>data&lt;T&gt;()</c> gives them: <c>t.data&lt;float&gt;().ToArray()</c>
    /// (one copy, converted to <typeparamref name="T"/> if needed), or indexed.</summary>
    public TensorAccessor<T> data<T>() where T : unmanaged => new(ToArray<T>(), shape);

    /// <summary>The value of a one-element tensor.</summary>
    public T item<T>() where T : unmanaged
    {
        Native.Check(Native.ts_item(Handle, out var v));
        object o = typeof(T) == typeof(float) ? (float)v : typeof(T) == typeof(double) ? v :
                   typeof(T) == typeof(long) ? (long)v : typeof(T) == typeof(int) ? (int)v :
                   typeof(T) == typeof(bool) ? v != 0 : throw new ArgumentException($"item<{typeof(T).Name}> is not supported");
        return (T)o;
    }

    /// <summary>A raw pointer to the elements of a CPU tensor (for zero-copy numeric code; keep the tensor alive).</summary>
    public IntPtr data_ptr()
    {
        if (is_cuda) throw new InvalidOperationException("data_ptr() is for CPU tensors; call .cpu() first");
        return Native.ts_data_ptr(Handle);
    }

    // ---- conversion ----------------------------------------------------------------------------
    public Tensor to(ScalarType type) => New(Native.ts_to_dtype(Handle, (int)type, out var r), r);
    public Tensor to(Device device, bool non_blocking = false)
    {
        device = device.Checked();
        return New(Native.ts_to_device(Handle, (int)device.type, device.NativeIndex, non_blocking ? 1 : 0, out var r), r);
    }
    public Tensor to(string device) => to(Device.Parse(device));
    public Tensor cpu() => to(Device.CPU);
    public Tensor cuda(int index = 0) => to(new Device(DeviceType.CUDA, index));
    public Tensor @float() => to(ScalarType.Float32);
    public Tensor @double() => to(ScalarType.Float64);
    public Tensor @long() => to(ScalarType.Int64);
    public Tensor @bool() => to(ScalarType.Bool);
    public Tensor half() => to(ScalarType.Float16);
    public Tensor bfloat16() => to(ScalarType.BFloat16);
    public Tensor contiguous() => New(Native.ts_contiguous(Handle, 0, out var r), r);
    public Tensor channels_last() => New(Native.ts_contiguous(Handle, 1, out var r), r);
    public Tensor clone() => New(Native.ts_clone(Handle, out var r), r);

    public override string ToString() => TensorFormatter.Format(this);
}

public partial class Tensor
{
    /// <summary>A new handle to the same tensor (same data, same autograd identity).</summary>
    public Tensor alias() => New(Native.ts_shallow_copy(Handle, out var r), r);
}

namespace Torch;

/// <summary>
/// One entry of an index expression, as in PyTorch's <c>t[0, 1:3, ..., None, idx]</c>.
/// C#: <c>t[0, 1..3, TensorIndex.Ellipsis, TensorIndex.None, idx]</c>; <c>..</c> is ':' and <c>^1</c> is -1.
/// </summary>
public readonly struct TensorIndex
{
    internal enum Kind { Single, Slice, Ellipsis, NewAxis, Tensor }

    internal Kind kind { get; }
    internal long index { get; }
    internal long? start { get; }
    internal long? stop { get; }
    internal long step { get; }
    internal Tensor? tensor { get; }

    private TensorIndex(Kind kind, long index = 0, long? start = null, long? stop = null, long step = 1, Tensor? tensor = null)
    {
        this.kind = kind; this.index = index; this.start = start; this.stop = stop; this.step = step; this.tensor = tensor;
    }

    public static readonly TensorIndex Ellipsis = new(Kind.Ellipsis);
    public static readonly TensorIndex None = new(Kind.NewAxis);
    public static readonly TensorIndex Colon = new(Kind.Slice);

    public static TensorIndex Single(long i) => new(Kind.Single, index: i);
    public static TensorIndex Slice(long? start = null, long? stop = null, long step = 1) => new(Kind.Slice, start: start, stop: stop, step: step);

    public static implicit operator TensorIndex(int i) => Single(i);
    public static implicit operator TensorIndex(long i) => Single(i);
    public static implicit operator TensorIndex(Tensor t) => new(Kind.Tensor, tensor: t);
    public static implicit operator TensorIndex(Range r) => Slice(
        r.Start.IsFromEnd ? -r.Start.Value : r.Start.Value,
        r.End.IsFromEnd ? (r.End.Value == 0 ? null : -r.End.Value) : r.End.Value);
    public static implicit operator TensorIndex(Index i) => Single(i.IsFromEnd ? -i.Value : i.Value);
}

public partial class Tensor
{
    /// <summary>Basic and advanced indexing; the getter returns a view where PyTorch does.</summary>
    public Tensor this[params TensorIndex[] indices]
    {
        get
        {
            var (view, advanced) = ApplyBasic(indices);
            if (advanced.Count == 0) return view;
            using (view) return New(Interop.Native.ts_index(view.Handle, AdvancedList(advanced, out var keep), advanced.Max(a => a.dim) + 1, out var r), KeepAlive(r, keep));
        }
        set
        {
            var (view, advanced) = ApplyBasic(indices);
            using (view)
            {
                if (advanced.Count == 0) view.copy_(value);
                else
                {
                    var list = AdvancedList(advanced, out var keep);
                    Interop.Native.Check(Interop.Native.ts_index_put_(view.Handle, list, list.Length, value.Handle));
                    GC.KeepAlive(keep);
                }
            }
        }
    }

    /// <summary>Fills the indexed elements with a number: <c>t.index_fill_(0.0, 0, ..)</c>.</summary>
    public Tensor index_put_(double value, params TensorIndex[] indices)
    {
        var (view, advanced) = ApplyBasic(indices);
        using (view)
        {
            if (advanced.Count == 0) view.fill_(value);
            else
            {
                using var v = torch.full(Array.Empty<long>(), value, dtype: dtype, device: device);
                var list = AdvancedList(advanced, out var keep);
                Interop.Native.Check(Interop.Native.ts_index_put_(view.Handle, list, list.Length, v.Handle));
                GC.KeepAlive(keep);
            }
        }
        return this;
    }

    private static IntPtr KeepAlive(IntPtr r, object keep) { GC.KeepAlive(keep); return r; }

    private static IntPtr[] AdvancedList(List<(int dim, Tensor t)> advanced, out Tensor[] keep)
    {
        var list = new IntPtr[advanced.Max(a => a.dim) + 1];
        foreach (var (d, t) in advanced) list[d] = t.Handle.DangerousGetHandle();
        keep = advanced.Select(a => a.t).ToArray();
        return list;
    }

    // Applies ints, slices, None and ... as views; collects tensor indices for advanced indexing.
    private (Tensor view, List<(int dim, Tensor t)> advanced) ApplyBasic(TensorIndex[] indices)
    {
        int consumed = indices.Count(i => i.kind is TensorIndex.Kind.Single or TensorIndex.Kind.Slice or TensorIndex.Kind.Tensor);
        if (indices.Count(i => i.kind == TensorIndex.Kind.Ellipsis) > 1) throw new ArgumentException("an index can only have a single ellipsis (...)");
        int ndim = dim();
        if (consumed > ndim) throw new TorchIndexException($"too many indices for tensor of dimension {ndim}");
        var result = New(Interop.Native.ts_shallow_copy(Handle, out var c), c).DetachFromDisposeScope();
        var advanced = new List<(int, Tensor)>();
        int d = 0;
        foreach (var idx in indices)
        {
            Tensor next;
            switch (idx.kind)
            {
                case TensorIndex.Kind.Single: next = result.select(d, idx.index); break;
                case TensorIndex.Kind.Slice: next = result.slice(d, idx.start ?? 0, idx.stop ?? long.MaxValue, idx.step); d++; break;
                case TensorIndex.Kind.NewAxis: next = result.unsqueeze(d); d++; break;
                case TensorIndex.Kind.Ellipsis: d += ndim - consumed; continue;
                default: advanced.Add((d, idx.tensor!)); d++; continue;
            }
            result.Dispose();
            result = next.DetachFromDisposeScope();
        }
        DisposeScope.Current?.Attach(result);
        return (result, advanced);
    }
}

using System.Runtime.InteropServices;
using N = Torch.Interop.Native;

namespace Torch.Interop;

/// <summary>
/// Owns one native tensor list: a batch of tensors that the list holds references to (not copies,
/// so in-place ops update the tensors themselves). Lists are the operands and results of PyTorch's
/// multi-tensor (_foreach_) ops, which the optimizers use so that a step costs a handful of native
/// calls whatever the number of parameters. Methods ending in <c>_</c> update the listed tensors in
/// place and return this list; the others return a new list, which the caller disposes.
/// </summary>
internal sealed class TensorList : SafeHandle
{
    /// <summary>An empty handle that a native call fills in (the marshaller creates it for <c>out</c> parameters).</summary>
    public TensorList() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        N.ts_list_free(handle);
        return true;
    }

    /// <summary>A list of these tensors.</summary>
    public static TensorList Of(IReadOnlyList<Tensor> tensors)
    {
        var handles = new IntPtr[tensors.Count];
        for (int i = 0; i < handles.Length; i++) handles[i] = tensors[i].Handle.DangerousGetHandle();
        N.Check(N.ts_list_new(handles, handles.Length, out var list));
        GC.KeepAlive(tensors);
        return list;
    }

    public int Count => N.ts_list_size(this);

    /// <summary>The entries as tensors (in the current dispose scope).</summary>
    public Tensor[] ToArray()
    {
        var result = new Tensor[Count];
        for (int i = 0; i < result.Length; i++)
        {
            N.Check(N.ts_list_get(this, i, out var t));
            result[i] = new Tensor(t);
        }
        return result;
    }

    /// <summary>The entries at these indexes, in that order.</summary>
    public TensorList Select(int[] indexes) => New(N.ts_list_select(this, indexes, indexes.Length, out var r), r);

    /// <summary>The indexes of the defined entries (a list of grads is undefined where a tensor has none).</summary>
    public int[] DefinedIndexes()
    {
        var defined = new int[Count];
        N.Check(N.ts_list_defined(this, defined));
        return Enumerable.Range(0, defined.Length).Where(i => defined[i] != 0).ToArray();
    }

    /// <summary>The gradient of each tensor, undefined where it has none.</summary>
    public TensorList grad() => New(N.ts_grads(this, out var r), r);

    // ---- the _foreach_ ops, named as in PyTorch (torch._foreach_mul_(list, v) is list.mul_(v)) ----
    public TensorList mul_(double v) => InPlace(N.ts_foreach_mul_scalar_(this, v));
    public TensorList add_(double v) => InPlace(N.ts_foreach_add_scalar_(this, v));
    /// <summary>Divides entry i by <paramref name="v"/>[i].</summary>
    public TensorList div_(double[] v) => InPlace(N.ts_foreach_div_scalars_(this, Scalars(v)));
    public TensorList add_(TensorList other, double alpha = 1) => InPlace(N.ts_foreach_add_(this, other, alpha));
    public TensorList add(TensorList other, double alpha = 1) => New(N.ts_foreach_add(this, other, alpha, out var r), r);
    public TensorList addcmul_(TensorList t1, TensorList t2, double value) => InPlace(N.ts_foreach_addcmul_(this, t1, t2, value));
    public TensorList addcmul(TensorList t1, TensorList t2, double value) => New(N.ts_foreach_addcmul(this, t1, t2, value, out var r), r);
    /// <summary>Entry i += <paramref name="values"/>[i] · t1[i] / t2[i].</summary>
    public TensorList addcdiv_(TensorList t1, TensorList t2, double[] values) => InPlace(N.ts_foreach_addcdiv_scalars_(this, t1, t2, Scalars(values)));
    public TensorList sqrt() => New(N.ts_foreach_sqrt(this, out var r), r);
    public TensorList sqrt_() => InPlace(N.ts_foreach_sqrt_(this));
    public TensorList norm(double p = 2) => New(N.ts_foreach_norm(this, p, out var r), r);
    public TensorList copy_(TensorList src) => InPlace(N.ts_foreach_copy_(this, src));

    private static TensorList New(Status status, TensorList result)
    {
        N.Check(status);
        return result;
    }

    private TensorList InPlace(Status status)
    {
        N.Check(status);
        return this;
    }

    // the native side reads one scalar per entry
    private double[] Scalars(double[] v) =>
        v.Length == Count ? v : throw new ArgumentException($"{v.Length} scalars for a list of {Count} tensors", nameof(v));
}

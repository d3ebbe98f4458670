using N = Torch.Interop.Native;

namespace Torch;

// Shapes, views, joining, splitting and gathering.
public partial class Tensor
{
    public Tensor view(params long[] shape) => New(N.ts_view(Handle, shape, shape.Length, out var r), r);
    public Tensor reshape(params long[] shape) => New(N.ts_reshape(Handle, shape, shape.Length, out var r), r);
    public Tensor permute(params long[] dims) => New(N.ts_permute(Handle, dims, dims.Length, out var r), r);
    public Tensor expand(params long[] shape) => New(N.ts_expand(Handle, shape, shape.Length, out var r), r);
    public Tensor expand_as(Tensor other) => expand(other.shape);
    public Tensor view_as(Tensor other) => view(other.shape);
    public Tensor repeat(params long[] repeats) => New(N.ts_repeat(Handle, repeats, repeats.Length, out var r), r);
    public Tensor flip(params long[] dims) => New(N.ts_flip(Handle, dims, dims.Length, out var r), r);
    public Tensor roll(long shift, long dim) => New(N.ts_roll(Handle, shift, dim, out var r), r);
    public Tensor transpose(long dim0, long dim1) => New(N.ts_transpose(Handle, dim0, dim1, out var r), r);
    public Tensor mT => transpose(-2, -1);
    public Tensor flatten(long start_dim = 0, long end_dim = -1) => New(N.ts_flatten(Handle, start_dim, end_dim, out var r), r);
    public Tensor unflatten(long dim, params long[] sizes) => New(N.ts_unflatten(Handle, dim, sizes, sizes.Length, out var r), r);
    public Tensor unsqueeze(long dim) => New(N.ts_unsqueeze(Handle, dim, out var r), r);
    public Tensor squeeze() => New(N.ts_squeeze(Handle, out var r), r);
    public Tensor squeeze(long dim) => New(N.ts_squeeze_dim(Handle, dim, out var r), r);
    public Tensor narrow(long dim, long start, long length) => New(N.ts_narrow(Handle, dim, start, length, out var r), r);
    public Tensor select(long dim, long index) => New(N.ts_select(Handle, dim, index, out var r), r);
    public Tensor slice(long dim, long start, long end, long step = 1) => New(N.ts_slice(Handle, dim, start, end, step, out var r), r);
    public Tensor index_select(long dim, Tensor index) => New(N.ts_index_select(Handle, dim, index.Handle, out var r), r);
    public Tensor gather(long dim, Tensor index) => New(N.ts_gather(Handle, dim, index.Handle, out var r), r);
    public Tensor scatter(long dim, Tensor index, Tensor src) => New(N.ts_scatter(Handle, dim, index.Handle, src.Handle, out var r), r);
    public Tensor scatter_add(long dim, Tensor index, Tensor src) => New(N.ts_scatter_add(Handle, dim, index.Handle, src.Handle, out var r), r);
    public Tensor tril(long diagonal = 0) => New(N.ts_tril(Handle, diagonal, out var r), r);
    public Tensor triu(long diagonal = 0) => New(N.ts_triu(Handle, diagonal, out var r), r);
    public Tensor masked_select(Tensor mask) => New(N.ts_masked_select(Handle, mask.Handle, out var r), r);
    public Tensor nonzero() => New(N.ts_nonzero(Handle, out var r), r);

    public Tensor[] chunk(long chunks, long dim = 0)
    {
        var outs = new IntPtr[chunks];
        N.Check(N.ts_chunk(Handle, chunks, dim, outs, out var n));
        return outs.Take(n).Select(p => new Tensor(p)).ToArray();
    }

    public Tensor[] split(long split_size, long dim = 0)
    {
        long len = size((int)dim);
        var outs = new IntPtr[Math.Max(1, (len + split_size - 1) / Math.Max(1, split_size))];
        N.Check(N.ts_split(Handle, split_size, dim, outs, out var n));
        return outs.Take(n).Select(p => new Tensor(p)).ToArray();
    }

    public Tensor[] unbind(long dim = 0)
    {
        long n = size((int)dim);
        var result = new Tensor[n];
        for (long i = 0; i < n; i++) result[i] = select(dim, i);
        return result;
    }
}

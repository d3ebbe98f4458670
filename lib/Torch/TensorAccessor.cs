using System.Collections;

namespace Torch;

/// <summary>
/// A tensor's elements as <c>data&lt;T&gt;()</c> returns them, named and shaped as TorchSharp's accessor: an indexer by
/// position (row-major indices), <see cref="Count"/>, enumeration, <see cref="ToArray"/>. Here it holds a copy taken
/// when it was made (TorchSharp's reads and writes the tensor's memory), so it has no setter: write to a tensor with
/// tensor operations or indexing (<c>t[i] = value</c>).
/// </summary>
public sealed class TensorAccessor<T> : IReadOnlyList<T> where T : unmanaged
{
    private readonly T[] values;
    private readonly long[] shape;

    internal TensorAccessor(T[] values, long[] shape) => (this.values, this.shape) = (values, shape);

    /// <summary>The number of elements.</summary>
    public long Count => values.LongLength;
    int IReadOnlyCollection<T>.Count => values.Length;

    /// <summary>The element at these indices (one per dimension, or one flat row-major position).</summary>
    public T this[params long[] indices] => values[Flat(indices)];
    T IReadOnlyList<T>.this[int index] => values[index];

    /// <summary>The elements, row-major. The array is the accessor's own copy: no second copy is made.</summary>
    public T[] ToArray() => values;

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)values).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => values.GetEnumerator();

    private long Flat(long[] indices)
    {
        if (indices.Length == 1) return indices[0] >= 0 && indices[0] < values.LongLength ? indices[0]
            : throw new IndexOutOfRangeException($"position {indices[0]} is outside the {values.LongLength} elements");
        if (indices.Length != shape.Length)
            throw new ArgumentException($"{indices.Length} indices for a tensor of {shape.Length} dimensions [{string.Join(", ", shape)}]", nameof(indices));
        long flat = 0;
        for (int d = 0; d < shape.Length; d++)
        {
            if (indices[d] < 0 || indices[d] >= shape[d])
                throw new IndexOutOfRangeException($"index {indices[d]} is outside dimension {d} of size {shape[d]}");
            flat = flat * shape[d] + indices[d];
        }
        return flat;
    }
}

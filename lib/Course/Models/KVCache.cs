namespace Course.Models;

/// <summary>
/// What one attention layer keeps between decoding steps: the keys and values (B, h, T, d_k) of the positions it has
/// already seen. A decoding step then projects only its new tokens, and generating n tokens costs n small steps
/// instead of n ever-longer forward passes. The cache owns its tensors (they belong to no dispose scope), so it
/// outlives the per-step scopes of the loop that decodes; dispose it when decoding ends.
/// </summary>
public sealed class KVCache : IDisposable
{
    public Tensor? keys { get; private set; }
    public Tensor? values { get; private set; }

    /// <summary>How many positions the cache holds.</summary>
    public long length => keys?.size(2) ?? 0;

    /// <summary>Appends new keys and values (B, h, t, d_k) after the cached ones; returns all of them.</summary>
    public (Tensor keys, Tensor values) append(Tensor new_keys, Tensor new_values)
    {
        var (k, v) = keys is null ? (new_keys, new_values) : (cat(new[] { keys, new_keys }, 2), cat(new[] { values!, new_values }, 2));
        clear();
        keys = k.DetachFromDisposeScope();
        values = v.DetachFromDisposeScope();
        return (k, v);
    }

    /// <summary>Forgets every position (when the positions themselves change, e.g. a sliding context window).</summary>
    public void clear()
    {
        keys?.Dispose(); values?.Dispose();
        keys = values = null;
    }

    public void Dispose() => clear();
}

/// <summary>
/// The caches of a whole decoder: one <see cref="KVCache"/> per layer for its self-attention and, in an
/// encoder-decoder model, one for its cross-attention (which holds the projected encoder output, computed once).
/// </summary>
public sealed class DecodingCache : IDisposable
{
    public IReadOnlyList<KVCache> self_attn { get; }
    public IReadOnlyList<KVCache> cross_attn { get; }

    public DecodingCache(int layers)
    {
        self_attn = Enumerable.Range(0, layers).Select(_ => new KVCache()).ToArray();
        cross_attn = Enumerable.Range(0, layers).Select(_ => new KVCache()).ToArray();
    }

    /// <summary>How many target positions the decoder has seen.</summary>
    public long length => self_attn[0].length;

    public void clear()
    {
        foreach (var c in self_attn.Concat(cross_attn)) c.clear();
    }

    public void Dispose() => clear();
}

namespace Course.Models;

/// <summary>
/// Multi-head attention: each head computes softmax(Q Kᵀ / √d_k + mask) V on its own d_k = d/h slice of the
/// projections Q = x W_q, K = m W_k, V = m W_v; the heads are concatenated and mixed by W_o.
/// </summary>
public sealed class MultiHeadAttention : nn.Module<Tensor, Tensor>
{
    // typed as modules, not Linear: a LoRA layer or an int8 layer can take a projection's place (SubmoduleSlot)
    public readonly nn.Module<Tensor, Tensor> q_proj, k_proj, v_proj, out_proj;
    public long d_model { get; }
    public long heads { get; }
    public double dropout { get; }

    public MultiHeadAttention(long d_model, long heads, double dropout = 0)
        : base(nameof(MultiHeadAttention))
    {
        if (d_model % heads != 0) throw new ArgumentException($"d_model ({d_model}) must be divisible by heads ({heads})");
        (this.d_model, this.heads, this.dropout) = (d_model, heads, dropout);
        q_proj = nn.Linear(d_model, d_model); k_proj = nn.Linear(d_model, d_model);
        v_proj = nn.Linear(d_model, d_model); out_proj = nn.Linear(d_model, d_model);
        RegisterComponents();
    }

    /// <summary>Self-attention over x (B, T, D).</summary>
    public override Tensor forward(Tensor x) => forward(x, x);

    /// <param name="query">(B, Tq, D)</param>
    /// <param name="memory">(B, Tk, D): the query itself for self-attention, the encoder output for cross-attention</param>
    /// <param name="key_padding_mask">(B, Tk) bool, true where a key is real (not padding)</param>
    /// <param name="causal">each query sees only keys at or before its position</param>
    public Tensor forward(Tensor query, Tensor memory, Tensor? key_padding_mask = null, bool causal = false)
    {
        var (q, k, v) = (split_heads(q_proj.forward(query)), split_heads(k_proj.forward(memory)), split_heads(v_proj.forward(memory)));
        var mask = keys_mask(key_padding_mask);
        if (causal && mask is not null)
        {
            // TorchSharp's scaled_dot_product_attention takes a mask or is_causal, not both: the causal rule joins the mask
            mask = mask.logical_and(ones(query.size(1), memory.size(1), dtype: @bool, device: query.device).tril());
            causal = false;
        }
        var attended = F.scaled_dot_product_attention(q, k, v, mask, training ? dropout : 0, causal);
        return out_proj.forward(merge_heads(attended));
    }

    /// <summary>
    /// As <see cref="forward(Tensor, Tensor, Tensor?, bool)"/>, and the attention weights A = softmax(Q Kᵀ / √d_k + mask),
    /// (B, h, Tq, Tk), for plotting (detached). Written out step by step, as the chapter derives it, rather than through the
    /// fused call: the same numbers to float rounding.
    /// </summary>
    public (Tensor output, Tensor weights) forward_with_weights(Tensor query, Tensor memory, Tensor? key_padding_mask = null, bool causal = false)
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = (split_heads(q_proj.forward(query)), split_heads(k_proj.forward(memory)), split_heads(v_proj.forward(memory)));
        var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(q.size(-1));
        if (causal) scores = scores.masked_fill(ones(scores.size(-2), scores.size(-1), dtype: @bool, device: scores.device).tril().logical_not(), double.NegativeInfinity);
        if (keys_mask(key_padding_mask) is { } keep) scores = scores.masked_fill(keep.logical_not(), double.NegativeInfinity);
        var weights = scores.softmax(-1);
        var attended = F.dropout(weights, training ? dropout : 0, training).matmul(v);
        return (out_proj.forward(merge_heads(attended)).MoveToOuterDisposeScope(), weights.detach().MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Self-attention while decoding: x (B, t, D) holds the t newest positions. Their keys and values join the cache,
    /// and each new position attends to every cached position and to the new ones up to itself.
    /// </summary>
    public Tensor forward(Tensor x, KVCache cache)
    {
        long past = cache.length, t = x.size(1);
        var (k, v) = cache.append(split_heads(k_proj.forward(x)), split_heads(v_proj.forward(x)));
        // new position i sits at past + i and sees keys 0 .. past + i (a single new position sees them all)
        var mask = t == 1 ? null : arange(past + t, device: x.device).unsqueeze(0) <= (arange(t, device: x.device) + past).unsqueeze(1);
        var attended = F.scaled_dot_product_attention(split_heads(q_proj.forward(x)), k, v, mask, training ? dropout : 0);
        return out_proj.forward(merge_heads(attended));
    }

    /// <summary>Cross-attention while decoding: the memory's keys and values are projected on the first step and kept in the cache.</summary>
    public Tensor forward(Tensor query, Tensor memory, Tensor? key_padding_mask, KVCache memory_cache)
    {
        var (k, v) = memory_cache.length > 0
            ? (memory_cache.keys!, memory_cache.values!)
            : memory_cache.append(split_heads(k_proj.forward(memory)), split_heads(v_proj.forward(memory)));
        var attended = F.scaled_dot_product_attention(split_heads(q_proj.forward(query)), k, v, keys_mask(key_padding_mask), training ? dropout : 0);
        return out_proj.forward(merge_heads(attended));
    }

    // (B, T, D) → (B, h, T, d_k)
    private Tensor split_heads(Tensor x) => x.view(x.size(0), x.size(1), heads, -1).transpose(1, 2);
    // (B, h, T, d_k) → (B, T, D)
    private static Tensor merge_heads(Tensor x) => x.transpose(1, 2).flatten(2);
    // (B, Tk) → (B, 1, 1, Tk): the same keys for every head and query
    private static Tensor? keys_mask(Tensor? key_padding_mask) => key_padding_mask?.view(key_padding_mask.size(0), 1, 1, -1);
}

/// <summary>The position-wise feed-forward network: Linear(d, 4d) → GELU → Linear(4d, d) → dropout.</summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    public readonly nn.Module<Tensor, Tensor> fc1, fc2;   // modules, not Linear: LoRA or int8 layers can take their place
    public double dropout { get; }

    public FeedForward(long d_model, long hidden, double dropout = 0)
        : base(nameof(FeedForward))
    {
        fc1 = nn.Linear(d_model, hidden); fc2 = nn.Linear(hidden, d_model); this.dropout = dropout;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => F.dropout(fc2.forward(F.gelu(fc1.forward(x))), dropout, training);
}

/// <summary>A pre-norm encoder block: x + Attention(LN(x)), then x + FFN(LN(x)).</summary>
public sealed class EncoderBlock : nn.Module<Tensor, Tensor>
{
    public readonly LayerNorm ln1, ln2;
    public readonly MultiHeadAttention attn;
    public readonly FeedForward mlp;
    public double dropout { get; }

    public EncoderBlock(long d_model, long heads, long hidden, double dropout = 0)
        : base(nameof(EncoderBlock))
    {
        ln1 = nn.LayerNorm(d_model); attn = new MultiHeadAttention(d_model, heads, dropout);
        ln2 = nn.LayerNorm(d_model); mlp = new FeedForward(d_model, hidden, dropout); this.dropout = dropout;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => forward(x, null, false);

    public Tensor forward(Tensor x, Tensor? key_padding_mask, bool causal)
    {
        var h = ln1.forward(x);
        x = x + F.dropout(attn.forward(h, h, key_padding_mask, causal), dropout, training);
        return x + mlp.forward(ln2.forward(x));
    }

    /// <summary>As <see cref="forward(Tensor, Tensor?, bool)"/> with causal attention, for the newest positions x (B, t, D) of a sequence whose earlier positions are in the cache.</summary>
    public Tensor forward(Tensor x, KVCache cache)
    {
        x = x + F.dropout(attn.forward(ln1.forward(x), cache), dropout, training);
        return x + mlp.forward(ln2.forward(x));
    }

    /// <summary>The weights (B, h, T, T) with which this block's attention mixes the tokens of x.</summary>
    public Tensor attention_weights(Tensor x, Tensor? key_padding_mask = null, bool causal = false)
    {
        var h = ln1.forward(x);
        return attn.forward_with_weights(h, h, key_padding_mask, causal).weights;
    }
}

/// <summary>A pre-norm decoder block: causal self-attention, cross-attention to the encoder, feed-forward.</summary>
public sealed class DecoderBlock : nn.Module
{
    public readonly LayerNorm ln1, ln2, ln3;
    public readonly MultiHeadAttention self_attn, cross_attn;
    public readonly FeedForward mlp;
    public double dropout { get; }

    public DecoderBlock(long d_model, long heads, long hidden, double dropout = 0)
        : base(nameof(DecoderBlock))
    {
        ln1 = nn.LayerNorm(d_model); self_attn = new MultiHeadAttention(d_model, heads, dropout);
        ln2 = nn.LayerNorm(d_model); cross_attn = new MultiHeadAttention(d_model, heads, dropout);
        ln3 = nn.LayerNorm(d_model); mlp = new FeedForward(d_model, hidden, dropout); this.dropout = dropout;
        RegisterComponents();
    }

    public Tensor forward(Tensor y, Tensor memory, Tensor? target_padding_mask, Tensor? memory_padding_mask)
    {
        y = with_self_attention(y, target_padding_mask);
        y = y + F.dropout(cross_attn.forward(ln2.forward(y), memory, memory_padding_mask), dropout, training);
        return y + mlp.forward(ln3.forward(y));
    }

    /// <summary>As <see cref="forward(Tensor, Tensor, Tensor?, Tensor?)"/> for the newest target positions y (B, t, D), with the earlier ones and the projected memory in the caches.</summary>
    public Tensor forward(Tensor y, Tensor memory, Tensor? memory_padding_mask, KVCache self_cache, KVCache memory_cache)
    {
        y = y + F.dropout(self_attn.forward(ln1.forward(y), self_cache), dropout, training);
        y = y + F.dropout(cross_attn.forward(ln2.forward(y), memory, memory_padding_mask, memory_cache), dropout, training);
        return y + mlp.forward(ln3.forward(y));
    }

    /// <summary>The weights (B, h, T, S) with which each target position attends to the source (the memory).</summary>
    public Tensor cross_attention_weights(Tensor y, Tensor memory, Tensor? target_padding_mask, Tensor? memory_padding_mask)
        => cross_attn.forward_with_weights(ln2.forward(with_self_attention(y, target_padding_mask)), memory, memory_padding_mask).weights;

    private Tensor with_self_attention(Tensor y, Tensor? target_padding_mask)
    {
        var h = ln1.forward(y);
        return y + F.dropout(self_attn.forward(h, h, target_padding_mask, causal: true), dropout, training);
    }
}

/// <summary>PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(pos / 10000^(2i/d)), added to the embeddings.</summary>
public sealed class SinusoidalPositionalEncoding : nn.Module<Tensor, Tensor>
{
    public readonly Tensor pe;

    public SinusoidalPositionalEncoding(long d_model, long max_len = 512)
        : base(nameof(SinusoidalPositionalEncoding))
    {
        var table = new float[max_len * d_model];
        for (long pos = 0; pos < max_len; pos++)
            for (long i = 0; i < d_model; i += 2)
            {
                double angle = pos / Math.Pow(10000, (double)i / d_model);
                table[pos * d_model + i] = (float)Math.Sin(angle);
                if (i + 1 < d_model) table[pos * d_model + i + 1] = (float)Math.Cos(angle);
            }
        pe = tensor(table, new[] { max_len, d_model });
        register_buffer("pe", pe);
        RegisterComponents();
    }

    /// <summary>x: (B, T, D) → x + PE[:T].</summary>
    public override Tensor forward(Tensor x) => forward(x, 0);

    /// <summary>x: (B, T, D) holding positions start .. start + T - 1 → x + PE[start : start + T].</summary>
    public Tensor forward(Tensor x, long start)
    {
        long end = start + x.size(1);
        if (end > pe.size(0)) throw new ArgumentException($"positions up to {end - 1}, but the encoding was built for {pe.size(0)}");
        return x + pe[(int)start..(int)end];
    }
}

/// <summary>Weight initialisation shared by the Transformer models: N(0, 0.02) for linear and embedding weights, zero biases.</summary>
public static class TransformerInit
{
    public static void Apply(nn.Module model)
    {
        using var _ = no_grad();
        foreach (var m in PreOrder(model))
        {
            if (m is Linear lin) { lin.weight.normal_(0, 0.02); lin.bias?.zero_(); }
            else if (m is Embedding emb) emb.weight.normal_(0, 0.02);
        }
    }

    // PyTorch's modules() order, the module itself and then each child's subtree in turn, written out because
    // TorchSharp's modules() leaves the module itself out and lists the tree a level at a time: on both backends the
    // same random numbers go to the same weights, and a bare Linear is initialised too
    private static IEnumerable<nn.Module> PreOrder(nn.Module module)
    {
        yield return module;
        foreach (var (_, child) in module.named_children())
            foreach (var m in PreOrder(child)) yield return m;
    }
}

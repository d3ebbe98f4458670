using Torch;
using Torch.Modules;
using static Torch.torch;
using F = Torch.torch.nn.functional;

namespace Course.Models;

/// <summary>
/// Multi-head attention: each head computes softmax(Q Kᵀ / √d_k + mask) V on its own d_k = d/h slice,
/// the heads are concatenated and mixed by an output projection.
/// With <see cref="keep_weights"/> the attention weights of the last call are kept for plotting.
/// </summary>
public sealed class MultiHeadAttention : nn.Module<Tensor, Tensor>
{
    public readonly Linear q_proj, k_proj, v_proj, out_proj;
    public long heads { get; }
    public double dropout { get; }
    public bool keep_weights { get; set; }
    /// <summary>Weights of the last call, (batch, heads, queries, keys), when keep_weights is on.</summary>
    public Tensor? last_weights { get; private set; }

    public MultiHeadAttention(long d_model, long heads, double dropout = 0)
    {
        if (d_model % heads != 0) throw new ArgumentException($"d_model ({d_model}) must be divisible by heads ({heads})");
        this.heads = heads; this.dropout = dropout;
        q_proj = nn.Linear(d_model, d_model); k_proj = nn.Linear(d_model, d_model);
        v_proj = nn.Linear(d_model, d_model); out_proj = nn.Linear(d_model, d_model);
    }

    /// <summary>Self-attention.</summary>
    public override Tensor forward(Tensor x) => forward(x, x, null, false);

    /// <param name="query">(B, Tq, D)</param>
    /// <param name="memory">(B, Tk, D): the same tensor for self-attention, the encoder output for cross-attention</param>
    /// <param name="key_padding_mask">(B, Tk) bool, true where a key is real (not padding)</param>
    /// <param name="causal">each query sees only keys at or before its position</param>
    public Tensor forward(Tensor query, Tensor memory, Tensor? key_padding_mask, bool causal)
    {
        using var scope = NewDisposeScope();
        long B = query.size(0), Tq = query.size(1), Tk = memory.size(1), D = query.size(2), dk = D / heads;
        Tensor Split(Tensor t, long T) => t.view(B, T, heads, dk).transpose(1, 2);   // (B, h, T, d_k)
        var q = Split(q_proj.forward(query), Tq);
        var k = Split(k_proj.forward(memory), Tk);
        var v = Split(v_proj.forward(memory), Tk);
        Tensor? mask = key_padding_mask?.view(B, 1, 1, Tk);
        if (causal && mask is not null)
        {
            mask = mask.logical_and(ones(new[] { Tq, Tk }, @bool, query.device).tril());
            causal = false;
        }
        double p = training ? dropout : 0;
        Tensor attended;
        if (keep_weights)
        {
            var (o, w) = F.attention(q, k, v, mask, p, causal);
            last_weights?.Dispose();
            last_weights = w.detach().DetachFromDisposeScope();
            attended = o;
        }
        else attended = F.scaled_dot_product_attention(q, k, v, mask, p, causal);
        return out_proj.forward(attended.transpose(1, 2).reshape(B, Tq, D)).MoveToOuterDisposeScope();
    }
}

/// <summary>The position-wise feed-forward network: Linear(d, 4d) → GELU → Linear(4d, d) → dropout.</summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    public readonly Linear fc1, fc2;
    private readonly double p;

    public FeedForward(long d_model, long hidden, double dropout = 0)
    {
        fc1 = nn.Linear(d_model, hidden); fc2 = nn.Linear(hidden, d_model); p = dropout;
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return F.dropout(fc2.forward(F.gelu(fc1.forward(x))), p, training).MoveToOuterDisposeScope();
    }
}

/// <summary>A pre-norm encoder block: x + Attention(LN(x)), then x + FFN(LN(x)).</summary>
public sealed class EncoderBlock : nn.Module<Tensor, Tensor>
{
    public readonly LayerNorm ln1, ln2;
    public readonly MultiHeadAttention attn;
    public readonly FeedForward mlp;
    private readonly double p;

    public EncoderBlock(long d_model, long heads, long hidden, double dropout = 0)
    {
        ln1 = nn.LayerNorm(d_model); attn = new MultiHeadAttention(d_model, heads, dropout);
        ln2 = nn.LayerNorm(d_model); mlp = new FeedForward(d_model, hidden, dropout); p = dropout;
    }

    public override Tensor forward(Tensor x) => forward(x, null, false);

    public Tensor forward(Tensor x, Tensor? key_padding_mask, bool causal)
    {
        using var scope = NewDisposeScope();
        var h = ln1.forward(x);
        x = x + F.dropout(attn.forward(h, h, key_padding_mask, causal), p, training);
        x = x + mlp.forward(ln2.forward(x));
        return x.MoveToOuterDisposeScope();
    }
}

/// <summary>A pre-norm decoder block: causal self-attention, cross-attention to the encoder, feed-forward.</summary>
public sealed class DecoderBlock : nn.Module
{
    public readonly LayerNorm ln1, ln2, ln3;
    public readonly MultiHeadAttention self_attn, cross_attn;
    public readonly FeedForward mlp;
    private readonly double p;

    public DecoderBlock(long d_model, long heads, long hidden, double dropout = 0)
    {
        ln1 = nn.LayerNorm(d_model); self_attn = new MultiHeadAttention(d_model, heads, dropout);
        ln2 = nn.LayerNorm(d_model); cross_attn = new MultiHeadAttention(d_model, heads, dropout);
        ln3 = nn.LayerNorm(d_model); mlp = new FeedForward(d_model, hidden, dropout); p = dropout;
    }

    public Tensor forward(Tensor y, Tensor memory, Tensor? target_padding_mask, Tensor? memory_padding_mask)
    {
        using var scope = NewDisposeScope();
        var h = ln1.forward(y);
        y = y + F.dropout(self_attn.forward(h, h, target_padding_mask, causal: true), p, training);
        y = y + F.dropout(cross_attn.forward(ln2.forward(y), memory, memory_padding_mask, causal: false), p, training);
        y = y + mlp.forward(ln3.forward(y));
        return y.MoveToOuterDisposeScope();
    }
}

/// <summary>PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(pos / 10000^(2i/d)), added to the embeddings.</summary>
public sealed class SinusoidalPositionalEncoding : nn.Module<Tensor, Tensor>
{
    public readonly Tensor pe;

    public SinusoidalPositionalEncoding(long d_model, long max_len = 512)
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
    }

    /// <summary>x: (B, T, D) → x + PE[:T].</summary>
    public override Tensor forward(Tensor x)
    {
        if (x.size(1) > pe.size(0)) throw new ArgumentException($"sequence of {x.size(1)} positions, but the encoding was built for {pe.size(0)}");
        using var slice = pe[..(int)x.size(1)];
        return x + slice;
    }
}

/// <summary>Weight initialisation shared by the Transformer models: N(0, 0.02) for linear and embedding weights, zero biases.</summary>
public static class TransformerInit
{
    public static void Apply(nn.Module model)
    {
        using var _ = no_grad();
        foreach (var m in model.modules())
        {
            if (m is Linear lin) { lin.weight.normal_(0, 0.02); lin.bias?.zero_(); }
            else if (m is Embedding emb) emb.weight.normal_(0, 0.02);
        }
    }
}

using Torch;
using Torch.Modules;
using static Torch.torch;

namespace Course.Models;

/// <summary>
/// The encoder-decoder Transformer (Vaswani et al.), pre-norm: token embeddings · √d + sinusoidal
/// positions → N encoder blocks; the decoder reads the shifted target with causal self-attention and
/// cross-attention to the encoder output; a final LayerNorm and a linear layer give the logits.
/// </summary>
public sealed class Seq2SeqTransformer : nn.Module
{
    public readonly Embedding src_embed, tgt_embed;
    public readonly SinusoidalPositionalEncoding positions;
    public readonly ModuleList encoder, decoder;
    public readonly LayerNorm enc_norm, dec_norm;
    public readonly Linear head;
    private readonly long d_model;
    public long pad_id { get; }

    public Seq2SeqTransformer(long src_vocab, long tgt_vocab, long d_model = 128, long heads = 4, long layers = 2, long hidden = 512, double dropout = 0.1, long max_len = 256, long pad_id = 0)
    {
        this.d_model = d_model; this.pad_id = pad_id;
        src_embed = nn.Embedding(src_vocab, d_model); tgt_embed = nn.Embedding(tgt_vocab, d_model);
        positions = new SinusoidalPositionalEncoding(d_model, max_len);
        encoder = nn.ModuleList(); decoder = nn.ModuleList();
        for (int i = 0; i < layers; i++)
        {
            encoder.append(new EncoderBlock(d_model, heads, hidden, dropout));
            decoder.append(new DecoderBlock(d_model, heads, hidden, dropout));
        }
        enc_norm = nn.LayerNorm(d_model); dec_norm = nn.LayerNorm(d_model);
        head = nn.Linear(d_model, tgt_vocab);
        TransformerInit.Apply(this);
    }

    /// <summary>src (B, S) token ids → memory (B, S, D).</summary>
    public Tensor encode(Tensor src)
    {
        using var scope = NewDisposeScope();
        var keep = src.ne((double)pad_id);
        var x = positions.forward(src_embed.forward(src) * Math.Sqrt(d_model));
        foreach (EncoderBlock block in encoder) x = block.forward(x, keep, causal: false);
        return enc_norm.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>Logits (B, T, V) for every position of the decoder input tgt_in (B, T).</summary>
    public Tensor decode(Tensor tgt_in, Tensor memory, Tensor src)
    {
        using var scope = NewDisposeScope();
        var srcKeep = src.ne((double)pad_id);
        var y = positions.forward(tgt_embed.forward(tgt_in) * Math.Sqrt(d_model));
        foreach (DecoderBlock block in decoder) y = block.forward(y, memory, null, srcKeep);
        return head.forward(dec_norm.forward(y)).MoveToOuterDisposeScope();
    }

    public Tensor forward(Tensor src, Tensor tgt_in)
    {
        using var scope = NewDisposeScope();
        return decode(tgt_in, encode(src), src).MoveToOuterDisposeScope();
    }

    /// <summary>Greedy decoding from BOS until every sequence has produced EOS (or max_len tokens).</summary>
    public Tensor greedy_decode(Tensor src, long bos_id, long eos_id, long max_len)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var memory = encode(src);
        var ys = full(new[] { src.size(0), 1L }, bos_id, int64, src.device);
        var done = zeros(new[] { src.size(0) }, @bool, src.device);
        for (int i = 0; i < max_len; i++)
        {
            var next = decode(ys, memory, src)[TensorIndex.Colon, -1].argmax(-1);
            next = where(done, full(new[] { src.size(0) }, pad_id, int64, src.device), next);
            ys = cat(new[] { ys, next.unsqueeze(1) }, 1);
            done = done.logical_or(next.eq((double)eos_id));
            if (done.all().item<bool>()) break;
        }
        return ys[TensorIndex.Colon, 1..].MoveToOuterDisposeScope();
    }
}

/// <summary>
/// A decoder-only character model (GPT-style): token + learned position embeddings → N causal
/// pre-norm blocks → LayerNorm → logits over the next character.
/// </summary>
public sealed class CharTransformer : nn.Module<Tensor, Tensor>
{
    public readonly Embedding token_embed, position_embed;
    public readonly ModuleList blocks;
    public readonly LayerNorm norm;
    public readonly Linear head;
    public long block_size { get; }
    private readonly double p;

    public CharTransformer(long vocab, long block_size = 128, long d_model = 128, long heads = 4, long layers = 4, double dropout = 0.1)
    {
        this.block_size = block_size; p = dropout;
        token_embed = nn.Embedding(vocab, d_model); position_embed = nn.Embedding(block_size, d_model);
        blocks = nn.ModuleList();
        for (int i = 0; i < layers; i++) blocks.append(new EncoderBlock(d_model, heads, 4 * d_model, dropout));
        norm = nn.LayerNorm(d_model);
        head = nn.Linear(d_model, vocab);
        TransformerInit.Apply(this);
    }

    /// <summary>idx (B, T) → logits (B, T, V).</summary>
    public override Tensor forward(Tensor idx)
    {
        long T = idx.size(1);
        if (T > block_size) throw new ArgumentException($"sequence of {T} tokens is longer than block_size {block_size}");
        using var scope = NewDisposeScope();
        var x = token_embed.forward(idx) + position_embed.forward(arange(T, device: idx.device));
        x = nn.functional.dropout(x, p, training);
        foreach (EncoderBlock block in blocks) x = block.forward(x, null, causal: true);
        return head.forward(norm.forward(x)).MoveToOuterDisposeScope();
    }

    /// <summary>Appends max_new_tokens sampled tokens to idx (B, T).</summary>
    public Tensor generate(Tensor idx, int max_new_tokens, double temperature = 1.0, long top_k = 0, double top_p = 1.0)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        for (int i = 0; i < max_new_tokens; i++)
        {
            long T = idx.size(1);
            var context = T <= block_size ? idx : idx[TensorIndex.Colon, (int)(T - block_size)..];
            var logits = forward(context)[TensorIndex.Colon, -1];
            idx = cat(new[] { idx, Sampling.Sample(logits, temperature, top_k, top_p) }, 1);
        }
        return idx.MoveToOuterDisposeScope();
    }
}

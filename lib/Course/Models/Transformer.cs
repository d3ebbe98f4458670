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
    public readonly ModuleList<EncoderBlock> encoder;
    public readonly ModuleList<DecoderBlock> decoder;
    public readonly LayerNorm enc_norm, dec_norm;
    public readonly Linear head;
    private readonly long d_model;
    public long pad_id { get; }

    public Seq2SeqTransformer(long src_vocab, long tgt_vocab, long d_model = 128, long heads = 4, long layers = 2, long hidden = 512, double dropout = 0.1, long max_len = 256, long pad_id = 0)
        : base(nameof(Seq2SeqTransformer))
    {
        this.d_model = d_model; this.pad_id = pad_id;
        src_embed = nn.Embedding(src_vocab, d_model); tgt_embed = nn.Embedding(tgt_vocab, d_model);
        positions = new SinusoidalPositionalEncoding(d_model, max_len);
        encoder = nn.ModuleList(Enumerable.Range(0, (int)layers).Select(_ => new EncoderBlock(d_model, heads, hidden, dropout)).ToArray());
        decoder = nn.ModuleList(Enumerable.Range(0, (int)layers).Select(_ => new DecoderBlock(d_model, heads, hidden, dropout)).ToArray());
        enc_norm = nn.LayerNorm(d_model); dec_norm = nn.LayerNorm(d_model);
        head = nn.Linear(d_model, tgt_vocab);
        RegisterComponents();          // before the initialisation, which walks parameters()
        TransformerInit.Apply(this);
    }

    /// <summary>src (B, S) token ids → memory (B, S, D).</summary>
    public Tensor encode(Tensor src)
    {
        var x = positions.forward(src_embed.forward(src) * Math.Sqrt(d_model));
        foreach (var block in encoder) x = block.forward(x, is_token(src), causal: false);
        return enc_norm.forward(x);
    }

    /// <summary>Logits (B, T, V) for every position of the decoder input tgt_in (B, T).</summary>
    public Tensor decode(Tensor tgt_in, Tensor memory, Tensor src)
    {
        var y = positions.forward(tgt_embed.forward(tgt_in) * Math.Sqrt(d_model));
        foreach (var block in decoder) y = block.forward(y, memory, null, is_token(src));
        return head.forward(dec_norm.forward(y));
    }

    /// <summary>
    /// Logits (B, t, V) for the newest decoder inputs tgt_new (B, t), whose earlier positions are in the cache
    /// (each decoding step feeds only the token it just chose).
    /// </summary>
    public Tensor decode(Tensor tgt_new, Tensor memory, Tensor src, DecodingCache cache)
    {
        var y = positions.forward(tgt_embed.forward(tgt_new) * Math.Sqrt(d_model), start: cache.length);
        for (int i = 0; i < decoder.Count; i++) y = decoder[i].forward(y, memory, is_token(src), cache.self_attn[i], cache.cross_attn[i]);
        return head.forward(dec_norm.forward(y));
    }

    public Tensor forward(Tensor src, Tensor tgt_in) => decode(tgt_in, encode(src), src);

    /// <summary>How each position of tgt_in (B, T) attends to the source (B, S) in the last decoder block: (B, heads, T, S).</summary>
    public Tensor cross_attention_weights(Tensor src, Tensor tgt_in)
    {
        var memory = encode(src);
        var y = positions.forward(tgt_embed.forward(tgt_in) * Math.Sqrt(d_model));
        foreach (var block in decoder.SkipLast(1)) y = block.forward(y, memory, null, is_token(src));
        return decoder[^1].cross_attention_weights(y, memory, null, is_token(src));
    }

    // true where a position holds a token, false where it is padding
    private Tensor is_token(Tensor ids) => ids.ne((double)pad_id);

    /// <summary>Greedy decoding from BOS until every sequence has produced EOS (or max_len tokens).</summary>
    public Tensor greedy_decode(Tensor src, long bos_id, long eos_id, long max_len)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var cache = new DecodingCache(decoder.Count);
        var memory = encode(src);
        var ys = full(new[] { src.size(0), 1L }, bos_id, int64, src.device);
        var done = zeros(new[] { src.size(0) }, @bool, src.device);
        for (int i = 0; i < max_len; i++)
        {
            using var step = NewDisposeScope();
            var next = decode(ys[.., ^1..], memory, src, cache)[.., -1].argmax(-1);   // the cache holds the earlier tokens
            next = next.masked_fill(done, pad_id);                      // finished sequences are padded
            ys = cat(new[] { ys, next.unsqueeze(1) }, 1).MoveToOuterDisposeScope();
            done = done.logical_or(next.eq((double)eos_id)).MoveToOuterDisposeScope();
            if (done.all().item<bool>()) break;
        }
        return ys[.., 1..].MoveToOuterDisposeScope();
    }
}

/// <summary>
/// A decoder-only character model (GPT-style): token + learned position embeddings → N causal
/// pre-norm blocks → LayerNorm → logits over the next character.
/// </summary>
public sealed class CharTransformer : nn.Module<Tensor, Tensor>
{
    public readonly Embedding token_embed, position_embed;
    public readonly ModuleList<EncoderBlock> blocks;
    public readonly LayerNorm norm;
    public readonly Linear head;
    public long block_size { get; }
    public double dropout { get; }

    public CharTransformer(long vocab, long block_size = 128, long d_model = 128, long heads = 4, long layers = 4, double dropout = 0.1)
        : base(nameof(CharTransformer))
    {
        this.block_size = block_size; this.dropout = dropout;
        token_embed = nn.Embedding(vocab, d_model); position_embed = nn.Embedding(block_size, d_model);
        blocks = nn.ModuleList(Enumerable.Range(0, (int)layers).Select(_ => new EncoderBlock(d_model, heads, 4 * d_model, dropout)).ToArray());
        norm = nn.LayerNorm(d_model);
        head = nn.Linear(d_model, vocab);
        RegisterComponents();          // before the initialisation, which walks parameters()
        TransformerInit.Apply(this);
    }

    /// <summary>idx (B, T) → logits (B, T, V).</summary>
    public override Tensor forward(Tensor idx)
    {
        long T = idx.size(1);
        if (T > block_size) throw new ArgumentException($"sequence of {T} tokens is longer than block_size {block_size}");
        var x = embed(idx);
        foreach (var block in blocks) x = block.forward(x, null, causal: true);
        return head.forward(norm.forward(x));
    }

    /// <summary>idx_new (B, t) → logits (B, t, V) for the newest tokens of a sequence whose earlier positions are in the cache.</summary>
    public Tensor forward(Tensor idx_new, DecodingCache cache)
    {
        if (cache.length + idx_new.size(1) > block_size) throw new ArgumentException($"{cache.length} cached and {idx_new.size(1)} new tokens exceed block_size {block_size}");
        var x = embed(idx_new, start: cache.length);
        for (int i = 0; i < blocks.Count; i++) x = blocks[i].forward(x, cache.self_attn[i]);
        return head.forward(norm.forward(x));
    }

    /// <summary>idx (B, T) holding positions start .. start + T - 1 → token plus position embeddings (B, T, D), the input of the first block.</summary>
    public Tensor embed(Tensor idx, long start = 0)
    {
        var x = token_embed.forward(idx) + position_embed.forward(arange(start, start + idx.size(1), device: idx.device));
        return nn.functional.dropout(x, dropout, training);
    }

    /// <summary>Appends max_new_tokens sampled tokens to idx (B, T).</summary>
    public Tensor generate(Tensor idx, int max_new_tokens, double temperature = 1.0, long top_k = 0, double top_p = 1.0)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var cache = new DecodingCache(blocks.Count);
        for (int i = 0; i < max_new_tokens; i++)
        {
            using var step = NewDisposeScope();
            Tensor fresh;
            if (idx.size(1) <= block_size) fresh = idx[.., (int)cache.length..];      // the tokens the cache has not seen
            else { cache.clear(); fresh = idx[.., ^(int)block_size..]; }             // the window slides and every position moves: start over on the last block_size tokens
            var logits = forward(fresh, cache)[.., -1];
            idx = cat(new[] { idx, Sampling.Sample(logits, temperature, top_k, top_p) }, 1).MoveToOuterDisposeScope();
        }
        return idx.MoveToOuterDisposeScope();
    }
}

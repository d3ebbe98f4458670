namespace Course.Models;

/// <summary>
/// A LLaVA-style captioner (Liu et al. 2023): a frozen image encoder g turns the image into visual tokens
/// Z_v = g(X_v) (one feature vector per cell of its grid), a learned projection W maps each of them into the word
/// embedding space of a decoder-only language model, and the language model reads the projected tokens as a prefix:
/// <code>
///   H_v = W · Z_v                          (N visual tokens, each now a "word embedding")
///   H_q = E[x_1 .. x_{T-1}]                the caption's own embeddings, after a start token
///   logits = LM([H_v ; H_q] + positions)   causal; only the caption positions are scored
///   loss = − Σ_t log p(x_t | X_v, x_&lt;t)   over the caption tokens (the image tokens carry no loss)
/// </code>
/// The image encoder is not part of this module: the caller computes Z_v (frozen, so once per image). The start
/// token is &lt;eos&gt; (as GPT-2 starts a text with its end-of-text token) and captions are words, &lt;eos&gt;, then
/// &lt;pad&gt; (<see cref="WordTokenizer"/>), whose positions carry no loss. Training stages, as in LLaVA: stage 1
/// trains W alone (the language model frozen), stage 2 trains W and the language model.
/// </summary>
public sealed class Captioner : nn.Module
{
    public readonly Linear projection;
    public readonly CharTransformer language_model;
    public long visual_tokens { get; }
    public long visual_dim { get; }
    public long start_id { get; }
    public long pad_id { get; }

    /// <param name="visual_dim">channels of each visual token Z_v</param>
    /// <param name="visual_tokens">N, the number of visual tokens per image</param>
    /// <param name="language_model">a decoder-only model whose block size holds N + the caption length</param>
    public Captioner(long visual_dim, long visual_tokens, CharTransformer language_model, long start_id = WordTokenizer.EosId, long pad_id = WordTokenizer.PadId)
        : base(nameof(Captioner))
    {
        ArgumentNullException.ThrowIfNull(language_model);
        if (visual_dim < 1) throw new ArgumentOutOfRangeException(nameof(visual_dim), visual_dim, "visual tokens need at least one channel.");
        if (visual_tokens < 1 || visual_tokens >= language_model.block_size)
            throw new ArgumentOutOfRangeException(nameof(visual_tokens), visual_tokens, $"the {visual_tokens} visual tokens and at least one word must fit in the language model's block of {language_model.block_size}.");
        this.visual_dim = visual_dim; this.visual_tokens = visual_tokens; this.start_id = start_id; this.pad_id = pad_id;
        this.language_model = language_model;
        projection = nn.Linear(visual_dim, language_model.token_embed.weight.size(1));
        RegisterComponents();
    }

    /// <summary>
    /// z_v (B, N, visual_dim) and the caption so far text (B, T), starting with the start token → logits (B, T, V) for
    /// the token after each caption position. With z_v null the model is the plain language model, its text placed
    /// where a caption sits (after N positions), which is how it is pretrained on text alone.
    /// </summary>
    public Tensor forward(Tensor? z_v, Tensor text)
    {
        ArgumentNullException.ThrowIfNull(text);
        long n = visual_tokens, t = text.size(1);
        if (n + t > language_model.block_size)
            throw new ArgumentException($"{n} visual tokens and {t} text tokens exceed the language model's block of {language_model.block_size}.", nameof(text));
        var lm = language_model;
        var h_q = lm.token_embed.forward(text);
        Tensor x;
        if (z_v is null) x = h_q + lm.position_embed.forward(arange(n, n + t, device: text.device));
        else
        {
            if (z_v.dim() != 3 || z_v.size(1) != n || z_v.size(2) != visual_dim || z_v.size(0) != text.size(0))
                throw new ArgumentException($"z_v must be ({text.size(0)}, {n}, {visual_dim}), not [{string.Join(", ", z_v.shape)}].", nameof(z_v));
            var h_v = projection.forward(z_v);                                            // H_v = W · Z_v
            x = cat(new[] { h_v, h_q }, 1) + lm.position_embed.forward(arange(n + t, device: text.device));
        }
        x = F.dropout(x, lm.dropout, training);
        foreach (var block in lm.blocks) x = block.forward(x, null, causal: true);
        var logits = lm.head.forward(lm.norm.forward(x));
        return z_v is null ? logits : logits[.., (int)n..];
    }

    /// <summary>
    /// captions (B, L): words, &lt;eos&gt;, &lt;pad&gt; → the mean cross-entropy of every caption token (words and the
    /// closing &lt;eos&gt;, not padding) given the image (z_v) or, with z_v null, given the caption's earlier words only.
    /// </summary>
    public Tensor loss(Tensor? z_v, Tensor captions)
    {
        var (input, target) = shift(captions);
        var logits = forward(z_v, input);
        return F.cross_entropy(logits.reshape(-1, logits.size(2)), target.reshape(-1), ignore_index: pad_id);
    }

    /// <summary>captions (B, L) → the model's input (start token, then the first L − 1 tokens) and its targets (the captions).</summary>
    public (Tensor Input, Tensor Target) shift(Tensor captions)
    {
        if (captions.dim() != 2) throw new ArgumentException($"captions must be (B, L) token ids, not [{string.Join(", ", captions.shape)}].", nameof(captions));
        var start = full(new[] { captions.size(0), 1L }, start_id, int64, captions.device);
        return (cat(new[] { start, captions[.., ..^1] }, 1), captions);
    }

    /// <summary>Greedy decoding: z_v (B, N, visual_dim) → caption ids (B, max_len), each ending with &lt;eos&gt; (then &lt;pad&gt;) when it finished.</summary>
    public Tensor greedy_decode(Tensor? z_v, long batch, long max_len, long eos_id = WordTokenizer.EosId)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var device = z_v?.device ?? language_model.token_embed.weight.device;
        var ys = full(new[] { batch, 1L }, start_id, int64, device);
        var done = zeros(new[] { batch }, @bool, device);
        for (int i = 0; i < max_len; i++)
        {
            using var step = NewDisposeScope();
            var next = forward(z_v, ys)[.., -1].argmax(-1).masked_fill(done, pad_id);
            ys = cat(new[] { ys, next.unsqueeze(1) }, 1).MoveToOuterDisposeScope();
            done = done.logical_or(next.eq((double)eos_id)).MoveToOuterDisposeScope();
            if (done.all().item<bool>()) break;
        }
        return ys[.., 1..].MoveToOuterDisposeScope();
    }
}

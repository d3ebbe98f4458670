namespace Course.Models;

/// <summary>
/// BERT (Devlin et al. 2019) as a masked language model: token + learned position embeddings → N pre-norm blocks whose
/// attention is <b>bidirectional</b> (every position sees every other; padding excepted) → LayerNorm → the MLM head,
/// which predicts the original token at every position:
/// <code>
///   h = Encoder(E[x̃] + P)                       x̃: the input after masking (<see cref="MaskedLanguageModeling"/>)
///   logits = W_o · LN(GELU(W_t · h + b_t)) + b_o
///   loss = CE(logits, x) over the masked positions only
/// </code>
/// The same blocks with causal attention make the GPT-style <see cref="CharTransformer"/>; the two differ only in the
/// attention mask, the objective and the head. (No next-sentence objective or segment embeddings: one text per input.
/// The output layer is not tied to the token embedding.)
/// </summary>
public sealed class Bert : nn.Module<Tensor, Tensor>
{
    public readonly Embedding token_embed, position_embed;
    public readonly ModuleList<EncoderBlock> blocks;
    public readonly LayerNorm norm, head_norm;
    public readonly Linear head_transform, head;
    public long block_size { get; }
    public double dropout { get; }

    public Bert(long vocab, long block_size = 128, long d_model = 128, long heads = 4, long layers = 4, double dropout = 0.1)
        : base(nameof(Bert))
    {
        this.block_size = block_size; this.dropout = dropout;
        token_embed = nn.Embedding(vocab, d_model); position_embed = nn.Embedding(block_size, d_model);
        blocks = nn.ModuleList(Enumerable.Range(0, (int)layers).Select(_ => new EncoderBlock(d_model, heads, 4 * d_model, dropout)).ToArray());
        norm = nn.LayerNorm(d_model);
        head_transform = nn.Linear(d_model, d_model); head_norm = nn.LayerNorm(d_model);
        head = nn.Linear(d_model, vocab);
        RegisterComponents();          // before the initialisation, which walks parameters()
        TransformerInit.Apply(this);
    }

    /// <summary>idx (B, T) → logits (B, T, V) for the original token at every position.</summary>
    public override Tensor forward(Tensor idx) => forward(idx, null);

    /// <param name="idx">(B, T) token ids, masked</param>
    /// <param name="key_padding_mask">(B, T) bool, true where a position holds a token (not padding); null: all do</param>
    public Tensor forward(Tensor idx, Tensor? key_padding_mask)
    {
        var h = encode(idx, key_padding_mask);
        return head.forward(head_norm.forward(F.gelu(head_transform.forward(h))));
    }

    /// <summary>idx (B, T) → the contextual states (B, T, D) after the final LayerNorm.</summary>
    public Tensor encode(Tensor idx, Tensor? key_padding_mask = null)
    {
        var x = embed(idx);
        foreach (var block in blocks) x = block.forward(x, key_padding_mask, causal: false);
        return norm.forward(x);
    }

    /// <summary>The masked-language-model loss: cross-entropy at the positions whose label is not <see cref="MaskedLanguageModeling.IgnoreIndex"/>.</summary>
    public Tensor loss(Tensor inputs, Tensor labels, Tensor? key_padding_mask = null)
    {
        var logits = forward(inputs, key_padding_mask);
        return F.cross_entropy(logits.reshape(-1, logits.size(2)), labels.reshape(-1), ignore_index: MaskedLanguageModeling.IgnoreIndex);
    }

    /// <summary>The attention weights (B, h, T, T) of block <paramref name="layer"/> for idx (B, T).</summary>
    public Tensor attention_weights(Tensor idx, int layer, Tensor? key_padding_mask = null)
    {
        if (layer < 0 || layer >= blocks.Count) throw new ArgumentOutOfRangeException(nameof(layer), layer, $"the model has blocks 0..{blocks.Count - 1}.");
        var x = embed(idx);
        for (int i = 0; i < layer; i++) x = blocks[i].forward(x, key_padding_mask, causal: false);
        return blocks[layer].attention_weights(x, key_padding_mask, causal: false);
    }

    private Tensor embed(Tensor idx)
    {
        long T = idx.size(1);
        if (T > block_size) throw new ArgumentException($"sequence of {T} tokens is longer than block_size {block_size}", nameof(idx));
        var x = token_embed.forward(idx) + position_embed.forward(arange(T, device: idx.device));
        return F.dropout(x, dropout, training);
    }
}

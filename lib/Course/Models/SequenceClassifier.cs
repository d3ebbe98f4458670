namespace Course.Models;

/// <summary>How a <see cref="SequenceClassifier"/> turns the states of a sequence into one vector.</summary>
public enum SequencePooling
{
    /// <summary>The mean of the states at the real (not padding) positions.</summary>
    Mean,
    /// <summary>The state at the last real position (with causal attention, the only one that has read every token).</summary>
    Last,
}

/// <summary>
/// A sequence classifier on top of a <see cref="CharTransformer"/>: its embeddings, causal blocks and final LayerNorm
/// give one state per token, a pooling step (<see cref="SequencePooling"/>) makes one vector per sequence, and a linear
/// head scores the classes. The language model's next-character head is left out. The body's modules are shared, not
/// copied: training the classifier changes the language model (build the body afresh, or load its weights, for each
/// run). Sequences are padded on the right with pad_id; padding is masked out of attention and pooling, so the
/// logits of a sequence do not depend on how much padding follows it.
/// </summary>
public sealed class SequenceClassifier : nn.Module<Tensor, Tensor>
{
    public readonly Embedding token_embed, position_embed;
    public readonly ModuleList<EncoderBlock> blocks;
    public readonly LayerNorm norm;
    public readonly Linear head;
    public long pad_id { get; }
    public long block_size { get; }
    public double dropout { get; }
    public SequencePooling pooling { get; }

    public SequenceClassifier(CharTransformer body, long num_classes, long pad_id = 0, SequencePooling pooling = SequencePooling.Mean)
        : base(nameof(SequenceClassifier))
    {
        ArgumentNullException.ThrowIfNull(body);
        if (num_classes < 2) throw new ArgumentOutOfRangeException(nameof(num_classes), num_classes, "a classifier needs at least 2 classes");
        (token_embed, position_embed, blocks, norm) = (body.token_embed, body.position_embed, body.blocks, body.norm);
        (this.pad_id, block_size, dropout, this.pooling) = (pad_id, body.block_size, body.dropout, pooling);
        var d_model = token_embed.weight.size(1);
        head = nn.Linear(d_model, num_classes, device: token_embed.weight.device);
        head.to(token_embed.weight.dtype);
        RegisterComponents();
    }

    /// <summary>idx (B, T) token ids, padded on the right with pad_id → one vector per sequence (B, D).</summary>
    public Tensor encode(Tensor idx)
    {
        long T = idx.size(1);
        if (T > block_size) throw new ArgumentException($"sequence of {T} tokens is longer than block_size {block_size}");
        var is_token = idx.ne((double)pad_id);                                    // (B, T) true at real positions
        var x = token_embed.forward(idx) + position_embed.forward(arange(T, device: idx.device));
        x = F.dropout(x, dropout, training);
        // causal, and no query looks at a padding key (with right padding, position 0 is always a real key)
        foreach (var block in blocks) x = block.forward(x, is_token, causal: true);
        x = norm.forward(x);
        var lengths = is_token.sum(1);                                             // (B) real tokens per sequence
        if (pooling == SequencePooling.Mean)
        {
            var weights = is_token.to(x.dtype).unsqueeze(-1);                      // (B, T, 1)
            return (x * weights).sum(1) / lengths.clamp(min: 1).to(x.dtype).unsqueeze(-1);
        }
        var last = (lengths - 1).clamp(min: 0).to(int64).view(-1, 1, 1).expand(-1, 1, x.size(2)); // (B, 1, D) index of the last real token
        return x.gather(1, last).squeeze(1);
    }

    /// <summary>idx (B, T), padded on the right with pad_id → class logits (B, num_classes).</summary>
    public override Tensor forward(Tensor idx) => head.forward(encode(idx));

    /// <summary>
    /// Token ids of texts, each cut to its first max_length characters, padded on the right with the tokenizer's
    /// &lt;pad&gt; to the longest in the batch: (B, T) int64.
    /// </summary>
    public static Tensor Encode(CharTokenizer tokenizer, IEnumerable<string> texts, int max_length, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var rows = texts.Select(t => tokenizer.Encode(t.Length > max_length ? t[..max_length] : t)).ToList();
        if (rows.Count == 0) throw new ArgumentException("there are no texts to encode", nameof(texts));
        if (rows.Any(r => r.Length == 0)) throw new ArgumentException("an empty text has no token to classify", nameof(texts));
        int width = rows.Max(r => r.Length);
        var ids = new long[rows.Count * width];
        Array.Fill(ids, tokenizer.PadId);
        for (int i = 0; i < rows.Count; i++) rows[i].CopyTo(ids, i * width);
        return tensor(ids, new long[] { rows.Count, width }, device: device);
    }
}

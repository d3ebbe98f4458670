namespace Course.Models;

/// <summary>
/// CLIP (Radford et al.): an image encoder and a text encoder, each followed by a linear projection into one shared
/// space, where both embeddings are L2-normalised. For a batch of n matching (image, caption) pairs
/// <code>
///   I_e = normalize(image_encoder(I) · W_i)     T_e = normalize(text_encoder(T) · W_t)
///   logits = exp(t) · I_e T_eᵀ                   (n × n; row i: image i against every caption)
///   loss = ( CE(logits, arange(n)) + CE(logitsᵀ, arange(n)) ) / 2
/// </code>
/// The temperature is learned as t = log(1/τ), initialised at log(1/0.07), and clamped so that exp(t) ≤ 100.
/// </summary>
public sealed class Clip : nn.Module
{
    /// <summary>The largest logit scale, exp(t) ≤ 100, as in the paper.</summary>
    public static readonly double MaxLogitScale = Math.Log(100);

    public readonly ClipImageEncoder visual;
    public readonly ClipTextEncoder text;
    public readonly Linear image_projection, text_projection;
    public readonly Parameter logit_scale;
    public long embed_dim { get; }

    public Clip(long vocab, long embed_dim = 64, long image_width = 128, long cnn_width = 32,
                long text_width = 64, long text_layers = 2, long text_heads = 4, long context_length = 16, double init_temperature = 0.07)
        : base(nameof(Clip))
    {
        if (init_temperature <= 0) throw new ArgumentOutOfRangeException(nameof(init_temperature), init_temperature, "the temperature must be positive.");
        this.embed_dim = embed_dim;
        visual = new ClipImageEncoder(image_width, cnn_width);
        text = new ClipTextEncoder(vocab, text_width, text_layers, text_heads, context_length);
        image_projection = nn.Linear(image_width, embed_dim, false);  // no bias
        text_projection = nn.Linear(text_width, embed_dim, false);  // no bias
        logit_scale = nn.Parameter(tensor(Math.Log(1 / init_temperature), float32));   // float32: TorchSharp makes a C# double float64
        RegisterComponents();
    }

    /// <summary>Images (B, 1, H, W) → unit-length embeddings (B, embed_dim).</summary>
    public Tensor encode_image(Tensor images) => F.normalize(image_projection.forward(visual.forward(images)), dim: -1);

    /// <summary>Token ids (B, L), each row words then &lt;eos&gt; then padding → unit-length embeddings (B, embed_dim).</summary>
    public Tensor encode_text(Tensor tokens) => F.normalize(text_projection.forward(text.forward(tokens)), dim: -1);

    /// <summary>exp(t), with t clamped at log 100.</summary>
    public Tensor scale() => logit_scale.clamp(max: MaxLogitScale).exp();

    /// <summary>logits_per_image (B, B): entry (i, j) is exp(t) times the cosine similarity of image i and caption j.</summary>
    public Tensor forward(Tensor images, Tensor tokens) => scale() * encode_image(images).matmul(encode_text(tokens).t());

    /// <summary>The symmetric InfoNCE loss of a batch of matching pairs.</summary>
    public Tensor loss(Tensor images, Tensor tokens) => ClipLoss.symmetric_info_nce(forward(images, tokens));
}

/// <summary>The contrastive loss of CLIP.</summary>
public static class ClipLoss
{
    /// <summary>
    /// logits (n, n) with the matching pairs on the diagonal → the mean of the cross-entropy of each row against its
    /// diagonal entry (image → caption) and of each column against its diagonal entry (caption → image).
    /// </summary>
    public static Tensor symmetric_info_nce(Tensor logits)
    {
        if (logits.dim() != 2 || logits.size(0) != logits.size(1))
            throw new ArgumentException($"the logits must be a square matrix (n images × n captions), not [{string.Join(", ", logits.shape)}].", nameof(logits));
        var labels = arange(logits.size(0), dtype: int64, device: logits.device);
        return (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2;
    }
}

/// <summary>
/// CLIP's image encoder for the 28×56 captioned canvas: three blocks of conv 3×3 → BatchNorm → ReLU → 2×2 max-pool
/// (28×56 → 3×7), flattened (so where the garment sits survives) and mapped to the image feature.
/// </summary>
public sealed class ClipImageEncoder : nn.Module<Tensor, Tensor>
{
    public readonly Sequential features;
    public readonly Linear fc;
    /// <summary>The grid the convolutions leave (3×7 = 21 cells for the 28×56 canvas) and the channels of each cell.</summary>
    public long grid_cells { get; }
    public long grid_channels { get; }

    public ClipImageEncoder(long width = 128, long cnn_width = 32, long height = 28, long canvas_width = 56)
        : base(nameof(ClipImageEncoder))
    {
        grid_cells = (height / 8) * (canvas_width / 8); grid_channels = 4 * cnn_width;
        features = nn.Sequential(
            nn.Conv2d(1, cnn_width, 3, padding: 1), nn.BatchNorm2d(cnn_width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(cnn_width, 2 * cnn_width, 3, padding: 1), nn.BatchNorm2d(2 * cnn_width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(2 * cnn_width, 4 * cnn_width, 3, padding: 1), nn.BatchNorm2d(4 * cnn_width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten());
        fc = nn.Linear(4 * cnn_width * (height / 8) * (canvas_width / 8), width);
        RegisterComponents();
    }

    /// <summary>Images (B, 1, 28, 56) → features (B, width).</summary>
    public override Tensor forward(Tensor images) => fc.forward(features.forward(images));

    /// <summary>
    /// Images (B, 1, 28, 56) → the feature grid before the last linear layer, one token per cell (B, 21, 4·cnn_width):
    /// the visual tokens a captioner reads (LLaVA's Z_v, taken from the grid rather than from the pooled embedding).
    /// </summary>
    public Tensor grid(Tensor images) => features.forward(images).view(images.size(0), grid_channels, grid_cells).transpose(1, 2);
}

/// <summary>
/// CLIP's text encoder: token plus learned position embeddings → pre-norm Transformer blocks with causal attention →
/// LayerNorm; the caption's feature is the state at its &lt;eos&gt; token (which has read every word). Padding
/// (id 0) comes after &lt;eos&gt;, so causal attention never lets a word see it.
/// </summary>
public sealed class ClipTextEncoder : nn.Module<Tensor, Tensor>
{
    public readonly Embedding token_embed, position_embed;
    public readonly ModuleList<EncoderBlock> blocks;
    public readonly LayerNorm ln_final;
    public long context_length { get; }
    public long pad_id { get; }

    public ClipTextEncoder(long vocab, long width = 64, long layers = 2, long heads = 4, long context_length = 16, long pad_id = 0)
        : base(nameof(ClipTextEncoder))
    {
        this.context_length = context_length; this.pad_id = pad_id;
        token_embed = nn.Embedding(vocab, width); position_embed = nn.Embedding(context_length, width);
        blocks = nn.ModuleList(Enumerable.Range(0, (int)layers).Select(_ => new EncoderBlock(width, heads, 4 * width, 0)).ToArray());
        ln_final = nn.LayerNorm(width);
        RegisterComponents();          // before the initialisation, which walks parameters()
        TransformerInit.Apply(this);
    }

    /// <summary>Token ids (B, L) → the final state at each row's &lt;eos&gt; (B, width): the last non-padding position.</summary>
    public override Tensor forward(Tensor tokens)
    {
        long L = tokens.size(1);
        if (L > context_length) throw new ArgumentException($"captions of {L} tokens are longer than the context length {context_length}.", nameof(tokens));
        var x = token_embed.forward(tokens) + position_embed.forward(arange(L, dtype: int64, device: tokens.device));
        foreach (var block in blocks) x = block.forward(x, null, causal: true);
        x = ln_final.forward(x);
        var eos = tokens.ne((double)pad_id).sum(1).sub(1L);                               // (B,) position of <eos>
        return x.gather(1, eos.view(-1, 1, 1).expand(-1, 1, x.size(2))).squeeze(1);      // (B, width)
    }
}

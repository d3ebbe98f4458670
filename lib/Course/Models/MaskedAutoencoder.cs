namespace Course.Models;

/// <summary>
/// Masked autoencoder (He et al.): cut the image into N patches, hide a random (1 - keep) of them, let a
/// <see cref="VisionTransformer"/> encoder read only the visible ones, then let a small decoder, given the encoded
/// visible tokens and a shared learned mask token at every hidden position, predict the hidden patches' pixels. The
/// loss is the mean squared error over the hidden patches only:
/// <code>
///   loss = Σ_i m_i · ‖x̂_i − t_i‖² / P  /  Σ_i m_i      (m_i = 1 for a hidden patch, P pixels per patch)
/// </code>
/// with t_i the patch's pixels, or, with <c>norm_pix_loss</c>, the patch's pixels standardised by their own mean and
/// variance. After pretraining the encoder is a ViT whose head is new: <see cref="copy_encoder_to"/> hands its
/// weights to a classifier for fine-tuning.
/// </summary>
public sealed class MaskedAutoencoder : nn.Module<Tensor, Tensor>
{
    public readonly VisionTransformer encoder;       // patch_embed, cls_token, pos_embed, blocks, norm (its head is unused here)
    public readonly Linear decoder_embed;            // encoder width → decoder width
    public readonly Parameter mask_token, decoder_pos_embed;
    public readonly ModuleList<EncoderBlock> decoder_blocks;
    public readonly LayerNorm decoder_norm;
    public readonly Linear decoder_pred;             // decoder width → the pixels of one patch
    public double mask_ratio { get; }
    public bool norm_pix_loss { get; }
    public long patch_size => encoder.patch_size;
    public long num_patches => encoder.num_patches;
    public long in_channels { get; }

    public MaskedAutoencoder(VisionTransformer encoder, long decoder_dim = 64, long decoder_depth = 1, long decoder_heads = 4,
                             long decoder_mlp_ratio = 2, double mask_ratio = 0.75, bool norm_pix_loss = false)
        : base(nameof(MaskedAutoencoder))
    {
        ArgumentNullException.ThrowIfNull(encoder);
        if (!(mask_ratio >= 0 && mask_ratio < 1)) throw new ArgumentOutOfRangeException(nameof(mask_ratio), mask_ratio, "the mask ratio must be in [0, 1): at least one patch stays visible.");
        if (encoder.dropout != 0) throw new ArgumentException($"the encoder has dropout {encoder.dropout}; a masked autoencoder's encoder is built without dropout (dropout: 0).", nameof(encoder));
        this.encoder = encoder; this.mask_ratio = mask_ratio; this.norm_pix_loss = norm_pix_loss;
        long d_model = encoder.cls_token.size(2);
        in_channels = encoder.patch_embed.weight.size(1);
        long patch_pixels = patch_size * patch_size * in_channels;
        decoder_embed = nn.Linear(d_model, decoder_dim);
        mask_token = nn.Parameter(randn(1, 1, decoder_dim).mul_(0.02));
        decoder_pos_embed = nn.Parameter(randn(1, num_patches + 1, decoder_dim).mul_(0.02));
        decoder_blocks = nn.ModuleList(Enumerable.Range(0, (int)decoder_depth).Select(_ => new EncoderBlock(decoder_dim, decoder_heads, decoder_mlp_ratio * decoder_dim)).ToArray());
        decoder_norm = nn.LayerNorm(decoder_dim);
        decoder_pred = nn.Linear(decoder_dim, patch_pixels);
        RegisterComponents();          // before the initialisation: TorchSharp's ModuleList lists its blocks once registered
        TransformerInit.Apply(decoder_blocks); TransformerInit.Apply(decoder_embed); TransformerInit.Apply(decoder_pred);
    }

    /// <summary>Images (B, C, H, W) → patches (B, N, p·p·C), patches in reading order, each patch's pixels row by row (channels last).</summary>
    public static Tensor patchify(Tensor images, long p)
    {
        if (images.dim() != 4) throw new ArgumentException($"patchify expects images (B, C, H, W), got shape [{string.Join(", ", images.shape)}]");
        long b = images.size(0), c = images.size(1), hh = images.size(2), ww = images.size(3);
        if (hh % p != 0 || ww % p != 0) throw new ArgumentException($"image size {hh}x{ww} is not a multiple of the patch size {p}");
        long h = hh / p, w = ww / p;
        return images.reshape(b, c, h, p, w, p).permute(0, 2, 4, 3, 5, 1).reshape(b, h * w, p * p * c);
    }

    /// <summary>The inverse of <see cref="patchify"/>: patches (B, N, p·p·C) of a square image → images (B, C, H, W).</summary>
    public static Tensor unpatchify(Tensor patches, long p, long channels = 1)
    {
        if (patches.dim() != 3 || patches.size(2) != p * p * channels) throw new ArgumentException($"unpatchify expects patches (B, N, {p * p * channels}), got shape [{string.Join(", ", patches.shape)}]");
        long b = patches.size(0), h = (long)Math.Round(Math.Sqrt(patches.size(1)));
        if (h * h != patches.size(1)) throw new ArgumentException($"{patches.size(1)} patches do not make a square image");
        return patches.reshape(b, h, h, p, p, channels).permute(0, 5, 1, 3, 2, 4).reshape(b, channels, h * p, h * p);
    }

    /// <summary>
    /// Keeps a random <c>len_keep = ⌊N (1 − mask_ratio)⌋</c> of the tokens x (B, N, D) of each example: sort uniform noise,
    /// keep the tokens with the smallest noise. Returns the kept tokens (B, len_keep, D) in that shuffled order, the mask
    /// (B, N: 0 kept, 1 hidden, in the original order) and ids_restore (B, N), the permutation that undoes the shuffle.
    /// <paramref name="noise"/> (B, N) can be given to make the choice deterministic.
    /// </summary>
    public static (Tensor x_visible, Tensor mask, Tensor ids_restore) random_masking(Tensor x, double mask_ratio, Tensor? noise = null)
    {
        long b = x.size(0), n = x.size(1), d = x.size(2);
        long len_keep = (long)(n * (1 - mask_ratio));
        if (len_keep < 1) throw new ArgumentException($"mask ratio {mask_ratio} leaves no visible token of {n}");
        noise ??= rand(new[] { b, n }, device: x.device);
        if (!noise.shape.SequenceEqual(new[] { b, n })) throw new ArgumentException($"noise must have shape [{b}, {n}], got [{string.Join(", ", noise.shape)}]");
        var ids_shuffle = noise.argsort(1);                    // ascending: the first len_keep are kept
        var ids_restore = ids_shuffle.argsort(1);
        var ids_keep = ids_shuffle[.., ..(int)len_keep];
        var x_visible = x.gather(1, ids_keep.unsqueeze(-1).expand(b, len_keep, d));
        var mask = ones(new[] { b, n }, device: x.device);
        mask[.., ..(int)len_keep] = zeros(new[] { b, len_keep }, device: x.device);
        mask = mask.gather(1, ids_restore);
        return (x_visible, mask, ids_restore);
    }

    /// <summary>Encodes the visible patches only: (latent (B, 1 + len_keep, D) with the class token first, mask, ids_restore).</summary>
    public (Tensor latent, Tensor mask, Tensor ids_restore) forward_encoder(Tensor images, double mask_ratio, Tensor? noise = null)
    {
        var x = encoder.patch_embed.forward(images).flatten(2).transpose(1, 2);    // (B, N, D)
        x = x + encoder.pos_embed[.., 1..];                                       // positions before masking
        var (visible, mask, ids_restore) = random_masking(x, mask_ratio, noise);
        var cls = (encoder.cls_token + encoder.pos_embed[.., ..1]).expand(images.size(0), -1, -1);
        x = cat(new[] { cls, visible }, 1);
        foreach (var block in encoder.blocks) x = block.forward(x);
        return (encoder.norm.forward(x), mask, ids_restore);
    }

    /// <summary>Decodes: visible tokens and mask tokens put back in image order, plus positions → predicted pixels (B, N, p·p·C).</summary>
    public Tensor forward_decoder(Tensor latent, Tensor ids_restore)
    {
        var x = decoder_embed.forward(latent);                                    // (B, 1 + len_keep, Dd)
        long b = x.size(0), n = ids_restore.size(1), dd = x.size(2);
        var mask_tokens = mask_token.expand(b, n + 1 - x.size(1), dd);
        var tokens = cat(new[] { x[.., 1..], mask_tokens }, 1);                   // shuffled order
        tokens = tokens.gather(1, ids_restore.unsqueeze(-1).expand(b, n, dd));    // image order
        x = cat(new[] { x[.., ..1], tokens }, 1) + decoder_pos_embed;
        foreach (var block in decoder_blocks) x = block.forward(x);
        return decoder_pred.forward(decoder_norm.forward(x))[.., 1..];            // drop the class token
    }

    /// <summary>The pixels the decoder is asked to predict: the patches, standardised per patch with norm_pix_loss.</summary>
    public Tensor target(Tensor images)
    {
        var t = patchify(images, patch_size);
        if (!norm_pix_loss) return t;
        var mean = t.mean([-1], keepdim: true);
        var variance = t.var(-1, unbiased: true, keepdim: true);
        return (t - mean) / (variance + 1e-6).sqrt();
    }

    /// <summary>Mean squared error per patch, averaged over the hidden patches only.</summary>
    public Tensor forward_loss(Tensor images, Tensor pred, Tensor mask)
    {
        var per_patch = (pred - target(images)).square().mean([-1]);                // (B, N)
        return (per_patch * mask).sum() / mask.sum();
    }

    /// <summary>Loss, predicted patches (B, N, p·p·C) and mask (B, N) of one random masking of the images.</summary>
    public (Tensor loss, Tensor pred, Tensor mask) forward_all(Tensor images, Tensor? noise = null)
    {
        var (latent, mask, ids_restore) = forward_encoder(images, mask_ratio, noise);
        var pred = forward_decoder(latent, ids_restore);
        return (forward_loss(images, pred, mask), pred, mask);
    }

    /// <summary>The pretraining loss of a batch of images (one random masking).</summary>
    public override Tensor forward(Tensor images) => forward_all(images).loss;

    /// <summary>
    /// For drawing: (masked, reconstructed) images (B, C, H, W). Masked shows the visible patches and zeros elsewhere;
    /// reconstructed shows the visible patches as given and the model's prediction in the hidden ones (with
    /// norm_pix_loss the prediction is put back on each hidden patch's own mean and spread, which a drawing may use).
    /// </summary>
    public (Tensor masked, Tensor reconstructed) reconstruct(Tensor images, Tensor? noise = null)
    {
        using var _ = no_grad();
        var (_, pred, mask) = forward_all(images, noise);
        var patches = patchify(images, patch_size);
        if (norm_pix_loss)
        {
            var mean = patches.mean([-1], keepdim: true);
            var std = (patches.var(-1, unbiased: true, keepdim: true) + 1e-6).sqrt();
            pred = pred * std + mean;
        }
        var m = mask.unsqueeze(-1);
        return (unpatchify(patches * (1 - m), patch_size, in_channels),
                unpatchify(patches * (1 - m) + pred * m, patch_size, in_channels));
    }

    /// <summary>
    /// Copies the pretrained encoder into <paramref name="classifier"/> (a ViT of the same shape, e.g. a fresh one):
    /// every weight but the classification head, which stays as the classifier made it. Returns the classifier.
    /// </summary>
    public VisionTransformer copy_encoder_to(VisionTransformer classifier)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        var weights = encoder.state_dict().Where(kv => !kv.Key.StartsWith("head.")).ToDictionary(kv => kv.Key, kv => kv.Value);
        var own = classifier.state_dict().Keys.Where(k => !k.StartsWith("head.")).ToHashSet();
        if (!own.SetEquals(weights.Keys)) throw new ArgumentException("the classifier's layers differ from the encoder's: build it with the same depth.", nameof(classifier));
        classifier.load_state_dict(weights, strict: false);
        return classifier;
    }
}

namespace Course.Models;

/// <summary>
/// Vision Transformer (Dosovitskiy et al.): the image is cut into p×p patches, each linearly embedded
/// (a convolution with stride p); a learned class token is prepended and learned position embeddings
/// added; pre-norm encoder blocks mix the tokens; the class token's final state is classified.
/// </summary>
public sealed class VisionTransformer : nn.Module<Tensor, Tensor>
{
    public readonly Conv2d patch_embed;
    public readonly Parameter cls_token, pos_embed;
    public readonly ModuleList<EncoderBlock> blocks;
    public readonly LayerNorm norm;
    public readonly Linear head;
    public long patch_size { get; }
    public long num_patches { get; }
    public double dropout { get; }

    public VisionTransformer(long image_size = 28, long patch_size = 4, long in_channels = 1, long num_classes = 10,
                             long d_model = 64, long depth = 6, long heads = 4, long mlp_ratio = 2, double dropout = 0.1)
        : base(nameof(VisionTransformer))
    {
        if (image_size % patch_size != 0) throw new ArgumentException($"image size {image_size} is not a multiple of the patch size {patch_size}");
        this.patch_size = patch_size; this.dropout = dropout;
        num_patches = (image_size / patch_size) * (image_size / patch_size);
        patch_embed = nn.Conv2d(in_channels, d_model, patch_size, stride: patch_size);
        // parameters are made outside dispose scopes (TorchSharp would dispose them with the scope), from tensors they
        // take over: in-place scaling leaves no temporary behind
        cls_token = nn.Parameter(zeros(1, 1, d_model));
        pos_embed = nn.Parameter(randn(1, num_patches + 1, d_model).mul_(0.02));
        blocks = nn.ModuleList(Enumerable.Range(0, (int)depth).Select(_ => new EncoderBlock(d_model, heads, mlp_ratio * d_model, dropout)).ToArray());
        norm = nn.LayerNorm(d_model);
        head = nn.Linear(d_model, num_classes);
        RegisterComponents();          // before the initialisation, which walks parameters()
        TransformerInit.Apply(this);
    }

    /// <summary>Images (B, C, H, W) → tokens (B, 1 + N, D): the class token, then one per patch, plus positions.</summary>
    public Tensor embed(Tensor images)
    {
        var patches = patch_embed.forward(images).flatten(2).transpose(1, 2);   // (B, N, D)
        var cls = cls_token.expand(images.size(0), -1, -1);                     // (B, 1, D)
        return nn.functional.dropout(cat(new[] { cls, patches }, 1) + pos_embed, dropout, training);
    }

    public override Tensor forward(Tensor images)
    {
        var x = embed(images);
        foreach (var block in blocks) x = block.forward(x);
        return head.forward(norm.forward(x)[.., 0]);                           // the class token's state
    }

    /// <summary>
    /// How much the class token attends to each patch in the last block, averaged over heads:
    /// (B, H/p, W/p), for drawing over the image.
    /// </summary>
    public Tensor class_token_attention(Tensor images)
    {
        using var _ = no_grad();
        var x = embed(images);
        foreach (var block in blocks.SkipLast(1)) x = block.forward(x);
        var weights = blocks[^1].attention_weights(x);                          // (B, heads, 1 + N, 1 + N)
        long side = (long)Math.Sqrt(num_patches);
        return weights.mean([1])[.., 0, 1..].reshape(images.size(0), side, side);
    }
}

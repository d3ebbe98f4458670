using Torch;
using Torch.Modules;
using static Torch.torch;

namespace Course.Models;

/// <summary>
/// Vision Transformer (Dosovitskiy et al.): the image is cut into p×p patches, each linearly embedded
/// (a convolution with stride p); a learned class token is prepended and learned position embeddings
/// added; pre-norm encoder blocks mix the tokens; the class token's final state is classified.
/// </summary>
public sealed class VisionTransformer : nn.Module<Tensor, Tensor>
{
    public readonly Conv2d patch_embed;
    public readonly nn.Parameter cls_token, pos_embed;
    public readonly ModuleList blocks;
    public readonly LayerNorm norm;
    public readonly Linear head;
    public long patch_size { get; }
    public long num_patches { get; }
    private readonly double p;

    public VisionTransformer(long image_size = 28, long patch_size = 4, long in_channels = 1, long num_classes = 10,
                             long d_model = 64, long depth = 6, long heads = 4, long mlp_ratio = 2, double dropout = 0.1)
    {
        if (image_size % patch_size != 0) throw new ArgumentException($"image size {image_size} is not a multiple of the patch size {patch_size}");
        this.patch_size = patch_size; p = dropout;
        num_patches = (image_size / patch_size) * (image_size / patch_size);
        patch_embed = nn.Conv2d(in_channels, d_model, patch_size, stride: patch_size);
        using (var scope = NewDisposeScope())
        {
            cls_token = new nn.Parameter(zeros(1, 1, d_model));
            pos_embed = new nn.Parameter(randn(1, num_patches + 1, d_model) * 0.02);
        }
        blocks = nn.ModuleList();
        for (int i = 0; i < depth; i++) blocks.append(new EncoderBlock(d_model, heads, mlp_ratio * d_model, dropout));
        norm = nn.LayerNorm(d_model);
        head = nn.Linear(d_model, num_classes);
        TransformerInit.Apply(this);
    }

    /// <summary>Images (B, C, H, W) → tokens (B, 1 + N, D): the class token, then one per patch.</summary>
    public Tensor embed(Tensor images)
    {
        using var scope = NewDisposeScope();
        var patches = patch_embed.forward(images).flatten(2).transpose(1, 2);   // (B, N, D)
        var cls = cls_token.expand(images.size(0), -1, -1);
        var tokens = cat(new[] { cls, patches }, 1) + pos_embed;
        return nn.functional.dropout(tokens, p, training).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = embed(images);
        foreach (EncoderBlock block in blocks) x = block.forward(x);
        return head.forward(norm.forward(x)[TensorIndex.Colon, 0]).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// How much the class token attends to each patch in the last block, averaged over heads:
    /// (B, H/p, W/p), for drawing over the image.
    /// </summary>
    public Tensor class_token_attention(Tensor images)
    {
        var last = ((EncoderBlock)blocks[blocks.Count - 1]).attn;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        bool was = last.keep_weights;
        last.keep_weights = true;
        try { forward(images); }
        finally { last.keep_weights = was; }
        var w = last.last_weights!.mean(1)[TensorIndex.Colon, 0, 1..];            // (B, N)
        long side = (long)Math.Sqrt(num_patches);
        return w.reshape(images.size(0), side, side).MoveToOuterDisposeScope();
    }
}

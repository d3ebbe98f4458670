using Course.Models;

namespace Course.FineTuning;

/// <summary>
/// Visual prompt tuning (Jia et al., VPT): p learned prompt tokens sit between a ViT's class token and its patch tokens.
/// Shallow: the prompts P₀ enter before the first block, [x₀, P₀, E₀], and later blocks carry on what the previous one
/// made of them, Zᵢ. Deep: before every block i a fresh Pᵢ₋₁ replaces those positions, [xᵢ₋₁, Pᵢ₋₁, Eᵢ₋₁]. Prompts get no
/// position embedding. The ViT is used as it is; freezing it (all but the head) is the caller's step, as in the recipe.
/// </summary>
public sealed class VisualPromptTuning : nn.Module<Tensor, Tensor>
{
    public readonly VisionTransformer vit;
    /// <summary>(layers, p, D): one layer of prompts for shallow VPT, one per block for deep VPT.</summary>
    public readonly Parameter prompts;
    public long num_prompts { get; }
    public bool deep { get; }

    public VisualPromptTuning(VisionTransformer vit, long num_prompts, bool deep)
        : base(nameof(VisualPromptTuning))
    {
        if (num_prompts < 1) throw new ArgumentOutOfRangeException(nameof(num_prompts), num_prompts, "at least one prompt token");
        (this.vit, this.num_prompts, this.deep) = (vit, num_prompts, deep);
        var patch = vit.patch_embed.weight;                                  // (D, C, p, p)
        long d = patch.size(0), fanIn = patch.size(1) * patch.size(2) * patch.size(3);
        double bound = Math.Sqrt(6.0 / (fanIn + d));                         // the patch embedding's Xavier range
        prompts = nn.Parameter(empty(new[] { deep ? vit.blocks.Count : 1, num_prompts, d }, dtype: patch.dtype, device: patch.device).uniform_(-bound, bound));
        RegisterComponents();
    }

    public override Tensor forward(Tensor images)
    {
        long p = num_prompts;
        var x = vit.embed(images);                                           // [x₀, E₀]
        for (int i = 0; i < vit.blocks.Count; i++)
        {
            if (i == 0) x = cat(new[] { x[.., ..1], prompt(0, x), x[.., 1..] }, 1);                          // [x₀, P₀, E₀]
            else if (deep) x = cat(new[] { x[.., ..1], prompt(i, x), x[.., (int)(1 + p)..] }, 1);             // [xᵢ, Pᵢ, Eᵢ]
            x = vit.blocks[i].forward(x);
        }
        return vit.head.forward(vit.norm.forward(x)[.., 0]);                // Head(x_N)
    }

    // the prompts of layer i for every image of the batch: (B, p, D)
    private Tensor prompt(int i, Tensor x) => prompts[i].expand(x.size(0), -1, -1);

#if !TORCHSHARP // TorchSharp's modules have no extra_repr: there the description is the type's name
    public override string extra_repr() => $"num_prompts={num_prompts}, deep={deep}";
#endif
}

namespace Course.FineTuning;

/// <summary>
/// A linear layer with a low-rank update (Hu et al., LoRA): h = W x + b + (α/r) B A x. The pretrained W and b are the
/// wrapped layer's own parameters, frozen; only A (r × in, Gaussian) and B (out × r, zero) learn, so training starts from
/// exactly the pretrained function. The update costs r (in + out) parameters instead of in · out.
/// </summary>
public class LoRALinear : Linear
{
    public readonly Parameter lora_A, lora_B;
    public long r { get; }
    public double lora_alpha { get; }
    public double lora_dropout { get; }
    /// <summary>α / r: how strongly B A is added (with α fixed, changing r does not change the update's scale).</summary>
    public double scaling => lora_alpha / r;
    /// <summary>True while B A is folded into W (<see cref="merge"/>): forward is then the plain layer's.</summary>
    public bool merged { get; private set; }

    /// <summary>Wraps <paramref name="base_layer"/>: shares (and freezes) its weight and bias, and adds A and B on its device.</summary>
    public LoRALinear(Linear base_layer, long r, double lora_alpha = 1, double lora_dropout = 0)
        : base(base_layer.weight, base_layer.bias)
    {
        if (r < 1) throw new ArgumentOutOfRangeException(nameof(r), r, "the rank r must be at least 1");
        if (lora_dropout < 0 || lora_dropout >= 1) throw new ArgumentOutOfRangeException(nameof(lora_dropout), lora_dropout, "dropout must be in [0, 1)");
        (this.r, this.lora_alpha, this.lora_dropout) = (r, lora_alpha, lora_dropout);
        weight.requires_grad = false;
        if (bias is not null) bias.requires_grad = false;
        using var scope = NewDisposeScope();
        // A ~ N(0, 1/in): A x has about the spread of x; B = 0: the update starts at zero
        lora_A = nn.Parameter(randn(new[] { r, in_features }, dtype: weight.dtype, device: weight.device) / Math.Sqrt(in_features));
        lora_B = nn.Parameter(zeros(new[] { out_features, r }, dtype: weight.dtype, device: weight.device));
    }

    public override Tensor forward(Tensor x)
    {
        var h = F.linear(x, weight, bias);
        if (merged) return h;
        return h + scaling * F.linear(F.linear(F.dropout(x, lora_dropout, training), lora_A), lora_B);
    }

    /// <summary>ΔW = (α/r) B A, the update to W this layer has learned.</summary>
    public Tensor delta_weight() => scaling * lora_B.matmul(lora_A);

    /// <summary>Folds the update into W (W ← W + ΔW): the same outputs, at the plain layer's cost.</summary>
    public void merge()
    {
        if (merged) throw new InvalidOperationException("this LoRA layer is already merged");
        using (no_grad()) using (var scope = NewDisposeScope()) weight.add_(delta_weight());
        merged = true;
    }

    /// <summary>Takes the update back out of W (W ← W − ΔW), to go on training A and B.</summary>
    public void unmerge()
    {
        if (!merged) throw new InvalidOperationException("this LoRA layer is not merged");
        using (no_grad()) using (var scope = NewDisposeScope()) weight.sub_(delta_weight());
        merged = false;
    }

    public override string extra_repr() => base.extra_repr() + $", r={r}, lora_alpha={lora_alpha}" + (lora_dropout > 0 ? $", lora_dropout={lora_dropout}" : "") + (merged ? ", merged" : "");
}

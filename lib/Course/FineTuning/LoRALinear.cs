namespace Course.FineTuning;

/// <summary>
/// A linear layer with a low-rank update (Hu et al., LoRA): h = W x + b + (α/r) B A x. It wraps the pretrained layer
/// (<see cref="base_layer"/>, its W and b frozen); only A (r × in, Gaussian) and B (out × r, zero) learn, so training
/// starts from exactly the pretrained function. The update costs r (in + out) parameters instead of in · out.
/// </summary>
public class LoRALinear : nn.Module<Tensor, Tensor>
{
    /// <summary>The wrapped pretrained layer: it computes W x + b, with W and b frozen.</summary>
    public readonly Linear base_layer;
    public readonly Parameter lora_A, lora_B;
    public long r { get; }
    public double lora_alpha { get; }
    public double lora_dropout { get; }
    /// <summary>α / r: how strongly B A is added (with α fixed, changing r does not change the update's scale).</summary>
    public double scaling => lora_alpha / r;
    /// <summary>True while B A is folded into W (<see cref="merge"/>): forward is then the plain layer's.</summary>
    public bool merged { get; private set; }
    /// <summary>The wrapped layer's W (frozen; it holds W + ΔW while merged).</summary>
    public Parameter weight => base_layer.weight;
    /// <summary>The wrapped layer's b (frozen), if it has one.</summary>
    public Parameter? bias => base_layer.bias;
    public long in_features => base_layer.in_features;
    public long out_features => base_layer.out_features;

    /// <summary>Wraps <paramref name="base_layer"/>: freezes its weight and bias, and adds A and B on its device.</summary>
    public LoRALinear(Linear base_layer, long r, double lora_alpha = 1, double lora_dropout = 0)
        : base(nameof(LoRALinear))
    {
        ArgumentNullException.ThrowIfNull(base_layer);
        if (r < 1) throw new ArgumentOutOfRangeException(nameof(r), r, "the rank r must be at least 1");
        if (lora_dropout < 0 || lora_dropout >= 1) throw new ArgumentOutOfRangeException(nameof(lora_dropout), lora_dropout, "dropout must be in [0, 1)");
        (this.base_layer, this.r, this.lora_alpha, this.lora_dropout) = (base_layer, r, lora_alpha, lora_dropout);
        base_layer.weight.requires_grad = false;
        if (base_layer.bias is not null) base_layer.bias.requires_grad = false;
        // A ~ N(0, 1/in): A x has about the spread of x; B = 0: the update starts at zero
        lora_A = nn.Parameter(randn(new[] { r, in_features }, dtype: weight.dtype, device: weight.device).div_(Math.Sqrt(in_features)));
        lora_B = nn.Parameter(zeros(new[] { out_features, r }, dtype: weight.dtype, device: weight.device));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var h = base_layer.forward(x);
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

#if !TORCHSHARP // TorchSharp's modules have no extra_repr: there the description is the type's name
    public override string extra_repr() => $"in_features={in_features}, out_features={out_features}, bias={bias is not null}, r={r}, lora_alpha={lora_alpha}" + (lora_dropout > 0 ? $", lora_dropout={lora_dropout}" : "") + (merged ? ", merged" : "");
#endif
}

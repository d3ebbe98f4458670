namespace Course.Models;

/// <summary>
/// Group normalisation (Wu and He, 2018), as PyTorch's nn.GroupNorm: the C channels of x [B, C, …] are split into G
/// groups, and each example's group is normalised over its channels and positions together,
/// <code>
///   y = (x − mean_group) / √(var_group + eps) · γ_c + β_c        (biased variance; γ, β per channel)
/// </code>
/// Unlike BatchNorm it uses no batch statistics, so training and sampling behave the same, whatever the batch.
/// </summary>
public sealed class GroupNorm : nn.Module<Tensor, Tensor>
{
    public readonly Parameter weight, bias;
    public long num_groups { get; }
    public long num_channels { get; }
    public double eps { get; }

    public GroupNorm(long num_groups, long num_channels, double eps = 1e-5)
        : base(nameof(GroupNorm))
    {
        if (num_groups < 1 || num_channels < 1 || num_channels % num_groups != 0)
            throw new ArgumentException($"{num_channels} channels cannot be split into {num_groups} equal groups.", nameof(num_groups));
        (this.num_groups, this.num_channels, this.eps) = (num_groups, num_channels, eps);
        weight = nn.Parameter(ones(num_channels));
        bias = nn.Parameter(zeros(num_channels));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (x.dim() < 2 || x.size(1) != num_channels)
            throw new ArgumentException($"GroupNorm({num_groups}, {num_channels}) takes [B, {num_channels}, …], not [{string.Join(", ", x.shape)}].", nameof(x));
        var groups = x.reshape(x.size(0), num_groups, -1);
        var mean = groups.mean([2], keepdim: true);
        var variance = groups.var(2, unbiased: false, keepdim: true);
        var normalised = ((groups - mean) / (variance + eps).sqrt()).reshape(x.shape);
        var perChannel = new long[x.dim()];
        Array.Fill(perChannel, 1L);
        perChannel[1] = num_channels;
        return normalised * weight.view(perChannel) + bias.view(perChannel);
    }

#if !TORCHSHARP // TorchSharp's modules have no extra_repr: there the description is the type's name
    public override string extra_repr() => $"{num_groups}, {num_channels}, eps={eps}";
#endif
}

namespace Course.Models;

/// <summary>
/// SimCLR (Chen et al., 2020) for 28×28 images: an encoder f turns an image into a representation h = f(x) (the features
/// a downstream task uses), a small projection head g maps it to z = g(h), where the contrastive loss
/// (<see cref="NTXent"/>) compares two augmented views of each image. After pretraining g is thrown away and h is kept.
/// <para>
/// f: two blocks of conv 3×3 → BatchNorm → ReLU → 2×2 max-pool (as in chapter 2's LeNet), then a linear layer to
/// <c>feature_dim</c> with BatchNorm and ReLU. g: linear → ReLU → linear to <c>projection_dim</c>.
/// </para>
/// </summary>
public sealed class SimClr : nn.Module<Tensor, Tensor>
{
    public readonly Sequential encoder, projector;
    public readonly long feature_dim, projection_dim;

    public SimClr(long in_channels = 1, long width = 32, long feature_dim = 128, long projection_dim = 64)
        : base(nameof(SimClr))
    {
        if (width < 1 || feature_dim < 1 || projection_dim < 1)
            throw new ArgumentOutOfRangeException(nameof(width), $"width ({width}), feature_dim ({feature_dim}) and projection_dim ({projection_dim}) must be positive.");
        (this.feature_dim, this.projection_dim) = (feature_dim, projection_dim);
        encoder = nn.Sequential(
            nn.Conv2d(in_channels, width, 3, padding: 1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding: 1), nn.BatchNorm2d(2 * width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(2 * width * 7 * 7, feature_dim), nn.BatchNorm1d(feature_dim), nn.ReLU());
        projector = nn.Sequential(nn.Linear(feature_dim, feature_dim), nn.ReLU(), nn.Linear(feature_dim, projection_dim));
        RegisterComponents();
    }

    /// <summary>h = f(x): the representation [B, feature_dim] kept after pretraining.</summary>
    public Tensor encode(Tensor x)
    {
        if (x.dim() != 4 || x.size(2) != 28 || x.size(3) != 28)
            throw new ArgumentException($"SimClr takes images [B, C, 28, 28], not [{string.Join(", ", x.shape)}].", nameof(x));
        return encoder.forward(x);
    }

    /// <summary>z = g(f(x)): the projection [B, projection_dim] the contrastive loss compares.</summary>
    public override Tensor forward(Tensor x) => projector.forward(encode(x));
}

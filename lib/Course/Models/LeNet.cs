namespace Course.Models;

/// <summary>
/// A LeNet-style network for 28×28 images: two blocks of conv 3×3 → BatchNorm → ReLU → 2×2 max-pool,
/// then a hidden fully-connected layer with dropout and the classifier.
/// </summary>
public sealed class LeNet : nn.Module<Tensor, Tensor>
{
    public readonly Sequential features, classifier;

    public LeNet(long in_channels = 1, long num_classes = 10, long width = 32, double dropout = 0.25)
        : base(nameof(LeNet))
    {
        features = nn.Sequential(
            nn.Conv2d(in_channels, width, 3, padding: 1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding: 1), nn.BatchNorm2d(2 * width), nn.ReLU(), nn.MaxPool2d(2));
        classifier = nn.Sequential(
            nn.Flatten(), nn.Dropout(dropout), nn.Linear(2 * width * 7 * 7, 128), nn.ReLU(), nn.Dropout(dropout), nn.Linear(128, num_classes));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => classifier.forward(features.forward(x));
}

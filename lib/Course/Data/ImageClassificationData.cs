namespace Course;

/// <summary>
/// An image-classification data set split three ways. Images are float32 [N, C, H, W] in [0, 1] (ready to plot);
/// <see cref="Normalize"/> standardises a batch with the mean and standard deviation of the training split,
/// which is what the models train on. Dispose frees all three splits.
/// </summary>
public sealed class ImageClassificationData : IDisposable
{
    public ImageClassificationData(TensorDataset train, TensorDataset validation, TensorDataset test, IReadOnlyList<string> classNames, double mean, double std)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(classNames);
        if (!(std > 0)) throw new ArgumentOutOfRangeException(nameof(std), std, "the standard deviation must be positive.");
        (Train, Validation, Test, ClassNames, Mean, Std) = (train, validation, test, classNames, mean, std);
    }

    public TensorDataset Train { get; }
    public TensorDataset Validation { get; }
    public TensorDataset Test { get; }
    public IReadOnlyList<string> ClassNames { get; }
    /// <summary>Mean pixel value of the training split.</summary>
    public double Mean { get; }
    /// <summary>Standard deviation of the pixel values of the training split.</summary>
    public double Std { get; }

    /// <summary>(x − mean) / std: a new tensor.</summary>
    public Tensor Normalize(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var centred = images.sub(Mean);
        return centred.div(Std);
    }

    /// <summary>x · std + mean: back to [0, 1] for plotting.</summary>
    public Tensor Denormalize(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scaled = images.mul(Std);
        return scaled.add(Mean);
    }

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }

    public override string ToString() =>
        $"{Train.Count} train / {Validation.Count} validation / {Test.Count} test examples, {ClassNames.Count} classes, mean {Mean:F4}, std {Std:F4}";
}

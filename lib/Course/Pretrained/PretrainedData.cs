namespace Course;

/// <summary>
/// The data packaging and the subset check read, each loaded once and shared: the Fashion-MNIST test split alone
/// (all the check needs), and at packaging Fashion-MNIST and its captioned version as the chapters load them in full
/// mode (5,000 validation images, seed 0).
/// </summary>
public sealed class PretrainedData : IDisposable
{
    private TensorDataset? _test;
    private ImageClassificationData? _fashion;
    private CaptionedFashionMnist? _captioned;

    /// <summary>The 10,000 Fashion-MNIST test images and labels, in file order (the same tensors <see cref="FashionMnist.Load"/> gives as Test).</summary>
    public TensorDataset Test => _test ??= ReadTest();

    /// <summary>Fashion-MNIST as chapters 2 and 5 load it in full mode.</summary>
    public ImageClassificationData Fashion => _fashion ??= FashionMnist.Load(validationSize: 5000, seed: 0);

    /// <summary>Captioned Fashion-MNIST as chapter 8 loads it in full mode (its tokenizer fixes CLIP's vocabulary).</summary>
    public CaptionedFashionMnist Captioned => _captioned ??= CaptionedFashionMnist.Load(validationSize: 5000, seed: 0);

    private static TensorDataset ReadTest()
    {
        var folder = FashionMnist.Folder();
        return FashionMnist.Read(Path.Combine(folder, FashionMnist.TestImages), Path.Combine(folder, FashionMnist.TestLabels));
    }

    public void Dispose()
    {
        _test?.Dispose();
        _fashion?.Dispose();
        _captioned?.Dispose();
    }
}

namespace Course;

/// <summary>
/// Fashion-MNIST (Zalando, 28×28 grey images of 10 kinds of clothing; 60,000 for training and 10,000 for testing),
/// read from the IDX files of the Debian package <c>dataset-fashion-mnist</c> or from the folder in
/// $COURSE_FASHION_MNIST.
/// <code>
/// using var data = FashionMnist.Load(limit: Env.Fast ? 2000 : null);   // 55,000 / 5,000 / 10,000
/// </code>
/// </summary>
public static class FashionMnist
{
    public const string Package = "dataset-fashion-mnist";
    public const string EnvironmentVariable = "COURSE_FASHION_MNIST";
    public const string StandardFolder = "/usr/share/datasets/fashion-mnist";

    public const string TrainImages = "train-images-idx3-ubyte.gz";
    public const string TrainLabels = "train-labels-idx1-ubyte.gz";
    public const string TestImages = "t10k-images-idx3-ubyte.gz";
    public const string TestLabels = "t10k-labels-idx1-ubyte.gz";

    /// <summary>The ten classes, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// Loads the training set split (seeded) into training and validation parts, and the test set.
    /// <paramref name="limit"/> caps the number of examples in each split (fast mode); the normalisation statistics
    /// come from the training split as loaded.
    /// </summary>
    public static ImageClassificationData Load(int validationSize = 5000, int seed = 0, int? limit = null, string? folder = null)
    {
        if (limit is < 1) throw new ArgumentOutOfRangeException(nameof(limit), limit, "limit must be at least 1 (or null for all examples).");
        var dir = Folder(folder);
        using var scope = torch.NewDisposeScope();
        var files = new[] { TrainImages, TrainLabels, TestImages, TestLabels }.Select(f => Find(dir, f)!).ToArray();
        var read = Idx.Read(files);
        var (trainImages, trainLabels, testImages, testLabels) = (read[0], read[1], read[2], read[3]);
        Check(trainImages, trainLabels, files[0], files[1]);
        Check(testImages, testLabels, files[2], files[3]);
        long n = trainImages.size(0);
        if (validationSize < 0 || validationSize >= n)
            throw new ArgumentOutOfRangeException(nameof(validationSize), validationSize, $"the validation split must hold between 0 and {n - 1} of the {n} training examples.");

        var order = Shuffle.Permutation(n, seed);
        var validationIndex = order[..validationSize];
        var trainIndex = order[validationSize..];
        if (limit is { } cap)
        {
            trainIndex = trainIndex[..Math.Min(cap, trainIndex.Length)];
            validationIndex = validationIndex[..Math.Min(cap, validationIndex.Length)];
        }
        long testCount = Math.Min(testImages.size(0), limit ?? long.MaxValue);

        var train = Examples(trainImages, trainLabels, trainIndex);
        var validation = Examples(trainImages, trainLabels, validationIndex);
        var test = new TensorDataset(Pixels(testImages.narrow(0, 0, testCount)), testLabels.narrow(0, 0, testCount).to(torch.int64));
        double mean = train.Inputs.mean().ToDouble();
        double std = train.Inputs.std().ToDouble();
        return new ImageClassificationData(train, validation, test, ClassNames, mean, std);
    }

    /// <summary>Reads one images file and its labels file: float32 [N, 1, 28, 28] in [0, 1] and int64 [N].</summary>
    public static TensorDataset Read(string imagesPath, string labelsPath)
    {
        using var scope = torch.NewDisposeScope();
        var images = Idx.Read(imagesPath);
        var labels = Idx.Read(labelsPath);
        Check(images, labels, imagesPath, labelsPath);
        return new TensorDataset(Pixels(images), labels.to(torch.int64));
    }

    /// <summary>
    /// The folder holding the four IDX files: <paramref name="folder"/> if given, else $COURSE_FASHION_MNIST, else
    /// the Debian package's folder. A missing file raises an error that names the package and the variable.
    /// </summary>
    public static string Folder(string? folder = null)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        var (dir, source) = !string.IsNullOrWhiteSpace(folder) ? (folder, "the folder given")
            : !string.IsNullOrWhiteSpace(fromEnvironment) ? (fromEnvironment, $"{EnvironmentVariable}={fromEnvironment}")
            : (StandardFolder, $"the standard folder of the Debian package {Package}");
        var missing = new[] { TrainImages, TrainLabels, TestImages, TestLabels }.Where(f => Find(dir, f) is null).ToList();
        if (missing.Count > 0)
            throw new FileNotFoundException(
                $"Fashion-MNIST was not found: {dir} ({source}) lacks {string.Join(", ", missing)}. " +
                $"Install the Debian package {Package} ('sudo apt-get install {Package}', which './course setup' does), " +
                $"or set {EnvironmentVariable} to a folder holding the four IDX files (gzipped or not).",
                Path.Combine(dir, missing[0]));
        return dir;
    }

    // A file by its .gz name, or the same name without .gz.
    private static string? Find(string dir, string gzName)
    {
        var gz = Path.Combine(dir, gzName);
        if (File.Exists(gz)) return gz;
        var plain = gz[..^3];
        return File.Exists(plain) ? plain : null;
    }

    private static void Check(Tensor images, Tensor labels, string imagesPath, string labelsPath)
    {
        if (images.dim() != 3) throw new InvalidDataException($"{imagesPath} holds shape [{string.Join(", ", images.shape)}]; images must be [N, rows, columns].");
        if (labels.dim() != 1) throw new InvalidDataException($"{labelsPath} holds shape [{string.Join(", ", labels.shape)}]; labels must be [N].");
        if (images.size(0) != labels.size(0)) throw new InvalidDataException($"{imagesPath} holds {images.size(0)} images but {labelsPath} holds {labels.size(0)} labels.");
        using var max = labels.max().to(int64);   // item<long> needs an int64 tensor in TorchSharp
        if (labels.numel() > 0 && max.item<long>() >= ClassNames.Count) throw new InvalidDataException($"{labelsPath} holds label {max.item<long>()}; Fashion-MNIST labels are 0..{ClassNames.Count - 1}.");
    }

    // uint8 [N, H, W] → float32 [N, 1, H, W] in [0, 1]
    private static Tensor Pixels(Tensor bytes)
    {
        using var scaled = bytes.to(torch.float32).div_(255.0); // in place: one 4-byte copy of the data, not two
        using var withChannel = scaled.unsqueeze(1);
        return withChannel.contiguous();
    }

    private static TensorDataset Examples(Tensor images, Tensor labels, long[] indexes)
    {
        using var index = torch.tensor(indexes);
        using var pickedImages = images.index_select(0, index);
        using var pickedLabels = labels.index_select(0, index);
        return new TensorDataset(Pixels(pickedImages), pickedLabels.to(torch.int64));
    }
}

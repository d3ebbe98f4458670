namespace Course.Tests;

/// <summary>OpenCV's digits (opencv-doc): layout, PIL's pixels, stratified seeded splits.</summary>
public sealed class OpenCvDigitsTests
{
    [DigitsFact]
    public void ReadGives5000DigitsWith500PerClassInTileRowOrder()
    {
        var (pixels, labels) = OpenCvDigits.Read(OpenCvDigits.StandardPath);
        Assert.Equal(5000, labels.Length);
        Assert.Equal(5000 * 28 * 28, pixels.Length);
        Assert.All(Enumerable.Range(0, 10), d => Assert.Equal(500, labels.Count(l => l == d)));
        Assert.All(Enumerable.Range(0, 5000), n => Assert.Equal(n / 100 / 5, labels[n]));
    }

    [DigitsFact]
    public void AKnownTileEqualsPilsPixelsPaddedWithBlack()
    {
        var digits = PngReference.Real["digits"]!;
        int row = (int)digits["tileRow"]!, column = (int)digits["tileColumn"]!;
        var tile = digits["tile"]!.AsArray().Select(v => (byte)(int)v!).ToArray();
        var (pixels, labels) = OpenCvDigits.Read();
        int n = row * 100 + column;
        Assert.Equal(1, labels[n]); // tile row 7 is the digit 1 (rows 5..9)
        var image = pixels.AsSpan(n * 784, 784);
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
            {
                bool inside = y is >= 4 and < 24 && x is >= 4 and < 24;
                Assert.Equal(inside ? tile[(y - 4) * 20 + x - 4] : (byte)0, image[y * 28 + x]);
            }
        Assert.True(tile.Any(v => v > 200)); // a real stroke, not an empty tile
    }

    [DigitsFact]
    public void LoadSplitsStratifiedAndSeeded()
    {
        using var data = OpenCvDigits.Load(seed: 1);
        Assert.Equal(new long[] { 3500, 1, 28, 28 }, data.Train.Inputs.shape);
        Assert.Equal(new long[] { 500, 1, 28, 28 }, data.Validation.Inputs.shape);
        Assert.Equal(new long[] { 1000, 1, 28, 28 }, data.Test.Inputs.shape);
        Assert.Equal(ScalarType.Float32, data.Train.Inputs.dtype);
        Assert.Equal(ScalarType.Int64, data.Train.Targets.dtype);
        Assert.Equal(OpenCvDigits.ClassNames, data.ClassNames);
        using (var c = bincount(data.Train.Targets)) Assert.All(c.ToArray<long>(), v => Assert.Equal(350, v));
        using (var c = bincount(data.Validation.Targets)) Assert.All(c.ToArray<long>(), v => Assert.Equal(50, v));
        using (var c = bincount(data.Test.Targets)) Assert.All(c.ToArray<long>(), v => Assert.Equal(100, v));
        using (var max = data.Train.Inputs.max()) Assert.InRange(max.item<float>(), 0.9, 1.0);
        // the statistics come from the training split
        var train = data.Train.Inputs.ToArray<float>();
        double mean = train.Average(v => (double)v);
        Assert.Equal(mean, data.Mean, 5);

        // the same seed gives the same splits; another seed another training/validation split but the same test set
        using var again = OpenCvDigits.Load(seed: 1);
        using var other = OpenCvDigits.Load(seed: 2);
        Assert.True(Same(again.Validation.Inputs, data.Validation.Inputs));
        Assert.True(Same(again.Train.Targets, data.Train.Targets));
        Assert.False(Same(other.Validation.Inputs, data.Validation.Inputs));
        Assert.True(Same(other.Test.Inputs, data.Test.Inputs));
        Assert.True(Same(other.Test.Targets, data.Test.Targets));

        using var small = OpenCvDigits.Load(seed: 1, limit: 30);
        Assert.Equal((30L, 30L, 30L), (small.Train.Count, small.Validation.Count, small.Test.Count));
    }

    private static bool Same(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && (a.dtype == ScalarType.Int64 ? a.ToArray<long>().SequenceEqual(b.ToArray<long>()) : a.ToArray<float>().SequenceEqual(b.ToArray<float>()));

    [Fact]
    public void StratifiedSplitKeepsProportionsAndFixesTheTestSet()
    {
        var labels = Enumerable.Range(0, 1000).Select(i => i % 7 == 0 ? 2 : i % 3).ToArray(); // unbalanced classes
        var (train, validation, test) = StratifiedSplit.Split(labels, 0.1, 0.2, seed: 5);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), train.Concat(validation).Concat(test).Order());
        foreach (var c in labels.Distinct())
        {
            int n = labels.Count(l => l == c);
            Assert.Equal((int)Math.Round(n * 0.2), test.Count(i => labels[i] == c));
            Assert.Equal((int)Math.Round(n * 0.1), validation.Count(i => labels[i] == c));
        }
        var (train2, validation2, test2) = StratifiedSplit.Split(labels, 0.1, 0.2, seed: 6);
        Assert.Equal(test, test2);
        Assert.NotEqual(validation.Order(), validation2.Order());
        Assert.Equal(train, StratifiedSplit.Split(labels, 0.1, 0.2, seed: 5).Train);
        Assert.NotEqual(train.Order().Take(50), train.Take(50)); // shuffled, not in the data's order
        Assert.Throws<ArgumentOutOfRangeException>(() => StratifiedSplit.Split(labels, 0.5, 0.5, 0));
    }

    [Fact]
    public void AMissingFileNamesThePackageTheCommandAndTheVariable()
    {
        using var temp = new TempFolder("digits-empty");
        var previous = Environment.GetEnvironmentVariable(OpenCvDigits.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(OpenCvDigits.EnvironmentVariable, temp.FullName);
            var e = Assert.Throws<FileNotFoundException>(() => OpenCvDigits.Load());
            Assert.Contains("opencv-doc", e.Message);
            Assert.Contains("sudo apt-get install opencv-doc", e.Message);
            Assert.Contains("COURSE_OPENCV_DIGITS", e.Message);
            Assert.Contains(temp.File("digits.png"), e.Message);
        }
        finally { Environment.SetEnvironmentVariable(OpenCvDigits.EnvironmentVariable, previous); }
    }

    [DigitsFact]
    public void TheVariablePointsAtAnotherCopy()
    {
        using var temp = new TempFolder("digits-copy");
        File.Copy(OpenCvDigits.StandardPath, temp.File("digits.png"));
        var previous = Environment.GetEnvironmentVariable(OpenCvDigits.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(OpenCvDigits.EnvironmentVariable, temp.FullName);
            Assert.Equal(temp.File("digits.png"), OpenCvDigits.FilePath());
            Environment.SetEnvironmentVariable(OpenCvDigits.EnvironmentVariable, temp.File("digits.png"));
            Assert.Equal(5000, OpenCvDigits.Read().Labels.Length);
        }
        finally { Environment.SetEnvironmentVariable(OpenCvDigits.EnvironmentVariable, previous); }
    }
}

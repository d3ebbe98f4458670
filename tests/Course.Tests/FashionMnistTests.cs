using System.Buffers.Binary;
using System.IO.Compression;
using Course;

namespace Course.Tests;

public sealed class FashionMnistTests
{
    private static byte[] IdxBytes(byte[] data, params int[] shape)
    {
        var bytes = new byte[4 + 4 * shape.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)shape.Length;
        for (int d = 0; d < shape.Length; d++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), shape[d]);
        data.CopyTo(bytes, 4 + 4 * shape.Length);
        return bytes;
    }

    private static void WriteGz(string path, byte[] bytes)
    {
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(bytes);
    }

    // n images of 28×28 whose first pixel is the image's number i (mod 256) and all others i % 7; label i % 10
    private static void WriteSet(string dir, string images, string labels, int n)
    {
        var pixels = new byte[n * 784];
        for (int i = 0; i < n; i++)
        {
            pixels.AsSpan(i * 784, 784).Fill((byte)(i % 7));
            pixels[i * 784] = (byte)i;
        }
        WriteGz(Path.Combine(dir, images), IdxBytes(pixels, n, 28, 28));
        WriteGz(Path.Combine(dir, labels), IdxBytes(Enumerable.Range(0, n).Select(i => (byte)(i % 10)).ToArray(), n));
    }

    private static TempFolder SyntheticFolder(int train = 200, int test = 50)
    {
        var dir = new TempFolder("fmnist");
        WriteSet(dir.FullName, FashionMnist.TrainImages, FashionMnist.TrainLabels, train);
        WriteSet(dir.FullName, FashionMnist.TestImages, FashionMnist.TestLabels, test);
        return dir;
    }

    private static long[] FirstPixels(TensorDataset set)
    {
        using var first = set.Inputs[.., 0, 0, 0];
        using var scaled = first * 255.0;
        using var rounded = scaled.round();
        return rounded.ToArray<long>();
    }

    [Fact]
    public void IdxParsesShapeAndValues()
    {
        using var t = Idx.Parse(IdxBytes([1, 2, 3, 4, 5, 6], 2, 3));
        Assert.Equal(new long[] { 2, 3 }, t.shape);
        Assert.Equal(ScalarType.Byte, t.dtype);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, t.ToArray<byte>());
    }

    [Fact]
    public void IdxRejectsTruncatedAndForeignFiles()
    {
        var truncated = IdxBytes([1, 2, 3, 4, 5, 6], 2, 3)[..^1];
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Idx.Parse(truncated)).Message);
        var floats = IdxBytes([1, 2], 2);
        floats[2] = 0x0D;
        Assert.Contains("0x0d", Assert.Throws<InvalidDataException>(() => Idx.Parse(floats)).Message);
        Assert.Throws<InvalidDataException>(() => Idx.Parse([0x1f, 0x8b, 8, 0]));
    }

    [Fact]
    public void LoadSplitsWithASeedScalesAndNormalises()
    {
        using var temp = SyntheticFolder();
        var dir = temp.FullName;
        using var data = FashionMnist.Load(validationSize: 40, seed: 3, folder: dir);
        Assert.Equal(new long[] { 160, 1, 28, 28 }, data.Train.Inputs.shape);
        Assert.Equal(ScalarType.Float32, data.Train.Inputs.dtype);
        Assert.Equal(ScalarType.Int64, data.Train.Targets.dtype);
        Assert.Equal(40, data.Validation.Count);
        Assert.Equal(50, data.Test.Count);

        // every training image lands in exactly one of train / validation, with its own label
        var train = FirstPixels(data.Train);
        var validation = FirstPixels(data.Validation);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), train.Concat(validation).Order());
        Assert.Equal(train.Select(i => i % 10), data.Train.Targets.ToArray<long>());
        Assert.NotEqual(Enumerable.Range(0, 160).Select(i => (long)i), train); // shuffled, not the file's order
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), FirstPixels(data.Test)); // the test set keeps its order

        // pixel values are bytes / 255
        using var max = data.Train.Inputs.max();
        Assert.Equal(199 / 255.0, max.item<float>(), 6);

        // normalisation statistics come from the training split only
        var pixels = data.Train.Inputs.ToArray<float>().Select(v => (double)v).ToArray();
        double mean = pixels.Average();
        double std = Math.Sqrt(pixels.Sum(v => (v - mean) * (v - mean)) / (pixels.Length - 1));
        Assert.Equal(mean, data.Mean, 5);
        Assert.Equal(std, data.Std, 5);
        using var normalised = data.Normalize(data.Train.Inputs);
        using var normalisedMean = normalised.mean();
        using var normalisedStd = normalised.std();
        Assert.Equal(0, normalisedMean.item<float>(), 4);
        Assert.Equal(1, normalisedStd.item<float>(), 4);
        using var back = data.Denormalize(normalised);
        Assert.True(back.allclose(data.Train.Inputs, atol: 1e-5));

        // the same seed gives the same split, another seed another one
        using (var again = FashionMnist.Load(validationSize: 40, seed: 3, folder: dir))
            Assert.Equal(validation, FirstPixels(again.Validation));
        using (var other = FashionMnist.Load(validationSize: 40, seed: 4, folder: dir))
            Assert.NotEqual(validation, FirstPixels(other.Validation));

        // a limit caps every split
        using var small = FashionMnist.Load(validationSize: 40, seed: 3, limit: 10, folder: dir);
        Assert.Equal(10, small.Train.Count);
        Assert.Equal(10, small.Validation.Count);
        Assert.Equal(10, small.Test.Count);
        Assert.Equal(validation[..10], FirstPixels(small.Validation));
    }

    [Fact]
    public void MissingDataNamesThePackageAndTheVariable()
    {
        using var temp = new TempFolder("fmnist-empty");
        var empty = temp.FullName;
        var previous = Environment.GetEnvironmentVariable(FashionMnist.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(FashionMnist.EnvironmentVariable, empty);
            var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load());
            Assert.Contains("dataset-fashion-mnist", e.Message);
            Assert.Contains("COURSE_FASHION_MNIST", e.Message);
            Assert.Contains(empty, e.Message);
            Assert.Contains(FashionMnist.TrainImages, e.Message);
        }
        finally { Environment.SetEnvironmentVariable(FashionMnist.EnvironmentVariable, previous); }
    }

    [Fact]
    public void TheVariablePointsAtAnotherFolder()
    {
        using var temp = SyntheticFolder(train: 30, test: 10);
        var dir = temp.FullName;
        var previous = Environment.GetEnvironmentVariable(FashionMnist.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(FashionMnist.EnvironmentVariable, dir);
            using var data = FashionMnist.Load(validationSize: 5);
            Assert.Equal(25, data.Train.Count);
            Assert.Equal(10, data.Test.Count);
        }
        finally { Environment.SetEnvironmentVariable(FashionMnist.EnvironmentVariable, previous); }
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        using var temp = SyntheticFolder(train: 30, test: 10);
        var dir = temp.FullName;
        Assert.Throws<ArgumentOutOfRangeException>(() => FashionMnist.Load(validationSize: 30, folder: dir));
        Assert.Throws<ArgumentOutOfRangeException>(() => FashionMnist.Load(limit: 0, folder: dir));
    }

    [Fact]
    public void TheDebianDataLoadsAs55000500010000()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var data = FashionMnist.Load();
        double seconds = clock.Elapsed.TotalSeconds;
        Assert.Equal(new long[] { 55000, 1, 28, 28 }, data.Train.Inputs.shape);
        Assert.Equal(5000, data.Validation.Count);
        Assert.Equal(10000, data.Test.Count);
        Assert.Equal(10, data.ClassNames.Count);
        using var min = data.Test.Inputs.min();
        using var max = data.Test.Inputs.max();
        Assert.Equal(0, min.item<float>());
        Assert.Equal(1, max.item<float>());
        // the test set is balanced: 1,000 of each class; train + validation hold 6,000 of each
        using var testCounts = bincount(data.Test.Targets);
        Assert.All(testCounts.ToArray<long>(), c => Assert.Equal(1000, c));
        using var all = torch.cat([data.Train.Targets, data.Validation.Targets]);
        using var trainCounts = bincount(all);
        Assert.All(trainCounts.ToArray<long>(), c => Assert.Equal(6000, c));
        // Fashion-MNIST's published pixel statistics (mean ≈ 0.286, std ≈ 0.353)
        Assert.InRange(data.Mean, 0.28, 0.29);
        Assert.InRange(data.Std, 0.35, 0.356);
        Assert.True(seconds < 10, $"loading took {seconds:F1} s");
    }
}

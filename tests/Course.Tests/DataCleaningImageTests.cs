using Course.DataCleaning;

namespace Course.Tests;

public sealed class ImageHashTests
{
    private static float[] Image(int h, int w, Func<int, int, float> f)
    {
        var pixels = new float[h * w];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) pixels[y * w + x] = f(y, x);
        return pixels;
    }

    [Fact]
    public void ShrinkAveragesAreasByHand()
    {
        // 4 × 4 → 2 × 2: each cell the mean of a 2 × 2 block
        var image = Image(4, 4, (y, x) => y * 4 + x);
        Assert.Equal(new[] { 2.5, 4.5, 10.5, 12.5 }, ImageHash.Shrink(image, 4, 4, 2, 2));
        // 3 × 1 → 1 × 2: the middle pixel is split between the two cells (weights 1/1.5 and 0.5/1.5)
        var cells = ImageHash.Shrink(new float[] { 0, 3, 6 }, 1, 3, 1, 2);
        Assert.Equal(1.0, cells[0], 12);
        Assert.Equal(5.0, cells[1], 12);
        Assert.Throws<ArgumentException>(() => ImageHash.Shrink(new float[5], 2, 3, 1, 1));
    }

    [PilFact]
    public void ShrinkMatchesNumpysExactAreaAverage()
    {
        var random = new SplitMix64(4);
        var cases = new[] { (28, 28, 8, 9), (32, 32, 8, 8), (13, 29, 5, 7) }.Select(c => new
        {
            height = c.Item1, width = c.Item2, rows = c.Item3, columns = c.Item4,
            pixels = Enumerable.Range(0, c.Item1 * c.Item2).Select(_ => (float)(random.NextInt64(1000) / 999.0)).ToArray(),
        }).ToArray();
        // the float pixels sent as doubles, so Python reads exactly the values C# averages
        var python = DataCleaningOracle.Run<double[][]>("shrink", cases.Select(c => new { c.height, c.width, c.rows, c.columns, pixels = c.pixels.Select(v => (double)v).ToArray() }).ToArray());
        for (int k = 0; k < cases.Length; k++)
        {
            var c = cases[k];
            var ours = ImageHash.Shrink(c.pixels, c.height, c.width, c.rows, c.columns);
            Assert.Equal(python[k].Length, ours.Length);
            for (int i = 0; i < ours.Length; i++) Assert.Equal(python[k][i], ours[i], 10);
        }
    }

    [Fact]
    public void DHashReadsHorizontalGradients()
    {
        var brighterToTheRight = Image(28, 28, (y, x) => x);
        var darkerToTheRight = Image(28, 28, (y, x) => 27 - x);
        Assert.Equal(ulong.MaxValue, ImageHash.DHash(brighterToTheRight, 28, 28));
        Assert.Equal(0UL, ImageHash.DHash(darkerToTheRight, 28, 28));
        // brightness and contrast changes leave it unchanged
        var picture = Image(28, 28, (y, x) => (float)Math.Sin(x * 0.7 + y * 0.3) + y * 0.01f);
        var adjusted = picture.Select(v => 0.5f * v + 0.2f).ToArray();
        Assert.Equal(ImageHash.DHash(picture, 28, 28), ImageHash.DHash(adjusted, 28, 28));
        Assert.Equal(64, ImageHash.Hamming(0, ulong.MaxValue));
        Assert.Equal(3, ImageHash.Hamming(0b1011, 0b0000));
        // aHash: top half bright → the first 32 bits set
        Assert.Equal(0x00000000FFFFFFFFUL, ImageHash.AHash(Image(32, 32, (y, x) => y < 16 ? 1 : 0), 32, 32));
    }
}

public sealed class ImageFiltersTests
{
    private static float[] Stack(params float[][] images) => images.SelectMany(i => i).ToArray();

    [Fact]
    public void NearConstantImagesAreFound()
    {
        var blank = Enumerable.Repeat(1f, 16).ToArray();
        var faint = blank.Select((v, i) => i == 5 ? 0.9f : v).ToArray();              // one pixel 0.1 darker: σ ≈ 0.024
        var drawing = Enumerable.Range(0, 16).Select(i => i % 2 == 0 ? 0f : 1f).ToArray();
        var images = Stack(blank, faint, drawing);
        var std = ImageFilters.PixelStd(images, 4, 4);
        Assert.Equal(0, std[0], 12);
        Assert.Equal(Math.Sqrt(15) / 16 * 0.1, std[1], 6);
        Assert.Equal(0.5, std[2], 12);
        Assert.Equal(new[] { 0 }, ImageFilters.NearConstant(images, 4, 4, 0.02));
        Assert.Equal(new[] { 0, 1 }, ImageFilters.NearConstant(images, 4, 4, 0.03));
        Assert.Throws<ArgumentException>(() => ImageFilters.PixelStd(new float[15], 4, 4));
    }

    [Fact]
    public void DuplicatesAreHashMatchesConfirmedByCorrelation()
    {
        float[] Picture(Func<int, int, double> f) => Enumerable.Range(0, 28 * 28).Select(i => (float)f(i / 28, i % 28)).ToArray();
        var a = Picture((y, x) => Math.Sin(x * 0.5) * Math.Cos(y * 0.3));
        var aDarker = a.Select(v => 0.8f * v - 0.1f).ToArray();                      // same drawing, other colour
        var b = Picture((y, x) => Math.Cos(x * 0.9 + 1) * Math.Sin(y * 0.2 + 2));
        var found = ImageFilters.Duplicates(Stack(a, b, aDarker), 28, 28, maxHamming: 4, minCorrelation: 0.95);
        var pair = Assert.Single(found);
        Assert.Equal((0, 2, 0), (pair.I, pair.J, pair.Hamming));
        Assert.Equal(1.0, pair.Correlation, 5);
        Assert.True(pair.Confirmed);
        Assert.Equal(-1.0, ImageFilters.Correlation(Stack(a, a.Select(v => -v).ToArray()), 28, 28, 0, 1), 5);
        Assert.Equal(0, ImageFilters.Correlation(Stack(a, new float[28 * 28]), 28, 28, 0, 1));
    }
}

public sealed class CaptionFilterTests
{
    private static readonly IReadOnlyList<IReadOnlyList<string>> Words = new[] { new[] { "ankle boot", "boot" }, new[] { "bag" }, new[] { "t-shirt", "top" } };

    [Fact]
    public void MentionsMatchesWholeWordsAndPhrases()
    {
        Assert.True(CaptionFilter.Mentions("a photo of an ankle boot", new[] { 0 }, Words));
        Assert.True(CaptionFilter.Mentions("a small BOOT on the left", new[] { 0 }, Words));
        Assert.False(CaptionFilter.Mentions("a bootleg recording", new[] { 0 }, Words));    // not a whole word
        Assert.True(CaptionFilter.Mentions("a red t-shirt", new[] { 1, 2 }, Words));
        Assert.False(CaptionFilter.Mentions("a red t-shirt", new[] { 1 }, Words));
        Assert.Throws<ArgumentOutOfRangeException>(() => CaptionFilter.Mentions("x", new[] { 3 }, Words));
    }

    [Fact]
    public void ApplyRemovesPairsWhoseCaptionNamesNoneOfTheTopClasses()
    {
        var captions = new[] { "a boot", "a bag", "a top", "a boot" };
        var top = new[] { new[] { 0 }, new[] { 0 }, new[] { 2 }, new[] { 1 } };
        var r = CaptionFilter.Apply(captions, top, Words, new[] { "boot", "bag", "top" });
        Assert.Equal(new[] { 0, 2 }, r.Kept);
        Assert.Equal(new[] { (1, "classifier says boot"), (3, "classifier says bag") }, r.Removed);
        Assert.Equal(2, r.Report.Removed);
    }
}

public sealed class GroupSplitTests
{
    [Fact]
    public void NoGroupStraddlesAndSizesAreClose()
    {
        var random = new SplitMix64(1);
        // 1,000 items in groups of 1 to 5
        var groups = new List<int>();
        for (int g = 0; groups.Count < 1000; g++) groups.AddRange(Enumerable.Repeat(g, 1 + (int)random.NextInt64(5)));
        var split = GroupSplit.Split(groups, 0.1, 0.2, seed: 3);
        Assert.Equal(0, GroupSplit.Straddling(groups, split));
        Assert.Equal(Enumerable.Range(0, groups.Count).Select(i => (long)i), split.Train.Concat(split.Validation).Concat(split.Test).Order());
        Assert.InRange(split.Test.Length, 0.2 * groups.Count, 0.2 * groups.Count + 4);          // overshoot < the largest group
        Assert.InRange(split.Validation.Length, 0.1 * groups.Count, 0.1 * groups.Count + 4);
        Assert.Equal(split.Test, GroupSplit.Split(groups, 0.1, 0.2, seed: 3).Test);
        Assert.NotEqual(split.Test, GroupSplit.Split(groups, 0.1, 0.2, seed: 4).Test);
    }

    [Fact]
    public void StraddlingCountsGroupsOnTwoSides()
    {
        var groups = new[] { 0, 0, 1, 1, 2 };
        Assert.Equal(1, GroupSplit.Straddling(groups, (new long[] { 0, 2, 3 }, Array.Empty<long>(), new long[] { 1, 4 })));
        Assert.Throws<ArgumentOutOfRangeException>(() => GroupSplit.Split(groups, 0.5, 0.5, 0));
    }
}

public sealed class LabelNoiseTests
{
    [Fact]
    public void FlipsExactlyTheRateToUniformlyChosenOtherClasses()
    {
        var labels = Enumerable.Range(0, 20000).Select(i => (long)(i % 10)).ToArray();
        var (noisy, flipped) = LabelNoise.Flip(labels, 0.3, 10, seed: 5);
        Assert.Equal(6000, flipped.Length);
        var flippedSet = flipped.ToHashSet();
        for (int i = 0; i < labels.Length; i++)
            if (flippedSet.Contains(i)) Assert.NotEqual(labels[i], noisy[i]);
            else Assert.Equal(labels[i], noisy[i]);
        // each of the 9 other classes gets 1/9 of the flips: 666.7 ± 4 binomial standard errors (about 24)
        var offsets = flipped.Select(i => (noisy[i] - labels[i] + 10) % 10).GroupBy(d => d).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Enumerable.Range(1, 9).Select(d => (long)d), offsets.Keys.Order());
        double se = Math.Sqrt(6000 * (1.0 / 9) * (8.0 / 9));
        Assert.All(offsets.Values, n => Assert.InRange(n, 6000 / 9.0 - 4 * se, 6000 / 9.0 + 4 * se));
        Assert.Equal(noisy, LabelNoise.Flip(labels, 0.3, 10, seed: 5).Labels);
        Assert.Equal(labels, LabelNoise.Flip(labels, 0, 10, seed: 5).Labels);
        Assert.Throws<ArgumentException>(() => LabelNoise.Flip(new long[] { 0, 10 }, 0.5, 10, 0));
    }
}

namespace Course.DataCleaning;

/// <summary>
/// Filters for a set of gray images held as one array (N images of H × W floats, row-major): near-constant pictures
/// (blank or almost blank: the pixels' standard deviation below a bound) and duplicates, found by the Hamming distance
/// of their difference hashes (<see cref="ImageHash.DHash"/>) and verified on the pixels (their correlation),
/// since a 64-bit hash of a small picture also collides for different pictures of plain shapes.
/// </summary>
public static class ImageFilters
{
    /// <summary>The standard deviation of each image's pixels.</summary>
    public static double[] PixelStd(float[] images, int height, int width)
    {
        int per = Check(images, height, width);
        int n = images.Length / per;
        var std = new double[n];
        for (int i = 0; i < n; i++)
        {
            var image = images.AsSpan(i * per, per);
            double mean = 0, square = 0;
            foreach (var v in image) { mean += v; square += (double)v * v; }
            mean /= per;
            std[i] = Math.Sqrt(Math.Max(0, square / per - mean * mean));
        }
        return std;
    }

    /// <summary>The indexes of the images whose pixel standard deviation is below <paramref name="minStd"/>.</summary>
    public static IReadOnlyList<int> NearConstant(float[] images, int height, int width, double minStd)
    {
        if (minStd < 0) throw new ArgumentOutOfRangeException(nameof(minStd), minStd, "a standard deviation cannot be negative.");
        return PixelStd(images, height, width).Select((s, i) => (s, i)).Where(p => p.s < minStd).Select(p => p.i).ToList();
    }

    /// <summary>The dHash of every image.</summary>
    public static ulong[] DHashes(float[] images, int height, int width)
    {
        int per = Check(images, height, width);
        var hashes = new ulong[images.Length / per];
        Parallel.For(0, hashes.Length, i => hashes[i] = ImageHash.DHash(images.AsSpan(i * per, per), height, width));
        return hashes;
    }

    /// <summary>
    /// The Pearson correlation of two images' pixels: 1 for the same picture up to brightness and contrast, near 0 for
    /// unrelated ones; 0 when either image is constant. Unlike a mean pixel difference it is not made small by a shared
    /// white background.
    /// </summary>
    public static double Correlation(float[] images, int height, int width, int i, int j)
    {
        int per = Check(images, height, width);
        var a = images.AsSpan(i * per, per);
        var b = images.AsSpan(j * per, per);
        double ma = 0, mb = 0;
        for (int k = 0; k < per; k++) { ma += a[k]; mb += b[k]; }
        ma /= per; mb /= per;
        double sab = 0, saa = 0, sbb = 0;
        for (int k = 0; k < per; k++) { double da = a[k] - ma, db = b[k] - mb; sab += da * db; saa += da * da; sbb += db * db; }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.Sqrt(saa * sbb);
    }

    /// <summary>
    /// Duplicate pairs (i &lt; j): dHash within <paramref name="maxHamming"/> bits (every pair is compared; 64-bit
    /// popcounts make that cheap for thousands of images), confirmed when the pixels' correlation is at least
    /// <paramref name="minCorrelation"/>. Returns every hash match with its correlation and whether it was confirmed.
    /// </summary>
    public static IReadOnlyList<(int I, int J, int Hamming, double Correlation, bool Confirmed)> Duplicates(
        float[] images, int height, int width, int maxHamming, double minCorrelation)
    {
        if (maxHamming is < 0 or > 64) throw new ArgumentOutOfRangeException(nameof(maxHamming), maxHamming, "a Hamming distance between 64-bit hashes lies in [0, 64].");
        if (minCorrelation is < -1 or > 1) throw new ArgumentOutOfRangeException(nameof(minCorrelation), minCorrelation, "a correlation lies in [-1, 1].");
        var hashes = DHashes(images, height, width);
        var found = new List<(int, int, int, double, bool)>();
        for (int i = 0; i < hashes.Length; i++)
            for (int j = i + 1; j < hashes.Length; j++)
            {
                int d = ImageHash.Hamming(hashes[i], hashes[j]);
                if (d > maxHamming) continue;
                double r = Correlation(images, height, width, i, j);
                found.Add((i, j, d, r, r >= minCorrelation));
            }
        return found;
    }

    private static int Check(float[] images, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"images of {height} × {width} pixels are empty.");
        int per = height * width;
        if (images.Length % per != 0) throw new ArgumentException($"{images.Length} values are not a whole number of {height} × {width} images.", nameof(images));
        return per;
    }
}

using System.Numerics;

namespace Course.DataCleaning;

/// <summary>
/// Perceptual hashes of gray images (values in any range; row-major [H, W]). The difference hash (dHash) shrinks the
/// image by area averaging to 8 rows of 9 columns and sets bit 8·r + c when cell (r, c + 1) is brighter than cell
/// (r, c): 64 bits that describe the image's horizontal gradients, unchanged by brightness shifts and small
/// resampling noise. The average hash (aHash) shrinks to 8 × 8 and sets a bit where the cell is brighter than the mean.
/// Two pictures are compared by the Hamming distance of their hashes (bits that differ, 0 to 64).
/// </summary>
public static class ImageHash
{
    /// <summary>The 64-bit difference hash of an <paramref name="height"/> × <paramref name="width"/> gray image.</summary>
    public static ulong DHash(ReadOnlySpan<float> pixels, int height, int width)
    {
        var cells = Shrink(pixels, height, width, 8, 9);
        ulong hash = 0;
        for (int r = 0; r < 8; r++)
            for (int c = 0; c < 8; c++)
                if (cells[r * 9 + c + 1] > cells[r * 9 + c]) hash |= 1UL << (8 * r + c);
        return hash;
    }

    /// <summary>The 64-bit average hash of an <paramref name="height"/> × <paramref name="width"/> gray image.</summary>
    public static ulong AHash(ReadOnlySpan<float> pixels, int height, int width)
    {
        var cells = Shrink(pixels, height, width, 8, 8);
        double mean = cells.Average();
        ulong hash = 0;
        for (int i = 0; i < 64; i++) if (cells[i] > mean) hash |= 1UL << i;
        return hash;
    }

    /// <summary>The number of bits in which two hashes differ.</summary>
    public static int Hamming(ulong a, ulong b) => BitOperations.PopCount(a ^ b);

    /// <summary>
    /// Exact area averaging to <paramref name="rows"/> × <paramref name="columns"/>: each cell is the mean of the source
    /// area it covers, source pixels cut by a cell border weighted by the part inside.
    /// </summary>
    public static double[] Shrink(ReadOnlySpan<float> pixels, int height, int width, int rows, int columns)
    {
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"an image of {height} × {width} pixels is empty.");
        if (rows < 1 || columns < 1) throw new ArgumentOutOfRangeException(nameof(rows), $"{rows} × {columns} cells is empty.");
        if (pixels.Length != height * width) throw new ArgumentException($"{pixels.Length} pixels are not a {height} × {width} image.", nameof(pixels));
        var rowWeights = Weights(height, rows);
        var columnWeights = Weights(width, columns);
        var cells = new double[rows * columns];
        for (int r = 0; r < rows; r++)
            foreach (var (y, wy) in rowWeights[r])
                for (int c = 0; c < columns; c++)
                    foreach (var (x, wx) in columnWeights[c])
                        cells[r * columns + c] += wy * wx * pixels[y * width + x];
        return cells;
    }

    // For each of `cells` output intervals, the source pixels it overlaps and their weights (summing to 1).
    private static List<(int Index, double Weight)>[] Weights(int source, int cells)
    {
        var weights = new List<(int, double)>[cells];
        double scale = (double)source / cells;
        for (int k = 0; k < cells; k++)
        {
            double start = k * scale, end = (k + 1) * scale;
            weights[k] = [];
            for (int i = (int)Math.Floor(start); i < Math.Min(source, (int)Math.Ceiling(end)); i++)
            {
                double overlap = Math.Min(end, i + 1) - Math.Max(start, i);
                if (overlap > 1e-12) weights[k].Add((i, overlap / scale));
            }
        }
        return weights;
    }
}

namespace Course.Kernel.Install;

/// <summary>
/// The kernel's logo, drawn in code: a purple rounded square with a white "C" ring and a "#", anti-aliased by
/// 4x4 supersampling. Jupyter front ends show logo-64x64.png (and logo-32x32.png) next to the kernel name.
/// </summary>
public static class Logo
{
    public static byte[] Png(int size)
    {
        if (size < 16) throw new ArgumentOutOfRangeException(nameof(size), size, "the logo needs at least 16 pixels.");
        var rgba = new byte[size * size * 4];
        const int samples = 4;
        for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++)
        {
            double background = 0, white = 0;
            for (int sy = 0; sy < samples; sy++)
            for (int sx = 0; sx < samples; sx++)
            {
                // unit coordinates in [0, 1)
                double u = (x + (sx + 0.5) / samples) / size, v = (y + (sy + 0.5) / samples) / size;
                if (!InRoundedSquare(u, v)) continue;
                background++;
                if (InC(u, v) || InHash(u, v)) white++;
            }
            double total = samples * samples;
            double alpha = background / total, w = background > 0 ? white / background : 0;
            // purple (104, 33, 122) blended towards white
            int i = (y * size + x) * 4;
            rgba[i] = (byte)Math.Round(104 + (255 - 104) * w);
            rgba[i + 1] = (byte)Math.Round(33 + (255 - 33) * w);
            rgba[i + 2] = (byte)Math.Round(122 + (255 - 122) * w);
            rgba[i + 3] = (byte)Math.Round(255 * alpha);
        }
        return PngWriter.Encode(size, size, rgba);
    }

    private static bool InRoundedSquare(double u, double v)
    {
        const double r = 0.18;
        double dx = Math.Max(Math.Max(r - u, u - (1 - r)), 0), dy = Math.Max(Math.Max(r - v, v - (1 - r)), 0);
        return dx * dx + dy * dy <= r * r;
    }

    /// <summary>A ring around (0.38, 0.5) open on the right.</summary>
    private static bool InC(double u, double v)
    {
        double dx = u - 0.38, dy = v - 0.5, d = Math.Sqrt(dx * dx + dy * dy);
        if (d < 0.17 || d > 0.27) return false;
        double angle = Math.Atan2(Math.Abs(dy), dx); // 0 to the right
        return angle > 0.75;
    }

    /// <summary>Two vertical and two horizontal bars to the right of the C.</summary>
    private static bool InHash(double u, double v)
    {
        const double left = 0.62, right = 0.88, top = 0.38, bottom = 0.64, half = 0.028;
        bool vertical = (Math.Abs(u - 0.70) < half || Math.Abs(u - 0.80) < half) && v > top - 0.04 && v < bottom + 0.04;
        bool horizontal = (Math.Abs(v - 0.46) < half || Math.Abs(v - 0.56) < half) && u > left && u < right;
        return vertical || horizontal;
    }
}

namespace Course.Models;

/// <summary>
/// Turns a <see cref="CenterNet"/> output into scored boxes. Each (class, cell) with score σ(logit) ≥ the threshold
/// becomes one detection. With <c>peaksOnly</c>, a cell is kept only where its score is the maximum of its 3×3
/// neighbourhood (CenterNet's own duplicate removal, a max-pool); without it every cell above the threshold is
/// returned, which gives the clusters of overlapping boxes that NMS or soft-NMS must then clean up.
/// </summary>
public static class CenterNetDecoder
{
    public static List<Detection>[] Decode(Tensor output, int numClasses, double scoreThreshold = 0.05, bool peaksOnly = true, int maxPerImage = 100, int stride = CenterNet.Stride)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output.dim() != 4 || output.size(1) != numClasses + 4)
            throw new ArgumentException($"output must be [B, {numClasses} + 4, h, w], not [{string.Join(", ", output.shape)}].", nameof(output));
        if (maxPerImage < 1) throw new ArgumentOutOfRangeException(nameof(maxPerImage), maxPerImage, "keep at least one detection per image.");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var o = output.detach().cpu().to(float32);
        var scores = o.narrow(1, 0, numClasses).sigmoid();
        var isPeak = peaksOnly ? scores.eq(nn.functional.max_pool2d(scores, 3, 1, 1)).to(float32) : ones_like(scores);
        int b = (int)o.size(0), h = (int)o.size(2), w = (int)o.size(3);
        var s = scores.contiguous().data<float>().ToArray();
        var peak = isPeak.contiguous().data<float>().ToArray();
        var geometry = o.narrow(1, numClasses, 4).contiguous().data<float>().ToArray();
        var result = new List<Detection>[b];
        for (int n = 0; n < b; n++)
        {
            var list = new List<Detection>();
            for (int c = 0; c < numClasses; c++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++)
                    {
                        int k = ((n * numClasses + c) * h + i) * w + j;
                        if (s[k] < scoreThreshold || peak[k] == 0) continue;
                        double G(int channel) => geometry[((n * 4 + channel) * h + i) * w + j];
                        double bw = Math.Max(G(0), 0) * stride, bh = Math.Max(G(1), 0) * stride;
                        double cx = (j + G(2)) * stride, cy = (i + G(3)) * stride;
                        list.Add(new Detection(Box.FromCenter(cx, cy, bw, bh), c, s[k]));
                    }
            result[n] = list.OrderByDescending(d => d.Score).Take(maxPerImage).ToList();
        }
        return result;
    }
}

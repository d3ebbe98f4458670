using Course;

namespace Course.Tests;

public sealed class AugmentTests
{
    private static Tensor Images(int n, int c = 2, int h = 6, int w = 5)
    {
        manual_seed(11);
        return torch.rand([n, c, h, w]) + 0.5; // no zeros, so padding is recognisable
    }

    [Fact]
    public void CropWithoutPaddingIsTheIdentity()
    {
        using var x = Images(4);
        using var y = Augment.RandomCrop(x, 0);
        Assert.True(y.allclose(x, 0, 0));
    }

    [Fact]
    public void EachImageIsItsOwnShiftedWindowOfThePaddedImage()
    {
        const int n = 32, c = 2, h = 6, w = 5, pad = 2;
        using var x = Images(n, c, h, w);
        manual_seed(5);
        using var y = Augment.RandomCrop(x, pad);
        Assert.Equal(x.shape, y.shape);
        var input = x.ToArray<float>();
        var output = y.ToArray<float>();
        float Padded(int i, int ch, int r, int k) =>
            r < 0 || r >= h || k < 0 || k >= w ? 0 : input[((i * c + ch) * h + r) * w + k];
        var shifts = new HashSet<(int, int)>();
        for (int i = 0; i < n; i++)
        {
            var matches = new List<(int, int)>();
            for (int dy = -pad; dy <= pad; dy++)
                for (int dx = -pad; dx <= pad; dx++)
                {
                    bool all = true;
                    for (int ch = 0; ch < c && all; ch++)
                        for (int r = 0; r < h && all; r++)
                            for (int k = 0; k < w && all; k++)
                                all = output[((i * c + ch) * h + r) * w + k] == Padded(i, ch, r + dy, k + dx);
                    if (all) matches.Add((dy, dx));
                }
            Assert.Single(matches); // one shift explains image i, the same for all its channels
            shifts.Add(matches[0]);
        }
        Assert.True(shifts.Count >= 8, $"only {shifts.Count} distinct shifts among {n} images: offsets are not drawn per image");
    }

    [Fact]
    public void FlipMirrorsTheChosenImagesOnly()
    {
        using var x = Images(200);
        using var flipped = x.flip(3);
        using (var all = Augment.RandomHorizontalFlip(x, 1)) Assert.True(all.allclose(flipped, 0, 0));
        using (var none = Augment.RandomHorizontalFlip(x, 0)) Assert.True(none.allclose(x, 0, 0));
        using var some = Augment.RandomHorizontalFlip(x, 0.5);
        int mirrored = 0;
        for (int i = 0; i < 200; i++)
        {
            using var image = some[i];
            using var original = x[i];
            using var mirror = flipped[i];
            bool same = image.allclose(original, 0, 0), isMirror = image.allclose(mirror, 0, 0);
            Assert.True(same ^ isMirror, $"image {i} is neither itself nor its mirror");
            if (isMirror) mirrored++;
        }
        Assert.InRange(mirrored, 70, 130);
    }

    [Fact]
    public void ASeedRepeatsTheAugmentation()
    {
        using var x = Images(16);
        manual_seed(3);
        using var a = Augment.RandomHorizontalFlip(Augment.RandomCrop(x, 3));
        manual_seed(3);
        using var b = Augment.RandomHorizontalFlip(Augment.RandomCrop(x, 3));
        Assert.True(a.allclose(b, 0, 0));
    }

    [Fact]
    public void OnlyImageBatchesAreAccepted()
    {
        using var flat = torch.zeros(3, 4);
        Assert.Throws<ArgumentException>(() => Augment.RandomCrop(flat));
        using var x = Images(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => Augment.RandomHorizontalFlip(x, 1.5));
    }
}

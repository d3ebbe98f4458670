using Course;

namespace Course.Tests;

public sealed class ContrastiveViewsTests
{
    private static Tensor Images(int n = 64)
    {
        manual_seed(21);
        return torch.rand([n, 1, 28, 28]);
    }

    [Fact]
    public void ViewsKeepShapeAndPixelRangeAndDifferPerImage()
    {
        using var scope = NewDisposeScope();
        var x = Images();
        manual_seed(1);
        var (a, b) = new ContrastiveViews().Pair(x);
        Assert.Equal(x.shape, a.shape);
        Assert.Equal(x.shape, b.shape);
        Assert.True(a.min().item<float>() >= 0 && a.max().item<float>() <= 1, "pixels left [0, 1]");
        // the two views of an image differ, and so do the views of different images
        var perImage = (a - b).abs().flatten(1).mean([1]);
        Assert.True(perImage.min().item<float>() > 1e-4, "some image got two identical views");
    }

    [Fact]
    public void ViewsRepeatUnderTheSameSeed()
    {
        using var scope = NewDisposeScope();
        var x = Images();
        var views = new ContrastiveViews();
        manual_seed(7); var first = views.View(x);
        manual_seed(7); var again = views.View(x);
        manual_seed(8); var other = views.View(x);
        Assert.True(first.allclose(again, 0, 0), "the same seed gave different views");
        Assert.False(first.allclose(other, 1e-3, 1e-3), "different seeds gave the same views");
    }

    [Fact]
    public void WholeImageBoxIsTheIdentityAndBoxesFitTheImage()
    {
        using var scope = NewDisposeScope();
        var x = Images(8);
        var whole = tensor(Enumerable.Repeat(new float[] { 0, 0, 28, 28 }, 8).SelectMany(v => v).ToArray(), new long[] { 8, 4 });
        Assert.True(ContrastiveViews.ResizedCrop(x, whole).allclose(x, 1e-6, 1e-6));
        manual_seed(3);
        var boxes = ContrastiveViews.RandomBoxes(2000, 28, 28, (0.25, 1.0), (0.75, 4.0 / 3));
        var (top, left, h, w) = (boxes.select(1, 0), boxes.select(1, 1), boxes.select(1, 2), boxes.select(1, 3));
        Assert.True(top.min().item<float>() >= 0 && left.min().item<float>() >= 0);
        Assert.True((top + h).max().item<float>() <= 28 + 1e-4 && (left + w).max().item<float>() <= 28 + 1e-4, "a box leaves the image");
        var area = (h * w / (28 * 28));
        Assert.True(area.min().item<float>() >= 0.25 - 1e-4 - 0.1 && area.max().item<float>() <= 1 + 1e-4, "area fraction out of range");
        Assert.InRange(area.mean().item<float>(), 0.5, 0.7);   // uniform in [0.25, 1] has mean 0.625 (clamping the sides lowers it a little)
    }

    [Fact]
    public void BrightnessAndContrastFollowTheirFormulas()
    {
        using var scope = NewDisposeScope();
        var x = Images(2) * 0.5 + 0.25;
        var y = ContrastiveViews.AdjustBrightnessContrast(x, tensor(new float[] { 1, 1.2f }), tensor(new float[] { 0.5f, 1 }));
        var mean0 = x[0].mean();
        Assert.True(y[0].allclose(mean0 + 0.5 * (x[0] - mean0), 1e-6, 1e-6), "contrast 0.5 should halve the distance to the mean");
        Assert.True(y[1].allclose((x[1] * 1.2).clamp(0, 1), 1e-6, 1e-6), "brightness 1.2 should scale the pixels");
    }

    [Fact]
    public void BadInputIsRejected()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => new ContrastiveViews().View(torch.rand([28, 28])));
        Assert.Throws<ArgumentException>(() => new ContrastiveViews().View(torch.ones([2, 1, 28, 28], dtype: int64)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ContrastiveViews.RandomBoxes(4, 28, 28, (0, 1), (1, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ContrastiveViews.GaussianBlur(torch.rand([2, 1, 4, 4]), tensor(new float[] { 1, 0 })));
        Assert.Throws<ArgumentException>(() => ContrastiveViews.ResizedCrop(torch.rand([2, 1, 4, 4]), torch.zeros([3, 4])));
    }
}

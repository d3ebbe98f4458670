using Course;

namespace Models.Tests;

/// <summary>
/// The tiny CenterNet: output layout, training targets and focal loss against hand numbers, decoding to boxes, and
/// float64 gradient checks of the loss (with respect to the head's output) and of the model's first and last layers.
/// </summary>
public class CenterNetTests
{
    [Fact]
    public void ForwardGivesHeatSizeAndOffsetPerCell()
    {
        manual_seed(0);
        using var model = new CenterNet(num_classes: 10);
        using var x = rand(new long[] { 2, 1, 64, 64 });
        using var y = model.forward(x);
        Assert.Equal(new long[] { 2, 14, 16, 16 }, y.shape);
        Assert.Equal(new long[] { 2, 10, 16, 16 }, model.heat_logits(y).shape);
        Assert.Equal(new long[] { 2, 2, 16, 16 }, model.sizes(y).shape);
        Assert.Equal(new long[] { 2, 2, 16, 16 }, model.offsets(y).shape);
        // the heat-map bias starts every cell near σ = 0.1
        Assert.Equal(Math.Log(0.1 / 0.9), model.head.bias!.ToArray<float>()[3], 6);
    }

    [Fact]
    public void TargetsPutAGaussianAtTheCentreCell()
    {
        // a 16×8 box centred at (16, 12) pixels: cell (row 3, column 4), size (4, 2) cells, offset (0, 0)
        var objects = new[] { new[] { new LabeledBox(new Box(8, 8, 24, 16), 2) } };
        using var t = CenterNetLoss.Targets(objects, numClasses: 3, height: 64, width: 64);
        Assert.Equal(new long[] { 1, 3, 16, 16 }, t.Heat.shape);
        Assert.Equal(1, t.Objects);
        var heat = t.Heat.ToArray<float>();
        float H(int c, int i, int j) => heat[(c * 16 + i) * 16 + j];
        Assert.Equal(1f, H(2, 3, 4));
        double sx = 4.0 / 6, sy = 0.5;   // σ = max(size / 6, 0.5)
        Assert.Equal((float)Math.Exp(-1 / (2 * sx * sx)), H(2, 3, 5), 6);
        Assert.Equal((float)Math.Exp(-1 / (2 * sy * sy)), H(2, 4, 4), 6);
        Assert.Equal(0f, H(1, 3, 4));
        Assert.Equal(1f, t.Mask.ToArray<float>()[3 * 16 + 4]);
        Assert.Equal(1f, t.Mask.sum().item<float>());
        var size = t.Size.ToArray<float>();
        Assert.Equal(4f, size[3 * 16 + 4]);
        Assert.Equal(2f, size[256 + 3 * 16 + 4]);
        Assert.Equal(0f, t.Offset.abs().sum().item<float>());
        // a centre off the cell corner: (10, 6) px → cell (1, 2) with offset (0.5, 0.5)
        using var t2 = CenterNetLoss.Targets(new[] { new[] { new LabeledBox(new Box(8, 4, 12, 8), 0) } }, 1, 16, 16);
        var off = t2.Offset.ToArray<float>();
        Assert.Equal(0.5f, off[1 * 4 + 2]);
        Assert.Equal(0.5f, off[16 + 1 * 4 + 2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => CenterNetLoss.Targets(new[] { new[] { new LabeledBox(new Box(0, 0, 4, 4), 3) } }, 3, 16, 16));
        Assert.Throws<ArgumentException>(() => CenterNetLoss.Targets(objects, 3, 62, 64));
    }

    [Fact]
    public void FocalLossMatchesHandNumbers()
    {
        // two cells: p = 0.5 at a centre (Y = 1), p = 0.75 next to it (Y = 0.5); one object
        using var logits = tensor(new double[] { 0, Math.Log(3) }, new long[] { 1, 1, 1, 2 }, float64);
        using var target = tensor(new double[] { 1, 0.5 }, new long[] { 1, 1, 1, 2 }, float64);
        double expected = -(0.25 * Math.Log(0.5) + Math.Pow(0.5, 4) * 0.5625 * Math.Log(0.25));
        using var loss = CenterNetLoss.Focal(logits, target, 1);
        Assert.Equal(expected, loss.item<double>(), 12);
    }

    [Fact]
    public void LossGradientsMatchFiniteDifferences()
    {
        manual_seed(1);
        var objects = new[] { new[] { new LabeledBox(new Box(1, 2, 9, 8), 0) }, new[] { new LabeledBox(new Box(4, 4, 14, 12), 1), new LabeledBox(new Box(0, 0, 3, 5), 0) } };
        using var targets = CenterNetLoss.Targets(objects, 2, 16, 16);
        // logits within about ±1.5: the focal loss scales an easy negative's gradient by p³, so at p ≈ 0.001 it is ~1e-9
        // and an element-wise relative comparison would measure the finite differences' rounding, not the gradient
        using var output = (randn(new long[] { 2, 6, 4, 4 }, float64) * 0.5).requires_grad_();
        double error = autograd.gradcheck(() => CenterNetLoss.Loss(output, targets, 2), output);
        Assert.True(error < 1e-6, $"loss gradient error {error}");

        using var model = new CenterNet(num_classes: 2, width: 8);
        model.to(float64);
        model.eval();
        using var x = randn(new long[] { 2, 1, 16, 16 }, float64);
        var first = model.parameters().First();
        error = autograd.gradcheck(() => CenterNetLoss.Loss(model.forward(x), targets, 2), first, model.head.weight, model.head.bias!);
        Assert.True(error < 1e-4, $"model gradient error {error}");
    }

    [Fact]
    public void DecodeTurnsCellsIntoBoxes()
    {
        var values = new float[1 * 5 * 4 * 4];
        for (int k = 0; k < 16; k++) values[k] = -10;
        values[2 * 4 + 3] = 2;                 // centre cell (row 2, column 3), score σ(2)
        values[2 * 4 + 2] = 1;                 // its neighbour, less confident
        void Set(int channel, float v) { values[(channel * 4 + 2) * 4 + 3] = v; values[(channel * 4 + 2) * 4 + 2] = v; }
        Set(1, 3); Set(2, 2); Set(3, 0.5f); Set(4, 0.25f);   // size (3, 2) cells, offset (0.5, 0.25)
        using var output = tensor(values, new long[] { 1, 5, 4, 4 });
        var peaks = CenterNetDecoder.Decode(output, 1, scoreThreshold: 0.05);
        var d = Assert.Single(peaks[0]);
        Assert.Equal(new Box(8, 5, 20, 13), d.Box);   // centre ((3 + 0.5)·4, (2 + 0.25)·4) = (14, 9), size 12 × 8
        Assert.Equal(1 / (1 + Math.Exp(-2)), d.Score, 6);
        var all = CenterNetDecoder.Decode(output, 1, scoreThreshold: 0.05, peaksOnly: false);
        Assert.Equal(2, all[0].Count);
        Assert.Equal(new Box(4, 5, 16, 13), all[0][1].Box);
        Assert.Empty(CenterNetDecoder.Decode(output, 1, scoreThreshold: 0.9)[0]);
        Assert.Throws<ArgumentException>(() => CenterNetDecoder.Decode(output, 2));
    }
}

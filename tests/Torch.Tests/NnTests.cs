using Torch.Modules;

namespace Torch.Tests;

public class NnTests
{
    [Fact]
    public void LinearComputesXWtPlusB()
    {
        using var scope = NewDisposeScope();
        var lin = nn.Linear(3, 2);
        var x = randn(4, 3);
        var expected = x.matmul(lin.weight.t()) + lin.bias!;
        Assert.True(lin.forward(x).allclose(expected, 1e-5, 1e-6));
        Assert.Equal(new[] { "weight", "bias" }, lin.named_parameters().Select(p => p.name));
        double bound = 1 / Math.Sqrt(3);
        Assert.All(lin.weight.ToArray<float>(), v => Assert.InRange(v, -bound, bound));
        Assert.Equal(8, lin.num_parameters());
    }

    [Fact]
    public void Conv2dMatchesAConvolutionByHand()
    {
        using var scope = NewDisposeScope();
        var conv = nn.Conv2d(1, 1, 3, padding: 1);
        var img = arange(0.0, 16.0).reshape(1, 1, 4, 4);
        var y = conv.forward(img);
        Assert.Equal(new long[] { 1, 1, 4, 4 }, y.shape);
        var w = conv.weight.ToArray<float>();
        var b = conv.bias!.item<float>();
        var pix = img.ToArray<float>();
        var o = y.contiguous().ToArray<float>();
        // output (1,1) sums the 3x3 patch around it
        double manual = b;
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) manual += w[i * 3 + j] * pix[i * 4 + j];
        Near.Equal(manual, o[1 * 4 + 1], 1e-5);
        // a channels_last input gives the same numbers as NCHW through the functional op
        var nchw = F.conv2d(img, conv.weight.contiguous(), conv.bias, padding: [1]);
        Assert.True(nchw.allclose(y, 1e-5, 1e-5));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    public void ChannelsLastConvolutionGivesTheNchwOutputAndGradientsElementByElement(long stride, long padding)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        // several input and output channels: nn.Conv2d keeps this weight channels_last (a single input channel stays NCHW)
        var conv = nn.Conv2d(3, 5, 3, stride: stride, padding: padding);
        Assert.True(conv.weight.is_channels_last() && !conv.weight.is_contiguous(), "the layer's weight is channels_last");
        var x = randn(2, 3, 7, 6).requires_grad_();
        var g = randn(conv.forward(x.detach()).shape);
        var y = conv.forward(x);
        Assert.True(y.is_channels_last(), "the layer ran the channels_last kernel");
        (y * g).sum().backward();

        // the oracle: the same numbers in NCHW float64, and, from the absolute values, the size of the terms each
        // element sums (float32 rounding of such a sum stays below 1e-5 of it: at most 3·3·3 + 1 terms per output,
        // 2·7·6 per weight gradient)
        var x64 = x.detach().to(float64).contiguous().requires_grad_();
        var w64 = conv.weight.detach().to(float64).contiguous().requires_grad_();
        var b64 = conv.bias!.detach().to(float64).requires_grad_();
        var g64 = g.to(float64);
        var y64 = F.conv2d(x64, w64, b64, [stride], [padding]);
        (y64 * g64).sum().backward();
        var xa = x64.detach().abs().requires_grad_();
        var wa = w64.detach().abs().requires_grad_();
        var ya = F.conv2d(xa, wa, b64.detach().abs(), [stride], [padding]);
        (ya * g64.abs()).sum().backward();

        void Same(string what, Tensor actual, Tensor expected, Tensor size)
        {
            Assert.Equal(expected.shape, actual.shape);
            double[] a = actual.contiguous().to(float64).ToArray<double>(), e = expected.contiguous().ToArray<double>(), m = size.contiguous().ToArray<double>();
            for (int i = 0; i < e.Length; i++)
                Assert.True(Math.Abs(a[i] - e[i]) <= 1e-5 * m[i], $"{what}[{i}]: NCHW float64 {e[i]:R}, channels_last {a[i]:R} (terms of size {m[i]:G3})");
        }
        Same("output", y, y64, ya);
        Same("input gradient", x.grad!, x64.grad!, xa.grad!);
        Same("weight gradient", conv.weight.grad!, w64.grad!, wa.grad!);
        Same("bias gradient", conv.bias.grad!, b64.grad!, g64.abs().sum(new long[] { 0, 2, 3 }));
    }

    [Fact]
    public void BatchNormUsesBatchStatisticsInTrainingAndRunningOnesInEval()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var bn = nn.BatchNorm2d(3);
        var x = randn(8, 3, 4, 4) * 2 + 1;
        var y = bn.forward(x);
        var m = y.mean(new long[] { 0, 2, 3 });
        Assert.All(m.ToArray<float>(), v => Assert.InRange(v, -1e-5, 1e-5));
        Assert.Equal(1L, bn.num_batches_tracked!.item<long>());
        // running mean moved 10% of the way to the batch mean
        var batchMean = x.mean(new long[] { 0, 2, 3 });
        Assert.True(bn.running_mean!.allclose(batchMean * 0.1, 1e-4, 1e-5));
        bn.eval();
        var ye = bn.forward(x);
        Assert.False(ye.allclose(y, 1e-3, 1e-3));
        Assert.Equal(new[] { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" }, bn.state_dict().Keys);
    }

    [Fact]
    public void LayerNormEmbeddingDropout()
    {
        using var scope = NewDisposeScope();
        var ln = nn.LayerNorm(6);
        var y = ln.forward(randn(4, 6) * 3 + 2);
        Assert.All(y.mean([1]).ToArray<float>(), v => Assert.InRange(v, -1e-5, 1e-5));
        Assert.All(y.var(1, unbiased: false).ToArray<float>(), v => Assert.InRange(v, 0.999, 1.001));

        var emb = nn.Embedding(10, 4, padding_idx: 0);
        var e = emb.forward(tensor(new long[] { 0, 3, 3 }));
        Assert.Equal(new long[] { 3, 4 }, e.shape);
        Assert.Equal(0f, e[0].abs().sum().item<float>());
        Assert.Equal(e[1].ToArray<float>(), e[2].ToArray<float>());

        var drop = nn.Dropout(0.5);
        var ones_ = ones(1000);
        var d = drop.forward(ones_);
        var kept = (d > 0).@float().mean().item<float>();
        Assert.InRange(kept, 0.4, 0.6);
        Assert.All(d.ToArray<float>(), v => Assert.True(v == 0 || v == 2));
        drop.eval();
        Assert.Equal(ones_.ToArray<float>(), drop.forward(ones_).ToArray<float>());
    }

    private sealed class TwoLayer : nn.Module<Tensor, Tensor>
    {
        public readonly Linear fc1 = nn.Linear(4, 8);
        public readonly Linear fc2 = nn.Linear(8, 2);
        public readonly Sequential head = nn.Sequential(nn.ReLU(), nn.Linear(2, 2));
        public override Tensor forward(Tensor x) => head.forward(fc2.forward(fc1.forward(x).relu()));
    }

    [Fact]
    public void ModulesNameTheirPartsLikePyTorch()
    {
        using var model = new TwoLayer();
        Assert.Equal(new[] { "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "head.1.weight", "head.1.bias" },
            model.named_parameters().Select(p => p.name));
        Assert.Contains("(head): Sequential(", model.ToString());
        Assert.Contains("(fc1): Linear(in_features=4, out_features=8, bias=True)", model.ToString());
        model.eval();
        Assert.All(model.modules(), m => Assert.False(m.training));
        model.train();
        Assert.All(model.modules(), m => Assert.True(m.training));
    }

    [Fact]
    public void SavedWeightsReloadToTheSameOutputs()
    {
        using var scope = NewDisposeScope();
        var a = new TwoLayer();
        var b = new TwoLayer();
        var x = randn(3, 4);
        Assert.False(a.forward(x).allclose(b.forward(x)));
        using var dir = new TempFolder("course-save");
        var path = dir.File("m.safetensors");
        a.save(path);
        b.load(path);
        Assert.Equal(a.forward(x).ToArray<float>(), b.forward(x).ToArray<float>());
    }

    [Fact]
    public void AttentionComposedMatchesTheDefinition()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var q = randn(new long[] { 2, 4, 5, 8 }, float64);
        var k = randn(new long[] { 2, 4, 5, 8 }, float64);
        var v = randn(new long[] { 2, 4, 5, 8 }, float64);
        var (o, w) = F.attention(q, k, v, is_causal: true);
        var manual = (q.matmul(k.transpose(-2, -1)) / Math.Sqrt(8)).masked_fill(ones(5, 5, @bool).triu(1), double.NegativeInfinity).softmax(-1).matmul(v);
        Assert.True(o.allclose(manual, 1e-10, 1e-10));
        Assert.Equal(0.0, w[0, 0, 0, 1].item<double>());  // causal: no looking ahead
        // the public entry point (fused on libtorch 2.x) gives the same numbers
        Assert.True(F.scaled_dot_product_attention(q, k, v, is_causal: true).allclose(manual, 1e-6, 1e-6));
        var mask = ones(5, 5, @bool).tril();
        Assert.True(F.scaled_dot_product_attention(q, k, v, attn_mask: mask).allclose(manual, 1e-6, 1e-6));
    }

    [Fact]
    public void LossesMatchPyTorch()
    {
        using var scope = NewDisposeScope();
        var r = Reference.Json("optim.json")["losses"]!;
        var logits = tensor(Reference.Floats(r["logits"]!), new long[] { 6, 5 });
        var target = tensor(r["target"]!.AsArray().Select(x => (long)x!).ToArray());
        var probs = tensor(Reference.Floats(r["probs"]!), new long[] { 6, 5 });
        Near.Equal((double)r["ce"]!, F.cross_entropy(logits, target).item<double>());
        Near.Equal((double)r["ce_smooth"]!, F.cross_entropy(logits, target, label_smoothing: 0.1).item<double>());
        Near.Equal((double)r["nll"]!, F.nll_loss(logits.log_softmax(1), target).item<double>());
        Near.Equal((double)r["mse"]!, F.mse_loss(logits, probs).item<double>());
        Near.Equal((double)r["bce"]!, F.binary_cross_entropy(probs, (logits > 0).@float()).item<double>());
    }
}

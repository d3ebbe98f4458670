namespace Models.Tests;

/// <summary>
/// Every library model's autograd gradients agree with centred finite differences in float64, on a few of its
/// parameters (the first and last layers, and the learned embeddings whose gradient would vanish if a model
/// detached them by mistake). The models are small and in eval mode, so the loss is a deterministic function.
/// </summary>
public class ModelGradientTests
{
    // Element by element relative error, so the parameters checked are ones with sizeable gradients: with small initial
    // weights the attention scores are nearly uniform and the query/key projections' gradients are ~1e-8, where centred
    // differences (absolute error ~1e-11) alone give relative errors of 1e-3. A detached parameter, a wrong mask or a
    // float32 step gives errors of order 1e-3 to 1.
    private const double Tolerance = 1e-4;

    // the parameters are named after the model has moved to float64: TorchSharp's Module.to makes new parameter objects
    private static double Check(nn.Module model, Func<Tensor> loss, Func<Tensor[]> parameters)
    {
        model.to(float64);
        model.eval();
        return autograd.gradcheck(loss, parameters());
    }

    /// <summary>Two seeded float64 images of Fashion-MNIST's size and their labels.</summary>
    private static (Tensor Images, Tensor Labels) TwoImages(int seed, long label0, long label1)
    {
        manual_seed(seed);
        return (randn(new long[] { 2, 1, 28, 28 }, float64), tensor(new long[] { label0, label1 }));
    }

    [Fact]
    public void CnnGradientsMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var (x, y) = TwoImages(1, 3, 7);
        using var lenet = new LeNet(width: 4);
        // the first convolution's gradient passes back through every layer (batch norm in eval mode, pooling, dropout off)
        var firstConv = (Conv2d)lenet.features[0];
        var classifier = (Linear)lenet.classifier[lenet.classifier.Count - 1];
        var lenetError = Check(lenet, () => F.cross_entropy(lenet.forward(x), y), () => [firstConv.weight, classifier.weight]);
        Assert.True(lenetError < Tolerance, $"LeNet: relative error {lenetError:E2}");

        using var resnet = new ResNet(width: 4);
        var stemConv = (Conv2d)resnet.stem[0];
        var resnetError = Check(resnet, () => F.cross_entropy(resnet.forward(x), y), () => [stemConv.weight, resnet.fc.weight]);
        Assert.True(resnetError < Tolerance, $"ResNet: relative error {resnetError:E2}");
    }

    [Fact]
    public void VitGradientsMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var (x, y) = TwoImages(2, 1, 4);
        using var vit = new VisionTransformer(patch_size: 7, d_model: 8, depth: 1, heads: 2, dropout: 0);
        var error = Check(vit, () => F.cross_entropy(vit.forward(x), y), () => [vit.cls_token, vit.pos_embed, vit.head.bias!]);
        Assert.True(error < Tolerance, $"ViT: relative error {error:E2}");
    }

    [Fact]
    public void TransformerGradientsMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var gpt = new CharTransformer(vocab: 7, block_size: 8, d_model: 8, heads: 2, layers: 1, dropout: 0);
        var ids = randint(7, new long[] { 2, 6 });
        var next = randint(7, new long[] { 2, 6 });
        var block = gpt.blocks[0];
        var gptError = Check(gpt, () => F.cross_entropy(gpt.forward(ids).flatten(0, 1), next.flatten()), () => [((Linear)block.attn.v_proj).weight, block.ln1.weight!]);
        Assert.True(gptError < Tolerance, $"character Transformer: relative error {gptError:E2}");

        using var s2s = new Seq2SeqTransformer(9, 8, d_model: 8, heads: 2, layers: 1, hidden: 16, dropout: 0);
        var src = tensor(new long[] { 3, 4, 5, 0, 6, 7, 0, 0 }, new long[] { 2, 4 });
        var tgt = tensor(new long[] { 1, 5, 6, 1, 3, 2 }, new long[] { 2, 3 });
        var cross = s2s.decoder[0].cross_attn;
        // the source embedding reaches the loss only through cross-attention: a wrong mask or a detach would show here
        var s2sError = Check(s2s, () => F.cross_entropy(s2s.forward(src, tgt).flatten(0, 1), tgt.flatten()), () => [((Linear)cross.v_proj).weight, s2s.src_embed.weight]);
        Assert.True(s2sError < Tolerance, $"seq2seq Transformer: relative error {s2sError:E2}");
    }
}

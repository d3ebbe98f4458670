using System.Text.Json.Nodes;

namespace Models.Tests;

/// <summary>
/// CLIP: the symmetric InfoNCE loss against a direct loop and against PyTorch (reference/clip_loss.json), the clamped
/// temperature, the text encoder's read-out at &lt;eos&gt;, zero-shot prompt ensembling by hand, and float64 gradients.
/// </summary>
public class ClipTests
{
    private static readonly JsonNode Ref = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "clip_loss.json")))!;
    private static double[] D(string key) => Ref[key]!.AsArray().Select(x => (double)x!).ToArray();
    private static double Gap(Tensor a, double[] b) => a.ToArray<double>().Zip(b).Max(p => Math.Abs(p.First - p.Second));

    // the loss written as the two sums it is: -1/2n Σ_i [ log softmax_j(L_ij)_i + log softmax_j(L_ji)_i ]
    private static double LoopLoss(double[,] L)
    {
        int n = L.GetLength(0);
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double row = 0, col = 0;
            for (int j = 0; j < n; j++) { row += Math.Exp(L[i, j]); col += Math.Exp(L[j, i]); }
            total += (Math.Log(row) - L[i, i]) + (Math.Log(col) - L[i, i]);
        }
        return total / (2 * n);
    }

    [Fact]
    public void SymmetricInfoNceEqualsADirectLoop()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        foreach (var n in new[] { 1, 2, 7 })
        {
            var logits = randn(new long[] { n, n }, float64) * 3;
            var L = new double[n, n];
            var flat = logits.ToArray<double>();
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) L[i, j] = flat[i * n + j];
            Assert.Equal(LoopLoss(L), ClipLoss.symmetric_info_nce(logits).item<double>(), 12);
        }
        // not symmetric in its two directions: a matrix whose rows are easy and columns hard
        var skew = tensor(new double[,] { { 5, 0 }, { 5, 0 } });
        Assert.Equal(LoopLoss(new double[,] { { 5, 0 }, { 5, 0 } }), ClipLoss.symmetric_info_nce(skew).item<double>(), 12);
        Assert.Throws<ArgumentException>(() => ClipLoss.symmetric_info_nce(zeros(2, 3)));
    }

    [Fact]
    public void LossAndGradientsEqualPyTorchs()
    {
        using var scope = NewDisposeScope();
        long n = (long)Ref["n"]!, d = (long)Ref["d"]!;
        var image = tensor(D("image"), new[] { n, d }).requires_grad_();
        var text = tensor(D("text"), new[] { n, d }).requires_grad_();
        var t = tensor((double)Ref["t"]!, float64, requires_grad: true);
        var loss = ClipLoss.symmetric_info_nce(t.exp() * image.matmul(text.t()));
        Assert.Equal((double)Ref["loss"]!, loss.item<double>(), 12);
        loss.backward();
        Assert.True(Gap(image.grad!, D("grad_image")) < 1e-12, "image gradient differs from PyTorch's");
        Assert.True(Gap(text.grad!, D("grad_text")) < 1e-12, "text gradient differs from PyTorch's");
        Assert.Equal((double)Ref["grad_t"]!, t.grad!.item<double>(), 12);
    }

    private static Clip Small(long vocab = 9) => new(vocab, embed_dim: 6, image_width: 8, cnn_width: 2, text_width: 8, text_layers: 1, text_heads: 2, context_length: 6);

    [Fact]
    public void LogitScaleStartsAtOneOverTemperatureAndIsClampedAtOneHundred()
    {
        using var scope = NewDisposeScope();
        using var clip = Small();
        Assert.Equal(1 / 0.07, clip.scale().item<float>(), 3);
        using (no_grad()) clip.logit_scale.fill_(8.0);
        Assert.Equal(100.0, clip.scale().item<float>(), 3);
        // the logits are the clamped scale times cosine similarities
        clip.eval();
        manual_seed(1);
        var images = rand(3, 1, 28, 56);
        var tokens = tensor(new long[,] { { 3, 4, 1, 0 }, { 5, 1, 0, 0 }, { 6, 7, 8, 1 } });
        var cosine = clip.encode_image(images).matmul(clip.encode_text(tokens).t());
        Assert.True(clip.forward(images, tokens).sub(cosine * 100).abs().max().item<float>() < 1e-4);
        Assert.True(cosine.abs().max().item<float>() <= 1 + 1e-6);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Clip(9, init_temperature: 0));
    }

    [Fact]
    public void TextFeatureIsTheStateAtEosAndIgnoresPadding()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var encoder = new ClipTextEncoder(vocab: 9, width: 8, layers: 2, heads: 2, context_length: 6);
        encoder.eval();
        var padded = encoder.forward(tensor(new long[,] { { 3, 4, 1, 0, 0, 0 } }));
        var unpadded = encoder.forward(tensor(new long[,] { { 3, 4, 1 } }));
        Assert.True(padded.sub(unpadded).abs().max().item<float>() < 1e-6, "padding after <eos> changed the feature");
        var other = encoder.forward(tensor(new long[,] { { 5, 4, 1, 0, 0, 0 } }));
        Assert.True(padded.sub(other).abs().max().item<float>() > 1e-3, "the first word did not reach the <eos> state");
        // the feature is the final-LayerNorm state at position 2 of the full sequence
        var x = encoder.token_embed.forward(tensor(new long[,] { { 3, 4, 1 } })) + encoder.position_embed.forward(arange(3L, dtype: int64));
        foreach (var block in encoder.blocks) x = block.forward(x, null, causal: true);
        Assert.True(encoder.ln_final.forward(x)[.., 2].sub(unpadded).abs().max().item<float>() < 1e-6);
        Assert.Throws<ArgumentException>(() => encoder.forward(zeros(new long[] { 1, 7 }, int64)));
    }

    [Fact]
    public void ZeroShotAveragesUnitPromptEmbeddingsAndPicksTheClosestClass()
    {
        using var scope = NewDisposeScope();
        // class 0: prompts (1, 0) and (0, 1) → (1, 1)/√2; class 1: one prompt (-1, 0)
        var classes = ZeroShot.Ensemble([tensor(new double[,] { { 1, 0 }, { 0, 1 } }), tensor(new double[,] { { -1, 0 } })]);
        double h = Math.Sqrt(0.5);
        Assert.True(Gap(classes, [h, h, -1, 0]) < 1e-12);
        // (0, 1) is closer to (h, h) than to (-1, 0); (-0.6, -0.8) has similarity -0.99 with class 0 and 0.6 with class 1
        var images = tensor(new double[,] { { 0, 1 }, { -0.6, -0.8 }, { 1, 0 } });
        Assert.Equal(new long[] { 0, 1, 0 }, ZeroShot.Predict(images, classes).ToArray<long>());
        Assert.Throws<ArgumentException>(() => ZeroShot.Ensemble([zeros(0, 2)]));
        Assert.Throws<ArgumentException>(() => ZeroShot.Predict(images, zeros(2, 3)));
    }

    [Fact]
    public void ClipGradientsMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        // ReLU and max-pooling have kinks: a pre-activation (or a pair of pooled values) within ε = 1e-5 of one makes the
        // centred difference wrong there, whatever the code. The CNN has ~11,000 such values, so a few seeds meet one;
        // this seed meets none (a wrong gradient still fails by orders of magnitude).
        manual_seed(6);
        using var clip = Small();
        clip.to(float64);
        clip.eval();
        var images = randn(new long[] { 3, 1, 28, 56 }, float64);
        var tokens = tensor(new long[,] { { 3, 4, 1, 0 }, { 5, 1, 0, 0 }, { 6, 7, 8, 1 } });
        var firstConv = (Conv2d)clip.visual.features[0];
        var checkedParameters = new (string Name, Tensor Parameter)[]
        {
            ("visual.features[0].weight", firstConv.weight), ("visual.fc.weight", clip.visual.fc.weight),
            ("image_projection.weight", clip.image_projection.weight), ("text_projection.weight", clip.text_projection.weight),
            ("text.token_embed.weight", clip.text.token_embed.weight), ("text.position_embed.weight", clip.text.position_embed.weight),
            ("text.blocks[0].mlp.fc1.weight", ((Linear)clip.text.blocks[0].mlp.fc1).weight), ("logit_scale", clip.logit_scale),
        };
        var errors = checkedParameters.Select(p => (p.Name, Error: autograd.gradcheck(() => clip.loss(images, tokens), p.Parameter))).ToArray();
        Assert.True(errors.All(e => e.Error < 1e-4), "CLIP relative errors: " + string.Join(", ", errors.Select(e => $"{e.Name} {e.Error:E2}")));
    }
}

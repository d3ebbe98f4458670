using Course;

namespace Models.Tests;

public class SequenceClassifierTests
{
    private static CharTransformer SmallBody(long vocab = 9, double dropout = 0)
        => new(vocab, block_size: 12, d_model: 8, heads: 2, layers: 2, dropout: dropout);

    [Fact]
    public void ScoresOneRowPerSequenceAndSharesTheBodyWithoutItsNextCharacterHead()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        using var body = SmallBody();
        using var classifier = new SequenceClassifier(body, num_classes: 5);
        var ids = tensor(new long[] { 4, 5, 6, 7, 0, 0, 3, 4, 5, 6, 7, 8 }, new long[] { 2, 6 });
        classifier.eval();
        Assert.Equal(new long[] { 2, 8 }, classifier.encode(ids).shape);
        Assert.Equal(new long[] { 2, 5 }, classifier.forward(ids).shape);
        Assert.Same(body.blocks, classifier.blocks);
        Assert.Same(body.token_embed, classifier.token_embed);
        var names = classifier.named_parameters().Select(p => p.name).ToList();
        Assert.Contains("blocks.1.attn.q_proj.weight", names);
        Assert.Contains("head.weight", names);
        // the body's next-character head (8 → 9) is not part of the classifier; its own head is (8 → 5)
        Assert.Equal(body.num_parameters() - (8 * 9 + 9) + (8 * 5 + 5), classifier.num_parameters());
        Assert.Throws<ArgumentException>(() => classifier.forward(zeros(new long[] { 1, 13 }, int64) + 1));
    }

    [Theory]
    [InlineData(SequencePooling.Mean)]
    [InlineData(SequencePooling.Last)]
    public void PaddingChangesNoLogitAndGetsNoGradient(SequencePooling pooling)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var body = SmallBody();
        using var classifier = new SequenceClassifier(body, num_classes: 3, pad_id: 0, pooling: pooling);
        classifier.eval();
        var alone = tensor(new long[] { 5, 3, 8, 2 }, new long[] { 1, 4 });
        var padded = tensor(new long[] { 5, 3, 8, 2, 0, 0, 0, 0, 0, 0, 4, 6, 1, 7, 5, 3, 2, 8, 6, 4 }, new long[] { 2, 10 });
        var logitsAlone = classifier.forward(alone);
        var logitsPadded = classifier.forward(padded);
        Assert.True(logitsAlone[0].allclose(logitsPadded[0], 1e-5, 1e-6), $"alone {logitsAlone[0]}, padded {logitsPadded[0]}");
        // a model that let padding in would see these changed pad embeddings
        using (no_grad()) body.token_embed.weight[0].add_(randn(8) * 10);
        Assert.True(logitsPadded.allclose(classifier.forward(padded), 1e-5, 1e-6));
        // and the pad embedding gets no gradient at all, while the real tokens' do
        F.cross_entropy(classifier.forward(padded), tensor(new long[] { 2, 0 })).backward();
        var grad = body.token_embed.weight.grad!;
        Assert.Equal(0.0, grad[0].abs().sum().item<float>());
        Assert.True(grad[5].abs().sum().item<float>() > 0);
    }

    [Theory]
    [InlineData(SequencePooling.Mean)]
    [InlineData(SequencePooling.Last)]
    public void GradientsMatchFiniteDifferencesInFloat64(SequencePooling pooling)
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var body = SmallBody();
        using var classifier = new SequenceClassifier(body, num_classes: 3, pooling: pooling);
        classifier.to(float64);
        classifier.eval();
        var ids = tensor(new long[] { 4, 5, 6, 0, 0, 3, 8, 2, 7, 1, 6, 6, 0, 0, 0 }, new long[] { 3, 5 });
        var labels = tensor(new long[] { 1, 2, 0 });
        var attn = classifier.blocks[0].attn;
        var error = autograd.gradcheck(() => F.cross_entropy(classifier.forward(ids), labels),
            classifier.head.weight, ((Linear)attn.v_proj).weight, classifier.blocks[1].ln1.weight!, classifier.position_embed.weight);
        Assert.True(error < 1e-4, $"relative error {error:E2}");
    }

    [Fact]
    public void EncodeCutsAndPadsOnTheRight()
    {
        using var scope = NewDisposeScope();
        var tokenizer = CharTokenizer.FromText("abcdef");
        var ids = SequenceClassifier.Encode(tokenizer, new[] { "abcdef", "ba" }, max_length: 4);
        Assert.Equal(new long[] { 2, 4 }, ids.shape);
        Assert.Equal(tokenizer.Encode("abcd").Concat(tokenizer.Encode("ba")).Concat(new[] { tokenizer.PadId, tokenizer.PadId }), ids.flatten().ToArray<long>());
        Assert.Throws<ArgumentException>(() => SequenceClassifier.Encode(tokenizer, new[] { "" }, 4));
    }
}

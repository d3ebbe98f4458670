namespace Models.Tests;

/// <summary>
/// BERT as a masked language model: attention is bidirectional (an early position sees a later token, unlike the
/// causal model built from the same blocks), padding is invisible, the loss is the cross-entropy at labelled
/// positions only, attention rows are distributions over every key, and float64 gradients match finite differences.
/// </summary>
public class BertTests
{
    private static Bert Model(int seed)
    {
        manual_seed(seed);
        var bert = new Bert(vocab: 9, block_size: 8, d_model: 8, heads: 2, layers: 2, dropout: 0);
        bert.eval();
        return bert;
    }

    [Fact]
    public void EveryPositionSeesTheWholeTextButNotPadding()
    {
        using var scope = NewDisposeScope();
        using var bert = Model(1);
        var a = tensor(new long[] { 3, 4, 5, 6, 7 }, new long[] { 1, 5 });
        var b = tensor(new long[] { 3, 4, 5, 6, 2 }, new long[] { 1, 5 });
        double moved = (bert.forward(a)[0, 0] - bert.forward(b)[0, 0]).abs().max().item<float>();
        Assert.True(moved > 1e-4, $"the first position did not see the last token (changed by {moved:E2})");
        var real = tensor(new[] { true, true, true, false, false }).unsqueeze(0);
        var c = tensor(new long[] { 3, 4, 5, 8, 2 }, new long[] { 1, 5 });   // a with both padded positions changed
        double padded = (bert.forward(a, real)[.., ..3] - bert.forward(c, real)[.., ..3]).abs().max().item<float>();
        Assert.True(padded < 1e-6, $"a padded position changed the others by {padded:E2}");
    }

    [Fact]
    public void LossCountsOnlyTheLabelledPositions()
    {
        using var scope = NewDisposeScope();
        using var bert = Model(2);
        var inputs = tensor(new long[] { 3, 8, 5, 6, 8, 4, 4, 2 }, new long[] { 2, 4 });
        const long I = Course.MaskedLanguageModeling.IgnoreIndex;
        var labels = tensor(new long[] { I, 4, I, I, 7, I, I, 1 }, new long[] { 2, 4 });
        var logp = bert.forward(inputs).log_softmax(-1);
        double expected = -(logp[0, 1, 4].item<float>() + logp[1, 0, 7].item<float>() + logp[1, 3, 1].item<float>()) / 3;
        Assert.Equal(expected, bert.loss(inputs, labels).item<float>(), 5);
    }

    [Fact]
    public void AttentionIsBidirectionalAndEachRowSumsToOne()
    {
        using var scope = NewDisposeScope();
        using var bert = Model(3);
        var ids = tensor(new long[] { 3, 4, 5, 6, 7, 1 }, new long[] { 1, 6 });
        var w = bert.attention_weights(ids, layer: 1);
        Assert.Equal(new long[] { 1, 2, 6, 6 }, w.shape);
        Assert.True((w.sum(-1) - 1).abs().max().item<float>() < 1e-5);
        var weights = w.contiguous().ToArray<float>();
        for (int h = 0; h < 2; h++)
            for (int i = 0; i < 6; i++)
                for (int j = i + 1; j < 6; j++)
                    Assert.True(weights[(h * 6 + i) * 6 + j] > 1e-3, $"head {h}: position {i} gives no weight to the later position {j}: the attention is not bidirectional");
        Assert.Throws<ArgumentOutOfRangeException>(() => bert.attention_weights(ids, layer: 2));
        Assert.Throws<ArgumentException>(() => bert.forward(zeros(new long[] { 1, 9 }, ScalarType.Int64)));
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        using var bert = Model(4);
        bert.to(float64);
        var inputs = tensor(new long[] { 3, 8, 5, 6, 8, 4, 4, 2 }, new long[] { 2, 4 });
        const long I = Course.MaskedLanguageModeling.IgnoreIndex;
        var labels = tensor(new long[] { I, 4, I, 5, 7, I, I, 1 }, new long[] { 2, 4 });
        double error = autograd.gradcheck(() => bert.loss(inputs, labels), bert.head_transform.weight, bert.position_embed.weight, ((Linear)bert.blocks[0].attn.v_proj).weight);
        Assert.True(error < 1e-4, $"relative error {error:E2}");
    }
}

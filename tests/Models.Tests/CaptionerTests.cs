namespace Models.Tests;

/// <summary>
/// The LLaVA-style captioner: projected visual tokens act exactly as a prefix of token embeddings would (the oracle is
/// the plain language model reading those tokens), the loss is the cross-entropy of the caption tokens only, the text
/// alone sits where a caption sits, the caption never sees its future, and float64 gradients reach the projection.
/// </summary>
public class CaptionerTests
{
    private const long Vocab = 11, N = 3, Block = 10;

    private static CharTransformer Lm(int seed, double dropout = 0)
    {
        manual_seed(seed);
        return new CharTransformer(Vocab, block_size: Block, d_model: 8, heads: 2, layers: 2, dropout: dropout);
    }

    [Fact]
    public void VisualTokensActAsAPrefixOfWordEmbeddings()
    {
        using var scope = NewDisposeScope();
        using var lm = Lm(1);
        using var captioner = new Captioner(visual_dim: Vocab, visual_tokens: N, lm);
        captioner.eval();
        // W = Eᵀ and b = 0 map the one-hot vector of token k to k's embedding: then the image prefix is those tokens
        using (no_grad())
        {
            captioner.projection.weight.copy_(lm.token_embed.weight.t());
            captioner.projection.bias!.zero_();
        }
        var prefix = tensor(new long[] { 4, 5, 6, 7, 8, 9 }, new long[] { 2, N });
        var text = tensor(new long[] { 1, 3, 10, 2, 1, 7, 7, 4 }, new long[] { 2, 4 });
        var z_v = F.one_hot(prefix, Vocab).to(float32);
        var viaCaptioner = captioner.forward(z_v, text);
        var viaLm = lm.forward(cat(new[] { prefix, text }, 1))[.., (int)N..];
        Assert.Equal(new long[] { 2, 4, Vocab }, viaCaptioner.shape);
        double gap = (viaCaptioner - viaLm).abs().max().item<float>();
        Assert.True(gap < 1e-5, $"prefix logits differ from the language model's by {gap:E2}");
    }

    [Fact]
    public void TextAloneSitsWhereACaptionSits()
    {
        using var scope = NewDisposeScope();
        using var lm = Lm(2);
        using var captioner = new Captioner(visual_dim: 5, visual_tokens: N, lm);
        captioner.eval();
        var text = tensor(new long[] { 1, 3, 10, 2, 1, 7, 7, 4 }, new long[] { 2, 4 });
        var x = lm.embed(text, start: N);
        foreach (var block in lm.blocks) x = block.forward(x, null, causal: true);
        var expected = lm.head.forward(lm.norm.forward(x));
        double gap = (captioner.forward(null, text) - expected).abs().max().item<float>();
        Assert.True(gap < 1e-6, $"text-only logits differ by {gap:E2}");
    }

    [Fact]
    public void LossIsTheCrossEntropyOfTheCaptionTokensOnly()
    {
        using var scope = NewDisposeScope();
        using var lm = Lm(3);
        using var captioner = new Captioner(visual_dim: 5, visual_tokens: N, lm);
        captioner.eval();
        manual_seed(4);
        var z_v = randn(2, N, 5);
        // captions: words, <eos> = 1, <pad> = 0
        var captions = tensor(new long[] { 5, 6, 1, 0, 0, 9, 8, 7, 1, 0 }, new long[] { 2, 5 });
        var input = tensor(new long[] { 1, 5, 6, 1, 0, 1, 9, 8, 7, 1 }, new long[] { 2, 5 });   // <eos> as the start token, then the caption shifted
        Assert.Equal(input.ToArray<long>(), captioner.shift(captions).Input.ToArray<long>());
        var logp = captioner.forward(z_v, input).log_softmax(-1);
        double total = 0; int count = 0;
        var ids = captions.ToArray<long>();
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < 5; t++)
                if (ids[b * 5 + t] != 0) { total -= logp[b, t, ids[b * 5 + t]].item<float>(); count++; }
        Assert.Equal(7, count);
        Assert.Equal(total / count, captioner.loss(z_v, captions).item<float>(), 5);
    }

    [Fact]
    public void ACaptionPositionSeesTheImageAndItsPastButNotItsFuture()
    {
        using var scope = NewDisposeScope();
        using var lm = Lm(5);
        using var captioner = new Captioner(visual_dim: 5, visual_tokens: N, lm);
        captioner.eval();
        manual_seed(6);
        var z_v = randn(1, N, 5);
        var a = tensor(new long[] { 1, 3, 4, 5 }, new long[] { 1, 4 });
        var b = tensor(new long[] { 1, 3, 9, 9 }, new long[] { 1, 4 });
        var la = captioner.forward(z_v, a); var lb = captioner.forward(z_v, b);
        Assert.True((la[.., ..2] - lb[.., ..2]).abs().max().item<float>() < 1e-6, "an earlier position saw a later token");
        Assert.True((la[.., 2..] - lb[.., 2..]).abs().max().item<float>() > 1e-4, "a later position did not see its own token");
        var other = captioner.forward(randn(1, N, 5), a);
        Assert.True((la[.., 0] - other[.., 0]).abs().max().item<float>() > 1e-4, "the first caption position did not see the image");
    }

    [Fact]
    public void GreedyDecodingStopsAtEosAndPadsAfter()
    {
        using var scope = NewDisposeScope();
        using var lm = Lm(7);
        using var captioner = new Captioner(visual_dim: 5, visual_tokens: N, lm);
        captioner.eval();
        manual_seed(8);
        var z_v = randn(3, N, 5);
        var ids = captioner.greedy_decode(z_v, 3, max_len: Block - N);
        Assert.Equal(3, ids.size(0));
        Assert.True(ids.size(1) <= Block - N);
        var rows = ids.ToArray<long>();
        long width = ids.size(1);
        for (int r = 0; r < 3; r++)
        {
            int eos = Array.IndexOf(rows, 1L, (int)(r * width), (int)width);
            if (eos >= 0) for (long k = eos + 1; k < (r + 1) * width; k++) Assert.Equal(0L, rows[k]);
        }
        // each greedy token is the argmax of the model's own logits for the sequence so far
        var input = cat(new[] { full(new long[] { 3, 1 }, 1, ScalarType.Int64), ids[.., ..1] }, 1);
        Assert.Equal(captioner.forward(z_v, input)[.., 0].argmax(-1).ToArray<long>(), ids[.., 0].contiguous().ToArray<long>());
    }

    [Fact]
    public void BadShapesNameTheCause()
    {
        using var scope = NewDisposeScope();
        using var lm = Lm(9);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Captioner(5, Block, lm));
        using var captioner = new Captioner(5, N, lm);
        var text = tensor(new long[] { 1, 2 }, new long[] { 1, 2 });
        Assert.Throws<ArgumentException>(() => captioner.forward(randn(1, N, 4), text));
        Assert.Throws<ArgumentException>(() => captioner.forward(randn(1, N, 5), zeros(new long[] { 1, Block }, ScalarType.Int64)));
    }

    [Fact]
    public void ClipGridTokensAreTheCellsItsLastLayerReads()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        using var encoder = new ClipImageEncoder(width: 16, cnn_width: 4);
        encoder.eval();
        var images = rand(2, 1, 28, 56);
        var grid = encoder.grid(images);
        Assert.Equal(new long[] { 2, 21, 16 }, grid.shape);
        Assert.Equal(21, encoder.grid_cells);
        Assert.Equal(16, encoder.grid_channels);
        // token (b, cell, channel) is the conv output at channel, row cell / 7, column cell % 7
        var maps = images;                                                     // (2, 16, 3, 7): every layer but the flattening
        for (int i = 0; i < encoder.features.Count - 1; i++) maps = encoder.features[i].call(maps);
        double cellGap = (grid[1, 9] - maps[1, .., 9 / 7, 9 % 7]).abs().max().item<float>();
        Assert.True(cellGap == 0, $"token 9 is not cell (1, 2) of the grid: {cellGap:E2}");
        // and the encoder's own output is its last linear layer applied to the flattened grid, channel-major
        var again = encoder.fc.forward(grid.transpose(1, 2).flatten(1));
        double gap = (again - encoder.forward(images)).abs().max().item<float>();
        Assert.True(gap < 1e-6, $"fc(grid) differs from the encoder's output by {gap:E2}");
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        using var lm = Lm(10);
        using var captioner = new Captioner(visual_dim: 5, visual_tokens: N, lm);
        captioner.to(float64); captioner.eval();
        manual_seed(11);
        var z_v = randn(new long[] { 2, N, 5 }, float64);
        var captions = tensor(new long[] { 5, 6, 1, 0, 9, 8, 7, 1 }, new long[] { 2, 4 });
        double error = autograd.gradcheck(() => captioner.loss(z_v, captions), captioner.projection.weight, captioner.projection.bias!, lm.position_embed.weight);
        Assert.True(error < 1e-4, $"relative error {error:E2}");
    }
}

namespace Models.Tests;

/// <summary>
/// Decoding with a key/value cache must give what the full forward pass gives: the same logits at every position
/// (float64, so agreement is to rounding) and the same tokens from greedy decoding and generation.
/// </summary>
public class DecodingCacheTests
{
    [Fact]
    public void CharTransformerCachedStepsEqualTheFullForward()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        using var model = new CharTransformer(vocab: 20, block_size: 16, d_model: 32, heads: 4, layers: 2);
        model.to(float64); model.eval();
        var idx = randint(20, new long[] { 3, 12 });
        using var _ = no_grad();
        var full = model.forward(idx);
        using var cache = new DecodingCache(2);
        // a prompt of 5 tokens, then 4 at once (past > 0 with several new positions), then one at a time
        var pieces = new[] { model.forward(idx[.., ..5], cache), model.forward(idx[.., 5..9], cache), model.forward(idx[.., 9..10], cache), model.forward(idx[.., 10..12], cache) };
        Assert.Equal(12, cache.length);
        var stepped = cat(pieces, 1);
        Assert.Equal(full.shape, stepped.shape);
        Assert.True((stepped - full).abs().max().item<double>() < 1e-12, "cached decoding differs from the full forward pass");
    }

    [Fact]
    public void CharTransformerRefusesToCachePastItsBlockSize()
    {
        using var scope = NewDisposeScope();
        using var model = new CharTransformer(vocab: 20, block_size: 8, d_model: 16, heads: 2, layers: 1);
        model.eval();
        using var _ = no_grad();
        using var cache = new DecodingCache(1);
        model.forward(zeros(new long[] { 1, 6 }, int64), cache);
        var e = Assert.Throws<ArgumentException>(() => model.forward(zeros(new long[] { 1, 3 }, int64), cache));
        Assert.Contains("block_size 8", e.Message);
    }

    [Fact]
    public void GenerateWithTheCacheEqualsRecomputingEveryStep()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var model = new CharTransformer(vocab: 11, block_size: 16, d_model: 32, heads: 4, layers: 2);
        model.to(float64); model.eval();
        var prompt = randint(11, new long[] { 2, 3 });
        // 30 new tokens: the first 13 fit the block and use the cache, the rest slide the window
        var generated = model.generate(prompt, 30, temperature: 0);
        var expected = prompt;
        using (no_grad())
            for (int i = 0; i < 30; i++)
            {
                var context = expected[.., ^(int)Math.Min(expected.size(1), 16)..];
                expected = cat(new[] { expected, model.forward(context)[.., -1].argmax(-1, keepdim: true) }, 1);
            }
        Assert.Equal(expected.ToArray<long>(), generated.ToArray<long>());
        Assert.Equal(new long[] { 2, 33 }, generated.shape);
    }

    [Fact]
    public void Seq2SeqCachedDecodingEqualsTheFullDecoder()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var model = new Seq2SeqTransformer(12, 9, d_model: 32, heads: 4, layers: 2, hidden: 64, dropout: 0.1);
        model.to(float64); model.eval();
        var src = tensor(new long[] { 3, 4, 5, 0, 0, 6, 7, 8, 9, 10 }, new long[] { 2, 5 });   // the first source is padded
        var tgt = randint(3, 9, new long[] { 2, 7 });
        using var _ = no_grad();
        var memory = model.encode(src);
        var full = model.decode(tgt, memory, src);
        using var cache = new DecodingCache(2);
        var stepped = cat(Enumerable.Range(0, 7).Select(i => model.decode(tgt[.., i..(i + 1)], memory, src, cache)).ToArray(), 1);
        Assert.True((stepped - full).abs().max().item<double>() < 1e-12, "cached decoding differs from the full decoder");
    }

    // greedy_decode (which decodes through the cache) against one-sequence-at-a-time recomputation:
    // ModelTests.GreedyDecodingPicksTheMostLikelyTokenAtEachStep
}

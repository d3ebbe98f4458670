namespace Models.Tests;

public class ModelTests
{
    private static void SaveLoadGivesSameOutputs(nn.Module a, nn.Module b, Func<nn.Module, Tensor> run)
    {
        using var dir = new TempFolder("models");
        var path = dir.File("m.safetensors");
        a.eval(); b.eval();
        using (no_grad())
        {
            using var before = run(a);
            a.save_safetensors(path);
            b.load_safetensors(path);
            using var after = run(b);
            Assert.Equal(before.ToArray<float>(), after.ToArray<float>());
        }
    }

    [Fact]
    public void CnnsClassifyFashionMnistShapedImages()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var x = randn(4, 1, 28, 28);
        using var lenet = new LeNet();
        using var resnet = new ResNet(width: 8);
        Assert.Equal(new long[] { 4, 10 }, lenet.forward(x).shape);
        Assert.Equal(new long[] { 4, 10 }, resnet.forward(x).shape);
        using var lenet2 = new LeNet();
        SaveLoadGivesSameOutputs(lenet, lenet2, m => ((LeNet)m).forward(x));
        using var resnet2 = new ResNet(width: 8);
        SaveLoadGivesSameOutputs(resnet, resnet2, m => ((ResNet)m).forward(x));
    }

    [Fact]
    public void VitShapesAndClassTokenAttention()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        using var vit = new VisionTransformer(patch_size: 7, d_model: 32, depth: 2, heads: 4);
        var x = randn(3, 1, 28, 28);
        Assert.Equal(new long[] { 3, 10 }, vit.forward(x).shape);
        Assert.Equal(new long[] { 3, 17, 32 }, vit.embed(x).shape);
        vit.eval();
        var att = vit.class_token_attention(x);
        Assert.Equal(new long[] { 3, 4, 4 }, att.shape);
        // the class token's weights over the patches, computed by hand from the last block's projections
        var h = vit.blocks[0].forward(vit.embed(x));
        var hand = HandAttention.Weights(vit.blocks[^1].ln1.forward(h), vit.blocks[^1].attn, heads: 4);   // [b, head, query, key]
        var map = att.ToArray<float>();
        for (int b = 0; b < 3; b++)
        {
            double self = Enumerable.Range(0, 4).Average(head => hand[b, head, 0, 0]);
            Assert.True(Math.Abs(map.Skip(b * 16).Take(16).Sum(v => (double)v) + self - 1) <= 1e-5, "the class token's weights, on itself and on the patches, sum to 1");
            for (int patch = 0; patch < 16; patch++)
            {
                double expected = Enumerable.Range(0, 4).Average(head => hand[b, head, 0, 1 + patch]);
                Assert.True(Math.Abs(map[b * 16 + patch] - expected) <= 1e-6, $"image {b}, patch {patch}: by hand {expected}, class_token_attention {map[b * 16 + patch]}");
            }
        }
        using var vit2 = new VisionTransformer(patch_size: 7, d_model: 32, depth: 2, heads: 4);
        SaveLoadGivesSameOutputs(vit, vit2, m => ((VisionTransformer)m).forward(x));
    }

    [Fact]
    public void AttentionWeightsAreTheOnesTheOutputIsMadeOf()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var block = new EncoderBlock(d_model: 16, heads: 4, hidden: 32);
        block.eval();
        var x = randn(2, 5, 16);
        var keep = tensor(new[] { true, true, true, true, true, true, true, true, false, false }).view(2, 5);
        var w = block.attention_weights(x, keep, causal: true);                       // (2, 4, 5, 5)
        Assert.Equal(new long[] { 2, 4, 5, 5 }, w.shape);
        Assert.True(w.sum(-1).allclose(ones(2, 4, 5), 1e-6, 1e-6), "each query's weights sum to 1");
        var hand = HandAttention.Weights(block.ln1.forward(x), block.attn, heads: 4, keep: keep, causal: true);
        var weights = w.contiguous().ToArray<float>();
        for (int i = 0; i < weights.Length; i++)
            Assert.True(Math.Abs(weights[i] - hand[i / 100, i / 25 % 4, i / 5 % 5, i % 5]) <= 1e-6, $"weight {i}: by hand {hand[i / 100, i / 25 % 4, i / 5 % 5, i % 5]}, attention_weights {weights[i]}");
        Assert.Equal(0.0, w.triu(1).abs().sum().item<float>());                        // causal: nothing from the future
        Assert.Equal(0.0, w[1, .., .., 3..].abs().sum().item<float>());                // padding keys get nothing
        // the attention output is exactly these weights applied to the value heads, then W_o
        var h = block.ln1.forward(x);
        var v = block.attn.v_proj.forward(h).view(2, 5, 4, 4).transpose(1, 2);
        var expected = block.attn.out_proj.forward(w.matmul(v).transpose(1, 2).reshape(2, 5, 16));
        Assert.True(block.attn.forward(h, h, keep, causal: true).allclose(expected, 1e-5, 1e-6));
    }

    [Fact]
    public void ClassTokenAndCrossAttentionMapsComeFromTheLastBlock()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var vit = new VisionTransformer(patch_size: 7, d_model: 16, depth: 2, heads: 2, dropout: 0);
        vit.eval();
        var images = randn(3, 1, 28, 28);
        var map = vit.class_token_attention(images);                                    // (3, 4, 4)
        var last = vit.blocks[^1].attention_weights(vit.blocks[0].forward(vit.embed(images))).mean([1]);
        Assert.True(map.allclose(last[.., 0, 1..].reshape(3, 4, 4), 1e-6, 1e-7));
        Assert.True((map.sum(new long[] { 1, 2 }) + last[.., 0, 0]).allclose(ones(3), 1e-5, 1e-6), "patches plus the class token itself: 1");

        using var s2s = new Seq2SeqTransformer(9, 8, d_model: 16, heads: 2, layers: 2, hidden: 32, dropout: 0);
        s2s.eval();
        var src = tensor(new long[] { 3, 4, 5, 0, 6, 7, 8, 3 }, new long[] { 2, 4 });
        var tgt = tensor(new long[] { 1, 5, 6, 1, 3, 2 }, new long[] { 2, 3 });
        var cross = s2s.cross_attention_weights(src, tgt);                              // (2, 2, 3, 4)
        Assert.Equal(new long[] { 2, 2, 3, 4 }, cross.shape);
        Assert.True(cross.sum(-1).allclose(ones(2, 2, 3), 1e-5, 1e-6));
        Assert.Equal(0.0, cross[0, .., .., 3].abs().sum().item<float>());              // the padded source token
        // by hand: the last decoder block's queries (its input after causal self-attention, normalised) over the memory
        var memory = s2s.encode(src);
        var y = s2s.positions.forward(s2s.tgt_embed.forward(tgt) * Math.Sqrt(16));
        y = s2s.decoder[0].forward(y, memory, null, src.ne(0L));
        var lastBlock = s2s.decoder[1];
        var h1 = lastBlock.ln1.forward(y);
        var queries = lastBlock.ln2.forward(y + lastBlock.self_attn.forward(h1, h1, null, causal: true));
        var hand = HandAttention.Weights(queries, memory, lastBlock.cross_attn, heads: 2, keep: src.ne(0L));
        var weights = cross.contiguous().ToArray<float>();
        for (int i = 0; i < weights.Length; i++)
            Assert.True(Math.Abs(weights[i] - hand[i / 24, i / 12 % 2, i / 4 % 3, i % 4]) <= 1e-6, $"cross weight {i}: by hand {hand[i / 24, i / 12 % 2, i / 4 % 3, i % 4]}, cross_attention_weights {weights[i]}");
    }

    [Fact]
    public void CharTransformerIsCausal()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        using var model = new CharTransformer(vocab: 20, block_size: 16, d_model: 32, heads: 4, layers: 2);
        model.eval();
        var a = randint(20, new long[] { 2, 10 });
        var b = a.clone();
        b[.., 7..] = randint(20, new long[] { 2, 3 });
        using (no_grad())
        {
            var la = model.forward(a); var lb = model.forward(b);
            Assert.True(la[.., ..7].allclose(lb[.., ..7], 1e-5, 1e-6), "earlier positions must not see later tokens");
            Assert.False(la[.., 7..].allclose(lb[.., 7..], 1e-5, 1e-6));
        }
        var generated = model.generate(a[.., ..2], 20, temperature: 0.8, top_k: 5);
        Assert.Equal(new long[] { 2, 22 }, generated.shape);
        using var model2 = new CharTransformer(vocab: 20, block_size: 16, d_model: 32, heads: 4, layers: 2);
        SaveLoadGivesSameOutputs(model, model2, m => ((CharTransformer)m).forward(a));
    }

    [Fact]
    public void CharTransformerLearnsARepeatingString()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        using var model = new CharTransformer(vocab: 5, block_size: 16, d_model: 32, heads: 2, layers: 1, dropout: 0);
        using var opt = optim.AdamW(model.parameters(), lr: 3e-3);
        var seq = tensor(Enumerable.Range(0, 17).Select(i => (long)(i % 5)).ToArray()).unsqueeze(0).repeat(8, 1);
        var x = seq[.., ..16]; var y = seq[.., 1..];
        double first = 0, last = 0;
        for (int step = 0; step < 60; step++)
        {
            using var s = NewDisposeScope();
            opt.zero_grad();
            var loss = F.cross_entropy(model.forward(x).flatten(0, 1), y.flatten());
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < first / 5, $"loss {first} -> {last}");
    }

    [Fact]
    public void Seq2SeqIgnoresPaddingAndSavesAndLoads()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        using var model = new Seq2SeqTransformer(12, 9, d_model: 32, heads: 4, layers: 1, hidden: 64, dropout: 0);
        model.eval();
        var src = tensor(new long[] { 3, 4, 5, 0, 0 }, new long[] { 1, 5 });
        var srcShort = tensor(new long[] { 3, 4, 5 }, new long[] { 1, 3 });
        var tgt = tensor(new long[] { 1, 6, 7 }, new long[] { 1, 3 });
        using (no_grad())
            Assert.True(model.forward(src, tgt).allclose(model.forward(srcShort, tgt), 1e-5, 1e-5), "padding must not change the output");
        using var model2 = new Seq2SeqTransformer(12, 9, d_model: 32, heads: 4, layers: 1, hidden: 64, dropout: 0);
        SaveLoadGivesSameOutputs(model, model2, m => ((Seq2SeqTransformer)m).forward(src, tgt));
    }

    // a seq2seq task with a known answer: the source's one to three tokens (3..6) reversed, then EOS (2);
    // BOS is 1, padding 0 (sources padded to 3 tokens, answers to 4)
    private static (Tensor src, Tensor tgt) ReversalBatch(long[][] sources)
    {
        var src = sources.SelectMany(t => t.Concat(new long[3 - t.Length])).ToArray();
        var tgt = sources.SelectMany(t => t.Reverse().Append(2L).Concat(new long[3 - t.Length])).ToArray();
        return (tensor(src, new long[] { sources.Length, 3 }), tensor(tgt, new long[] { sources.Length, 4 }));
    }

    [Fact]
    public void Seq2SeqGreedyDecodingReturnsTheLearnedAnswer()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        // every source of one to three tokens (4 + 16 + 64 of them) in each step
        var all = Enumerable.Range(1, 3).SelectMany(n => Enumerable.Range(0, (int)Math.Pow(4, n))
            .Select(code => Enumerable.Range(0, n).Select(i => 3L + code / (int)Math.Pow(4, i) % 4).ToArray())).ToArray();
        var (src, tgt) = ReversalBatch(all);
        var tgtIn = cat(new[] { full(new long[] { all.Length, 1 }, 1L, int64), tgt[.., ..3] }, 1);   // BOS, then the answer shifted right
        using var model = new Seq2SeqTransformer(8, 8, d_model: 32, heads: 2, layers: 1, hidden: 64, dropout: 0);
        using var opt = optim.AdamW(model.parameters(), lr: 1e-2, weight_decay: 0);
        double loss = double.NaN;
        for (int step = 0; step < 100; step++)
        {
            using var s = NewDisposeScope();
            opt.zero_grad();
            var l = F.cross_entropy(model.forward(src, tgtIn).flatten(0, 1), tgt.flatten(), ignore_index: 0);
            l.backward();
            opt.step();
            loss = l.item<float>();
        }
        model.eval();
        // sources of every length: each answer is the source reversed, then EOS, then padding once the sequence has
        // finished; decoding stops when the longest has produced its EOS (4 tokens)
        var decoded = model.greedy_decode(src, bos_id: 1, eos_id: 2, max_len: 8);
        Assert.Equal(new long[] { all.Length, 4 }, decoded.shape);
        long[] want = tgt.ToArray<long>(), got = decoded.ToArray<long>();
        var wrong = Enumerable.Range(0, all.Length).Where(i => !want.AsSpan(i * 4, 4).SequenceEqual(got.AsSpan(i * 4, 4))).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {all.Length} answers wrong (last training loss {loss}), e.g. " +
            string.Join("; ", wrong.Take(3).Select(i => $"{string.Join(",", all[i])}: expected {string.Join(",", want[(i * 4)..(i * 4 + 4)])}, decoded {string.Join(",", got[(i * 4)..(i * 4 + 4)])}")));
    }

    [Fact]
    public void GreedyDecodingPicksTheMostLikelyTokenAtEachStep()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        using var model = new Seq2SeqTransformer(12, 9, d_model: 32, heads: 4, layers: 1, hidden: 64, dropout: 0);
        model.eval();
        var src = tensor(new long[] { 3, 4, 5, 0, 0, 7, 8, 9, 10, 11, 6, 6, 3, 0, 0 }, new long[] { 3, 5 });
        var decoded = model.greedy_decode(src, bos_id: 1, eos_id: 2, max_len: 6).ToArray<long>();
        long width = decoded.Length / 3;
        // the oracle: one sequence at a time, the argmax of the full forward pass over the prefix, until EOS
        for (int b = 0; b < 3; b++)
        {
            var prefix = new List<long> { 1 };
            var expected = new List<long>();
            using (no_grad())
                while (expected.Count < 6)
                {
                    using var s = NewDisposeScope();
                    var logits = model.forward(src[b..(b + 1)], tensor(prefix.ToArray(), new long[] { 1, prefix.Count }));
                    long next = logits[0, -1].argmax(0).item<long>();
                    expected.Add(next); prefix.Add(next);
                    if (next == 2) break;
                }
            var row = decoded.Skip(b * (int)width).Take((int)width).ToArray();
            Assert.Equal(expected, row.Take(expected.Count));
            Assert.All(row.Skip(expected.Count), t => Assert.Equal(0L, t));   // padding after EOS
        }
    }

    [Fact]
    public void SamplingRespectsTemperatureTopKAndTopP()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var logits = tensor(new float[] { 1, 3, 2, 0.5f, 2.9f }).unsqueeze(0).repeat(500, 1);
        Assert.All(Sampling.Sample(logits, temperature: 0).ToArray<long>(), i => Assert.Equal(1, i));
        Assert.All(Sampling.Sample(logits, top_k: 1).ToArray<long>(), i => Assert.Equal(1, i));
        Assert.All(Sampling.Sample(logits, top_k: 2).ToArray<long>(), i => Assert.Contains(i, new long[] { 1, 4 }));
        Assert.All(Sampling.Sample(logits, top_p: 0.01).ToArray<long>(), i => Assert.Equal(1, i));
        var free = Sampling.Sample(logits, temperature: 1).ToArray<long>();
        Assert.True(free.Distinct().Count() >= 4, "with temperature 1 and no cut-off every token appears");
    }

    [Fact]
    public void PositionalEncodingFollowsTheFormula()
    {
        using var pe = new SinusoidalPositionalEncoding(8, 50);
        var table = pe.pe.ToArray<float>();
        Assert.Equal(Math.Sin(3 / Math.Pow(10000, 2.0 / 8)), table[3 * 8 + 2], 5);
        Assert.Equal(Math.Cos(3 / Math.Pow(10000, 2.0 / 8)), table[3 * 8 + 3], 5);
    }
}

/// <summary>
/// Attention weights by hand, in float64 loops: for each head j, softmax over the keys of q·k / √d_k with
/// q = W_q h + b_q and k = W_k h + b_k restricted to head j's d_k columns; masked keys (padding, or later
/// positions when causal) get weight 0.
/// </summary>
internal static class HandAttention
{
    /// <summary>Self-attention weights (B, heads, T, T) over h (B, T, D).</summary>
    public static double[,,,] Weights(Tensor h, MultiHeadAttention attn, int heads, Tensor? keep = null, bool causal = false)
        => Weights(h, h, attn, heads, keep, causal);

    /// <summary>Weights (B, heads, Tq, Tk) of the queries from query (B, Tq, D) over the keys from memory (B, Tk, D).</summary>
    public static double[,,,] Weights(Tensor query, Tensor memory, MultiHeadAttention attn, int heads, Tensor? keep = null, bool causal = false)
    {
        int B = (int)query.size(0), Tq = (int)query.size(1), T = (int)memory.size(1), D = (int)query.size(2), dk = D / heads;
        double[] xq = query.detach().contiguous().to(float64).ToArray<double>(), xk = memory.detach().contiguous().to(float64).ToArray<double>();
        double[] Wq = ((Linear)attn.q_proj).weight.detach().contiguous().to(float64).ToArray<double>(), bq = ((Linear)attn.q_proj).bias!.detach().to(float64).ToArray<double>();
        double[] Wk = ((Linear)attn.k_proj).weight.detach().contiguous().to(float64).ToArray<double>(), bk = ((Linear)attn.k_proj).bias!.detach().to(float64).ToArray<double>();
        bool[]? real = keep?.ToArray<bool>();
        double Project(double[] W, double[] bias, double[] x, int row, int o)
        {
            double sum = bias[o];
            for (int i = 0; i < D; i++) sum += W[o * D + i] * x[row * D + i];
            return sum;
        }
        var w = new double[B, heads, Tq, T];
        for (int b = 0; b < B; b++)
            for (int j = 0; j < heads; j++)
                for (int q = 0; q < Tq; q++)
                {
                    var scores = new double[T];
                    for (int k = 0; k < T; k++)
                    {
                        if ((real is not null && !real[b * T + k]) || (causal && k > q)) { scores[k] = double.NegativeInfinity; continue; }
                        double dot = 0;
                        for (int c = j * dk; c < (j + 1) * dk; c++) dot += Project(Wq, bq, xq, b * Tq + q, c) * Project(Wk, bk, xk, b * T + k, c);
                        scores[k] = dot / Math.Sqrt(dk);
                    }
                    double max = scores.Max(), total = scores.Sum(v => Math.Exp(v - max));
                    for (int k = 0; k < T; k++) w[b, j, q, k] = Math.Exp(scores[k] - max) / total;
                }
        return w;
    }
}

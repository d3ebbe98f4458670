using Course;

namespace Course.Tests;

/// <summary>
/// The captioned Fashion-MNIST: each attribute against a pixel-by-pixel loop that says what it means, captions that
/// come from the templates and name the pair, held-out pairs that never reach training, and the word tokenizer.
/// </summary>
public sealed class CaptionedFashionMnistTests
{
    private const int S = 28, W = 56;

    // a seeded image [1, 1, 28, 28] in [0, 1] and its pixels as x[r, c]
    private static (Tensor Image, float[,] X) Image(int seed)
    {
        manual_seed(seed);
        var image = rand(1, 1, S, S);
        var flat = image.ToArray<float>();
        var x = new float[S, S];
        for (int r = 0; r < S; r++) for (int c = 0; c < S; c++) x[r, c] = flat[r * S + c];
        return (image, x);
    }

    // what each attribute puts at canvas pixel (r, c), written out by hand
    private static float Expected(string attribute, float[,] x, int r, int c)
    {
        float Centred(int rr, int cc, Func<int, int, float> f) => cc >= 14 && cc < 42 ? f(rr, cc - 14) : 0f;
        return attribute switch
        {
            "plain" => Centred(r, c, (i, j) => x[i, j]),
            "rotated" => Centred(r, c, (i, j) => x[S - 1 - j, i]),          // clockwise: the left column becomes the top row
            "upside down" => Centred(r, c, (i, j) => x[S - 1 - i, S - 1 - j]),
            "inverted" => 1f - Centred(r, c, (i, j) => x[i, j]),
            "small" => r >= 7 && r < 21 && c >= 21 && c < 35
                ? (x[2 * (r - 7), 2 * (c - 21)] + x[2 * (r - 7) + 1, 2 * (c - 21)] + x[2 * (r - 7), 2 * (c - 21) + 1] + x[2 * (r - 7) + 1, 2 * (c - 21) + 1]) / 4f : 0f,
            "large" => c >= 7 && c < 49 ? x[2 * (r + 7) / 3, 2 * (c - 7) / 3] : 0f,
            "left" => c < S ? x[r, c] : 0f,
            "right" => c >= S ? x[r, c - S] : 0f,
            "dark" => 0.35f * Centred(r, c, (i, j) => x[i, j]),
            "bright" => (float)Math.Pow(Centred(r, c, (i, j) => x[i, j]), 0.4),
            _ => throw new ArgumentException(attribute),
        };
    }

    [Fact]
    public void EachAttributeIsTheImageOperationItNames()
    {
        using var scope = NewDisposeScope();
        var (image, x) = Image(11);
        for (int a = 0; a < CaptionedFashionMnist.AttributeNames.Count; a++)
        {
            var name = CaptionedFashionMnist.AttributeNames[a];
            var canvas = CaptionedFashionMnist.Render(image, a);
            Assert.Equal(new long[] { 1, 1, S, W }, canvas.shape);
            var got = canvas.ToArray<float>();
            double worst = 0;
            for (int r = 0; r < S; r++) for (int c = 0; c < W; c++) worst = Math.Max(worst, Math.Abs(got[r * W + c] - Expected(name, x, r, c)));
            Assert.True(worst < 1e-6, $"{name}: largest pixel difference {worst}");
        }
    }

    [Fact]
    public void RenderRejectsWrongShapesAndAttributes()
    {
        using var scope = NewDisposeScope();
        Assert.Contains("[N, 1, 28, 28]", Assert.Throws<ArgumentException>(() => CaptionedFashionMnist.Render(zeros(2, 28, 28), 0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => CaptionedFashionMnist.Render(zeros(1, 1, 28, 28), 10));
    }

    [Fact]
    public void HeldOutPairsAreOnePerClassAndCoverEveryAttributeButPlain()
    {
        var pairs = CaptionedFashionMnist.HeldOutPairs;
        Assert.Equal(Enumerable.Range(0, 10), pairs.Select(p => p.Class));
        Assert.DoesNotContain(pairs, p => p.Attribute == CaptionedFashionMnist.Plain);
        Assert.Equal(Enumerable.Range(1, 9), pairs.Select(p => p.Attribute).Distinct().Order());
        Assert.True(CaptionedFashionMnist.IsHeldOut(9, 1 + 18 % 9));
        Assert.False(CaptionedFashionMnist.IsHeldOut(9, 0));
    }

    [Fact]
    public void CaptionsComeFromTheTemplatesAndAreSeeded()
    {
        var first = new SplitMix64(5);
        var second = new SplitMix64(5);
        for (int c = 0; c < 10; c++)
            for (int a = 0; a < 10; a++)
            {
                var prompts = CaptionedFashionMnist.PairPrompts(c, a);
                for (int k = 0; k < 20; k++)
                {
                    var caption = CaptionedFashionMnist.Caption(c, a, first);
                    Assert.Equal(caption, CaptionedFashionMnist.Caption(c, a, second));
                    Assert.Contains(caption, prompts);
                    Assert.Contains(CaptionedFashionMnist.ClassWords[c], w => caption.Contains(w));
                    Assert.True(WordTokenizer.Words(caption).Length + 1 <= CaptionedFashionMnist.MaxTokens, caption);
                }
            }
        Assert.Contains("a photo of an ankle boot", CaptionedFashionMnist.ClassPrompts(9));
        Assert.Contains("a small bag", CaptionedFashionMnist.PairPrompts(8, 4));
        Assert.Contains("a picture of a bag on the left", CaptionedFashionMnist.PairPrompts(8, 6));
        Assert.Contains("an image of an upside-down boot", CaptionedFashionMnist.PairPrompts(9, 2));
        Assert.Contains("small trousers", CaptionedFashionMnist.PairPrompts(1, 4));                 // no article before a plural
        Assert.Contains("a photo of pants on the right", CaptionedFashionMnist.PairPrompts(1, 7));
        // plain: openings × class words; with an attribute: openings × words × (words before + phrases after)
        Assert.Equal(4 * 3, CaptionedFashionMnist.ClassPrompts(7).Count);
        Assert.Equal(4 * 2 * 4, CaptionedFashionMnist.PairPrompts(9, 3).Count);
        Assert.Equal(4 * 2 * 2, CaptionedFashionMnist.PairPrompts(3, 6).Count);   // left: phrases after only
    }

    [Fact]
    public void LoadedSplitsPairEachRenderedImageWithItsCaption()
    {
        using var scope = NewDisposeScope();
        using var data = CaptionedFashionMnist.Load(validationSize: 200, seed: 1, limit: 300);
        foreach (var (split, source) in new[] { (data.Train, data.Source.Train), (data.Validation, data.Source.Validation), (data.Test, data.Source.Test) })
        {
            Assert.Equal(source.Count, split.Count);
            Assert.Equal(new long[] { split.Count, 1, S, W }, split.Images.shape);
            Assert.Equal(new long[] { split.Count, CaptionedFashionMnist.MaxTokens }, split.Tokens.shape);
            Assert.Equal(source.Targets.ToArray<long>(), split.Labels.ToArray<long>());
            var attributes = split.Attributes.ToArray<long>();
            var labels = split.Labels.ToArray<long>();
            for (int i = 0; i < split.Count; i++)
            {
                Assert.False(CaptionedFashionMnist.IsHeldOut((int)labels[i], (int)attributes[i]), $"example {i} has a held-out pair");
                Assert.Contains(split.Captions[i], CaptionedFashionMnist.PairPrompts((int)labels[i], (int)attributes[i]));
                Assert.Equal(split.Captions[i], data.Tokenizer.Decode(split.Tokens[i].ToArray<long>()));
                var expected = CaptionedFashionMnist.Render(source.Inputs[i..(i + 1)], (int)attributes[i]);
                Assert.True(split.Images[i..(i + 1)].sub(expected).abs().max().item<float>() == 0, $"image {i} is not its attribute's rendering");
            }
            Assert.True(attributes.Distinct().Count() >= 8, "attributes should vary");
        }
        // a second draw of the same images gives other attributes and captions, from the same seed the same ones
        using var again = data.Caption(data.Source.Train, seed: 7);
        using var same = data.Caption(data.Source.Train, seed: 7);
        Assert.Equal(again.Captions, same.Captions);
        Assert.NotEqual(data.Train.Captions, again.Captions);
        using var small = data.WithAttribute(data.Source.Test, 4);
        Assert.All(small.Attributes.ToArray<long>(), a => Assert.Equal(4, a));
        Assert.All(small.Captions.Zip(small.Labels.ToArray<long>()), p => Assert.Contains(p.First, CaptionedFashionMnist.PairPrompts((int)p.Second, 4)));
    }
}

public sealed class WordTokenizerTests
{
    [Fact]
    public void IdsAreSpecialTokensThenSortedWords()
    {
        var tokenizer = new WordTokenizer(["a small Bag", "a bag on the left"]);
        Assert.Equal(new[] { "<pad>", "<eos>", "<unk>", "a", "bag", "left", "on", "small", "the" }, tokenizer.Tokens);
        Assert.Equal(new long[] { 3, 7, 4, 1 }, tokenizer.Encode("a small bag"));
        Assert.Equal(new long[] { 3, 2, 4 }, tokenizer.Encode("A  tiny\tbag", addEos: false));   // unknown word → <unk>
        Assert.Equal("a small bag", tokenizer.Decode(new long[] { 3, 7, 4, 1, 5, 5 }));           // stops at <eos>
    }

    [Fact]
    public void BatchesArePaddedAfterEos()
    {
        using var scope = NewDisposeScope();
        var tokenizer = new WordTokenizer(["a small bag", "a bag on the left"]);
        var batch = tokenizer.EncodeBatch(["a bag", "a bag on the left"], length: 7);
        Assert.Equal(new long[] { 2, 7 }, batch.shape);
        Assert.Equal(new long[] { 3, 4, 1, 0, 0, 0, 0, 3, 4, 6, 8, 5, 1, 0 }, batch.ToArray<long>());
        Assert.Contains("more than the length 3", Assert.Throws<ArgumentException>(() => tokenizer.EncodeBatch(["a bag on"], length: 3)).Message);
        Assert.Throws<ArgumentException>(() => new WordTokenizer(["  "]));
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode(new long[] { 99 }));
    }
}

using Course;

namespace Course.Tests;

/// <summary>
/// Reading generated captions back into (class, attribute): every caption the templates can say reads back as its
/// own pair, and captions that name no class, two classes or two attributes read as unknown; the caption scores of a
/// hand-worked set.
/// </summary>
public sealed class CaptionScoresTests
{
    [Fact]
    public void EveryTemplateCaptionReadsBackAsItsPair()
    {
        int checkedCaptions = 0;
        for (int c = 0; c < CaptionedFashionMnist.ClassWords.Count; c++)
            for (int a = 0; a < CaptionedFashionMnist.AttributeNames.Count; a++)
                foreach (var caption in CaptionedFashionMnist.PairPrompts(c, a))
                {
                    var (cls, attribute) = CaptionedFashionMnist.Read(caption);
                    Assert.True(cls == c && attribute == a, $"\"{caption}\" read as ({cls}, {attribute}), not ({c}, {a})");
                    checkedCaptions++;
                }
        Assert.True(checkedCaptions > 1000, $"only {checkedCaptions} captions were checked");
    }

    [Fact]
    public void SeededCaptionsReadBackAsTheirPair()
    {
        var random = new SplitMix64(11);
        for (int i = 0; i < 2000; i++)
        {
            int c = (int)random.NextInt64(10), a = (int)random.NextInt64(10);
            var caption = CaptionedFashionMnist.Caption(c, a, random);
            Assert.Equal(((int?)c, (int?)a), CaptionedFashionMnist.Read(caption));
        }
    }

    [Theory]
    [InlineData("a photo of a", null, 0)]                          // no garment
    [InlineData("a bag and a boot", null, 0)]                      // two garments
    [InlineData("a small dark bag", 8, null)]                      // two attributes
    [InlineData("a photo of an ankle boot", 9, 0)]                 // two-word class name, plain
    [InlineData("a boot turned upside down", 9, 2)]
    [InlineData("a t-shirt in low light", 0, 8)]
    [InlineData("a shirt", 6, 0)]                                  // "shirt" is not "t-shirt"
    [InlineData("A Running Shoe On The Left", 7, 6)]               // case does not matter
    [InlineData("a photo of a bagel", null, 0)]                    // whole words only
    public void ReadsCaptionsOutsideTheTemplates(string caption, int? expectedClass, int? expectedAttribute)
    {
        var (cls, attribute) = CaptionedFashionMnist.Read(caption);
        Assert.Equal(expectedClass, cls);
        Assert.Equal(expectedAttribute, attribute);
    }

    [Fact]
    public void ScoresAHandWorkedSet()
    {
        // true (class, attribute): (8 bag, 4 small), (8, 4), (9 boot, 6 left), (0 t-shirt, 0 plain)
        string[] captions = ["a small purse", "a tiny sandal", "a boot on the right", "a photo of a small bag"];
        var scores = CaptionScores.Score(captions, [8, 8, 9, 0], [4, 4, 6, 0]);
        Assert.Equal(2 / 4.0, scores.ClassWordAccuracy);      // purse = bag; sandal wrong; boot right; bag ≠ t-shirt
        Assert.Equal(2 / 4.0, scores.AttributeAccuracy);      // small, tiny right; right ≠ left; small ≠ plain
        Assert.Equal(1 / 4.0, scores.BothAccuracy);           // only the first
        Assert.Equal(1.0, scores.AttributeAccuracyByAttribute[4]);
        Assert.Equal(0.0, scores.AttributeAccuracyByAttribute[6]);
        Assert.Equal(0.0, scores.AttributeAccuracyByAttribute[0]);
        Assert.True(double.IsNaN(scores.AttributeAccuracyByAttribute[1]));
        Assert.Equal([1, 0, 0, 0, 2, 0, 1, 0, 0, 0], scores.CountByAttribute);
        Assert.Throws<ArgumentException>(() => CaptionScores.Score(captions, [8, 8, 9], [4, 4, 6, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => CaptionScores.Score(["a bag"], [8], [10]));
    }
}

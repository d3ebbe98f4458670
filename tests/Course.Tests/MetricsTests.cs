using Course;

namespace Course.Tests;

public sealed class MetricsTests
{
    [Fact]
    public void AccuracyTakesIdsOrScores()
    {
        using var targets = torch.tensor(new long[] { 0, 1, 2, 1 });
        using var ids = torch.tensor(new long[] { 0, 1, 1, 1 });
        Assert.Equal(0.75, Metrics.Accuracy(ids, targets));
        using var scores = torch.tensor(new float[] { 9, 0, 0, /**/ 0, 9, 0, /**/ 0, 0, 9, /**/ 9, 0, 0 }, [4, 3]);
        Assert.Equal(0.75, Metrics.Accuracy(scores, targets));
        using var tooFew = torch.tensor(new long[] { 0, 1 });
        Assert.Throws<ArgumentException>(() => Metrics.Accuracy(tooFew, targets));
    }

    [Fact]
    public void ExactMatchPerplexityAndBits()
    {
        Assert.Equal(2.0 / 3, Metrics.ExactMatch(["one", "two", "three"], ["one", "two", "tree"]), 12);
        Assert.Equal(0, Metrics.ExactMatch(["One"], ["one"])); // nothing is normalised
        Assert.Throws<ArgumentException>(() => Metrics.ExactMatch(["a"], ["a", "b"]));
        Assert.Equal(65, Metrics.Perplexity(Math.Log(65)), 9);
        Assert.Equal(1, Metrics.Perplexity(0));
        Assert.Equal(1, Metrics.Bits(Math.Log(2)), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => Metrics.Perplexity(double.NaN));
    }
}

public sealed class UnigramCrossEntropyTests
{
    [Fact]
    public void MatchesAHandWorkedCase()
    {
        // training counts over a vocabulary of 3: id 0 ×3, id 1 ×1, id 2 ×0; add-one smoothed: 4/7, 2/7, 1/7
        long[] training = [0, 0, 0, 1];
        long[] evaluated = [0, 1, 2, 0];
        double expected = -(2 * Math.Log(4.0 / 7) + Math.Log(2.0 / 7) + Math.Log(1.0 / 7)) / 4;
        Assert.Equal(expected, Metrics.UnigramCrossEntropy(training, evaluated, 3), 12);
    }

    [Fact]
    public void UniformTextCostsLogV()
    {
        long[] text = Enumerable.Range(0, 400).Select(i => (long)(i % 4)).ToArray();
        Assert.Equal(Math.Log(4), Metrics.UnigramCrossEntropy(text, text, 4), 12);
    }

    [Fact]
    public void BadInputIsNamed()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Metrics.UnigramCrossEntropy([0, 5], [0], 3));
        Assert.Throws<ArgumentException>(() => Metrics.UnigramCrossEntropy([0], [], 3));
    }
}

public sealed class ConfusionMatrixTests
{
    // targets 0 0 1 1 2 2, predictions 0 1 1 1 2 0
    private static ConfusionMatrix Example()
    {
        using var predictions = torch.tensor(new long[] { 0, 1, 1, 1, 2, 0 });
        using var targets = torch.tensor(new long[] { 0, 0, 1, 1, 2, 2 });
        return ConfusionMatrix.From(predictions, targets, ["cat", "dog", "fox"]);
    }

    [Fact]
    public void CountsRowsByTrueClassAndColumnsByPrediction()
    {
        var m = Example();
        Assert.Equal(new long[,] { { 1, 1, 0 }, { 0, 2, 0 }, { 1, 0, 1 } }, m.Counts);
        Assert.Equal(6, m.Total);
        Assert.Equal(4.0 / 6, m.Accuracy, 12);
    }

    [Fact]
    public void PerClassPrecisionRecallAndF1MatchTheHandComputation()
    {
        var rows = Example().PerClass();
        Assert.Equal(new ClassReport("cat", 0.5, 0.5, 0.5, 2), rows[0]);
        Assert.Equal("dog", rows[1].Class);
        Assert.Equal(2.0 / 3, rows[1].Precision, 12);   // 2 of the 3 predicted dogs are dogs
        Assert.Equal(1.0, rows[1].Recall, 12);          // both dogs are found
        Assert.Equal(0.8, rows[1].F1, 12);              // 2 · (2/3 · 1) / (2/3 + 1)
        Assert.Equal(("fox", 1.0, 0.5, 2L), (rows[2].Class, rows[2].Precision, rows[2].Recall, rows[2].Support));
        Assert.Equal(2.0 / 3, rows[2].F1, 12);
        var macro = Example().MacroAverage();
        Assert.Equal((0.5 + 2.0 / 3 + 1) / 3, macro.Precision, 12);
        Assert.Equal((0.5 + 0.8 + 2.0 / 3) / 3, macro.F1, 12);
    }

    [Fact]
    public void AClassNeverPredictedHasPrecisionZero()
    {
        using var predictions = torch.tensor(new long[] { 0, 0 });
        using var targets = torch.tensor(new long[] { 0, 1 });
        var rows = ConfusionMatrix.From(predictions, targets, ["a", "b"]).PerClass();
        Assert.Equal(new ClassReport("b", 0, 0, 0, 1), rows[1]);
    }

    [Fact]
    public void AddingBatchesEqualsCountingAtOnce()
    {
        manual_seed(2);
        using var scores = torch.randn(100, 4);
        using var targets = torch.randint(4, [100]);
        var once = ConfusionMatrix.From(scores, targets, ["a", "b", "c", "d"]);
        var batched = new ConfusionMatrix(4);
        foreach (var range in new[] { (0, 30), (30, 100) })
        {
            using var s = scores[range.Item1..range.Item2];
            using var t = targets[range.Item1..range.Item2];
            batched.Add(s, t);
        }
        Assert.Equal(once.Counts, batched.Counts);
        Assert.Equal(Metrics.Accuracy(scores, targets), once.Accuracy, 12);
        Assert.Equal(100, once.PerClass().Sum(r => r.Support));
    }

    [Fact]
    public void TheTensorIsCountsOrRowFractions()
    {
        var m = Example();
        using var counts = m.ToTensor();
        Assert.Equal(new float[] { 1, 1, 0, 0, 2, 0, 1, 0, 1 }, counts.ToArray<float>());
        using var fractions = m.ToTensor(normalize: true);
        Assert.Equal(new float[] { 0.5f, 0.5f, 0, 0, 1, 0, 0.5f, 0, 0.5f }, fractions.ToArray<float>());
    }

    [Fact]
    public void IdsOutsideTheClassesAreRefused()
    {
        var m = new ConfusionMatrix(3);
        using var predictions = torch.tensor(new long[] { 0, 3 });
        using var targets = torch.tensor(new long[] { 0, 1 });
        var e = Assert.Throws<ArgumentException>(() => m.Add(predictions, targets));
        Assert.Contains("3", e.Message);
        Assert.Equal(0, m.Total);
    }
}

public sealed class BleuTests
{
    [Fact]
    public void APerfectTranslationScoresOne()
    {
        var score = Bleu.Corpus(["the cat sat on the mat"], ["the cat sat on the mat"]);
        Assert.Equal(1, score.Score, 12);
        Assert.Equal(1, score.BrevityPenalty);
    }

    [Fact]
    public void UnigramPrecisionIsClippedByTheReferenceCount()
    {
        // Papineni et al.'s example: "the" occurs twice in the reference, so 2 of the 7 candidate words count
        var score = Bleu.Corpus(["the the the the the the the"], ["the cat is on the mat"], maxOrder: 1);
        Assert.Equal(2.0 / 7, score.Precisions[0], 12);
        Assert.Equal(1, score.BrevityPenalty); // 7 words > 6
        Assert.Equal(2.0 / 7, score.Score, 12);
    }

    [Fact]
    public void AShortCandidatePaysTheBrevityPenalty()
    {
        // candidate 6 words, reference 7: p1 = 6/6, p2 = 4/5, p3 = 3/4, p4 = 2/3, BP = exp(1 − 7/6)
        var score = Bleu.Corpus(["the cat sat on the mat"], ["the cat sat on the red mat"]);
        Assert.Equal(new[] { 1, 0.8, 0.75, 2.0 / 3 }.Select(p => Math.Round(p, 12)), score.Precisions.Select(p => Math.Round(p, 12)));
        Assert.Equal(Math.Exp(1 - 7.0 / 6), score.BrevityPenalty, 12);
        Assert.Equal(Math.Exp(1 - 7.0 / 6) * Math.Pow(1 * 0.8 * 0.75 * 2.0 / 3, 0.25), score.Score, 12);
        Assert.Equal((6L, 7L), (score.CandidateLength, score.ReferenceLength));
    }

    [Fact]
    public void CorpusBleuPoolsCountsOverSentences()
    {
        // sentence 1 matches fully (4/4, 3/3, 2/2, 1/1); sentence 2 "x y z w" vs "x y z q" (3/4, 2/3, 1/2, 0/1).
        // Pooled: 7/8, 5/6, 3/4, 1/2 — sentence 2 alone would score 0, the corpus does not.
        var score = Bleu.Corpus(["a b c d", "x y z w"], ["a b c d", "x y z q"]);
        Assert.Equal(Math.Pow(7.0 / 8 * 5.0 / 6 * 3.0 / 4 * 1.0 / 2, 0.25), score.Score, 12);
        Assert.Equal(0, Bleu.Corpus(["x y z w"], ["x y z q"]).Score);
    }

    [Fact]
    public void TheClosestReferenceLengthCountsAndTiesGoToTheShorter()
    {
        IReadOnlyList<string> T(string s) => s.Split(' ');
        var candidate = T("a b c d e");
        // references of 4 and 6 words are equally close to 5: the shorter one (4) is used, so no penalty
        var tie = Bleu.Corpus([candidate], [[T("a b c d"), T("a b c d e f")]]);
        Assert.Equal(4, tie.ReferenceLength);
        Assert.Equal(1, tie.BrevityPenalty);
        Assert.Equal(1, tie.Score, 12); // every n-gram of the candidate occurs in the second reference
        var longer = Bleu.Corpus([candidate], [[T("a b c d e f"), T("a b c d e f g h")]]);
        Assert.Equal(6, longer.ReferenceLength);
        Assert.Equal(Math.Exp(1 - 6.0 / 5), longer.Score, 12);
    }

    [Fact]
    public void EmptyOrUnmatchedCandidatesScoreZero()
    {
        Assert.Equal(0, Bleu.Corpus([""], ["a b c d"]).Score);
        Assert.Equal(0, Bleu.Corpus(["a b c"], ["a b c"]).Score); // no 4-gram at all: p4 = 0
        Assert.Equal(1, Bleu.Corpus(["a b c"], ["a b c"], maxOrder: 3).Score, 12);
        Assert.Throws<ArgumentException>(() => Bleu.Corpus(["a"], ["a", "b"]));
    }
}

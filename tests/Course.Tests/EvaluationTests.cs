using Course;

namespace Course.Tests;

public sealed class EvaluationTests
{
    private static void AssertPartition(int n, TrainTestSplit split)
    {
        Assert.Equal(n, split.Train.Length + split.Test.Length);
        Assert.Equal(Enumerable.Range(0, n).Select(i => (long)i), split.Train.Concat(split.Test).Order());
    }

    [Fact]
    public void HoldOutSplitsArePartitionsOfTheRequestedSize()
    {
        foreach (var (n, fraction) in new[] { (10, 0.2), (1000, 0.3), (7, 0.4), (101, 0.25) })
            foreach (var seed in new[] { 0, 1, 2 })
            {
                var split = HoldOut.Split(n, fraction, seed);
                AssertPartition(n, split);
                Assert.Equal((int)Math.Round(n * fraction), split.Test.Length);
            }
        Assert.Equal(HoldOut.Split(50, 0.3, 5).Test, HoldOut.Split(50, 0.3, 5).Test);
        Assert.NotEqual(HoldOut.Split(50, 0.3, 5).Test, HoldOut.Split(50, 0.3, 6).Test);
    }

    [Fact]
    public void StratifiedHoldOutKeepsThe500To500ProportionsWhileAPlainOneDrifts()
    {
        // the seed's example: 500 positives and 500 negatives, 30% held out
        var labels = Enumerable.Range(0, 1000).Select(i => i < 500 ? 1 : 0).ToArray();
        var plainPositives = new List<int>();
        for (int seed = 0; seed < 200; seed++)
        {
            var stratified = HoldOut.Stratified(labels, 0.3, seed);
            AssertPartition(1000, stratified);
            Assert.Equal(150, stratified.Test.Count(i => labels[i] == 1));
            Assert.Equal(150, stratified.Test.Count(i => labels[i] == 0));
            var plain = HoldOut.Split(1000, 0.3, seed);
            Assert.Equal(300, plain.Test.Length);
            plainPositives.Add(plain.Test.Count(i => labels[i] == 1));
        }
        // hypergeometric: sd = sqrt(300 · ½ · ½ · 700/999) ≈ 7.25 positives, so 200 seeds spread well beyond ±10
        Assert.True(plainPositives.Min() < 140 && plainPositives.Max() > 160, $"plain hold-out positives ranged {plainPositives.Min()}..{plainPositives.Max()}");
        Assert.InRange(plainPositives.Average(), 148.0, 152.0);
    }

    [Fact]
    public void KFoldTestsEveryExampleOnceInFoldsOfSklearnsSizes()
    {
        var cases = new[] { (7, 3), (10, 5), (10, 10), (11, 4), (1000, 5), (999, 7), (2, 2) };
        foreach (var (n, k) in cases)
        {
            var folds = KFold.Split(n, k, seed: n + k);
            Assert.Equal(k, folds.Count);
            foreach (var f in folds) AssertPartition(n, f);
            Assert.Equal(Enumerable.Range(0, n).Select(i => (long)i), folds.SelectMany(f => f.Test).Order());
            Assert.Equal(Enumerable.Range(0, k).Select(f => KFold.FoldSize(n, k, f)), folds.Select(f => f.Test.Length));
        }
        // by hand: 7 examples in 3 folds hold 3, 2, 2
        Assert.Equal(new[] { 3, 2, 2 }, KFold.Split(7, 3, 0).Select(f => f.Test.Length));
        Assert.Throws<ArgumentException>(() => KFold.Split(3, 4, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => KFold.Split(10, 1, 0));
    }

    [Fact]
    public void StratifiedKFoldAllocationWorkedByHand()
    {
        // Labels 1 0 0 1 0 1 0: label 1 appears first, so it is class 0 (3 members) and label 0 is class 1 (4 members).
        // Sorted class numbers 0 0 0 1 1 1 1; fold 0 takes positions 0, 2, 4, 6 (classes 0, 0, 1, 1), fold 1
        // positions 1, 3, 5 (classes 0, 1, 1).
        int[] labels = [1, 0, 0, 1, 0, 1, 0];
        var allocation = StratifiedKFold.Allocation(labels, 2);
        Assert.Equal(new[] { 2, 2, 1, 2 }, new[] { allocation[0, 0], allocation[0, 1], allocation[1, 0], allocation[1, 1] });
        var folds = StratifiedKFold.Split(labels, 2, seed: 0);
        Assert.Equal(2, folds[0].Test.Count(i => labels[i] == 1));
        Assert.Equal(2, folds[0].Test.Count(i => labels[i] == 0));
        Assert.Equal(1, folds[1].Test.Count(i => labels[i] == 1));
        Assert.Equal(2, folds[1].Test.Count(i => labels[i] == 0));
        Assert.Equal(new[] { 1, 0 }, StratifiedKFold.ClassesByFirstAppearance(labels));
    }

    [SklearnFact]
    public void StratifiedAndPlainKFoldMatchSklearnsSizesAndClassCounts()
    {
        var random = new SplitMix64(2026);
        var cases = new List<(int[] Labels, int K)>();
        foreach (var n in new[] { 10, 23, 50, 97, 200, 1000 })
            foreach (var classes in new[] { 2, 3, 5, 10 })
                foreach (var k in new[] { 2, 3, 5, 7, 10 })
                {
                    if (k > n) continue;
                    // unbalanced classes: class c drawn with weight c + 1, labels shifted so they are not 0..C-1
                    var labels = Enumerable.Range(0, n).Select(_ =>
                    {
                        long r = random.NextInt64(classes * (classes + 1) / 2);
                        int c = 0;
                        while (r >= c + 1) { r -= c + 1; c++; }
                        return 3 * c + 7;
                    }).ToArray();
                    // scikit-learn refuses a k larger than every class; so must we
                    if (labels.GroupBy(l => l).Max(g => g.Count()) < k) Assert.Throws<ArgumentException>(() => StratifiedKFold.Split(labels, k, 0));
                    else cases.Add((labels, k));
                }
        var answers = EvaluationReference.Ask(new { kfold = cases.Select(c => new { labels = c.Labels, k = c.K }) })["kfold"]!.AsArray();
        Assert.Equal(cases.Count, answers.Count);
        for (int i = 0; i < cases.Count; i++)
        {
            var (labels, k) = cases[i];
            var sizes = answers[i]!["sizes"]!.AsArray().Select(v => (int)v!).ToArray();
            Assert.Equal(sizes, KFold.Split(labels.Length, k, seed: i).Select(f => f.Test.Length));
            var folds = StratifiedKFold.Split(labels, k, seed: i);
            Assert.Equal(Enumerable.Range(0, labels.Length).Select(j => (long)j), folds.SelectMany(f => f.Test).Order());
            for (int f = 0; f < k; f++)
            {
                AssertPartition(labels.Length, folds[f]);
                var expected = answers[i]!["per_class"]![f]!.AsObject().ToDictionary(p => int.Parse(p.Key), p => (int)p.Value!);
                var got = folds[f].Test.GroupBy(j => labels[j]).ToDictionary(g => g.Key, g => g.Count());
                Assert.True(expected.OrderBy(p => p.Key).SequenceEqual(got.OrderBy(p => p.Key)),
                    $"case {i} (n {labels.Length}, k {k}), fold {f}: sklearn {string.Join(" ", expected.OrderBy(p => p.Key))}, ours {string.Join(" ", got.OrderBy(p => p.Key))}");
            }
        }
    }

    [Fact]
    public void StratifiedKFoldIsSeededAndChecksItsInput()
    {
        var labels = Enumerable.Range(0, 60).Select(i => i % 3).ToArray();
        Assert.Equal(StratifiedKFold.Split(labels, 5, 1)[0].Test, StratifiedKFold.Split(labels, 5, 1)[0].Test);
        Assert.NotEqual(StratifiedKFold.Split(labels, 5, 1)[0].Test, StratifiedKFold.Split(labels, 5, 2)[0].Test);
        Assert.Throws<ArgumentException>(() => StratifiedKFold.Split(new[] { 0, 1 }, 3, 0));
        Assert.Throws<ArgumentNullException>(() => StratifiedKFold.Split(null!, 3, 0));
    }

    [Fact]
    public void BootstrapDrawsNWithReplacementAndTestsTheRest()
    {
        foreach (var n in new[] { 1, 2, 10, 500 })
        {
            var s = Bootstrap.Sample(n, seed: n);
            Assert.Equal(n, s.Train.Length);
            Assert.All(s.Train, i => Assert.InRange(i, 0, n - 1));
            Assert.Equal(Enumerable.Range(0, n).Select(i => (long)i).Except(s.Train).Order(), s.Test);
        }
        Assert.Empty(Bootstrap.Sample(1, 3).Test);                        // one example is always drawn
        Assert.Equal(Bootstrap.Sample(100, 9).Train, Bootstrap.Sample(100, 9).Train);
        Assert.Equal(0.25, Bootstrap.ExpectedOutOfBagFraction(2), 15);     // (1 − ½)²
        Assert.Equal(Math.Pow(0.9, 10), Bootstrap.ExpectedOutOfBagFraction(10), 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => Bootstrap.Sample(0, 1));
    }

    [Fact]
    public void TheOutOfBagFractionAveragesToOneMinusOneOverNToTheN()
    {
        foreach (var (n, draws) in new[] { (2, 20000), (10, 20000), (100, 4000), (1000, 1000) })
        {
            var random = new SplitMix64(n);
            double mean = Enumerable.Range(0, draws).Average(_ => (double)Bootstrap.Sample(n, random).Test.Length / n);
            // exact variance of the out-of-bag count C: E[C] = n p, E[C²] = n p + n (n − 1) q with q = (1 − 2/n)^n
            double p = Bootstrap.ExpectedOutOfBagFraction(n), q = Math.Pow(1 - 2.0 / n, n);
            double sdOfMean = Math.Sqrt((n * p + (double)n * (n - 1) * q - (double)n * n * p * p) / draws) / n;
            Assert.True(Math.Abs(mean - p) < 5 * sdOfMean, $"n {n}: mean out-of-bag fraction {mean:F5}, expected {p:F5} ± {5 * sdOfMean:F5}");
        }
        Assert.Equal(1 / Math.E, Bootstrap.ExpectedOutOfBagFraction(1_000_000), 6);
    }
}

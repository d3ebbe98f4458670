using Course;

namespace Course.Tests;

public sealed class TuningTests
{
    private static SearchSpace Space() => new(
        Hyperparameter.LogUniform("lr", 1e-4, 1e-1),
        Hyperparameter.Discrete("width", 16, 64, 256),
        Hyperparameter.Uniform("dropout", 0, 0.5),
        Hyperparameter.LogUniform("epochs", 2, 32, integer: true));

    [Fact]
    public void GridEnumeratesExactlyTheProductOfTheValues()
    {
        var space = Space();
        var grid = space.Grid(4, 1, 2, 5);
        // lr: 4 points on a log scale, width: its 3 choices, dropout: 2 points, epochs: 5 on a log scale, 2 … 32
        Assert.Equal(4 * 3 * 2 * 5, grid.Count);
        Assert.Equal(grid.Count, grid.Distinct().Count());
        double[] lr = [1e-4, 1e-3, 1e-2, 1e-1], width = [16, 64, 256], dropout = [0, 0.5], epochs = [2, 4, 8, 16, 32];
        var expected = (from a in lr from b in width from c in dropout from d in epochs select (a, b, c, d)).ToList();
        for (int i = 0; i < grid.Count; i++)
        {
            Assert.Equal(expected[i].a, grid[i]["lr"], 1e-15 * 10);
            Assert.Equal(expected[i].b, grid[i]["width"]);
            Assert.Equal(expected[i].c, grid[i]["dropout"]);
            Assert.Equal(expected[i].d, grid[i]["epochs"]);
        }
        var search = new GridSearch(space, 4, 1, 2, 5);
        var result = HyperparameterSearch.Run(search, c => new[] { c["lr"] }, budget: 1000);
        Assert.Equal(120, result.Trials.Count);                            // stops when the grid is exhausted
        Assert.Equal(grid, result.Trials.Select(t => t.Configuration));
        Assert.Throws<ArgumentException>(() => space.Grid(2, 3));
    }

    [Fact]
    public void RandomSearchIsReproducibleAndStaysWithinBounds()
    {
        var space = Space();
        var a = HyperparameterSearch.Run(new RandomSearch(space, 11), c => new[] { 1.0 }, 2000).Trials.Select(t => t.Configuration).ToList();
        var b = HyperparameterSearch.Run(new RandomSearch(space, 11), c => new[] { 1.0 }, 2000).Trials.Select(t => t.Configuration).ToList();
        var c = HyperparameterSearch.Run(new RandomSearch(space, 12), c => new[] { 1.0 }, 2000).Trials.Select(t => t.Configuration).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.All(a, x =>
        {
            Assert.InRange(x["lr"], 1e-4, 1e-1);
            Assert.Contains(x["width"], new[] { 16.0, 64, 256 });
            Assert.InRange(x["dropout"], 0, 0.5);
            Assert.InRange(x["epochs"], 2, 32);
            Assert.Equal(Math.Round(x["epochs"]), x["epochs"]);
        });
        // log-uniform: half the draws below the geometric mean 10^-2.5 (binomial sd over 2000 draws: 1.1%)
        Assert.InRange(a.Count(x => x["lr"] < Math.Pow(10, -2.5)) / 2000.0, 0.45, 0.55);
        Assert.InRange(a.Count(x => x["dropout"] < 0.25) / 2000.0, 0.45, 0.55);
        Assert.Equal(3, a.Select(x => x["width"]).Distinct().Count());
    }

    // a quadratic bowl over an 11^4 grid (x_i = 0 … 10), lowest (0) at (3, 7, 5, 8)
    private static readonly double[] Centre = [3, 7, 5, 8];
    private static SearchSpace Bowl() => new(Enumerable.Range(0, 4).Select(i => Hyperparameter.Uniform($"x{i}", 0, 10, integer: true)).ToArray());
    private static IEnumerable<double> BowlLoss(Configuration c) => [c.Values.Select((v, i) => (v - Centre[i]) * (v - Centre[i])).Sum()];

    [Fact]
    public void EvolutionarySearchFindsTheBottomOfABowlAndBeatsRandomSearch()
    {
        const int Budget = 150, Seeds = 20;
        var evolutionary = new List<double>();
        var random = new List<double>();
        for (int seed = 0; seed < Seeds; seed++)
        {
            evolutionary.Add(HyperparameterSearch.Run(new EvolutionarySearch(Bowl(), points: 11, populationSize: 20, seed: seed), BowlLoss, Budget).Best.Score);
            random.Add(HyperparameterSearch.Run(new RandomSearch(Bowl(), seed), BowlLoss, Budget).Best.Score);
        }
        // measured: evolutionary reaches the bottom (0) in 14 of 20 seeds, mean best 0.40; random 1 of 20, mean best 3.10
        string measured = $"evolutionary: mean best {evolutionary.Average():F2}, bottom found {evolutionary.Count(s => s == 0)}/{Seeds}; random: mean best {random.Average():F2}, found {random.Count(s => s == 0)}/{Seeds}";
        Assert.True(evolutionary.Count(s => s == 0) >= 12, measured);
        Assert.True(random.Average() - evolutionary.Average() >= 2.0, measured);   // the stated margin: 2 units of Σ(x − c)²
        Assert.True(evolutionary.Zip(random).Count(p => p.First <= p.Second) >= 18, measured);
    }

    [Fact]
    public void EvolutionarySearchNeverRepeatsAConfigurationWhileUnseenOnesRemain()
    {
        var space = new SearchSpace(Hyperparameter.Discrete("a", 1, 2, 3), Hyperparameter.Discrete("b", 10, 20));
        var result = HyperparameterSearch.Run(new EvolutionarySearch(space, points: 2, populationSize: 2, seed: 4), c => new[] { c["a"] + c["b"] }, budget: 6);
        Assert.Equal(6, result.Trials.Select(t => t.Configuration).Distinct().Count());
        Assert.Equal(11, result.Best.Score);
    }

    [Fact]
    public void TheMedianRuleStopsExactlyTheTrialsWorseThanTheMedianAtTheSameStep()
    {
        var rule = new MedianStoppingRule(graceSteps: 1, minTrials: 3);
        Trial Done(int i, params double[] curve) => new(i, new Configuration(["i"], [i]), curve, false);
        var earlier = new[] { Done(0, 1.0, 0.8, 0.6, 0.5), Done(1, 1.2, 0.9, 0.7, 0.6), Done(2, 1.4, 1.0, 0.9, 0.8) };
        // best-so-far medians of the earlier trials: step 1 → 0.9, step 2 → 0.7, step 3 → 0.6
        Assert.False(rule.ShouldStop([5.0], earlier));                    // step 0 is the grace period
        Assert.False(rule.ShouldStop([1.0, 0.9], earlier));              // equal to the median: keeps going
        Assert.True(rule.ShouldStop([1.0, 0.91], earlier));              // worse than 0.9
        Assert.False(rule.ShouldStop([1.0, 0.95, 0.69], earlier));       // 0.69 < 0.7
        Assert.True(rule.ShouldStop([1.0, 0.95, 0.71], earlier));
        Assert.False(rule.ShouldStop([0.5, 2.0, 2.0], earlier));         // best so far 0.5 counts, not the last value
        Assert.False(rule.ShouldStop([1.0, 2.0], earlier[..2]));         // only two trials to compare with
        // an even count takes the mean of the middle two: step 1 → (0.9 + 1.0) / 2 = 0.95 with a fourth trial at 1.1
        var four = earlier.Append(Done(3, 1.5, 1.1)).ToArray();
        Assert.False(rule.ShouldStop([1.0, 0.95], four));
        Assert.True(rule.ShouldStop([1.0, 0.96], four));
        Assert.True(rule.ShouldStop([1.0, 0.96, 5.0, 5.0], four));       // step 3: the three 4-step trials, median 0.6
        Assert.False(rule.ShouldStop([9.0, 9.0, 9.0, 9.0, 9.0], four));  // step 4: no earlier trial got that far
        Assert.Throws<ArgumentOutOfRangeException>(() => new MedianStoppingRule(graceSteps: 0));
    }

    [Fact]
    public void SearchStopsReadingAStoppedTrialAndCountsItsSteps()
    {
        // trials 0-2 run 5 steps each; trial 3 is worse from step 1 on and must stop after 2 steps, having trained 2
        var curves = new[] { new[] { 1.0, 0.8, 0.6, 0.5, 0.4 }, new[] { 1.1, 0.9, 0.7, 0.6, 0.5 }, new[] { 1.2, 1.0, 0.8, 0.7, 0.6 }, new[] { 1.0, 2.0, 3.0, 4.0, 5.0 }, new[] { 0.9, 0.7, 0.5, 0.3, 0.2 } };
        var space = new SearchSpace(Hyperparameter.Discrete("i", 0, 1, 2, 3, 4));
        int stepsTrained = 0;
        IEnumerable<double> Train(Configuration c)
        {
            foreach (var loss in curves[(int)c["i"]]) { stepsTrained++; yield return loss; }
        }
        var result = HyperparameterSearch.Run(new GridSearch(space, 1), Train, budget: 5, new MedianStoppingRule(1, 3));
        Assert.Equal(new[] { false, false, false, true, false }, result.Trials.Select(t => t.Stopped));
        Assert.Equal(new[] { 5, 5, 5, 2, 5 }, result.Trials.Select(t => t.Steps));
        Assert.Equal(22, result.Steps);
        Assert.Equal(22, stepsTrained);
        Assert.Equal(1, result.StoppedTrials);
        Assert.Equal(4, result.Best.Number);
        Assert.Equal(new[] { 0.4, 0.4, 0.4, 0.4, 0.2 }, result.BestSoFar);
        // told that a full trial has 2 steps, the search neither stops trial 3 (its rule fires after step 2, the last) nor reads on
        stepsTrained = 0;
        var capped = HyperparameterSearch.Run(new GridSearch(space, 1), Train, budget: 5, new MedianStoppingRule(1, 3), maxSteps: 2);
        Assert.All(capped.Trials, t => Assert.False(t.Stopped));
        Assert.Equal(10, stepsTrained);
        // a diverged trial is recorded as +∞ and ends
        var diverged = HyperparameterSearch.Run(new GridSearch(space, 1), c => new[] { double.NaN, 1.0 }, budget: 1);
        Assert.Equal(new[] { double.PositiveInfinity }, diverged.Trials[0].Curve);
        Assert.Throws<ArgumentOutOfRangeException>(() => HyperparameterSearch.Run(new GridSearch(space, 1), c => new[] { 1.0 }, budget: 0));
        Assert.Throws<InvalidOperationException>(() => HyperparameterSearch.Run(new GridSearch(space, 1), c => Array.Empty<double>(), budget: 1));
    }

    [Fact]
    public void ParametersRejectBadRanges()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Hyperparameter.LogUniform("lr", 0, 1));
        Assert.Throws<ArgumentException>(() => Hyperparameter.Uniform("p", 1, 1));
        Assert.Throws<ArgumentException>(() => Hyperparameter.Discrete("w"));
        Assert.Throws<ArgumentException>(() => Hyperparameter.Discrete("w", 1, 1));
        Assert.Throws<ArgumentException>(() => new SearchSpace(Hyperparameter.Discrete("a", 1), Hyperparameter.Discrete("a", 2)));
        Assert.Throws<KeyNotFoundException>(() => new Configuration(["a"], [1.0])["b"]);
    }
}

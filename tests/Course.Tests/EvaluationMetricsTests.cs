using System.Text.Json.Nodes;
using Course;

namespace Course.Tests;

/// <summary>
/// The oracles of the evaluation metrics: reference/metrics_reference.json, written by reference/make_metrics_reference.py
/// with Debian's python3-sklearn, python3-scipy and python3-nltk on random inputs it stores alongside (many seeds).
/// </summary>
internal static class MetricsReference
{
    public static JsonNode Json { get; } = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "metrics_reference.json")))!;

    public static IEnumerable<JsonNode> Cases(string kind) => Json[kind]!.AsArray().Select(c => c!);

    public static double[] Doubles(JsonNode? node) => node!.AsArray().Select(v => (double)v!).ToArray();
    public static long[] Longs(JsonNode? node) => node!.AsArray().Select(v => (long)v!).ToArray();

    /// <summary>|actual − expected| within 1e-12 of the larger magnitude (summation order is all that differs).</summary>
    public static void Close(double expected, double actual, string what, double relative = 1e-12)
    {
        double tolerance = relative * Math.Max(1, Math.Max(Math.Abs(expected), Math.Abs(actual)));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R}");
    }

    public static void Close(double[] expected, double[] actual, string what, double relative = 1e-12)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}");
        for (int i = 0; i < expected.Length; i++) Close(expected[i], actual[i], $"{what}[{i}]", relative);
    }
}

public sealed class ClassificationAveragesTests
{
    private static ConfusionMatrix Matrix(JsonNode c)
    {
        int classes = (int)c["classes"]!;
        using var predictions = torch.tensor(MetricsReference.Longs(c["predictions"]));
        using var targets = torch.tensor(MetricsReference.Longs(c["targets"]));
        return ConfusionMatrix.From(predictions, targets, Enumerable.Range(0, classes).Select(i => $"c{i}").ToList());
    }

    [Fact]
    public void ConfusionMatrixAndAccuracyMatchSklearnOnFortySeeds()
    {
        foreach (var c in MetricsReference.Cases("classification"))
        {
            var m = Matrix(c);
            var expected = c["confusion"]!.AsArray();
            for (int i = 0; i < m.Classes; i++)
                Assert.Equal(MetricsReference.Longs(expected[i]), Enumerable.Range(0, m.Classes).Select(j => m[i, j]).ToArray());
            MetricsReference.Close((double)c["accuracy"]!, m.Accuracy, $"seed {c["seed"]} accuracy");
        }
    }

    [Fact]
    public void PerClassMacroMicroAndWeightedMatchSklearnOnFortySeeds()
    {
        foreach (var c in MetricsReference.Cases("classification"))
        {
            var m = Matrix(c);
            var rows = m.PerClass();
            string seed = $"seed {c["seed"]}";
            MetricsReference.Close(MetricsReference.Doubles(c["per_class"]!["precision"]), rows.Select(r => r.Precision).ToArray(), $"{seed} precision");
            MetricsReference.Close(MetricsReference.Doubles(c["per_class"]!["recall"]), rows.Select(r => r.Recall).ToArray(), $"{seed} recall");
            MetricsReference.Close(MetricsReference.Doubles(c["per_class"]!["f1"]), rows.Select(r => r.F1).ToArray(), $"{seed} f1");
            foreach (var (name, report) in new[] { ("macro", m.MacroAverage()), ("micro", m.MicroAverage()), ("weighted", m.WeightedAverage()) })
            {
                MetricsReference.Close(MetricsReference.Doubles(c[name]!["precision"])[0], report.Precision, $"{seed} {name} precision");
                MetricsReference.Close(MetricsReference.Doubles(c[name]!["recall"])[0], report.Recall, $"{seed} {name} recall");
                MetricsReference.Close(MetricsReference.Doubles(c[name]!["f1"])[0], report.F1, $"{seed} {name} f1");
            }
        }
    }

    [Fact]
    public void BinaryScoresMatchSklearnAtAThreshold()
    {
        foreach (var c in MetricsReference.Cases("binary"))
        {
            var scores = MetricsReference.Doubles(c["scores"]);
            using var predictions = torch.tensor(scores.Select(s => s >= 0.5 ? 1L : 0L).ToArray());
            using var targets = torch.tensor(MetricsReference.Longs(c["targets"]));
            var report = ConfusionMatrix.From(predictions, targets, ["negative", "positive"]).Binary();
            string seed = $"seed {c["seed"]}";
            MetricsReference.Close((double)c["precision_at_half"]!, report.Precision, $"{seed} precision");
            MetricsReference.Close((double)c["recall_at_half"]!, report.Recall, $"{seed} recall");
            MetricsReference.Close((double)c["f1_at_half"]!, report.F1, $"{seed} f1");
        }
    }

    [Fact]
    public void TheSeedsScreeningExampleComesOutExactly()
    {
        // 1,000 images, 10 of them diseased; the model finds one and calls everything else healthy
        var m = ConfusionMatrix.FromCounts(new long[,] { { 990, 0 }, { 9, 1 } }, ["healthy", "disease"]);
        var rows = m.PerClass();
        Assert.Equal(991.0 / 1000, m.Accuracy);
        Assert.Equal(990.0 / 999, rows[0].Precision);
        Assert.Equal(1.0, rows[0].Recall);
        Assert.Equal(1.0, rows[1].Precision);
        Assert.Equal(1.0 / 10, rows[1].Recall);
        Assert.Equal(2 * 1.0 * 0.1 / 1.1, rows[1].F1);
        Assert.Equal(rows[1], m.Binary(positiveClass: 1));
    }

    [Fact]
    public void AveragesOfAHandWorkedMatrix()
    {
        // targets 0 0 1 1 2 2, predictions 0 1 1 1 2 0: per class P = 1/2, 2/3, 1; R = 1/2, 1, 1/2; support 2 each
        using var predictions = torch.tensor(new long[] { 0, 1, 1, 1, 2, 0 });
        using var targets = torch.tensor(new long[] { 0, 0, 1, 1, 2, 2 });
        var m = ConfusionMatrix.From(predictions, targets, ["a", "b", "c"]);
        Assert.Equal(4.0 / 6, m.MicroAverage().Precision, 15);
        Assert.Equal(4.0 / 6, m.MicroAverage().Recall, 15);
        Assert.Equal((0.5 + 2.0 / 3 + 1) / 3, m.WeightedAverage().Precision, 15);  // equal supports: weighted = macro
        Assert.Throws<InvalidOperationException>(() => m.Binary());
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromCounts(new long[,] { { 1, -1 }, { 0, 1 } }, ["a", "b"]));
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromCounts(new long[,] { { 1 } }, ["a", "b"]));
    }
}

public sealed class CurveTests
{
    [Fact]
    public void RocCurveAndAucMatchSklearnIncludingTies()
    {
        foreach (var c in MetricsReference.Cases("binary"))
        {
            var scores = MetricsReference.Doubles(c["scores"]);
            var positives = MetricsReference.Longs(c["targets"]).Select(t => t == 1).ToArray();
            var roc = RocCurve.From(scores, positives);
            string seed = $"seed {c["seed"]}";
            MetricsReference.Close(MetricsReference.Doubles(c["roc_fpr"]), roc.FalsePositiveRate, $"{seed} fpr");
            MetricsReference.Close(MetricsReference.Doubles(c["roc_tpr"]), roc.TruePositiveRate, $"{seed} tpr");
            Assert.Equal(MetricsReference.Doubles(c["roc_thresholds"]), roc.Thresholds[1..]);
            Assert.Equal(double.PositiveInfinity, roc.Thresholds[0]);
            MetricsReference.Close((double)c["roc_auc"]!, roc.Auc, $"{seed} auc");
        }
    }

    [Fact]
    public void PrecisionRecallCurveAndAveragePrecisionMatchSklearn()
    {
        foreach (var c in MetricsReference.Cases("binary"))
        {
            var scores = MetricsReference.Doubles(c["scores"]);
            var positives = MetricsReference.Longs(c["targets"]).Select(t => t == 1).ToArray();
            var pr = PrecisionRecallCurve.From(scores, positives);
            string seed = $"seed {c["seed"]}";
            // scikit-learn lists the points from the lowest threshold up, the anchor (recall 0, precision 1) last
            MetricsReference.Close(MetricsReference.Doubles(c["pr_precision"]).Reverse().ToArray(), pr.Precision, $"{seed} precision");
            MetricsReference.Close(MetricsReference.Doubles(c["pr_recall"]).Reverse().ToArray(), pr.Recall, $"{seed} recall");
            Assert.Equal(MetricsReference.Doubles(c["pr_thresholds"]).Reverse().ToArray(), pr.Thresholds[1..]);
            MetricsReference.Close((double)c["average_precision"]!, pr.AveragePrecision, $"{seed} average precision");
        }
    }

    [Fact]
    public void HandWorkedCurves()
    {
        // scores 0.9 (+), 0.8 (−), 0.7 (+), 0.7 (−), 0.1 (−): thresholds 0.9, 0.8, 0.7 (a tie: both switch together), 0.1
        double[] scores = [0.9, 0.8, 0.7, 0.7, 0.1];
        bool[] positives = [true, false, true, false, false];
        var roc = RocCurve.From(scores, positives);
        Assert.Equal(new[] { 0, 0, 1.0 / 3, 2.0 / 3, 1 }, roc.FalsePositiveRate);
        Assert.Equal(new[] { 0, 0.5, 0.5, 1, 1 }, roc.TruePositiveRate);
        // pairs (positive, negative) ranked right: 0.9 beats all 3, 0.7 beats 0.1 and ties 0.7 (half): (3 + 1.5) / 6
        Assert.Equal(4.5 / 6, roc.Auc, 15);
        var pr = PrecisionRecallCurve.From(scores, positives);
        Assert.Equal(new[] { 1, 1, 0.5, 0.5, 0.4 }, pr.Precision);
        Assert.Equal(new[] { 0, 0.5, 0.5, 1, 1 }, pr.Recall);
        Assert.Equal(0.5 * 1 + 0.5 * 0.5, pr.AveragePrecision, 15);
        Assert.Equal(2 * 0.5 * 1 / 1.5, pr.F1[3], 15);
    }

    [Fact]
    public void BadInputIsNamed()
    {
        Assert.Throws<ArgumentException>(() => RocCurve.From([0.1, 0.2], [true, true]));          // no negatives
        Assert.Throws<ArgumentException>(() => PrecisionRecallCurve.From([0.1, 0.2], [false, false])); // no positives
        Assert.Throws<ArgumentException>(() => RocCurve.From([0.1], [true, false]));
        Assert.Throws<ArgumentException>(() => RocCurve.From([double.NaN, 0.2], [true, false]));
    }
}

public sealed class TopKAccuracyTests
{
    [Fact]
    public void MatchesSklearnOnTwentySeeds()
    {
        foreach (var c in MetricsReference.Cases("topk"))
        {
            var rows = c["scores"]!.AsArray();
            int classes = (int)c["classes"]!;
            using var scores = torch.tensor(rows.SelectMany(r => MetricsReference.Doubles(r)).ToArray(), [rows.Count, classes]);
            using var targets = torch.tensor(MetricsReference.Longs(c["targets"]));
            foreach (var (k, value) in c["top_k"]!.AsObject())
                MetricsReference.Close((double)value!, Metrics.TopKAccuracy(scores, targets, int.Parse(k)), $"seed {c["seed"]} top-{k}");
        }
    }

    [Fact]
    public void TopOneIsAccuracyAndTopCIsOne()
    {
        using var scores = torch.tensor(new float[] { 3, 2, 1, /**/ 1, 3, 2, /**/ 2, 1, 3, /**/ 1, 2, 3 }, [4, 3]);
        using var targets = torch.tensor(new long[] { 0, 2, 1, 0 });
        Assert.Equal(0.25, Metrics.TopKAccuracy(scores, targets, 1));
        Assert.Equal(Metrics.Accuracy(scores, targets), Metrics.TopKAccuracy(scores, targets, 1));
        Assert.Equal(0.5, Metrics.TopKAccuracy(scores, targets, 2));
        Assert.Equal(1, Metrics.TopKAccuracy(scores, targets, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Metrics.TopKAccuracy(scores, targets, 4));
        using var bad = torch.tensor(new long[] { 0, 3, 1, 0 });
        Assert.Throws<ArgumentException>(() => Metrics.TopKAccuracy(scores, bad, 1));
    }
}

public sealed class PerplexityOfProbabilitiesTests
{
    [Fact]
    public void IsTheNthRootOfOneOverTheProbabilityOfTheText()
    {
        double[] p = [0.5, 0.25, 0.125];            // P(W) = 1/64, N = 3: PP = 64^(1/3) = 4
        Assert.Equal(4, Metrics.PerplexityOf(p), 13);
        Assert.Equal(10, Metrics.PerplexityOf(Enumerable.Repeat(0.1, 50).ToArray()), 12);   // uniform over 10 choices
        Assert.Equal(Metrics.Perplexity(-p.Average(Math.Log)), Metrics.PerplexityOf(p));
        Assert.Throws<ArgumentOutOfRangeException>(() => Metrics.PerplexityOf([0.5, 0]));
        Assert.Throws<ArgumentException>(() => Metrics.PerplexityOf([]));
    }
}

public sealed class SegmentationScoresTests
{
    /// <summary>
    /// One pair of 5 × 5 masks consistent with the seed's example (its figure is not available): 19 background and 6
    /// object pixels; 17 predicted background, 16 of them right; 8 predicted object, 5 of them right.
    /// </summary>
    public static readonly long[] SeedTruth =
    [
        0, 0, 0, 0, 0,
        0, 1, 1, 1, 0,
        0, 1, 1, 1, 0,
        0, 0, 0, 0, 0,
        0, 0, 0, 0, 0,
    ];
    public static readonly long[] SeedPrediction =
    [
        0, 0, 0, 0, 0,
        0, 1, 1, 1, 0,
        1, 1, 1, 0, 0,
        0, 1, 1, 0, 0,
        0, 0, 0, 0, 0,
    ];

    [Fact]
    public void TheSeedsExampleComesOutExactly()
    {
        using var truth = torch.tensor(SeedTruth, [5, 5]);
        using var predicted = torch.tensor(SeedPrediction, [5, 5]);
        var s = SegmentationScores.From(predicted, truth, classes: 2);
        Assert.Equal(21.0 / 25, s.PixelAccuracy);
        Assert.Equal(0.84, s.PixelAccuracy);
        Assert.Equal(new[] { 16.0 / 17, 5.0 / 8 }, s.ClassPixelAccuracy(ClassPixelAccuracyDefinition.OfPredicted));
        Assert.Equal((16.0 / 17 + 5.0 / 8) / 2, s.MeanPixelAccuracy(ClassPixelAccuracyDefinition.OfPredicted));
        Assert.Equal(new[] { 16.0 / 19, 5.0 / 6 }, s.ClassPixelAccuracy(ClassPixelAccuracyDefinition.OfTrue));
        Assert.Equal((16.0 / 19 + 5.0 / 6) / 2, s.MeanPixelAccuracy(ClassPixelAccuracyDefinition.OfTrue));
        Assert.Equal(new[] { 16.0 / 20, 5.0 / 9 }, s.IoU());
        Assert.Equal((16.0 / 20 + 5.0 / 9) / 2, s.MeanIoU);
    }

    [Fact]
    public void MatchSklearnOnTwelveRandomMaskPairs()
    {
        // IoU = jaccard_score; cPA of the predicted class = precision; cPA of the true class = recall; PA = accuracy
        foreach (var c in MetricsReference.Cases("segmentation"))
        {
            int classes = (int)c["classes"]!;
            var truthRows = c["truth"]!.AsArray();
            long h = truthRows.Count, w = truthRows[0]!.AsArray().Count;
            using var truth = torch.tensor(truthRows.SelectMany(r => MetricsReference.Longs(r)).ToArray(), [h, w]);
            using var predicted = torch.tensor(c["predicted"]!.AsArray().SelectMany(r => MetricsReference.Longs(r)).ToArray(), [h, w]);
            var s = SegmentationScores.From(predicted, truth, classes);
            string seed = $"seed {c["seed"]}";
            MetricsReference.Close((double)c["pixel_accuracy"]!, s.PixelAccuracy, $"{seed} PA");
            MetricsReference.Close(MetricsReference.Doubles(c["iou"]), s.IoU().Select(v => double.IsNaN(v) ? 0 : v).ToArray(), $"{seed} IoU");
            MetricsReference.Close(MetricsReference.Doubles(c["precision"]), s.ClassPixelAccuracy(ClassPixelAccuracyDefinition.OfPredicted).Select(v => double.IsNaN(v) ? 0 : v).ToArray(), $"{seed} cPA of predicted");
            MetricsReference.Close(MetricsReference.Doubles(c["recall"]), s.ClassPixelAccuracy(ClassPixelAccuracyDefinition.OfTrue).Select(v => double.IsNaN(v) ? 0 : v).ToArray(), $"{seed} cPA of true");
        }
    }

    [Fact]
    public void AnAbsentClassIsLeftOutOfTheMeans()
    {
        using var truth = torch.tensor(new long[] { 0, 0, 1, 1 });
        using var predicted = torch.tensor(new long[] { 0, 1, 1, 1 });
        var s = SegmentationScores.From(predicted, truth, classes: 3);     // class 2 appears in neither mask
        Assert.True(double.IsNaN(s.IoU()[2]));
        Assert.Equal((1.0 / 2 + 2.0 / 3) / 2, s.MeanIoU, 15);
        using var floats = torch.tensor(new float[] { 0, 1, 1, 1 });
        Assert.Throws<ArgumentException>(() => SegmentationScores.From(floats, truth, 2));
        using var shorter = torch.tensor(new long[] { 0, 1, 1 });
        Assert.Throws<ArgumentException>(() => SegmentationScores.From(shorter, truth, 2));
    }
}

public sealed class CalibrationTests
{
    [Fact]
    public void ReliabilityBinsMatchSklearnsCalibrationCurve()
    {
        foreach (var c in MetricsReference.Cases("binary"))
        {
            var probabilities = MetricsReference.Doubles(c["scores"]).Select(s => 1 / (1 + Math.Exp(-s))).ToArray();
            var positives = MetricsReference.Longs(c["targets"]).Select(t => t == 1).ToArray();
            var bins = Calibration.Reliability(probabilities, positives, 10);
            string seed = $"seed {c["seed"]}";
            Assert.Equal(MetricsReference.Longs(c["calibration_counts"]), bins.Select(b => b.Count).ToArray());
            var filled = bins.Where(b => b.Count > 0).ToArray();
            MetricsReference.Close(MetricsReference.Doubles(c["calibration_fraction_positive"]), filled.Select(b => b.Accuracy).ToArray(), $"{seed} fraction positive");
            MetricsReference.Close(MetricsReference.Doubles(c["calibration_mean_predicted"]), filled.Select(b => b.MeanConfidence).ToArray(), $"{seed} mean predicted");
        }
    }

    [Fact]
    public void ExpectedCalibrationErrorOfAHandWorkedCase()
    {
        // two bins used: (0.2, 0.3] holds 0.25, 0.25 (one right): gap 0.25; (0.9, 1] holds 0.95 ×2 (both right): gap 0.05
        double[] confidence = [0.25, 0.25, 0.95, 0.95];
        bool[] correct = [true, false, true, true];
        Assert.Equal(0.5 * 0.25 + 0.5 * 0.05, Calibration.ExpectedCalibrationError(confidence, correct), 15);
        var bins = Calibration.Reliability(confidence, correct);
        Assert.Equal(10, bins.Count);
        Assert.Equal(2, bins[2].Count);
        Assert.Equal(2, bins[9].Count);
        Assert.Equal(0, Calibration.ExpectedCalibrationError([0.5, 0.5], [true, false]), 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => Calibration.Reliability([1.5], [true]));
    }

    [Fact]
    public void TemperatureScalingRecoversTheTemperatureOfCalibratedLabels()
    {
        // labels drawn from softmax(z) are calibrated for z; the model reports 3z: the fitted T undoes the 3
        var g = new Random(7);
        int n = 4000, classes = 5;
        var z = new double[n * classes];
        var labels = new long[n];
        for (int i = 0; i < n; i++)
        {
            var row = Enumerable.Range(0, classes).Select(_ => 2 * (g.NextDouble() - 0.5) * 2).ToArray();
            var e = row.Select(Math.Exp).ToArray();
            double u = g.NextDouble() * e.Sum(), acc = 0;
            labels[i] = classes - 1;
            for (int k = 0; k < classes; k++) { acc += e[k]; if (u <= acc) { labels[i] = k; break; } }
            for (int k = 0; k < classes; k++) z[i * classes + k] = 3 * row[k];
        }
        using var logits = torch.tensor(z, [n, classes]);
        using var targets = torch.tensor(labels);
        double t = Calibration.FitTemperature(logits, targets);
        Assert.InRange(t, 2.6, 3.4);
        // the fitted T is the minimum: the loss is higher a little to either side
        double Nll(double temp) { using var scaled = logits / temp; using var loss = nn.functional.cross_entropy(scaled, targets); return loss.item<double>(); }
        Assert.True(Nll(t) < Nll(t * 1.01) && Nll(t) < Nll(t / 1.01));
    }
}

public sealed class GenerativeScoresTests
{
    private static Tensor Matrix(JsonNode rows)
    {
        var array = rows.AsArray();
        return torch.tensor(array.SelectMany(r => MetricsReference.Doubles(r)).ToArray(), [array.Count, array[0]!.AsArray().Count]);
    }

    [Fact]
    public void FidMatchesScipySqrtmOnSixFeatureSets()
    {
        foreach (var c in MetricsReference.Cases("fid"))
        {
            using var a = Matrix(c["a"]!);
            using var b = Matrix(c["b"]!);
            // scipy's sqrtm of the non-symmetric product is accurate to about 1e-10 relative; ours to rounding
            MetricsReference.Close((double)c["fid"]!, FrechetInceptionDistance.Compute(a, b), $"seed {c["seed"]} FID", relative: 1e-9);
            double self = FrechetInceptionDistance.Compute(a, a);
            var stats = FeatureStatistics.Of(a);
            double trace = Enumerable.Range(0, stats.Mean.Length).Sum(i => stats.Covariance[i, i]);
            // rounding of the eigensolver: below 1e-12 of the trace with Debian's OpenBLAS, 3.0e-12 with TorchSharp's MKL
            Assert.True(Math.Abs(self) <= 1e-11 * trace, $"FID of a set with itself is {self} (trace {trace})");
        }
    }

    [Fact]
    public void FidOfTwoKnownGaussians()
    {
        // FID of N(m1, C1) and N(m2, C2) with diagonal C: |m1 − m2|² + Σ (√c1 − √c2)²; a set of points with exactly
        // these statistics: ±√(c (N−1)/N) around the mean in each coordinate separately
        double[] m1 = [0, 1], m2 = [3, -1], c1 = [4, 1], c2 = [1, 9];
        Tensor Points(double[] m, double[] c)
        {
            var rows = new List<double>();
            foreach (int axis in new[] { 0, 1 })
                foreach (int sign in new[] { 1, -1 })
                {
                    var p = (double[])m.Clone();
                    p[axis] += sign * Math.Sqrt(c[axis] * 3 / 2);   // N = 4: each axis variance = 2 (c·3/2) / 3 = c
                    rows.AddRange(p);
                }
            return torch.tensor(rows.ToArray(), [4, 2]);
        }
        using var a = Points(m1, c1);
        using var b = Points(m2, c2);
        var stats = FeatureStatistics.Of(a);
        Assert.Equal(4, stats.Covariance[0, 0], 12);
        Assert.Equal(0, stats.Covariance[0, 1], 12);
        double expected = 9 + 4 + Math.Pow(2 - 1, 2) + Math.Pow(1 - 3, 2);
        Assert.Equal(expected, FrechetInceptionDistance.Compute(a, b), 11);
    }

    [Fact]
    public void SymmetricEigenDecomposesAndTheRootSquaresBack()
    {
        var g = new Random(3);
        int n = 12;
        var x = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) x[i, j] = g.NextDouble() - 0.5;
        var a = new double[n, n];   // XᵀX: symmetric positive semi-definite
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) a[i, j] += x[k, i] * x[k, j];
        var (values, vectors) = SymmetricEigen.Decompose(a);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double av = 0;
                for (int k = 0; k < n; k++) av += a[i, k] * vectors[k, j];
                MetricsReference.Close(values[j] * vectors[i, j], av, $"(A v)[{i}] of eigenpair {j}");   // A v = λ v
            }
        Assert.True(values.Zip(values.Skip(1)).All(p => p.First <= p.Second));
        var s = SymmetricEigen.SquareRoot(a);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double ss = 0;
                for (int k = 0; k < n; k++) ss += s[i, k] * s[k, j];
                MetricsReference.Close(a[i, j], ss, $"(S S)[{i}, {j}]");
            }
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[,] { { 1, 2 }, { 0, 1 } }));
        Assert.Throws<ArgumentException>(() => SymmetricEigen.SquareRoot(new double[,] { { -1, 0 }, { 0, 1 } }));
    }

    [Fact]
    public void InceptionScoreMatchesScipyEntropies()
    {
        foreach (var c in MetricsReference.Cases("inception"))
        {
            using var p = Matrix(c["probabilities"]!);
            var score = InceptionScore.From(p);
            string seed = $"seed {c["seed"]}";
            MetricsReference.Close((double)c["score"]!, score.Score, $"{seed} IS");
            MetricsReference.Close((double)c["marginal_entropy"]!, score.MarginalEntropy, $"{seed} H(y)");
            MetricsReference.Close((double)c["conditional_entropy"]!, score.ConditionalEntropy, $"{seed} H(y|x)");
            MetricsReference.Close(Math.Exp(score.MarginalEntropy - score.ConditionalEntropy), score.Score, $"{seed} exp(H(y) − H(y|x))");
        }
    }

    [Fact]
    public void InceptionScoreBoundsAndBadInput()
    {
        using var confidentAndVaried = torch.eye(4, dtype: torch.float64);          // each image one class, all classes
        Assert.Equal(4, InceptionScore.From(confidentAndVaried).Score, 12);
        using var collapsed = torch.tensor(new double[] { 1, 0, 0, 0, 1, 0, 0, 0 }, [2, 4]);   // one class only
        Assert.Equal(1, InceptionScore.From(collapsed).Score, 12);
        using var logits = torch.tensor(new double[] { 2, -1 }, [1, 2]);
        Assert.Throws<ArgumentException>(() => InceptionScore.From(logits));
    }
}

public sealed class BleuAgainstNltkTests
{
    private static IReadOnlyList<IReadOnlyList<string>> Sentences(JsonNode node) =>
        node.AsArray().Select(s => (IReadOnlyList<string>)s!.AsArray().Select(w => (string)w!).ToList()).ToList();

    [Fact]
    public void CorpusBleuMatchesNltkWithAndWithoutSmoothing()
    {
        foreach (var c in MetricsReference.Cases("bleu"))
        {
            var candidates = Sentences(c["candidates"]!);
            var references = c["references"]!.AsArray().Select(r => Sentences(r!)).ToList();
            string seed = $"seed {c["seed"]}";
            // NLTK gives a zero-match precision the smallest double instead of 0, so its "zero" is about 1e-78
            MetricsReference.Close((double)c["bleu"]!, Bleu.Corpus(candidates, references).Score, $"{seed} BLEU");
            MetricsReference.Close((double)c["bleu_bigram"]!, Bleu.Corpus(candidates, references, maxOrder: 2).Score, $"{seed} BLEU-2");
            MetricsReference.Close((double)c["bleu_method1"]!, Bleu.Corpus(candidates, references, smoothingEpsilon: 0.1).Score, $"{seed} BLEU method1");
        }
    }

    [Fact]
    public void SmoothingKeepsAMissing4GramFromZeroingTheScore()
    {
        // "x y z w" vs "x y z q": p = 3/4, 2/3, 1/2, 0/1 → with ε = 0.1: p4 = 0.1/1
        var plain = Bleu.Corpus(["x y z w"], ["x y z q"]);
        var smoothed = Bleu.Corpus(["x y z w"], ["x y z q"], smoothingEpsilon: 0.1);
        Assert.Equal(0, plain.Score);
        Assert.Equal(Math.Pow(3.0 / 4 * 2.0 / 3 * 1.0 / 2 * 0.1, 0.25), smoothed.Score, 14);
        Assert.Equal(0, Bleu.Corpus(["p q r s"], ["a b c d"], smoothingEpsilon: 0.1).Score);   // no unigram in common
        Assert.Throws<ArgumentOutOfRangeException>(() => Bleu.Corpus(["a"], ["a"], smoothingEpsilon: -1));
    }
}

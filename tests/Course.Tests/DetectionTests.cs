using System.Text.Json.Nodes;

namespace Course.Tests;

/// <summary>
/// Box IoU and NMS against torchvision.ops (box_iou, nms; reference/detection.json from make_detection_reference.py,
/// Debian's python3-torchvision), soft-NMS against a direct numpy transcription of the paper's algorithm and hand
/// numbers, AP against the VOC devkit's all-point and COCOeval's 101-point methods, the study notes' worked example
/// exactly, matching and mAP on hand-worked cases.
/// </summary>
public sealed class DetectionTests
{
    private static readonly JsonNode Ref = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "detection.json")))!;

    private static Box[] Boxes(JsonNode node) => node.AsArray().Select(b => new Box((double)b![0]!, (double)b[1]!, (double)b[2]!, (double)b[3]!)).ToArray();
    private static double[] Doubles(JsonNode node) => node.AsArray().Select(v => (double)v!).ToArray();

    [Fact]
    public void BoxIoUMatchesTorchvisionBitForBitIncludingZeroAreaAndDisjointBoxes()
    {
        int nans = 0, zeros = 0, positive = 0;
        foreach (var c in Ref["box_iou"]!.AsArray())
        {
            var a = Boxes(c!["a"]!);
            var b = Boxes(c["b"]!);
            var expected = c["iou"]!.AsArray();
            var matrix = BoxIoU.Matrix(a, b);
            using var ta = BoxIoU.ToTensor(a);
            using var tb = BoxIoU.ToTensor(b);
            using var tensorIoU = BoxIoU.box_iou(ta, tb);
            Assert.Equal(new long[] { a.Length, b.Length }, tensorIoU.shape);
            Assert.Equal(ScalarType.Float64, tensorIoU.dtype);
            var flat = tensorIoU.ToArray<double>();
            for (int i = 0; i < a.Length; i++)
                for (int j = 0; j < b.Length; j++)
                {
                    var e = expected[i]![j];
                    if (e is null)
                    {
                        nans++;
                        Assert.True(double.IsNaN(matrix[i, j]), $"IoU({a[i]}, {b[j]}) should be 0/0 = NaN as in torchvision");
                        Assert.True(double.IsNaN(flat[i * b.Length + j]));
                    }
                    else
                    {
                        double v = (double)e;
                        if (v == 0) zeros++; else positive++;
                        Assert.Equal(v, matrix[i, j]);   // exact: same operations in the same order
                        Assert.Equal(v, flat[i * b.Length + j]);
                    }
                }
        }
        Assert.True(nans >= 1 && zeros > 50 && positive > 20, $"the reference covers too little: {nans} NaN, {zeros} zero, {positive} positive");
    }

    [Fact]
    public void BoxIoUHandWorked()
    {
        var a = new Box(0, 0, 2, 2);
        Assert.Equal(1.0 / 7, BoxIoU.Of(a, new Box(1, 1, 3, 3)));   // ∩ = 1, ∪ = 4 + 4 − 1
        Assert.Equal(0, BoxIoU.Of(a, new Box(2, 0, 4, 2)));          // touching: no area in common
        Assert.Equal(0, BoxIoU.Of(a, new Box(5, 5, 6, 6)));          // disjoint
        Assert.Equal(1, BoxIoU.Of(a, a));
        Assert.Equal(0.25, BoxIoU.Of(a, new Box(0, 0, 1, 1)));       // contained: 1 / 4
        Assert.Equal(0, BoxIoU.Of(a, new Box(1, 1, 1, 1)));          // a point inside a: zero area, union 4
        using var bad = torch.zeros(3, 3, ScalarType.Float64);
        Assert.Throws<ArgumentException>(() => BoxIoU.box_iou(bad, bad));
        using var ints = torch.zeros(new long[] { 2, 4 }, ScalarType.Int64);
        Assert.Throws<ArgumentException>(() => BoxIoU.box_iou(ints, ints));
    }

    [Fact]
    public void NmsKeepsTheSameIndicesAsTorchvision()
    {
        int cases = 0, suppressed = 0;
        foreach (var c in Ref["nms"]!.AsArray())
        {
            var boxes = Boxes(c!["boxes"]!);
            var scores = Doubles(c["scores"]!);
            double t = (double)c["iou_threshold"]!;
            var expected = c["keep"]!.AsArray().Select(v => (int)v!).ToArray();
            Assert.Equal(expected, Nms.Keep(boxes, scores, t));
            using var tb = BoxIoU.ToTensor(boxes);
            using var ts = torch.tensor(scores, dtype: ScalarType.Float64);
            using var keep = Nms.nms(tb, ts, t);
            Assert.Equal(expected.Select(i => (long)i).ToArray(), keep.ToArray<long>());
            cases++;
            suppressed += boxes.Length - expected.Length;
        }
        Assert.Equal(60, cases);
        Assert.True(suppressed > 500, $"only {suppressed} boxes were suppressed in the reference cases");
    }

    [Fact]
    public void NmsHandWorkedStrictThresholdAndTies()
    {
        var boxes = new[] { new Box(0, 0, 10, 10), new Box(0, 0, 10, 5), new Box(20, 20, 30, 30) };   // IoU(0, 1) = 50/100
        var scores = new[] { 0.9, 0.8, 0.7 };
        Assert.Equal(new[] { 0, 2 }, Nms.Keep(boxes, scores, 0.3));
        Assert.Equal(new[] { 0, 1, 2 }, Nms.Keep(boxes, scores, 0.5));   // suppress only when IoU > threshold
        // equal scores: the lower index is visited first and suppresses its duplicate
        var same = new[] { new Box(0, 0, 4, 4), new Box(0, 0, 4, 4) };
        Assert.Equal(new[] { 0 }, Nms.Keep(same, new[] { 0.5, 0.5 }, 0.5));
        Assert.Empty(Nms.Keep(Array.Empty<Box>(), Array.Empty<double>(), 0.5));
        Assert.Throws<ArgumentException>(() => Nms.Keep(boxes, new[] { 0.9 }, 0.5));
        Assert.Throws<ArgumentException>(() => Nms.Keep(new[] { new Box(3, 0, 1, 1) }, new[] { 0.9 }, 0.5));
        Assert.Throws<ArgumentException>(() => Nms.Keep(boxes, new[] { 0.9, double.NaN, 0.1 }, 0.5));
    }

    [Fact]
    public void SoftNmsMatchesTheDirectImplementation()
    {
        int selected = 0;
        foreach (var c in Ref["soft_nms"]!.AsArray())
        {
            var boxes = Boxes(c!["boxes"]!);
            var scores = Doubles(c["scores"]!);
            var decay = (string)c["method"]! == "linear" ? SoftNmsDecay.Linear : SoftNmsDecay.Gaussian;
            var result = SoftNms.Apply(boxes, scores, decay, (double)c["iou_threshold"]!, (double)c["sigma"]!, (double)c["score_threshold"]!);
            var expected = c["kept"]!.AsArray();
            Assert.Equal(expected.Count, result.Count);
            for (int k = 0; k < result.Count; k++)
            {
                Assert.Equal((int)expected[k]![0]!, result[k].Index);
                Assert.Equal((double)expected[k]![1]!, result[k].Score, 12);
            }
            selected += result.Count;
        }
        Assert.True(selected > 40);
    }

    [Fact]
    public void SoftNmsHandWorked()
    {
        var boxes = new[] { new Box(0, 0, 10, 10), new Box(0, 0, 10, 5), new Box(20, 20, 30, 30) };   // IoU(0, 1) = 0.5, box 2 apart
        var scores = new[] { 0.9, 0.8, 0.7 };
        // linear, N_t = 0.3: box 1's score becomes 0.8 (1 − 0.5) = 0.4, so it now ranks after box 2
        var linear = SoftNms.Apply(boxes, scores, SoftNmsDecay.Linear, iouThreshold: 0.3);
        Assert.Equal(new[] { 0, 2, 1 }, linear.Select(s => s.Index));
        Assert.Equal(new[] { 0.9, 0.7, 0.4 }, linear.Select(s => Math.Round(s.Score, 15)));
        // linear with N_t = 0.5: IoU 0.5 is not above it, nothing decays
        Assert.Equal(new[] { 0.9, 0.8, 0.7 }, SoftNms.Apply(boxes, scores, SoftNmsDecay.Linear, iouThreshold: 0.5).Select(s => s.Score));
        // Gaussian, σ = 0.5: 0.8 · exp(−0.25 / 0.5) = 0.4852
        var gaussian = SoftNms.Apply(boxes, scores, SoftNmsDecay.Gaussian, sigma: 0.5);
        Assert.Equal(new[] { 0, 2, 1 }, gaussian.Select(s => s.Index));
        Assert.Equal(0.8 * Math.Exp(-0.5), gaussian[2].Score, 15);
        // a score threshold above the decayed score drops the box, as NMS would
        Assert.Equal(new[] { 0, 2 }, SoftNms.Apply(boxes, scores, SoftNmsDecay.Gaussian, sigma: 0.5, scoreThreshold: 0.5).Select(s => s.Index));
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftNms.Apply(boxes, scores, SoftNmsDecay.Gaussian, sigma: 0));
    }

    [Fact]
    public void TheStudyNotesWorkedExampleIsReproducedExactly()
    {
        // three objects; detections scored 0.9 (true), 0.8 (false), 0.7 (true); a detection is kept when score ≥ threshold
        var scores = new[] { 0.9, 0.8, 0.7 };
        var truth = new[] { true, false, true };
        Assert.Equal((1, 0, 1.0, 1.0 / 3), AveragePrecision.AtThreshold(scores, truth, 3, 0.9));
        Assert.Equal((1, 1, 1.0 / 2, 1.0 / 3), AveragePrecision.AtThreshold(scores, truth, 3, 0.8));
        Assert.Equal((2, 1, 2.0 / 3, 2.0 / 3), AveragePrecision.AtThreshold(scores, truth, 3, 0.7));
        var (p, r) = AveragePrecision.Curve(scores, truth, 3);
        Assert.Equal(new[] { 1, 0.5, 2.0 / 3 }, p);
        Assert.Equal(new[] { 1.0 / 3, 1.0 / 3, 2.0 / 3 }, r);
        Assert.Equal(new[] { 1, 2.0 / 3, 2.0 / 3 }, AveragePrecision.Envelope(p));
        // all-point: 1/3 · 1 + 1/3 · 2/3 = 5/9; VOC 11-point: r = 0 … 0.3 give 1, 0.4 … 0.6 give 2/3, 0.7 … 1 give 0: 6/11;
        // COCO 101-point: r = 0 … 0.33 (34 levels) give 1, 0.34 … 0.66 (33) give 2/3, the rest 0: 56/101
        Assert.Equal(5.0 / 9, AveragePrecision.FromCurve(p, r, ApInterpolation.AllPoint), 14);
        Assert.Equal(6.0 / 11, AveragePrecision.FromCurve(p, r, ApInterpolation.Voc11Point), 14);
        Assert.Equal(56.0 / 101, AveragePrecision.FromCurve(p, r, ApInterpolation.Coco101Point), 14);
    }

    [Fact]
    public void AveragePrecisionMatchesTheVocDevkitAndCocoEval()
    {
        foreach (var c in Ref["ap"]!.AsArray())
        {
            var tp = c!["tp"]!.AsArray().Select(v => (int)v! == 1).ToArray();
            var scores = Enumerable.Range(0, tp.Length).Select(i => 1.0 - i / 100.0).ToArray();   // ranked as given
            int n = (int)c["n_gt"]!;
            Assert.Equal((double)c["all_point"]!, AveragePrecision.Compute(scores, tp, n, ApInterpolation.AllPoint), 12);
            Assert.Equal((double)c["coco_101"]!, AveragePrecision.Compute(scores, tp, n, ApInterpolation.Coco101Point), 12);
        }
    }

    [Fact]
    public void InterpolatedApEqualsItsDefinition()
    {
        // AP_k = mean over the k recall levels r of max{precision at points with recall ≥ r} (0 when none), by brute force
        var rng = new SplitMix64(7);
        for (int trial = 0; trial < 50; trial++)
        {
            int n = 1 + (int)rng.NextInt64(30);
            var tp = Enumerable.Range(0, n).Select(_ => rng.NextInt64(2) == 1).ToArray();
            int objects = Math.Max(1, tp.Count(t => t) + (int)rng.NextInt64(4));
            var scores = Enumerable.Range(0, n).Select(i => (double)(n - i)).ToArray();
            var (p, r) = AveragePrecision.Curve(scores, tp, objects);
            double Definition(int levels) => Enumerable.Range(0, levels).Average(i =>
            {
                double level = i / (double)(levels - 1);
                var atLeast = Enumerable.Range(0, n).Where(k => r[k] >= level).Select(k => p[k]).ToList();
                return atLeast.Count == 0 ? 0 : atLeast.Max();
            });
            Assert.Equal(Definition(101), AveragePrecision.FromCurve(p, r, ApInterpolation.Coco101Point), 14);
            Assert.Equal(Definition(11), AveragePrecision.FromCurve(p, r, ApInterpolation.Voc11Point), 14);
        }
    }

    [Fact]
    public void ApEdgeCases()
    {
        // a false positive ranked first: precision 0 then 1/2 at full recall; every interpolation gives 1/2
        foreach (var kind in Enum.GetValues<ApInterpolation>())
            Assert.Equal(0.5, AveragePrecision.Compute(new[] { 0.9, 0.8 }, new[] { false, true }, 1, kind), 15);
        // nothing detected: AP 0; no object: undefined
        Assert.Equal(0, AveragePrecision.Compute(Array.Empty<double>(), Array.Empty<bool>(), 2, ApInterpolation.AllPoint));
        Assert.Throws<ArgumentException>(() => AveragePrecision.Compute(new[] { 0.5 }, new[] { true }, 0, ApInterpolation.AllPoint));
        Assert.Throws<ArgumentException>(() => AveragePrecision.Compute(new[] { 0.5, 0.4 }, new[] { true, true }, 1, ApInterpolation.AllPoint));
        Assert.Throws<ArgumentException>(() => AveragePrecision.FromCurve(new[] { 1.0, 1.0 }, new[] { 0.5, 0.25 }, ApInterpolation.AllPoint));
    }

    [Fact]
    public void MatchingIsGreedyByScoreAndMatchesEachObjectOnce()
    {
        var truth = new[] { new Box(0, 0, 10, 10), new Box(20, 0, 30, 10) };
        // two detections of object 0: the higher-scored one is the true positive, the duplicate a false positive
        Assert.Equal(new[] { false, true }, DetectionMatching.Match(new[] { new Box(0, 0, 10, 9), new Box(0, 0, 10, 10) }, new[] { 0.6, 0.9 }, truth, 0.5));
        // IoU exactly at the threshold counts (≥)
        Assert.Equal(new[] { true }, DetectionMatching.Match(new[] { new Box(0, 0, 10, 5) }, new[] { 0.5 }, truth, 0.5));
        Assert.Equal(new[] { false }, DetectionMatching.Match(new[] { new Box(0, 0, 10, 5) }, new[] { 0.5 }, truth, 0.55));
        // two overlapping objects: the second detection's best object (IoU 0.82) is taken, so it takes the other one
        // (IoU 80/120 = 0.67 ≥ 0.5) and is a true positive (VOC's rule, which only looks at the best object, would say false)
        var close = new[] { new Box(0, 0, 10, 10), new Box(3, 0, 13, 10) };
        Assert.Equal(new[] { true, true }, DetectionMatching.Match(new[] { new Box(0, 0, 10, 10), new Box(1, 0, 11, 10) }, new[] { 0.9, 0.8 }, close, 0.5));
        Assert.Equal(new[] { false }, DetectionMatching.Match(new[] { new Box(0, 0, 10, 10) }, new[] { 0.9 }, Array.Empty<Box>(), 0.5));
    }

    [Fact]
    public void MeanAveragePrecisionHandWorked()
    {
        // image 0: class 0 found exactly, class 1 found with IoU 0.7 (box 10×7 inside 10×10); image 1: class 0 found, plus a false positive
        var truth = new IReadOnlyList<LabeledBox>[]
        {
            new[] { new LabeledBox(new Box(0, 0, 10, 10), 0), new LabeledBox(new Box(20, 20, 30, 30), 1) },
            new[] { new LabeledBox(new Box(40, 40, 50, 50), 0) },
        };
        var detections = new IReadOnlyList<Detection>[]
        {
            new[] { new Detection(new Box(0, 0, 10, 10), 0, 0.9), new Detection(new Box(20, 20, 30, 27), 1, 0.8) },
            new[] { new Detection(new Box(40, 40, 50, 50), 0, 0.7), new Detection(new Box(60, 60, 70, 70), 0, 0.95) },
        };
        // class 0 ranked: FP (0.95), TP, TP over 2 objects: precision 0, 1/2, 2/3 at recall 0, 1/2, 1 → all-point AP 2/3
        var at50 = MeanAveragePrecision.Compute(detections, truth, 0.5, ApInterpolation.AllPoint);
        Assert.Equal(2.0 / 3, at50.PerClass[0], 15);
        Assert.Equal(1, at50.PerClass[1]);
        Assert.Equal((2.0 / 3 + 1) / 2, at50.Map, 15);
        // class 1's IoU is 0.7: a true positive at thresholds 0.50 … 0.70 (5 of 10), class 0's boxes are exact (AP 2/3 at all 10)
        var (coco, byThreshold) = MeanAveragePrecision.Coco(detections, truth, ApInterpolation.AllPoint);
        Assert.Equal(10, byThreshold.Count);
        Assert.Equal((2.0 / 3 + 0.5) / 2, coco, 12);
        Assert.Equal(0, MeanAveragePrecision.Compute(detections, truth, 0.75, ApInterpolation.AllPoint).PerClass[1]);
        Assert.Throws<ArgumentException>(() => MeanAveragePrecision.Compute(detections, truth.Take(1).ToArray()));
    }

    [Fact]
    public void ScenesHaveExactNonOverlappingBoxesAndAreSeeded()
    {
        // items: 6×6 squares of value 1 with the non-zero part at a known place inside an 8×8 tile
        var pixels = new float[5 * 64];
        for (int item = 0; item < 5; item++)
            for (int y = 1; y < 1 + 3 + item % 3; y++)
                for (int x = 2; x < 2 + 2 + item % 4; x++)
                    pixels[item * 64 + y * 8 + x] = 0.5f + 0.1f * item;
        using var items = new TensorDataset(torch.tensor(pixels, new long[] { 5, 1, 8, 8 }), torch.tensor(new long[] { 0, 1, 2, 3, 4 }));
        using var scenes = DetectionScenes.Generate(items, ["a", "b", "c", "d", "e"], count: 40, seed: 3, canvasSize: 24);
        using var again = DetectionScenes.Generate(items, ["a", "b", "c", "d", "e"], count: 40, seed: 3, canvasSize: 24);
        Assert.Equal(scenes.Images.ToArray<float>(), again.Images.ToArray<float>());
        Assert.Equal(new long[] { 40, 1, 24, 24 }, scenes.Images.shape);
        var canvas = scenes.Images.ToArray<float>();
        var counts = new HashSet<int>();
        for (int s = 0; s < 40; s++)
        {
            var objects = scenes.Objects[s];
            counts.Add(objects.Length);
            Assert.InRange(objects.Length, 1, 4);
            Assert.Equal(again.Objects[s], objects);
            for (int a = 0; a < objects.Length; a++)
                for (int b = a + 1; b < objects.Length; b++)
                    Assert.Equal(0, BoxIoU.Intersection(objects[a].Box, objects[b].Box));
            for (int y = 0; y < 24; y++)
                for (int x = 0; x < 24; x++)
                {
                    float v = canvas[(s * 24 + y) * 24 + x];
                    var inside = objects.Where(o => x >= o.Box.X1 && x < o.Box.X2 && y >= o.Box.Y1 && y < o.Box.Y2).ToList();
                    if (inside.Count == 0) Assert.Equal(0, v);                          // nothing outside the boxes
                    else Assert.Equal(0.5f + 0.1f * inside[0].Label, v);               // each box is filled by its own item
                }
            foreach (var o in objects)
            {
                int label = o.Label;
                Assert.Equal(2 + label % 4, o.Box.Width);                             // the tight box of the item
                Assert.Equal(3 + label % 3, o.Box.Height);
            }
        }
        Assert.True(counts.Count >= 3, "scenes should hold different numbers of items");
        using var other = DetectionScenes.Generate(items, ["a", "b", "c", "d", "e"], count: 40, seed: 4, canvasSize: 24);
        Assert.NotEqual(scenes.Images.ToArray<float>(), other.Images.ToArray<float>());
        Assert.Throws<ArgumentOutOfRangeException>(() => DetectionScenes.Generate(items, ["a"], count: 1, seed: 0, canvasSize: 4));
    }

    [Fact]
    public void BoxOverlayPaintsTheEdges()
    {
        using var image = torch.zeros(new long[] { 1, 6, 6 });
        using var drawn = BoxOverlay.Draw(image, new[] { (new Box(1, 1, 4, 5), (1f, 0f, 0f)) });
        Assert.Equal(new long[] { 3, 6, 6 }, drawn.shape);
        var v = drawn.ToArray<float>();
        float Red(int y, int x) => v[y * 6 + x];
        float Green(int y, int x) => v[36 + y * 6 + x];
        Assert.Equal(1, Red(1, 1)); Assert.Equal(1, Red(1, 3)); Assert.Equal(1, Red(4, 1)); Assert.Equal(1, Red(4, 3)); Assert.Equal(1, Red(2, 3));
        Assert.Equal(0, Red(2, 2));   // inside stays
        Assert.Equal(0, Red(5, 1));   // the box ends at row 4 (y2 = 5 is exclusive)
        Assert.Equal(0, Green(1, 1));
    }
}

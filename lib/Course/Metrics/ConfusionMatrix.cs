namespace Course;

/// <summary>
/// Counts of (true class, predicted class) pairs: <c>Counts[t, p]</c> examples of class t were predicted as p.
/// Build it at once with <see cref="From"/>, or batch by batch with <see cref="Add"/>. Per-class precision, recall
/// and F1 come as <see cref="ClassReport"/> records (a table in a notebook); <see cref="ToTensor"/> feeds a heatmap.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] _counts;

    /// <summary>An empty matrix for these classes.</summary>
    public ConfusionMatrix(IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count < 2) throw new ArgumentException("a confusion matrix needs at least two classes.", nameof(classNames));
        ClassNames = classNames;
        _counts = new long[classNames.Count, classNames.Count];
    }

    /// <summary>An empty matrix for classes named "0".."n−1".</summary>
    public ConfusionMatrix(int classes) : this(Enumerable.Range(0, classes).Select(i => i.ToString()).ToList()) { }

    /// <summary>The matrix of these predictions (ids [N] or scores [N, C]) against targets [N].</summary>
    public static ConfusionMatrix From(Tensor predictions, Tensor targets, IReadOnlyList<string> classNames)
    {
        var matrix = new ConfusionMatrix(classNames);
        matrix.Add(predictions, targets);
        return matrix;
    }

    public IReadOnlyList<string> ClassNames { get; }
    public int Classes => ClassNames.Count;

    /// <summary>A copy of the counts, [true class, predicted class].</summary>
    public long[,] Counts => (long[,])_counts.Clone();

    public long this[int trueClass, int predictedClass] => _counts[trueClass, predictedClass];

    public long Total { get; private set; }

    /// <summary>Counts one batch of predictions (ids [N] or scores [N, C]) against targets [N] (on any device).</summary>
    public void Add(Tensor predictions, Tensor targets)
    {
        using var scope = torch.NewDisposeScope();
        var ids = Metrics.ClassIds(predictions, targets);
        var t = targets.to(torch.int64);
        long low = Math.Min(ids.min().item<long>(), t.min().item<long>());
        long high = Math.Max(ids.max().item<long>(), t.max().item<long>());
        if (low < 0 || high >= Classes)
            throw new ArgumentException($"class id {(low < 0 ? low : high)} is outside 0..{Classes - 1} (this matrix has {Classes} classes).");
        // pair (t, p) → bin t·C + p, counted in one pass on the device (the sum is taken in float64, exact here,
        // because the binding cannot add two int64 tensors)
        var bins = (t.to(torch.float64) * Classes + ids.to(torch.float64)).to(torch.int64);
        var counts = bincount(bins, minlength: Classes * Classes).cpu().data<long>().ToArray();
        for (int i = 0; i < Classes; i++)
            for (int j = 0; j < Classes; j++)
                _counts[i, j] += counts[i * Classes + j];
        Total += targets.size(0);
    }

    /// <summary>Fraction of examples on the diagonal.</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Enumerable.Range(0, Classes).Sum(i => _counts[i, i]) / Total;

    /// <summary>Precision, recall, F1 and support of each class.</summary>
    public IReadOnlyList<ClassReport> PerClass()
    {
        var rows = new List<ClassReport>(Classes);
        for (int c = 0; c < Classes; c++)
        {
            long truePositives = _counts[c, c];
            long predicted = Enumerable.Range(0, Classes).Sum(t => _counts[t, c]);
            long actual = Enumerable.Range(0, Classes).Sum(p => _counts[c, p]);
            double precision = Ratio(truePositives, predicted), recall = Ratio(truePositives, actual);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            rows.Add(new ClassReport(ClassNames[c], precision, recall, f1, actual));
        }
        return rows;
    }

    /// <summary>The unweighted mean of the per-class precision, recall and F1 (support: all examples).</summary>
    public ClassReport MacroAverage()
    {
        var rows = PerClass();
        return new ClassReport("macro average", rows.Average(r => r.Precision), rows.Average(r => r.Recall), rows.Average(r => r.F1), Total);
    }

    /// <summary>
    /// Micro average: true positives, false positives and false negatives summed over the classes before dividing.
    /// With every class counted, each wrong prediction is one false positive and one false negative, so micro
    /// precision = micro recall = micro F1 = accuracy.
    /// </summary>
    public ClassReport MicroAverage()
    {
        long truePositives = Enumerable.Range(0, Classes).Sum(i => _counts[i, i]);
        double p = Ratio(truePositives, Total);
        return new ClassReport("micro average", p, p, p, Total);
    }

    /// <summary>The per-class precision, recall and F1 averaged with each class weighted by its support.</summary>
    public ClassReport WeightedAverage()
    {
        var rows = PerClass();
        double Weighted(Func<ClassReport, double> value) => Total == 0 ? 0 : rows.Sum(r => value(r) * r.Support) / Total;
        return new ClassReport("weighted average", Weighted(r => r.Precision), Weighted(r => r.Recall), Weighted(r => r.F1), Total);
    }

    /// <summary>
    /// Binary precision, recall and F1: the report of <paramref name="positiveClass"/> in a two-class matrix (what
    /// scikit-learn's average='binary' gives for pos_label).
    /// </summary>
    public ClassReport Binary(int positiveClass = 1)
    {
        if (Classes != 2) throw new InvalidOperationException($"binary scores need a two-class matrix; this one has {Classes} classes (use PerClass or an average).");
        if (positiveClass is not (0 or 1)) throw new ArgumentOutOfRangeException(nameof(positiveClass), positiveClass, "the positive class of a two-class matrix is 0 or 1.");
        return PerClass()[positiveClass];
    }

    /// <summary>A matrix from known counts [true class, predicted class] (e.g. a worked example).</summary>
    public static ConfusionMatrix FromCounts(long[,] counts, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var matrix = new ConfusionMatrix(classNames);
        if (counts.GetLength(0) != matrix.Classes || counts.GetLength(1) != matrix.Classes)
            throw new ArgumentException($"counts are {counts.GetLength(0)}x{counts.GetLength(1)} but there are {matrix.Classes} classes.", nameof(counts));
        for (int i = 0; i < matrix.Classes; i++)
            for (int j = 0; j < matrix.Classes; j++)
            {
                if (counts[i, j] < 0) throw new ArgumentException($"count [{i}, {j}] is negative ({counts[i, j]}).", nameof(counts));
                matrix._counts[i, j] = counts[i, j];
                matrix.Total += counts[i, j];
            }
        return matrix;
    }

    /// <summary>
    /// The counts as float32 [true class, predicted class]; with <paramref name="normalize"/> each row is divided by
    /// its total, so row t shows where examples of class t went (rows without examples stay 0).
    /// </summary>
    public Tensor ToTensor(bool normalize = false)
    {
        var values = new float[Classes * Classes];
        for (int i = 0; i < Classes; i++)
        {
            long row = Enumerable.Range(0, Classes).Sum(j => _counts[i, j]);
            for (int j = 0; j < Classes; j++)
                values[i * Classes + j] = normalize ? (row == 0 ? 0 : (float)((double)_counts[i, j] / row)) : _counts[i, j];
        }
        return torch.tensor(values, [Classes, Classes]);
    }

    private static double Ratio(long a, long b) => b == 0 ? 0 : (double)a / b;

    public override string ToString() => $"ConfusionMatrix({Classes} classes, {Total} examples, accuracy {Accuracy:P2})";
}

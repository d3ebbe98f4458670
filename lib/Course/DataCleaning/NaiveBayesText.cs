namespace Course.DataCleaning;

/// <summary>
/// A multinomial naive Bayes text classifier over words (<see cref="TextFilters.Words"/>): log P(c) + Σ_w n_w log P(w | c)
/// with P(w | c) = (count(w, c) + α) / (Σ_w' count(w', c) + α|V|) over the training vocabulary V (unknown words are
/// ignored). Quick to train, and it remembers the rare words of each training text, which makes it a good probe for
/// train/test leaks.
/// </summary>
public sealed class NaiveBayesText
{
    private readonly Dictionary<string, double[]> _logLikelihood;
    private readonly double[] _logPrior;

    private NaiveBayesText(Dictionary<string, double[]> logLikelihood, double[] logPrior) => (_logLikelihood, _logPrior) = (logLikelihood, logPrior);

    public int NumClasses => _logPrior.Length;

    public static NaiveBayesText Fit(IReadOnlyList<string> texts, IReadOnlyList<int> labels, int numClasses, double alpha = 1.0)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(labels);
        if (texts.Count != labels.Count) throw new ArgumentException($"{texts.Count} texts but {labels.Count} labels.");
        if (texts.Count == 0) throw new ArgumentException("there is nothing to train on.", nameof(texts));
        if (alpha <= 0) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "the smoothing α must be positive.");
        var counts = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var totals = new double[numClasses];
        var docs = new double[numClasses];
        for (int i = 0; i < texts.Count; i++)
        {
            int c = labels[i];
            if (c < 0 || c >= numClasses) throw new ArgumentException($"label {i} is {c}, outside [0, {numClasses}).", nameof(labels));
            docs[c]++;
            foreach (var w in TextFilters.Words(texts[i]))
            {
                if (!counts.TryGetValue(w, out var row)) counts[w] = row = new double[numClasses];
                row[c]++;
                totals[c]++;
            }
        }
        int v = counts.Count;
        foreach (var row in counts.Values)
            for (int c = 0; c < numClasses; c++) row[c] = Math.Log((row[c] + alpha) / (totals[c] + alpha * v));
        var prior = docs.Select(d => Math.Log(d / texts.Count)).ToArray();
        return new NaiveBayesText(counts, prior);
    }

    /// <summary>The unnormalised log posterior of each class.</summary>
    public double[] Scores(string text)
    {
        var scores = (double[])_logPrior.Clone();
        foreach (var w in TextFilters.Words(text))
            if (_logLikelihood.TryGetValue(w, out var row))
                for (int c = 0; c < scores.Length; c++) scores[c] += row[c];
        return scores;
    }

    public int Predict(string text)
    {
        var s = Scores(text);
        int best = 0;
        for (int c = 1; c < s.Length; c++) if (s[c] > s[best]) best = c;
        return best;
    }
}

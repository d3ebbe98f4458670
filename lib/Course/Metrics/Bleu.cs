namespace Course;

/// <summary>A corpus BLEU score with its parts: n-gram precisions p1..pN, brevity penalty and lengths.</summary>
public sealed record BleuScore(double Score, IReadOnlyList<double> Precisions, double BrevityPenalty, long CandidateLength, long ReferenceLength)
{
    public override string ToString() =>
        $"BLEU {Score:F4} (precisions {string.Join(" / ", Precisions.Select(p => p.ToString("F4")))}, brevity penalty {BrevityPenalty:F4}, length {CandidateLength}/{ReferenceLength})";
}

/// <summary>
/// Corpus BLEU (Papineni et al., 2002), the standard definition without smoothing:
/// <c>BLEU = BP · exp(Σₙ (1/N) log pₙ)</c>, where pₙ = (n-grams of all candidates that also occur in their
/// references, each counted at most as often as in the reference that has it most) / (n-grams of all candidates),
/// and <c>BP = 1</c> if c &gt; r else <c>exp(1 − r/c)</c>, with c the total candidate length and r the total
/// length of the references closest in length to each candidate (the shorter one on a tie).
/// Scores are in [0, 1]; any pₙ = 0 gives 0, unless <c>smoothingEpsilon</c> &gt; 0: then a pₙ with no match counts
/// as ε / (n-grams of all candidates) (NLTK's SmoothingFunction().method1), so one missing 4-gram match does not zero
/// a sentence; with no unigram match at all the score stays 0. Matches NLTK's corpus_bleu whenever every candidate has
/// at least <c>maxOrder</c> tokens (NLTK counts a shorter candidate as one n-gram of each missing order, which lowers pₙ).
/// </summary>
public static class Bleu
{
    /// <summary>BLEU of whitespace-tokenised sentences, one reference each.</summary>
    public static BleuScore Corpus(IReadOnlyList<string> candidates, IReadOnlyList<string> references, int maxOrder = 4, double smoothingEpsilon = 0)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(references);
        return Corpus(candidates.Select(Tokens).ToList(),
                      references.Select(r => (IReadOnlyList<IReadOnlyList<string>>)[Tokens(r)]).ToList(), maxOrder, smoothingEpsilon);
    }

    /// <summary>BLEU of tokenised candidates, each with one or more tokenised references.</summary>
    public static BleuScore Corpus(IReadOnlyList<IReadOnlyList<string>> candidates, IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> references, int maxOrder = 4, double smoothingEpsilon = 0)
    {
        if (!(smoothingEpsilon >= 0 && double.IsFinite(smoothingEpsilon))) throw new ArgumentOutOfRangeException(nameof(smoothingEpsilon), smoothingEpsilon, "the smoothing epsilon is a finite number ≥ 0 (0: no smoothing).");
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(references);
        if (maxOrder < 1) throw new ArgumentOutOfRangeException(nameof(maxOrder), maxOrder, "the n-gram order must be at least 1.");
        if (candidates.Count != references.Count) throw new ArgumentException($"{candidates.Count} candidates but {references.Count} reference sets; they are paired.");
        if (candidates.Count == 0) throw new ArgumentException("there are no candidates to score.", nameof(candidates));

        var matches = new long[maxOrder];
        var totals = new long[maxOrder];
        long candidateLength = 0, referenceLength = 0;
        for (int s = 0; s < candidates.Count; s++)
        {
            var candidate = candidates[s];
            var refs = references[s];
            if (refs.Count == 0) throw new ArgumentException($"candidate {s} has no reference.", nameof(references));
            candidateLength += candidate.Count;
            referenceLength += refs.Select(r => r.Count).OrderBy(len => Math.Abs(len - candidate.Count)).ThenBy(len => len).First();
            for (int n = 1; n <= maxOrder; n++)
            {
                var counts = NGrams(candidate, n);
                var maxReference = new Dictionary<string, int>();
                foreach (var reference in refs)
                    foreach (var (gram, count) in NGrams(reference, n))
                        maxReference[gram] = Math.Max(count, maxReference.GetValueOrDefault(gram));
                foreach (var (gram, count) in counts)
                {
                    matches[n - 1] += Math.Min(count, maxReference.GetValueOrDefault(gram));
                    totals[n - 1] += count;
                }
            }
        }

        var precisions = Enumerable.Range(0, maxOrder).Select(i => totals[i] == 0 ? 0 : (double)matches[i] / totals[i]).ToArray();
        double brevity = candidateLength == 0 ? 0 : candidateLength > referenceLength ? 1 : Math.Exp(1 - (double)referenceLength / candidateLength);
        var used = Enumerable.Range(0, maxOrder)
            .Select(i => matches[i] == 0 && smoothingEpsilon > 0 && totals[i] > 0 ? smoothingEpsilon / totals[i] : precisions[i]).ToArray();
        double score = matches[0] == 0 || used.Any(p => p == 0) ? 0 : brevity * Math.Exp(used.Average(Math.Log));
        return new BleuScore(score, precisions, brevity, candidateLength, referenceLength);
    }

    private static IReadOnlyList<string> Tokens(string sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        return sentence.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    private static Dictionary<string, int> NGrams(IReadOnlyList<string> tokens, int n)
    {
        var counts = new Dictionary<string, int>();
        for (int i = 0; i + n <= tokens.Count; i++)
        {
            var gram = string.Join('\u001f', Enumerable.Range(i, n).Select(k => tokens[k]));
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }
        return counts;
    }
}

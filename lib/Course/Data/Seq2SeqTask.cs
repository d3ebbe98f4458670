namespace Course;

/// <summary>One example of a sequence-to-sequence task.</summary>
public sealed record Seq2SeqExample(string Source, string Target);

/// <summary>
/// A sequence-to-sequence task generated in code, with train, validation and test splits that share no example, a character
/// tokenizer for each side (&lt;pad&gt; = 0, &lt;bos&gt; = 1, &lt;eos&gt; = 2) and fixed padded lengths.
/// <see cref="NumberToWords"/> builds the course's task: digits → English words ("4071" → "four thousand seventy-one").
/// <para>
/// <see cref="Encode"/> gives a dataset whose inputs are the source ids [N, <see cref="SourceLength"/>] and whose
/// targets are &lt;bos&gt; target &lt;eos&gt; [N, <see cref="TargetLength"/>], both padded with 0. A decoder trains on
/// targets[:, :-1] as input and targets[:, 1:] as labels, ignoring index 0 in the loss.
/// </para>
/// </summary>
public sealed class Seq2SeqTask
{
    public Seq2SeqTask(IReadOnlyList<Seq2SeqExample> train, IReadOnlyList<Seq2SeqExample> test, CharTokenizer sourceTokenizer, CharTokenizer targetTokenizer)
        : this(train, [], test, sourceTokenizer, targetTokenizer) { }

    public Seq2SeqTask(IReadOnlyList<Seq2SeqExample> train, IReadOnlyList<Seq2SeqExample> validation, IReadOnlyList<Seq2SeqExample> test, CharTokenizer sourceTokenizer, CharTokenizer targetTokenizer)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(sourceTokenizer);
        ArgumentNullException.ThrowIfNull(targetTokenizer);
        if (!sourceTokenizer.HasSpecialTokens || !targetTokenizer.HasSpecialTokens)
            throw new ArgumentException("both tokenizers need special tokens (<pad>, <bos>, <eos>).");
        var trainSources = train.Select(e => e.Source).ToHashSet(StringComparer.Ordinal);
        var validationSources = validation.Select(e => e.Source).ToHashSet(StringComparer.Ordinal);
        if (test.FirstOrDefault(e => trainSources.Contains(e.Source)) is { } shared)
            throw new ArgumentException($"the test split shares the example '{shared.Source}' with the train split.", nameof(test));
        if (test.FirstOrDefault(e => validationSources.Contains(e.Source)) is { } sharedWithValidation)
            throw new ArgumentException($"the test split shares the example '{sharedWithValidation.Source}' with the validation split.", nameof(test));
        if (validation.FirstOrDefault(e => trainSources.Contains(e.Source)) is { } leaked)
            throw new ArgumentException($"the validation split shares the example '{leaked.Source}' with the train split.", nameof(validation));
        (Train, Validation, Test, SourceTokenizer, TargetTokenizer) = (train, validation, test, sourceTokenizer, targetTokenizer);
        var all = train.Concat(validation).Concat(test).ToList();
        if (all.Count == 0) throw new ArgumentException("the task has no examples.");
        SourceLength = all.Max(e => e.Source.Length);
        TargetLength = all.Max(e => e.Target.Length) + 2;
    }

    public IReadOnlyList<Seq2SeqExample> Train { get; }
    /// <summary>For choices (epochs, sizes); empty when the task was built without one.</summary>
    public IReadOnlyList<Seq2SeqExample> Validation { get; }
    public IReadOnlyList<Seq2SeqExample> Test { get; }
    public CharTokenizer SourceTokenizer { get; }
    public CharTokenizer TargetTokenizer { get; }
    /// <summary>Padded length of encoded sources (the longest source).</summary>
    public int SourceLength { get; }
    /// <summary>Padded length of encoded targets (the longest target plus &lt;bos&gt; and &lt;eos&gt;).</summary>
    public int TargetLength { get; }

    /// <summary>
    /// Numbers → words. Each number is drawn by first picking its count of digits (1..<paramref name="maxDigits"/>)
    /// uniformly, so short numbers are as common as long ones; the distinct numbers are then split at random into
    /// <paramref name="trainSize"/> for training, <paramref name="validationSize"/> for validation and
    /// <paramref name="testSize"/> for testing. With the same seed and the same total, moving examples from training to
    /// validation leaves the test split as it was.
    /// </summary>
    public static Seq2SeqTask NumberToWords(int trainSize = 50_000, int testSize = 3_000, int seed = 0, int maxDigits = 6, int validationSize = 0)
    {
        if (maxDigits is < 1 or > 12) throw new ArgumentOutOfRangeException(nameof(maxDigits), maxDigits, "numbers can have 1 to 12 digits.");
        if (trainSize < 1 || testSize < 1) throw new ArgumentOutOfRangeException(nameof(trainSize), "the train and test splits need at least one example.");
        if (validationSize < 0) throw new ArgumentOutOfRangeException(nameof(validationSize), validationSize, "the validation split cannot be negative.");
        long available = (long)Math.Pow(10, maxDigits), wanted = trainSize + (long)validationSize + testSize;
        if (wanted > available / 2)
            throw new ArgumentOutOfRangeException(nameof(trainSize), $"{wanted} examples is too many for numbers of up to {maxDigits} digits (at most {available / 2}).");

        var random = new SplitMix64(seed);
        var numbers = new HashSet<long>();
        var drawn = new List<long>((int)wanted);
        while (drawn.Count < wanted)
        {
            int digits = (int)random.NextInt64(1, maxDigits + 1);
            long low = digits == 1 ? 0 : (long)Math.Pow(10, digits - 1), high = (long)Math.Pow(10, digits);
            long n = random.NextInt64(low, high);
            if (numbers.Add(n)) drawn.Add(n);
        }
        var examples = Shuffle.Items(drawn, seed + 1)
            .Select(n => new Seq2SeqExample(n.ToString(System.Globalization.CultureInfo.InvariantCulture), Course.NumberWords.ToWords(n)))
            .ToList();
        return new Seq2SeqTask(examples[(testSize + validationSize)..], examples[testSize..(testSize + validationSize)], examples[..testSize],
            new CharTokenizer("0123456789"), new CharTokenizer(Course.NumberWords.Alphabet));
    }

    /// <summary>Sources and targets as padded id tensors (see the class summary).</summary>
    public TensorDataset Encode(IReadOnlyList<Seq2SeqExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0) throw new ArgumentException("there are no examples to encode.", nameof(examples));
        return new TensorDataset(
            Pad(examples.Select(e => EncodeSource(e.Source)).ToList(), SourceLength),
            Pad(examples.Select(e => TargetTokenizer.Encode(e.Target, addBos: true, addEos: true)).ToList(), TargetLength));
    }

    /// <summary>The ids of one source, unpadded.</summary>
    public long[] EncodeSource(string source) => SourceTokenizer.Encode(source);

    /// <summary>Sources as one padded batch [N, SourceLength] (for translating new inputs).</summary>
    public Tensor EncodeSources(IEnumerable<string> sources, Device? device = null)
    {
        using var ids = Pad(sources.Select(EncodeSource).ToList(), SourceLength);
        return ids.to(device ?? CPU);
    }

    /// <summary>The text of each row of a [N, T] tensor of target ids (stopping at &lt;eos&gt;).</summary>
    public IReadOnlyList<string> DecodeTargets(Tensor ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.dim() != 2) throw new ArgumentException($"expected target ids [N, T], not shape [{string.Join(", ", ids.shape)}].", nameof(ids));
        long n = ids.size(0), t = ids.size(1);
        var flat = ids.data<long>().ToArray();
        return Enumerable.Range(0, (int)n).Select(i => TargetTokenizer.Decode(new ArraySegment<long>(flat, (int)(i * t), (int)t))).ToList();
    }

    private Tensor Pad(List<long[]> rows, int length)
    {
        var flat = new long[rows.Count * (long)length]; // zeros = <pad>
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length > length)
                throw new ArgumentException($"a sequence of {rows[i].Length} tokens is longer than this task's padded length {length}.");
            rows[i].CopyTo(flat, (long)i * length);
        }
        return torch.tensor(flat, [rows.Count, length]);
    }

    public override string ToString() =>
        $"Seq2SeqTask({Train.Count} train / {Validation.Count} validation / {Test.Count} test examples; source length {SourceLength}, vocab {SourceTokenizer.VocabSize}; target length {TargetLength}, vocab {TargetTokenizer.VocabSize})";
}

namespace Course;

/// <summary>
/// Fashion-MNIST as image-caption pairs for CLIP. Each 28×28 image is placed on a 28×56 canvas after one visual
/// attribute has been applied to its pixels (rotated, upside down, inverted, small, large, on the left or right, dark,
/// bright, or none: "plain"), and its caption names the garment (with a synonym: "ankle boot", "boot") and says the
/// attribute, from seeded templates ("a photo of a small sneaker", "a bag on the left"). Some (class, attribute)
/// pairs never occur in training (<see cref="HeldOutPairs"/>), to test whether the model composes words it knows.
/// <code>
/// using var data = CaptionedFashionMnist.Load(limit: Env.Fast ? 3000 : null);
/// var loader = new DataLoader(data.Train.Pairs, 256, shuffle: true);   // x: images [B, 1, 28, 56], y: tokens [B, L]
/// </code>
/// </summary>
public sealed class CaptionedFashionMnist : IDisposable
{
    public const int Height = 28, Width = 56, Side = 28;
    /// <summary>The longest caption or prompt in tokens, &lt;eos&gt; included; every token tensor has this length.</summary>
    public const int MaxTokens = 12;

    /// <summary>The attributes, indexed by attribute id; 0 is "plain" (nothing applied, centred).</summary>
    public static IReadOnlyList<string> AttributeNames { get; } =
        ["plain", "rotated", "upside down", "inverted", "small", "large", "left", "right", "dark", "bright"];
    public const int Plain = 0;

    /// <summary>The words for each class, indexed by label; the first is the class's own name.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> ClassWords { get; } =
    [
        ["t-shirt", "tee", "top"], ["trousers", "pants", "slacks"], ["pullover", "sweater", "jumper"], ["dress", "gown"],
        ["coat", "jacket"], ["sandal", "flip-flop"], ["shirt", "blouse"], ["sneaker", "trainer", "running shoe"],
        ["bag", "handbag", "purse"], ["ankle boot", "boot"],
    ];

    // Per attribute: words that go before the garment ("a small bag") and phrases that go after it ("a bag on the left").
    private static readonly string[][] Before =
    [
        [], ["rotated", "sideways"], ["upside-down", "flipped"], ["inverted", "negative"], ["small", "tiny"],
        ["large", "big"], [], [], ["dark", "dim"], ["bright", "pale"],
    ];
    private static readonly string[][] After =
    [
        [], ["turned sideways", "rotated a quarter turn"], ["upside down", "turned upside down"], ["in negative colors", "with inverted colors"],
        ["at small size", "shrunk down"], ["in close-up", "filling the frame"], ["on the left", "at the left side"],
        ["on the right", "at the right side"], ["in the dark", "in low light"], ["in bright light", "overexposed"],
    ];
    private static readonly string[] Openings = ["a photo of", "a picture of", "an image of", ""];

    /// <summary>
    /// The (class, attribute) pairs kept out of training: class c with attribute 1 + (2c mod 9), so every class loses
    /// one pair and every attribute but "plain" is held out for at least one class.
    /// </summary>
    public static IReadOnlyList<(int Class, int Attribute)> HeldOutPairs { get; } =
        Enumerable.Range(0, 10).Select(c => (c, 1 + 2 * c % 9)).ToArray();

    public static bool IsHeldOut(int cls, int attribute) => HeldOutPairs.Contains((cls, attribute));

    /// <summary>
    /// Images [N, 1, 28, 28] in [0, 1] → the same images with <paramref name="attribute"/> applied, on the
    /// [N, 1, 28, 56] canvas (black background, centred unless the attribute says left or right).
    /// </summary>
    public static Tensor Render(Tensor images, int attribute)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.size(1) != 1 || images.size(2) != Side || images.size(3) != Side)
            throw new ArgumentException($"Render takes images [N, 1, {Side}, {Side}], not [{string.Join(", ", images.shape)}].", nameof(images));
        if (attribute < 0 || attribute >= AttributeNames.Count)
            throw new ArgumentOutOfRangeException(nameof(attribute), attribute, $"attributes are 0..{AttributeNames.Count - 1} ({string.Join(", ", AttributeNames)}).");
        using var scope = NewDisposeScope();
        var x = images;
        Tensor canvas = AttributeNames[attribute] switch
        {
            "plain" => Centre(x),
            "rotated" => Centre(x.transpose(2, 3).flip(3)),                       // a quarter turn clockwise
            "upside down" => Centre(x.flip(2, 3)),                                // half a turn
            "inverted" => 1.0 - Centre(x),                                        // negative of the whole canvas
            "small" => F.pad(F.avg_pool2d(x, 2), [21, 21, 7, 7]),                 // 14×14, centred
            "large" => F.pad(Enlarge(x), [7, 7, 0, 0]),                           // 1.5×: 42×42, top and bottom cut to 28
            "left" => F.pad(x, [0, Side, 0, 0]),
            "right" => F.pad(x, [Side, 0, 0, 0]),
            "dark" => Centre(x) * 0.35,
            "bright" => Centre(x).pow(0.4),                                       // gamma < 1 lifts the greys
            _ => throw new InvalidOperationException($"attribute {AttributeNames[attribute]} has no rendering"),
        };
        return canvas.contiguous().MoveToOuterDisposeScope();
    }

    private static Tensor Centre(Tensor x) => F.pad(x, [Side / 2, Side / 2, 0, 0]);

    // nearest-neighbour 1.5× upscaling: output row i reads input row floor((i + 7) / 1.5) (rows 4..23), column j reads floor(j / 1.5)
    private static Tensor Enlarge(Tensor x)
    {
        var rows = tensor(Enumerable.Range(0, Side).Select(i => (long)((i + 7) / 1.5)).ToArray(), device: x.device);
        var cols = tensor(Enumerable.Range(0, 42).Select(j => (long)(j / 1.5)).ToArray(), device: x.device);
        return x.index_select(2, rows).index_select(3, cols);
    }

    /// <summary>A caption for a garment of class <paramref name="cls"/> with <paramref name="attribute"/>, from seeded templates.</summary>
    public static string Caption(int cls, int attribute, SplitMix64 random)
    {
        CheckPair(cls, attribute);
        var words = ClassWords[cls];
        string noun = words[(int)random.NextInt64(words.Count)];
        string opening = Openings[random.NextInt64(Openings.Length)];
        var (before, after) = (Before[attribute], After[attribute]);
        bool useBefore = before.Length > 0 && (after.Length == 0 || random.NextInt64(2) == 0);
        string phrase = attribute == Plain ? noun
            : useBefore ? $"{before[random.NextInt64(before.Length)]} {noun}"
            : $"{noun} {after[random.NextInt64(after.Length)]}";
        return Join(opening, phrase);
    }

    /// <summary>Every caption the templates can say for plain garments of class <paramref name="cls"/> (the zero-shot prompts).</summary>
    public static IReadOnlyList<string> ClassPrompts(int cls) => PairPrompts(cls, Plain);

    /// <summary>Every caption the templates can say for class <paramref name="cls"/> with <paramref name="attribute"/>.</summary>
    public static IReadOnlyList<string> PairPrompts(int cls, int attribute)
    {
        CheckPair(cls, attribute);
        var phrases = ClassWords[cls].SelectMany(noun => attribute == Plain ? [noun]
            : Before[attribute].Select(b => $"{b} {noun}").Concat(After[attribute].Select(a => $"{noun} {a}")));
        return Openings.SelectMany(o => phrases.Select(p => Join(o, p))).ToArray();
    }

    /// <summary>
    /// Reads a caption back into (class, attribute), the inverse of the templates, for scoring generated captions: the
    /// class is the one whose name or synonym the caption contains (whole words), the attribute the one whose words or
    /// phrases it contains, and "plain" when it contains none. Class is null when the caption names no class or more
    /// than one; Attribute is null when it names more than one attribute. Every caption the templates can say reads
    /// back as its own pair; the rest of the sentence (opening, article) is not checked.
    /// </summary>
    public static (int? Class, int? Attribute) Read(string caption)
    {
        var words = WordTokenizer.Words(caption);
        bool Has(string phrase)
        {
            var p = WordTokenizer.Words(phrase);
            for (int i = 0; i + p.Length <= words.Length; i++)
                if (p.Select((w, k) => words[i + k] == w).All(x => x)) return true;
            return false;
        }
        var classes = Enumerable.Range(0, ClassWords.Count).Where(c => ClassWords[c].Any(Has)).ToArray();
        var attributes = Enumerable.Range(0, AttributeNames.Count).Where(a => Before[a].Concat(After[a]).Any(Has)).ToArray();
        return (classes.Length == 1 ? classes[0] : null, attributes.Length switch { 0 => Plain, 1 => attributes[0], _ => null });
    }

    private static readonly HashSet<string> Plurals = ["trousers", "pants", "slacks"];

    // "a photo of" + "a"/"an" (none before a plural) + phrase; the empty opening gives "a small bag"
    private static string Join(string opening, string phrase)
    {
        bool plural = Plurals.Overlaps(WordTokenizer.Words(phrase));
        string article = plural ? "" : "aeiou".Contains(phrase[0]) ? "an " : "a ";
        return opening.Length == 0 ? $"{article}{phrase}" : $"{opening} {article}{phrase}";
    }

    private static void CheckPair(int cls, int attribute)
    {
        if (cls < 0 || cls >= ClassWords.Count) throw new ArgumentOutOfRangeException(nameof(cls), cls, $"classes are 0..{ClassWords.Count - 1}.");
        if (attribute < 0 || attribute >= AttributeNames.Count) throw new ArgumentOutOfRangeException(nameof(attribute), attribute, $"attributes are 0..{AttributeNames.Count - 1}.");
    }

    /// <summary>
    /// Loads Fashion-MNIST (<see cref="FashionMnist.Load"/>: seeded validation split, <paramref name="limit"/> per split)
    /// and captions it: each image gets an attribute drawn uniformly from those whose (class, attribute) pair is not held
    /// out, and a caption; the word tokenizer is built from the training captions.
    /// </summary>
    public static CaptionedFashionMnist Load(int validationSize = 5000, int seed = 0, int? limit = null, string? folder = null)
    {
        var source = FashionMnist.Load(validationSize, seed, limit, folder);
        try
        {
            var train = Draw(source.Train, seed + 1);
            var tokenizer = new WordTokenizer(train.Captions);
            return new CaptionedFashionMnist(source, tokenizer,
                train.Encode(tokenizer), Draw(source.Validation, seed + 2).Encode(tokenizer), Draw(source.Test, seed + 3).Encode(tokenizer));
        }
        catch { source.Dispose(); throw; }
    }

    private CaptionedFashionMnist(ImageClassificationData source, WordTokenizer tokenizer, CaptionedSplit train, CaptionedSplit validation, CaptionedSplit test)
    {
        Source = source; Tokenizer = tokenizer; Train = train; Validation = validation; Test = test;
    }

    /// <summary>The plain 28×28 Fashion-MNIST splits the captioned ones were made from.</summary>
    public ImageClassificationData Source { get; }
    public WordTokenizer Tokenizer { get; }
    public CaptionedSplit Train { get; }
    public CaptionedSplit Validation { get; }
    public CaptionedSplit Test { get; }
    public IReadOnlyList<string> ClassNames => Source.ClassNames;

    /// <summary>
    /// Captions <paramref name="images"/> afresh: a seeded attribute per image (one of the pairs not held out) and a
    /// seeded caption, tokenized with this data set's tokenizer. (A new draw of the training split gives new pairs
    /// from the same images.)
    /// </summary>
    public CaptionedSplit Caption(TensorDataset images, int seed) => Draw(images, seed).Encode(Tokenizer);

    /// <summary>
    /// <paramref name="images"/> all rendered with the attribute <paramref name="attribute"/> and captioned with it
    /// (used to test held-out pairs and plain images).
    /// </summary>
    public CaptionedSplit WithAttribute(TensorDataset images, int attribute, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(images);
        var labels = images.Targets.data<long>().ToArray();
        var random = new SplitMix64(seed);
        var attributes = Enumerable.Repeat((long)attribute, labels.Length).ToArray();
        var captions = labels.Select(c => Caption((int)c, attribute, random)).ToArray();
        return new Drawn(Render(images.Inputs, attribute), labels, attributes, captions).Encode(Tokenizer);
    }

    private static Drawn Draw(TensorDataset images, int seed)
    {
        var labels = images.Targets.data<long>().ToArray();
        var random = new SplitMix64(seed);
        var allowed = Enumerable.Range(0, ClassWords.Count)
            .Select(c => Enumerable.Range(0, AttributeNames.Count).Where(a => !IsHeldOut(c, a)).ToArray()).ToArray();
        var attributes = labels.Select(c => (long)allowed[c][random.NextInt64(allowed[c].Length)]).ToArray();
        var captions = labels.Zip(attributes, (c, a) => Caption((int)c, (int)a, random)).ToArray();
        using var scope = NewDisposeScope();
        // render each attribute's images together, then put them back in the original order
        var order = Enumerable.Range(0, AttributeNames.Count).SelectMany(a => Enumerable.Range(0, labels.Length).Where(i => attributes[i] == a).Select(i => (long)i)).ToArray();
        var groups = Enumerable.Range(0, AttributeNames.Count).Select(a =>
        {
            var index = Enumerable.Range(0, labels.Length).Where(i => attributes[i] == a).Select(i => (long)i).ToArray();
            return index.Length == 0 ? null : Render(images.Inputs.index_select(0, tensor(index)), a);
        }).Where(g => g is not null).Select(g => g!).ToArray();
        var rendered = groups.Length == 0 ? zeros(0, 1, Height, Width) : cat(groups, 0);
        var inverse = tensor(order).argsort();
        return new Drawn(rendered.index_select(0, inverse).MoveToOuterDisposeScope(), labels, attributes, captions);
    }

    private sealed record Drawn(Tensor Images, long[] Labels, long[] Attributes, string[] Captions)
    {
        public CaptionedSplit Encode(WordTokenizer tokenizer) =>
            new(Images, tensor(Labels), tensor(Attributes), Captions, Captions.Length == 0 ? zeros(new long[] { 0, MaxTokens }, int64) : tokenizer.EncodeBatch(Captions, MaxTokens));
    }

    public void Dispose()
    {
        Train.Dispose(); Validation.Dispose(); Test.Dispose(); Source.Dispose();
    }

    public override string ToString() =>
        $"CaptionedFashionMnist: train {Train.Count:N0} / validation {Validation.Count:N0} / test {Test.Count:N0} image-caption pairs, " +
        $"{Height}×{Width} canvas, {AttributeNames.Count} attributes, {HeldOutPairs.Count} held-out (class, attribute) pairs, {Tokenizer}";
}

/// <summary>
/// Captioned images: <see cref="Pairs"/> holds the images [N, 1, 28, 56] as inputs and the caption tokens [N, L] as
/// targets (what a <see cref="DataLoader"/> batches); labels, attributes and caption texts ride along for evaluation.
/// </summary>
public sealed class CaptionedSplit : IDisposable
{
    public CaptionedSplit(Tensor images, Tensor labels, Tensor attributes, IReadOnlyList<string> captions, Tensor tokens)
    {
        if (labels.size(0) != images.size(0) || attributes.size(0) != images.size(0) || captions.Count != images.size(0))
            throw new ArgumentException($"{images.size(0)} images need as many labels ({labels.size(0)}), attributes ({attributes.size(0)}) and captions ({captions.Count}).");
        Pairs = new TensorDataset(images, tokens);
        Labels = labels.DetachFromDisposeScope(); Attributes = attributes.DetachFromDisposeScope(); Captions = captions;
    }

    public TensorDataset Pairs { get; }
    public Tensor Images => Pairs.Inputs;
    public Tensor Tokens => Pairs.Targets;
    public Tensor Labels { get; }
    public Tensor Attributes { get; }
    public IReadOnlyList<string> Captions { get; }
    public long Count => Pairs.Count;

    public void Dispose() { Pairs.Dispose(); Labels.Dispose(); Attributes.Dispose(); }
}

using System.Text;
using System.Text.RegularExpressions;

namespace Course;

/// <summary>
/// A text corpus made of the quotations in the Debian packages <c>fortunes</c> and <c>fortunes-min</c> (or the folder in
/// $COURSE_FORTUNES). Every fortune file in the folder is read (not the .dat indexes, not the .u8 links and not the
/// offensive ones, which live in a subfolder); entries are separated by lines holding only '%'. Each entry is
/// cleaned (<see cref="Clean"/>), empty ones are dropped and duplicates kept once; then a seeded split puts
/// fractions of the entries aside for validation (choices: sizes, steps, temperatures) and for a test read once at the end.
/// Whole entries are split, so no fortune is in two splits.
/// </summary>
public sealed partial class FortunesCorpus
{
    public const string Packages = "fortunes fortunes-min";
    public const string EnvironmentVariable = "COURSE_FORTUNES";
    public const string StandardFolder = "/usr/share/games/fortunes";
    /// <summary>What <see cref="TrainText"/>, <see cref="ValidationText"/> and <see cref="TestText"/> put between entries.</summary>
    public const string EntrySeparator = "\n\n";

    private FortunesCorpus(IReadOnlyList<string> files, IReadOnlyList<string> entries, IReadOnlyDictionary<string, string> sources, IReadOnlyList<string> train, IReadOnlyList<string> validation, IReadOnlyList<string> test)
    {
        (Files, Entries, Sources, Train, Validation, Test) = (files, entries, sources, train, validation, test);
        TrainText = string.Join(EntrySeparator, train);
        ValidationText = string.Join(EntrySeparator, validation);
        TestText = string.Join(EntrySeparator, test);
    }

    /// <summary>The fortune files read, by full path.</summary>
    public IReadOnlyList<string> Files { get; }
    /// <summary>Every distinct cleaned entry, in file order.</summary>
    public IReadOnlyList<string> Entries { get; }
    /// <summary>
    /// The fortune file (its name, e.g. "computers") each entry was read from: its topic, a label for classification.
    /// An entry that several files hold counts for the first one in name order.
    /// </summary>
    public IReadOnlyDictionary<string, string> Sources { get; }
    public IReadOnlyList<string> Train { get; }
    public IReadOnlyList<string> Validation { get; }
    public IReadOnlyList<string> Test { get; }
    /// <summary>The training entries joined by <see cref="EntrySeparator"/>.</summary>
    public string TrainText { get; }
    /// <summary>The validation entries joined by <see cref="EntrySeparator"/>.</summary>
    public string ValidationText { get; }
    /// <summary>The test entries joined by <see cref="EntrySeparator"/>.</summary>
    public string TestText { get; }

    /// <summary>
    /// Reads, cleans, deduplicates and splits the corpus; the same seed gives the same split. The validation entries
    /// do not depend on testFraction (the test entries come after them in the seeded order).
    /// </summary>
    public static FortunesCorpus Load(double validationFraction = 0.1, double testFraction = 0.1, int seed = 0, string? folder = null)
    {
        if (validationFraction is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "the validation fraction must be in [0, 1).");
        if (testFraction is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "the test fraction must be in [0, 1).");
        if (validationFraction + testFraction >= 1) throw new ArgumentException($"validation ({validationFraction}) and test ({testFraction}) fractions leave nothing to train on.");
        var files = FortuneFiles(folder);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<string>();
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
            foreach (var entry in SplitEntries(File.ReadAllText(file, Encoding.UTF8)))
            {
                var clean = Clean(entry);
                if (clean.Length > 0 && seen.Add(clean)) { entries.Add(clean); sources[clean] = Path.GetFileName(file); }
            }
        if (entries.Count < 3) throw new InvalidDataException($"the fortune files in {Path.GetDirectoryName(files[0])} hold {entries.Count} entries; a corpus needs at least 3.");
        var shuffled = Shuffle.Items(entries, seed);
        // a split asked for gets at least one entry, and training keeps at least one
        int Count(double fraction) => fraction > 0 ? Math.Max(1, (int)Math.Round(fraction * entries.Count)) : 0;
        int validationCount = Count(validationFraction), testCount = Count(testFraction);
        if (validationCount + testCount > entries.Count - 1)
            throw new InvalidDataException($"{entries.Count} entries are too few for a validation split of {validationCount} and a test split of {testCount} and a training split.");
        return new FortunesCorpus(files, entries, sources,
            train: shuffled[(validationCount + testCount)..],
            validation: shuffled[..validationCount],
            test: shuffled[validationCount..(validationCount + testCount)]);
    }

    /// <summary>The fortune files of the folder (given, else $COURSE_FORTUNES, else the Debian one), sorted by name.</summary>
    public static IReadOnlyList<string> FortuneFiles(string? folder = null)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        var (dir, source) = !string.IsNullOrWhiteSpace(folder) ? (folder, "the folder given")
            : !string.IsNullOrWhiteSpace(fromEnvironment) ? (fromEnvironment, $"{EnvironmentVariable}={fromEnvironment}")
            : (StandardFolder, $"the standard folder of the Debian packages {Packages}");
        var files = Directory.Exists(dir)
            ? Directory.GetFiles(dir).Where(IsFortuneFile).Order(StringComparer.Ordinal).ToList()
            : [];
        if (files.Count == 0)
            throw new FileNotFoundException(
                $"no fortune files were found in {dir} ({source}). Install the Debian packages {Packages} " +
                $"('sudo apt-get install {Packages}', which './course setup' does), or set {EnvironmentVariable} to a folder of fortune files.",
                dir);
        return files;
    }

    private static bool IsFortuneFile(string path)
    {
        var name = Path.GetFileName(path);
        if (name.StartsWith('.') || name.EndsWith(".dat", StringComparison.Ordinal) || name.EndsWith(".u8", StringComparison.Ordinal)) return false;
        return new FileInfo(path).LinkTarget is null; // the .u8 names (and any other links) point at files read anyway
    }

    /// <summary>The raw entries of a fortune file: the text between lines that hold only '%'.</summary>
    public static IEnumerable<string> SplitEntries(string fileText)
    {
        ArgumentNullException.ThrowIfNull(fileText);
        var entry = new StringBuilder();
        var text = fileText.Replace("\r\n", "\n");
        if (text.EndsWith('\n')) text = text[..^1]; // the newline ends the last line; it does not start another
        foreach (var line in text.Split('\n'))
        {
            if (line.TrimEnd() == "%")
            {
                yield return entry.ToString();
                entry.Clear();
            }
            else entry.Append(line).Append('\n');
        }
        if (entry.Length > 0) yield return entry.ToString();
    }

    /// <summary>
    /// Cleans one entry: typewriter overstrikes ("_\bA") and other control characters go, tabs and runs of spaces
    /// become one space, lines are trimmed, at most one blank line is kept in a row, and the entry is trimmed.
    /// Newlines inside the entry stay.
    /// </summary>
    public static string Clean(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var text = Overstrike().Replace(entry.Replace("\r\n", "\n"), "");
        text = ControlCharacters().Replace(text, " ");
        var lines = text.Split('\n').Select(line => Spaces().Replace(line, " ").Trim());
        text = string.Join('\n', lines);
        text = BlankLines().Replace(text, "\n\n");
        return text.Trim();
    }

    /// <summary>The file (topic) <paramref name="entry"/> was read from; an error for text that is not an entry.</summary>
    public string SourceOf(string entry) => Sources.TryGetValue(entry, out var file) ? file
        : throw new KeyNotFoundException($"this text is not an entry of the corpus: \"{(entry.Length > 40 ? entry[..40] + "..." : entry)}\"");

    [GeneratedRegex(".\b")] private static partial Regex Overstrike();
    [GeneratedRegex("[\\p{Cc}-[\\n]]")] private static partial Regex ControlCharacters();
    [GeneratedRegex(" {2,}")] private static partial Regex Spaces();
    [GeneratedRegex("\n{3,}")] private static partial Regex BlankLines();

    public override string ToString() =>
        $"{Entries.Count} fortunes from {Files.Count} files: {Train.Count} train ({TrainText.Length:N0} characters), " +
        $"{Validation.Count} validation ({ValidationText.Length:N0}), {Test.Count} test ({TestText.Length:N0})";
}

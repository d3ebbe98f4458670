using Course;

namespace Course.Tests;

public sealed class FortunesCorpusTests
{
    [Fact]
    public void EntriesAreTheTextBetweenPercentLines()
    {
        var entries = FortunesCorpus.SplitEntries("one\n%\ntwo\nlines\n%\n\n%\r\nlast\r\n%\n").ToList();
        Assert.Equal(new[] { "one\n", "two\nlines\n", "\n", "last\n" }, entries);
    }

    [Fact]
    public void CleaningKeepsNewlinesAndNormalisesTheRest()
    {
        Assert.Equal("A quote,\nwith two lines.\n\n-- Someone",
            FortunesCorpus.Clean("  A  quote,\t \r\nwith two lines.   \n\n\n\n\t\t-- Someone\n\n"));
        Assert.Equal("bold and underlined", FortunesCorpus.Clean("b\bbo\bol\bld\bd and _\bu_\bn_\bderlined"));
        Assert.Equal("bell here", FortunesCorpus.Clean("bell\a here"));
        Assert.Equal("", FortunesCorpus.Clean(" \n\t\n "));
    }

    [Fact]
    public void LoadReadsFortuneFilesOnlyDeduplicatesAndSplitsWithASeed()
    {
        using var temp = new TempFolder("fortunes");
        var dir = temp.FullName;
        File.WriteAllText(Path.Combine(dir, "wisdom"), string.Join("\n%\n", Enumerable.Range(0, 30).Select(i => $"saying {i}")) + "\n%\n");
        File.WriteAllText(Path.Combine(dir, "more"), "saying 3\n%\n  saying   4 \n%\nnew one\n%\n\n%\n");
        File.WriteAllText(Path.Combine(dir, "wisdom.dat"), "binary index");
        File.CreateSymbolicLink(Path.Combine(dir, "wisdom.u8"), Path.Combine(dir, "wisdom"));
        File.CreateSymbolicLink(Path.Combine(dir, "other-link"), Path.Combine(dir, "wisdom"));
        Directory.CreateDirectory(Path.Combine(dir, "off"));
        File.WriteAllText(Path.Combine(dir, "off", "rude"), "offensive\n%\n");

        var corpus = FortunesCorpus.Load(validationFraction: 0.2, testFraction: 0.1, seed: 1, folder: dir);
        Assert.Equal(new[] { "more", "wisdom" }, corpus.Files.Select(Path.GetFileName));
        Assert.Equal(31, corpus.Entries.Count); // 30 sayings + "new one"; duplicates and empties dropped
        Assert.Equal(new[] { "saying 3", "saying 4", "new one", "saying 0" }, corpus.Entries.Take(4));
        Assert.DoesNotContain("offensive", corpus.Entries);
        // each entry's topic is the file it came from; one both files hold counts for the first in name order
        Assert.Equal(31, corpus.Sources.Count);
        Assert.Equal("more", corpus.SourceOf("saying 3"));
        Assert.Equal("more", corpus.SourceOf("new one"));
        Assert.Equal("wisdom", corpus.SourceOf("saying 0"));
        Assert.Equal(28, corpus.Entries.Count(e => corpus.SourceOf(e) == "wisdom"));   // 30 sayings less 3 and 4
        Assert.Throws<KeyNotFoundException>(() => corpus.SourceOf("not an entry"));
        Assert.Equal(6, corpus.Validation.Count);   // round(0.2 · 31)
        Assert.Equal(3, corpus.Test.Count);         // round(0.1 · 31)
        Assert.Equal(22, corpus.Train.Count);
        Assert.Empty(corpus.Train.Intersect(corpus.Validation));
        Assert.Empty(corpus.Train.Intersect(corpus.Test));
        Assert.Empty(corpus.Validation.Intersect(corpus.Test));
        Assert.Equal(corpus.Entries.Order(), corpus.Train.Concat(corpus.Validation).Concat(corpus.Test).Order());
        Assert.Equal(string.Join("\n\n", corpus.Validation), corpus.ValidationText);
        Assert.Equal(string.Join("\n\n", corpus.Test), corpus.TestText);

        var again = FortunesCorpus.Load(validationFraction: 0.2, testFraction: 0.1, seed: 1, folder: dir);
        Assert.Equal(corpus.Validation, again.Validation);
        Assert.Equal(corpus.Test, again.Test);
        var noTest = FortunesCorpus.Load(validationFraction: 0.2, testFraction: 0, seed: 1, folder: dir);
        Assert.Equal(corpus.Validation, noTest.Validation);   // the test split does not move the validation split
        Assert.Empty(noTest.Test);
        var other = FortunesCorpus.Load(validationFraction: 0.2, testFraction: 0.1, seed: 2, folder: dir);
        Assert.NotEqual(corpus.Validation, other.Validation);
        Assert.Throws<ArgumentException>(() => FortunesCorpus.Load(validationFraction: 0.5, testFraction: 0.5, folder: dir));
    }

    [Fact]
    public void AMissingCorpusNamesThePackagesAndTheVariable()
    {
        var e = Assert.Throws<FileNotFoundException>(() => FortunesCorpus.Load(folder: "/nonexistent/fortunes"));
        Assert.Contains("fortunes fortunes-min", e.Message);
        Assert.Contains("COURSE_FORTUNES", e.Message);
        Assert.Contains("/nonexistent/fortunes", e.Message);
    }

    [Fact]
    public void TheDebianCorpusIsClean()
    {
        var corpus = FortunesCorpus.Load();
        Assert.True(corpus.Entries.Count > 5000, $"only {corpus.Entries.Count} entries");
        Assert.True(corpus.TrainText.Length > 1_000_000, $"only {corpus.TrainText.Length} characters");
        Assert.Equal(corpus.Entries.Count, corpus.Entries.Distinct().Count());
        Assert.All(corpus.Entries, e =>
        {
            Assert.NotEqual("", e);
            Assert.Equal(e.Trim(), e);
            Assert.False(e.Contains("\n%\n", StringComparison.Ordinal), e);
            Assert.False(e.Contains("  ", StringComparison.Ordinal), e);
            Assert.DoesNotContain(e, c => char.IsControl(c) && c != '\n');
        });
        Assert.All(corpus.Files, f => Assert.False(f.EndsWith(".dat") || f.EndsWith(".u8")));
        Assert.Empty(corpus.Train.Intersect(corpus.Validation));
        Assert.InRange((double)corpus.Validation.Count / corpus.Entries.Count, 0.099, 0.101);
    }
}

public sealed class CharTokenizerTests
{
    [Fact]
    public void IdsFollowTheSpecialTokensThenTheSortedCharacters()
    {
        var tokenizer = CharTokenizer.FromText("hello world");
        Assert.Equal(new[] { "<pad>", "<bos>", "<eos>", "<unk>", " ", "d", "e", "h", "l", "o", "r", "w" }, tokenizer.Tokens);
        Assert.Equal(12, tokenizer.VocabSize);
        Assert.Equal((0L, 1L, 2L, 3L), (tokenizer.PadId, tokenizer.BosId, tokenizer.EosId, tokenizer.UnkId));
        Assert.Equal(new long[] { 1, 7, 6, 8, 8, 9, 2 }, tokenizer.Encode("hello", addBos: true, addEos: true));
        Assert.Equal("hello world", tokenizer.Decode(tokenizer.Encode("hello world")));
    }

    [Fact]
    public void UnknownCharactersBecomeUnkOrAnError()
    {
        var withSpecials = CharTokenizer.FromText("ab");
        Assert.Equal(new long[] { 4, 3, 5 }, withSpecials.Encode("azb"));
        Assert.Equal("a\uFFFDb", withSpecials.Decode(withSpecials.Encode("azb")));

        var plain = CharTokenizer.FromText("ab", specialTokens: false);
        Assert.Equal(new long[] { 0, 1 }, plain.Encode("ab"));
        var e = Assert.Throws<ArgumentException>(() => plain.Encode("abz"));
        Assert.Contains("'z'", e.Message);
        Assert.Contains("position 2", e.Message);
        Assert.Throws<InvalidOperationException>(() => plain.EosId);
    }

    [Fact]
    public void DecodingSkipsPaddingAndStopsAtEos()
    {
        var tokenizer = CharTokenizer.FromText("abc");
        var ids = new long[] { tokenizer.BosId, 4, 5, tokenizer.EosId, 6, tokenizer.PadId };
        Assert.Equal("ab", tokenizer.Decode(ids));
        using var t = torch.tensor(new long[] { 0, 6, 4, 0 });
        Assert.Equal("ca", tokenizer.Decode(t));
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([99L]));
    }

    [Fact]
    public void TheVocabularySurvivesJson()
    {
        var tokenizer = CharTokenizer.FromText("Zebra, \"quoted\"\nnew line é");
        var copy = CharTokenizer.FromJson(tokenizer.ToJson());
        Assert.Equal(tokenizer.Tokens, copy.Tokens);
        var plain = CharTokenizer.FromJson(CharTokenizer.FromText("xy", specialTokens: false).ToJson());
        Assert.False(plain.HasSpecialTokens);
        Assert.Equal(2, plain.VocabSize);
    }

    [Fact]
    public void EncodingToATensorGivesInt64Ids()
    {
        var tokenizer = CharTokenizer.FromText("ab");
        using var t = tokenizer.EncodeTensor("ba", addEos: true);
        Assert.Equal(ScalarType.Int64, t.dtype);
        Assert.Equal(new long[] { 5, 4, 2 }, t.ToArray<long>());
    }
}

public sealed class TextBatchesTests
{
    private static readonly long[] Text = Enumerable.Range(0, 1000).Select(i => (long)(i * 7 % 1000)).ToArray();

    [Fact]
    public void TargetsAreTheInputsShiftedByOne()
    {
        using var batches = new TextBatches(Text, blockSize: 16, batchSize: 8, seed: 3);
        int count = 0;
        foreach (var (x, y) in batches.Random(5))
        {
            count++;
            Assert.Equal(new long[] { 8, 16 }, x.shape);
            Assert.Equal(ScalarType.Int64, y.dtype);
            var xs = x.ToArray<long>();
            var ys = y.ToArray<long>();
            for (int b = 0; b < 8; b++)
            {
                // x is a window of the text, y the next window
                int start = Array.IndexOf(Text, xs[b * 16]);
                for (int t = 0; t < 16; t++)
                {
                    Assert.Equal(Text[start + t], xs[b * 16 + t]);
                    Assert.Equal(Text[start + t + 1], ys[b * 16 + t]);
                }
            }
        }
        Assert.Equal(5, count);
    }

    [Fact]
    public void RandomWindowsRepeatWithTheSeed()
    {
        long[] Firsts(int seed)
        {
            using var batches = new TextBatches(Text, blockSize: 4, batchSize: 6, seed: seed);
            return batches.Random(3).SelectMany(b => { using var first = b.x[.., 0]; return first.ToArray<long>(); }).ToArray();
        }
        Assert.Equal(Firsts(1), Firsts(1));
        Assert.NotEqual(Firsts(1), Firsts(2));
    }

    [Fact]
    public void SequentialCoversTheTextOnceInOrder()
    {
        using var batches = new TextBatches(Text, blockSize: 10, batchSize: 32);
        Assert.Equal(4, batches.SequentialCount); // 99 windows of 10 (the last token is only a target)
        var xs = new List<long>();
        var ys = new List<long>();
        foreach (var (x, y) in batches.Sequential())
        {
            xs.AddRange(x.ToArray<long>());
            ys.AddRange(y.ToArray<long>());
        }
        Assert.Equal(Text[..990], xs);
        Assert.Equal(Text[1..991], ys);
    }

    [Fact]
    public void ATextShorterThanABlockIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new TextBatches([1, 2, 3], blockSize: 3, batchSize: 1));
        Assert.Contains("at least 4", e.Message);
    }
}

using Course.DataCleaning;

namespace Course.Tests;

public sealed class TextNormalizerTests
{
    [Fact]
    public void FoldsCompatibilityFormsCaseAndWhiteSpace()
    {
        Assert.Equal("file abc 12", TextNormalizer.Normalize("  \uFB01le\u00A0ＡＢＣ\n\t１２ "));   // ligature fi, NBSP, full-width
        Assert.Equal("a b", TextNormalizer.Normalize("A\r\n\r\n   B"));
        Assert.Equal("", TextNormalizer.Normalize(" \n\t "));
        Assert.Throws<ArgumentNullException>(() => TextNormalizer.Normalize(null!));
    }
}

public sealed class ShinglesTests
{
    [Fact]
    public void CharacterAndWordShinglesByHand()
    {
        Assert.Equal(new[] { "ab", "bc", "cd" }, Shingles.Characters("abcd", 2).Order());
        Assert.Equal(new[] { "aa" }, Shingles.Characters("aaaa", 2));                 // a set: repeats count once
        Assert.Equal(new[] { "ab" }, Shingles.Characters("ab", 5));                   // shorter than k: itself
        Assert.Empty(Shingles.Characters("", 3));
        Assert.Equal(new[] { "a rose is", "is a rose", "rose is a" }, Shingles.Words("a rose is a rose is a rose", 3).Order());
        Assert.Throws<ArgumentOutOfRangeException>(() => Shingles.Characters("abc", 0));
    }

    [Fact]
    public void JaccardByHand()
    {
        // {ab, bc, cd} and {bc, cd, de}: 2 shared of 4 in the union
        Assert.Equal(0.5, Shingles.Jaccard(Shingles.Characters("abcd", 2), Shingles.Characters("bcde", 2)));
        Assert.Equal(1.0, Shingles.Jaccard(new HashSet<int>(), new HashSet<int>()));
        Assert.Equal(0.0, Shingles.Jaccard(new HashSet<int> { 1 }, new HashSet<int> { 2 }));
        Assert.Equal(3.0 / 7, Shingles.Jaccard(new HashSet<int> { 1, 2, 3, 4, 5 }, new HashSet<int> { 3, 4, 5, 6, 7 }), 15);
    }

    [Fact]
    public void ShingleHashIsFnv1aOverUtf16()
    {
        // FNV-1a of the bytes 61 00 (little-endian UTF-16 "a"), computed by hand from the FNV constants
        ulong h = 14695981039346656037UL;
        h = unchecked((h ^ 0x61) * 1099511628211UL);
        h = unchecked((h ^ 0x00) * 1099511628211UL);
        Assert.Equal(h, Shingles.Hash("a"));
        Assert.NotEqual(Shingles.Hash("ab"), Shingles.Hash("ba"));
    }
}

public sealed class FilterTests
{
    [Fact]
    public void ApplyReportsWhatWasRemovedAndWhy()
    {
        var result = FilterResult<int>.Apply(new[] { 1, 2, 3, 4, 5 }, "odd", "keep even numbers", x => x % 2 == 1 ? $"{x} is odd" : null);
        Assert.Equal(new[] { 2, 4 }, result.Kept);
        Assert.Equal(new[] { (1, "1 is odd"), (3, "3 is odd"), (5, "5 is odd") }, result.Removed);
        Assert.Equal(new FilterReport("odd", "keep even numbers", 5, 3), result.Report);
        Assert.Equal(2, result.Report.Kept);
        Assert.Equal(0.6, result.Report.RemovedFraction, 15);
    }

    [Fact]
    public void ExactDuplicatesAreFoundAfterNormalisation()
    {
        var r = TextFilters.ExactDuplicates(new[] { "Hello  World", "hello world", "other", "HELLO\nWORLD", "other " });
        Assert.Equal(new[] { "Hello  World", "other" }, r.Kept);
        Assert.Equal(new[] { ("hello world", "copy of text 0"), ("HELLO\nWORLD", "copy of text 0"), ("other ", "copy of text 2") }, r.Removed);
        Assert.Equal(3, r.Report.Removed);
    }

    [Fact]
    public void LengthLettersAndRepeatedWordsByHand()
    {
        var length = TextFilters.Length(new[] { "abc", "abcdef", "  abcd  ", "abcdefghij" }, 4, 8);
        Assert.Equal(new[] { "abcdef", "  abcd  " }, length.Kept);
        Assert.Equal(new[] { "3 characters < 4", "10 characters > 8" }, length.Removed.Select(r => r.Reason));

        Assert.Equal(4.0 / 7, TextFilters.LetterFraction("abc 123"), 15);             // a, b, c and the space
        Assert.Equal(0, TextFilters.LetterFraction(""));
        var letters = TextFilters.Letters(new[] { "plain words", "#### |__| ####" }, 0.75);
        Assert.Equal(new[] { "plain words" }, letters.Kept);

        Assert.Equal(new[] { "don't", "stop", "me", "now", "2" }, TextFilters.Words("Don't -- stop, me: now! 2"));
        Assert.Equal(0.75, TextFilters.RepeatedWordRatio("la la la la"));
        Assert.Equal(0, TextFilters.RepeatedWordRatio("every word differs"));
        var song = string.Join(' ', Enumerable.Repeat("la", 12));
        var prose = "one two three four five six seven eight nine ten";
        var repeated = TextFilters.RepeatedWords(new[] { song, prose, "la la la" }, 0.5, minWords: 10);
        Assert.Equal(new[] { prose, "la la la" }, repeated.Kept);                     // the short one is not judged
        Assert.Equal($"repeated-word ratio {11.0 / 12:F2}", repeated.Removed.Single().Reason);
    }

    [Fact]
    public void TheEnglishHeuristicCountsFunctionWords()
    {
        Assert.Equal(0.6, EnglishHeuristic.StopWordFraction("The cat and the dog"), 15);   // the, and, the of 5 words
        var english = "It is a truth universally acknowledged that a single man must be in want of a wife";
        var german = "Wer reitet so spät durch Nacht und Wind es ist der Vater mit seinem Kind";
        var r = TextFilters.English(new[] { english, german, "Ich bin" }, 0.15);
        Assert.Equal(new[] { english, "Ich bin" }, r.Kept);                           // too short to judge
        Assert.StartsWith("stop words", r.Removed.Single().Reason);
    }

    [Fact]
    public void NonEmptyDropsBlankTexts()
    {
        var r = TextFilters.NonEmpty(new[] { "a", " \n", "", "b" });
        Assert.Equal(new[] { "a", "b" }, r.Kept);
        Assert.Equal(2, r.Report.Removed);
    }
}

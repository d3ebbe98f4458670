using Course;

namespace Course.Tests;

public sealed class NumberWordsTests
{
    [Theory]
    [InlineData(0, "zero")]
    [InlineData(7, "seven")]
    [InlineData(13, "thirteen")]
    [InlineData(20, "twenty")]
    [InlineData(21, "twenty-one")]
    [InlineData(99, "ninety-nine")]
    [InlineData(100, "one hundred")]
    [InlineData(101, "one hundred one")]
    [InlineData(110, "one hundred ten")]
    [InlineData(1000, "one thousand")]
    [InlineData(1001, "one thousand one")]
    [InlineData(20_040, "twenty thousand forty")]
    [InlineData(412_071, "four hundred twelve thousand seventy-one")]
    [InlineData(999_999, "nine hundred ninety-nine thousand nine hundred ninety-nine")]
    [InlineData(1_000_000, "one million")]
    [InlineData(12_000_305, "twelve million three hundred five")]
    public void NumbersAreSpelledInAmericanEnglish(long n, string words) => Assert.Equal(words, NumberWords.ToWords(n));

    [Fact]
    public void OnlyTheSupportedRangeIsSpelled()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NumberWords.ToWords(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => NumberWords.ToWords(NumberWords.Max + 1));
    }

    [Fact]
    public void TheAlphabetCoversEverySpelling()
    {
        Assert.Equal(" -abdefghilmnorstuvwxyz", NumberWords.Alphabet); // z from "zero", b from "billion"; no c
        for (long n = 0; n < 2000; n++) Assert.All(NumberWords.ToWords(n * 4999), c => Assert.Contains(c, NumberWords.Alphabet));
    }
}

public sealed class Seq2SeqTaskTests
{
    private static readonly Seq2SeqTask Task = Seq2SeqTask.NumberToWords(trainSize: 20_000, testSize: 3_000, seed: 5);

    [Fact]
    public void TrainAndTestShareNoExample()
    {
        Assert.Equal(20_000, Task.Train.Count);
        Assert.Equal(3_000, Task.Test.Count);
        var trainSources = Task.Train.Select(e => e.Source).ToHashSet();
        Assert.Equal(Task.Train.Count, trainSources.Count);
        Assert.DoesNotContain(Task.Test, e => trainSources.Contains(e.Source));
        var trainTargets = Task.Train.Select(e => e.Target).ToHashSet();
        Assert.DoesNotContain(Task.Test, e => trainTargets.Contains(e.Target));
        Assert.Equal(Task.Test.Count, Task.Test.Select(e => e.Source).Distinct().Count());
    }

    [Fact]
    public void ExamplesAreNumbersAndTheirSpellingOfEveryLength()
    {
        Assert.All(Task.Train.Take(500), e => Assert.Equal(NumberWords.ToWords(long.Parse(e.Source)), e.Target));
        var lengths = Task.Test.GroupBy(e => e.Source.Length).ToDictionary(g => g.Key, g => g.Count());
        // lengths are drawn uniformly, so long numbers are not all there is; every 2- and 3-digit number is drawn
        // and the test split gets its share of them (3000 / 23000)
        Assert.All(Enumerable.Range(4, 3), digits => Assert.InRange(lengths[digits], 500, 1300));
        Assert.InRange(lengths[3], 900 * 3 / 23 - 40, 900 * 3 / 23 + 40);
        Assert.InRange(lengths[2], 1, 30);
        Assert.Equal(6, Task.SourceLength);
        Assert.Equal(Task.Train.Concat(Task.Test).Max(e => e.Target.Length) + 2, Task.TargetLength);
    }

    [Fact]
    public void TheSeedRepeatsTheTask()
    {
        var again = Seq2SeqTask.NumberToWords(trainSize: 20_000, testSize: 3_000, seed: 5);
        Assert.Equal(Task.Test, again.Test);
        var other = Seq2SeqTask.NumberToWords(trainSize: 20_000, testSize: 3_000, seed: 6);
        Assert.NotEqual(Task.Test.Take(50), other.Test.Take(50));
    }

    [Fact]
    public void EncodingPadsAndFramesTargetsWithBosAndEos()
    {
        var examples = new[] { new Seq2SeqExample("71", "seventy-one"), new Seq2SeqExample("4", "four") };
        using var encoded = Task.Encode(examples);
        Assert.Equal(new long[] { 2, Task.SourceLength }, encoded.Inputs.shape);
        Assert.Equal(new long[] { 2, Task.TargetLength }, encoded.Targets.shape);
        var src = encoded.Inputs.ToArray<long>();
        Assert.Equal(Task.SourceTokenizer.Encode("71"), src[..2]);
        Assert.All(src[2..Task.SourceLength], id => Assert.Equal(0, id));
        var tgt = encoded.Targets.ToArray<long>();
        var row = tgt[Task.TargetLength..];
        Assert.Equal(Task.TargetTokenizer.BosId, row[0]);
        Assert.Equal(Task.TargetTokenizer.Encode("four"), row[1..5]);
        Assert.Equal(Task.TargetTokenizer.EosId, row[5]);
        Assert.All(row[6..], id => Assert.Equal(Task.TargetTokenizer.PadId, id));
        Assert.Equal(new[] { "seventy-one", "four" }, Task.DecodeTargets(encoded.Targets));
    }

    [Fact]
    public void TheWholeTestSplitRoundTrips()
    {
        using var encoded = Task.Encode(Task.Test);
        Assert.Equal(Task.Test.Select(e => e.Target), Task.DecodeTargets(encoded.Targets));
        using var sources = Task.EncodeSources(Task.Test.Take(3).Select(e => e.Source));
        using var firstRows = encoded.Inputs[..3];
        Assert.True(sources.eq(firstRows).all().item<bool>());
    }

    [Fact]
    public void AValidationSplitLeavesTheTestSplitAsItWas()
    {
        var withValidation = Seq2SeqTask.NumberToWords(trainSize: 18_000, validationSize: 2_000, testSize: 3_000, seed: 5);
        Assert.Equal(Task.Test, withValidation.Test);   // same seed, same test examples, whether or not validation is asked for
        Assert.Equal(2_000, withValidation.Validation.Count);
        Assert.Equal(18_000, withValidation.Train.Count);
        var sources = withValidation.Train.Concat(withValidation.Validation).Concat(withValidation.Test).Select(e => e.Source).ToList();
        Assert.Equal(sources.Count, sources.Distinct().Count());   // no example in two splits
        Assert.Empty(Task.Validation);
        Assert.Contains("2000 validation", withValidation.ToString());
    }

    [Fact]
    public void SplitsThatOverlapAreRefused()
    {
        var example = new Seq2SeqExample("1", "one");
        var other = new Seq2SeqExample("2", "two");
        var e = Assert.Throws<ArgumentException>(() => new Seq2SeqTask([example], [example], Task.SourceTokenizer, Task.TargetTokenizer));
        Assert.Contains("'1'", e.Message);
        Assert.Contains("validation split shares", Assert.Throws<ArgumentException>(() => new Seq2SeqTask([example], [example], [other], Task.SourceTokenizer, Task.TargetTokenizer)).Message);
        Assert.Contains("test split shares the example '2' with the validation", Assert.Throws<ArgumentException>(() => new Seq2SeqTask([example], [other], [other], Task.SourceTokenizer, Task.TargetTokenizer)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Seq2SeqTask.NumberToWords(trainSize: 40, testSize: 20, maxDigits: 2));
    }
}

using Course.Display;
using Microsoft.Data.Analysis;

namespace Course.Tests;

/// <summary>The data frame helpers against hand-worked values, next to the package's own answers they replace.</summary>
public class DataFramesTests
{
    private static DataFrame WithNulls() => new(
        new PrimitiveDataFrameColumn<double>("a", new double?[] { 1, null, 3 }),
        new Int32DataFrameColumn("b", new int?[] { 2, 4, 4 }),
        new StringDataFrameColumn("s", new[] { "x", "y", "z" }));

    [Fact]
    public void DescriptionCountsNullsAsZerosInTheMeanAndDescribeSkipsThem()
    {
        // the package: (1 + 0 + 3) / 3
        var description = WithNulls().Description();
        Assert.Equal(4.0 / 3, Convert.ToDouble(description["a"][3]), 6);
        Assert.Equal("Mean", description["Description"][3]);

        var d = DataFrames.Describe(WithNulls());
        Assert.Equal(["column", "count", "nulls", "mean", "std", "min", "max"], d.Columns.Select(c => c.Name));
        Assert.Equal(["a", "b"], d["column"].Cast<string>()); // numeric columns only
        Assert.Equal(2L, d["count"][0]);
        Assert.Equal(1L, d["nulls"][0]);
        Assert.Equal(2.0, d["mean"][0]);          // (1 + 3) / 2
        Assert.Equal(Math.Sqrt(2), (double)d["std"][0]!, 12); // ((1-2)^2 + (3-2)^2) / (2 - 1)
        Assert.Equal(1.0, d["min"][0]);
        Assert.Equal(3.0, d["max"][0]);
        Assert.Equal(10.0 / 3, (double)d["mean"][1]!, 12);
        Assert.Equal(Math.Sqrt(4.0 / 3), (double)d["std"][1]!, 12); // (16/9 + 4/9 + 4/9) / 2
    }

    [Fact]
    public void DescribeGivesTheTextbookStandardDeviationAndNullsWhereThereIsNoValue()
    {
        var frame = new DataFrame(
            new DoubleDataFrameColumn("x", new double[] { 2, 4, 4, 4, 5, 5, 7, 9 }),
            new DoubleDataFrameColumn("one", new double?[] { 7, null, null, null, null, null, null, null }),
            new DoubleDataFrameColumn("none", new double?[8]));
        var d = DataFrames.Describe(frame);
        Assert.Equal(5.0, d["mean"][0]);
        Assert.Equal(Math.Sqrt(32.0 / 7), (double)d["std"][0]!, 12); // squared deviations add up to 32
        Assert.Equal(7.0, d["mean"][1]);
        Assert.Null(d["std"][1]);
        Assert.Equal(0L, d["count"][2]);
        Assert.Equal(8L, d["nulls"][2]);
        Assert.Null(d["mean"][2]);
        Assert.Null(d["min"][2]);
    }

    private const string Csv = "id,score,ok,name\n1,0.1,true,a\n16777217,2.5,false,b\n3,,true,c\n";

    [Fact]
    public void LoadCsvReadsNumbersAsFloat32AndTheWrapperAsInt64AndDouble()
    {
        var package = DataFrame.LoadCsvFromString(Csv);
        Assert.Equal(typeof(float), package["id"].DataType);
        Assert.Equal(16777216f, package["id"][1]); // 2^24 + 1 has no float32
        Assert.Equal(typeof(float), package["score"].DataType);

        var frame = DataFrames.ParseCsv(Csv);
        Assert.Equal([typeof(long), typeof(double), typeof(bool), typeof(string)], frame.Columns.Select(c => c.DataType));
        Assert.Equal(16777217L, frame["id"][1]);
        Assert.Equal(0.1, frame["score"][0]);
        Assert.Null(frame["score"][2]);
        Assert.Equal(1L, frame["score"].NullCount);
        Assert.Equal(false, frame["ok"][1]);
        Assert.Equal("c", frame["name"][2]);
    }

    [Fact]
    public void LoadCsvGuessesFromEveryRowAndReadsAFile()
    {
        // ten whole numbers, then a fraction: the package guesses from the first ten rows only
        var csv = "v\n" + string.Concat(Enumerable.Range(1, 10).Select(i => $"{i}\n")) + "1.5\n";
        var frame = DataFrames.ParseCsv(csv);
        Assert.Equal(typeof(double), frame["v"].DataType);
        Assert.Equal(1.5, frame["v"][10]);

        using var folder = new TempFolder("course-csv-");
        var path = folder.File("t.csv");
        File.WriteAllText(path, "a;b\n1;x\n2;y\n");
        var fromFile = DataFrames.LoadCsv(path, separator: ';');
        Assert.Equal(2L, fromFile["a"][1]);
        Assert.Equal("y", fromFile["b"][1]);
        Assert.Throws<FileNotFoundException>(() => DataFrames.LoadCsv(folder.File("missing.csv")));
    }

    [Fact]
    public void GuessTypeTakesTheNarrowestTypeEveryFieldFits()
    {
        Assert.Equal(typeof(long), DataFrames.GuessType(["1", "", "-20"]));
        Assert.Equal(typeof(double), DataFrames.GuessType(["1", "2e3", "0.5"]));
        Assert.Equal(typeof(bool), DataFrames.GuessType(["true", "False"]));
        Assert.Equal(typeof(string), DataFrames.GuessType(["1", "x"]));
        Assert.Equal(typeof(string), DataFrames.GuessType(["", null]));
    }

    private static DataFrame Groups() => new(
        new StringDataFrameColumn("g", new[] { "x", "y", "x", "y", "z", null }),
        new DoubleDataFrameColumn("a", new double?[] { 1, null, 3, null, 5, 7 }),
        new Int64DataFrameColumn("b", new long?[] { 10, 20, 30, 40, 50, 60 }));

    [Fact]
    public void GroupMeanOfAnAllNullGroupIsZeroInThePackageAndNullInTheHelper()
    {
        var package = Groups().GroupBy("g").Mean("a");
        var y = Enumerable.Range(0, (int)package.Rows.Count).Single(r => (string)package["g"][r] == "y");
        Assert.Equal(0.0, Convert.ToDouble(package["a"][y]));

        var means = DataFrames.GroupMean(Groups(), "g");
        Assert.Equal(["g", "a", "b"], means.Columns.Select(c => c.Name));
        Assert.Equal(["x", "y", "z"], means["g"].Cast<string>()); // first appearance; the null group is left out
        Assert.Equal(new double?[] { 2, null, 5 }, means["a"].Cast<double?>());
        Assert.Equal(new double?[] { 20, 30, 50 }, means["b"].Cast<double?>());
        Assert.Equal(["g", "b"], DataFrames.GroupMean(Groups(), "g", "b").Columns.Select(c => c.Name));
        Assert.Throws<ArgumentException>(() => DataFrames.GroupMean(Groups(), "nope"));
        Assert.Throws<ArgumentException>(() => DataFrames.GroupMean(Groups(), "a", "g"));
    }

    [Fact]
    public void ADataFrameShowsAsATableInHtmlAndText()
    {
        DataFrameDisplay.Register();
        var bundle = Formatter.Format(WithNulls());
        Assert.Equal([MimeTypes.Html, MimeTypes.PlainText], bundle.Data.Keys.Order());
        var html = bundle.GetText(MimeTypes.Html)!;
        Assert.StartsWith("<table class=\"course-table\"><thead><tr><th>a</th><th>b</th><th>s</th></tr></thead>", html);
        Assert.Contains("<tr><td>1</td><td>2</td><td>x</td></tr>", html);
        Assert.Contains("<tr><td></td><td>4</td><td>y</td></tr>", html);
        Assert.Equal("a  b  s\n-  -  -\n1  2  x\n   4  y\n3  4  z", bundle.GetText(MimeTypes.PlainText));
        Assert.Equal(bundle.GetText(MimeTypes.PlainText), Formatter.ToPlainText(WithNulls()));
    }

    [Fact]
    public void AColumnShowsAsAOneColumnTableAndLongFramesAreCut()
    {
        DataFrameDisplay.Register();
        var column = Formatter.Format(WithNulls()["s"]);
        Assert.Contains("<th>s</th>", column.GetText(MimeTypes.Html));
        Assert.Equal("s\n-\nx\ny\nz", column.GetText(MimeTypes.PlainText));

        var longFrame = new DataFrame(new Int64DataFrameColumn("i", Enumerable.Range(0, 250).Select(i => (long)i)));
        var bundle = Formatter.Format(longFrame);
        Assert.Contains("<td>99</td>", bundle.GetText(MimeTypes.Html));
        Assert.DoesNotContain("<td>100</td>", bundle.GetText(MimeTypes.Html));
        Assert.EndsWith("(100 of 250 rows shown)", bundle.GetText(MimeTypes.PlainText));
        Assert.Contains("(100 of 250 rows shown)", bundle.GetText(MimeTypes.Html));
        Assert.Equal(250, DataFrameDisplay.ToTable(longFrame).Rows.Count);
    }
}

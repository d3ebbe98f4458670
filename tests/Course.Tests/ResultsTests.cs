namespace Course.Tests;

/// <summary>The results store: what a full run saves is what chapters and the book read back.</summary>
public class ResultsTests : IDisposable
{
    private readonly TempFolder _root = new("course-results");
    private readonly string? _savedRoot = Environment.GetEnvironmentVariable("COURSE_ROOT");

    public ResultsTests() => Environment.SetEnvironmentVariable("COURSE_ROOT", _root.FullName);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("COURSE_ROOT", _savedRoot);
        _root.Dispose();
    }

    [Fact]
    public void WhatIsSavedIsReadBackWithItsTime()
    {
        Assert.Null(Results.Load("cnn"));
        Assert.Empty(Results.All());
        var before = DateTime.UtcNow.AddSeconds(-2);
        var path = Results.Save("cnn", new[] { new Result("test_accuracy", 0.9258, 554.1234, "cpu"), new Result("resnet_test_accuracy", 0.9009, 108, "cpu") });
        // a full run on TorchSharp keeps its results apart from the course binding's
        var artifacts = Backend.Name == "torchsharp" ? Path.Combine("artifacts", "torchsharp") : "artifacts";
        Assert.Equal(Path.Combine(_root.FullName, artifacts, "results", "cnn.json"), path);
        Results.Save("vit", new[] { new Result("test_accuracy", 0.8938, 870, "cpu") });

        var cnn = Results.Load("cnn")!;
        Assert.Equal("cnn", cnn.Chapter);
        Assert.Equal(new Result("test_accuracy", 0.9258, 554.123, "cpu"), cnn["test_accuracy"]);   // seconds kept to the millisecond
        Assert.Equal(0.9009, cnn.Find("resnet_test_accuracy")!.Value);
        Assert.Null(cnn.Find("bleu"));
        var e = Assert.Throws<KeyNotFoundException>(() => cnn["bleu"]);
        Assert.Contains("recorded no 'bleu' (it has: test_accuracy, resnet_test_accuracy)", e.Message);
        Assert.InRange(cnn.RecordedUtc, before, DateTime.UtcNow.AddSeconds(2));
        Assert.StartsWith("the full run of cnn on ", cnn.Provenance);
        Assert.Equal(new[] { "cnn", "vit" }, Results.All().Select(r => r.Chapter));

        // saving again replaces the chapter's results
        Results.Save("cnn", new[] { new Result("test_accuracy", 0.93, 1, "cuda:0") });
        Assert.Equal(new Result("test_accuracy", 0.93, 1, "cuda:0"), Assert.Single(Results.Load("cnn")!.Items));
    }

    [Fact]
    public void BadNamesValuesAndFilesAreRefusedWithTheCause()
    {
        Assert.Throws<ArgumentException>(() => Results.Save("../cnn", new[] { new Result("a", 1, 0, "cpu") }));
        Assert.Throws<ArgumentException>(() => Results.Load("a/b"));
        var e = Assert.Throws<ArgumentException>(() => Results.Save("cnn", new[] { new Result("loss", double.NaN, 0, "cpu") }));
        Assert.Contains("'loss' is NaN", e.Message);
        Assert.Null(Results.Load("cnn"));   // nothing half-written
        Directory.CreateDirectory(Results.Folder);
        File.WriteAllText(Path.Combine(Results.Folder, "broken.json"), "{\"metric\": 1}");
        var bad = Assert.Throws<InvalidDataException>(() => Results.Load("broken"));
        Assert.Contains("broken.json is not a results file", bad.Message);
    }

    [Fact]
    public void WithoutTheRootVariableTheStoreSaysWhatIsMissing()
    {
        Environment.SetEnvironmentVariable("COURSE_ROOT", null);   // the checkout is never searched for
        var e = Assert.Throws<InvalidOperationException>(() => Results.Save("chapter", new[] { new Result("accuracy", 0.9, 1.0, "cpu") }));
        Assert.Contains("COURSE_ROOT", e.Message);
        Assert.Throws<InvalidOperationException>(() => Results.Load("chapter"));
    }
}

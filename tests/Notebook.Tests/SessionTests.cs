using Course.Display;
using Course.Notebook;

namespace Notebook.Tests;

/// <summary>The engine's C# semantics, checked in-process (one collection: sessions set the process's current directory).</summary>
[Collection("engine")]
public class SessionTests
{
    [Fact]
    public void LastExpressionWithoutSemicolonIsTheResult()
    {
        using var h = new SessionHarness();
        var outputs = h.Ok("1 + 2");
        var result = outputs.OfType<ExecuteResultOutput>().Single();
        Assert.Equal("3", SessionHarness.Text(result.Bundle));
        Assert.Equal(1, result.ExecutionCount);
    }

    [Theory]
    [InlineData("var x = 1;")]
    [InlineData("Math.Abs(-1);")]
    [InlineData("Console.WriteLine(5)")]
    [InlineData("int F() => 1;")]
    [InlineData("class C { }")]
    [InlineData("")]
    public void StatementsVoidCallsAndDeclarationsShowNoResult(string code)
    {
        using var h = new SessionHarness();
        Assert.Empty(h.Ok(code).OfType<ExecuteResultOutput>());
    }

    [Theory]
    [InlineData("var x = 1;", true)]
    [InlineData("1 + 1", true)]
    [InlineData("for (int i = 0; i < 3; i++) {", false)]
    [InlineData("var s = \"unterminated", false)]
    public void IsCompleteTellsWhetherMoreLinesAreNeeded(string code, bool complete) =>
        Assert.Equal(complete, NotebookSession.IsComplete(code));

    [Fact]
    public void NullResultIsShownAsNull()
    {
        using var h = new SessionHarness();
        Assert.Equal("<null>", SessionHarness.ResultText(h.Ok("string? s = null;\ns")));
    }

    [Fact]
    public void DefaultImportsAreThoseOfDotNetInteractive()
    {
        using var h = new SessionHarness();
        Assert.Equal("6", SessionHarness.ResultText(h.Ok("new List<int> { 1, 2, 3 }.Sum()")));
        Assert.Equal("abc", SessionHarness.ResultText(h.Ok("new StringBuilder(\"ab\").Append('c').ToString()")));
        Assert.Equal("True", SessionHarness.ResultText(h.Ok("await Task.FromResult(true)")));
        var error = h.Fails("File.Exists(\"x\")"); // System.IO is not a default import
        Assert.Equal("CompilationError", error.Name);
        Assert.Contains("CS0103", error.Value);
    }

    [Fact]
    public void StateAndUsingsCarryOverAndRedeclarationShadows()
    {
        using var h = new SessionHarness();
        h.Ok("using System.IO;\nvar x = 41;\nclass Box { public int V = 1; }");
        Assert.Equal("42", SessionHarness.ResultText(h.Ok("x + 1")));
        Assert.Equal("False", SessionHarness.ResultText(h.Ok("File.Exists(\"no-such-file\")")));
        Assert.Equal("text", SessionHarness.ResultText(h.Ok("var x = \"text\";\nx")));
        Assert.Equal("2", SessionHarness.ResultText(h.Ok("class Box { public int V = 2; }\nnew Box().V")));
    }

    [Fact]
    public void DisplayReturnsAHandleWhoseUpdateReplacesTheOutputFromALaterCell()
    {
        using var h = new SessionHarness();
        var first = h.Ok("var handle = display(\"first\");");
        var shown = first.OfType<DisplayDataOutput>().Single();
        Assert.Equal("first", SessionHarness.Text(shown.Bundle));
        Assert.False(string.IsNullOrEmpty(shown.DisplayId));

        var second = h.Ok("handle.Update(\"second\");");
        var update = second.OfType<UpdateDisplayDataOutput>().Single();
        Assert.Equal(shown.DisplayId, update.DisplayId);
        Assert.Equal("second", SessionHarness.Text(update.Bundle));
    }

    [Fact]
    public void DisplayWithMimeTypeAndHtmlHelper()
    {
        using var h = new SessionHarness();
        var outputs = h.Ok("display(\"<b>x</b>\", \"text/html\");\nHTML(\"<i>y</i>\")");
        var d = outputs.OfType<DisplayDataOutput>().Single();
        Assert.Equal(["text/html"], d.Bundle.Data.Keys);
        Assert.Equal("<pre>&lt;b&gt;x&lt;/b&gt;</pre>", d.Bundle.GetText("text/html"));
        Assert.Equal("<i>y</i>", outputs.OfType<ExecuteResultOutput>().Single().Bundle.GetText("text/html"));
    }

    [Fact]
    public void DisplayExtensionMethodWorksWithoutUsing()
    {
        using var h = new SessionHarness();
        var outputs = h.Ok("new[] { new { a = 1 } }.DisplayTable();\n42.Display();");
        // the table, after the loader of the table-sorting script (the session's first table), and 42
        var displays = outputs.OfType<DisplayDataOutput>().ToList();
        Assert.Equal(3, displays.Count);
        Assert.Equal("course-table-sort", displays[0].Bundle.Metadata[PageAsset.MetadataKey]!.GetValue<string>());
        Assert.Contains("<th>a</th>", displays[1].Bundle.GetText("text/html"));
    }

    [Fact]
    public void ConsoleOutputIsCapturedPerCellInOrder()
    {
        using var h = new SessionHarness();
        var a = h.Ok("Console.Write(\"a\"); Console.WriteLine(\"b\"); Console.Error.WriteLine(\"oops\"); display(1); Console.WriteLine(\"c\");");
        Assert.Equal(["stream:stdout:ab\n", "stream:stderr:oops\n", "display", "stream:stdout:c\n"],
            a.Select(o => o is StreamOutput s ? $"stream:{s.Name}:{s.Text}" : "display").ToList());
        var b = h.Ok("Console.WriteLine(\"next\");");
        Assert.Equal("next\n", SessionHarness.Stdout(b));
    }

    [Fact]
    public void CompileErrorNamesTheLineAndKeepsEarlierState()
    {
        using var h = new SessionHarness();
        h.Ok("var kept = 7;");
        var error = h.Fails("var a = 1;\n\nvar b = undefinedName;");
        Assert.Equal("CompilationError", error.Name);
        Assert.Equal(3, error.Line);
        Assert.Contains("undefinedName", error.Value);
        Assert.Equal("7", SessionHarness.ResultText(h.Ok("kept")));
    }

    [Fact]
    public void RuntimeErrorHasTypeMessageAndCellLine()
    {
        using var h = new SessionHarness();
        var error = h.Fails("var ok = 1;\nthrow new InvalidOperationException(\"boom\");");
        Assert.Equal("System.InvalidOperationException", error.Name);
        Assert.Equal("boom", error.Value);
        Assert.Equal(2, error.Line);
        Assert.Contains(error.Traceback, l => l.Contains("line 2"));
    }

    [Fact]
    public void CSharpSelectorIsAcceptedAndOtherMagicsFailNamingTheMagic()
    {
        using var h = new SessionHarness();
        Assert.Equal("2", SessionHarness.ResultText(h.Ok("#!csharp\n1 + 1")));
        var error = h.Fails("#!fsharp\nlet x = 1");
        Assert.Equal("DirectiveError", error.Name);
        Assert.Contains("#!fsharp", error.Value);
        Assert.Equal(1, error.Line);
        Assert.Contains("#!time", h.Fails("var y = 2;\n#!time").Value);
    }

    [Fact]
    public void WorkingDirectoryIsTheNotebookFolder()
    {
        using var h = new SessionHarness();
        File.WriteAllText(Path.Combine(h.Folder, "data.txt"), "hello");
        Assert.Equal("hello", SessionHarness.ResultText(h.Ok("System.IO.File.ReadAllText(\"data.txt\")")));
    }

    [Fact]
    public void LoadIsRelativeToTheNotebookFolderAndItsGlobalUsingsApply()
    {
        using var h = new SessionHarness();
        Directory.CreateDirectory(Path.Combine(h.Folder, "helpers"));
        File.WriteAllText(Path.Combine(h.Folder, "helpers", "setup.csx"), "global using System.IO;\nstring Greet(string n) => $\"hello {n}\";\n");
        h.Ok("#load \"helpers/setup.csx\"");
        Assert.Equal("hello course", SessionHarness.ResultText(h.Ok("Greet(\"course\")")));
        Assert.Equal("setup.csx", SessionHarness.ResultText(h.Ok("Path.GetFileName(\"helpers/setup.csx\")")));
    }

    [Fact]
    public void ReferencedAssemblyIsShadowCopiedSoItsFileCanBeRebuilt()
    {
        using var h = new SessionHarness();
        var libDir = Path.Combine(h.Folder, "lib");
        var dll = TestAssemblies.Compile(libDir, "ShadowLib", "namespace ShadowLib { public static class Answer { public static int Get() => 42; } }");
        var outputs = h.Ok("#r \"lib/ShadowLib.dll\"\n(ShadowLib.Answer.Get(), typeof(ShadowLib.Answer).Assembly.Location)");
        var text = SessionHarness.ResultText(outputs);
        Assert.StartsWith("(42, ", text);
        Assert.DoesNotContain(libDir, text);
        // "rebuilding" the library while the session is open is not blocked
        TestAssemblies.Compile(libDir, "ShadowLib", "namespace ShadowLib { public static class Answer { public static int Get() => 43; } }");
        File.Delete(dll);
        Assert.Equal("42", SessionHarness.ResultText(h.Ok("ShadowLib.Answer.Get()")));
    }

    [Fact]
    public void HostAssembliesAreSharedWithCells()
    {
        using var h = new SessionHarness();
        var hostDisplay = typeof(Chart).Assembly.Location;
        var copy = Path.Combine(h.Folder, "copy");
        Directory.CreateDirectory(copy);
        File.Copy(hostDisplay, Path.Combine(copy, "Course.Display.dll"));
        var text = SessionHarness.ResultText(h.Ok("#r \"copy/Course.Display.dll\"\ntypeof(Course.Display.Chart).Assembly.Location"));
        Assert.Equal(hostDisplay, text);
    }

    [Fact]
    public void UnknownNuGetPackageFailsWithAClearMessage()
    {
        using var h = new SessionHarness();
        var error = h.Fails("#r \"nuget: No.Such.Package.For.Course.Tests, 1.0.0\"\n1");
        Assert.Equal("NuGetRestoreError", error.Name);
        Assert.Contains("No.Such.Package.For.Course.Tests", error.Value);
        Assert.Contains("cannot be restored", error.Value);
    }

    [Fact]
    public void MalformedNuGetDirectiveFails()
    {
        using var h = new SessionHarness();
        Assert.Equal("DirectiveError", h.Fails("#r \"nuget:\"").Name);
    }

    [Fact]
    public void ChartsLoadPlotlyOnceBeforeTheFirstChart()
    {
        using var h = new SessionHarness();
        var outputs = h.Ok("using Course.Display;\ndisplay(Chart.Line(new[] { 1, 2, 3 }));\nChart.Bar(new[] { \"a\", \"b\" }, new[] { 1.0, 2.0 })");
        var assets = outputs.OfType<DisplayDataOutput>().Where(d => d.Bundle.Metadata[PageAsset.MetadataKey] is not null).ToList();
        Assert.Single(assets);
        Assert.Contains("Plotly", assets[0].Bundle.GetText("text/html"));
        Assert.IsType<DisplayDataOutput>(outputs[0]); // the loader comes first
        Assert.Same(assets[0], outputs[0]);
        var again = h.Ok("Chart.Histogram(new[] { 1.0, 2.0, 2.5 })");
        Assert.DoesNotContain(again.OfType<DisplayDataOutput>(), d => d.Bundle.Metadata[PageAsset.MetadataKey] is not null);
        Assert.Contains("application/vnd.plotly.v1+json", again.OfType<ExecuteResultOutput>().Single().Bundle.Data.Keys);
    }

    [Fact]
    public void AnyPageAssetIsLoadedOnceByItsOwnLoader()
    {
        using var h = new SessionHarness();
        const string cell = "using Course.Display;\nvar asset = new PageAsset(\"test-asset\", () => \"<script>/* test loader */</script>\");\n" +
                            "display(MimeBundle.Html(\"<b>a</b>\").Require(asset));\ndisplay(MimeBundle.Html(\"<b>b</b>\").Require(asset));";
        var outputs = h.Ok(cell).OfType<DisplayDataOutput>().ToList();
        Assert.Equal(3, outputs.Count);
        Assert.Equal("test-asset", outputs[0].Bundle.Metadata[PageAsset.MetadataKey]!.GetValue<string>());
        Assert.Equal("<script>/* test loader */</script>", outputs[0].Bundle.GetText(MimeTypes.Html));
        Assert.Null(outputs[0].DisplayId);
        Assert.Equal(["<b>a</b>", "<b>b</b>"], outputs.Skip(1).Select(o => o.Bundle.GetText(MimeTypes.Html)));
    }

    [Fact]
    public void NoAssetLoadersWhenTheFrontEndProvidesThem()
    {
        using var h = new SessionHarness(emitAssets: false);
        var outputs = h.Ok("using Course.Display;\nChart.Line(new[] { 1, 2, 3 })");
        Assert.IsType<ExecuteResultOutput>(Assert.Single(outputs));
    }

    [Fact]
    public void ProgressUpdatesOneOutputInPlaceAndEndsWithTheFinalState()
    {
        using var h = new SessionHarness();
        var outputs = h.Ok("using Course.Display;\nvar p = Progress.Start(50, \"train\");\nfor (int i = 0; i < 50; i++) { p.Step(1.0 / (i + 1)); }\np.Finish();");
        var shown = outputs.OfType<DisplayDataOutput>().Single(d => d.DisplayId is not null);
        var updates = outputs.OfType<UpdateDisplayDataOutput>().ToList();
        Assert.NotEmpty(updates);
        Assert.All(updates, u => Assert.Equal(shown.DisplayId, u.DisplayId));
        var last = updates[^1].Bundle;
        Assert.StartsWith("train [##############################] 50/50  loss 0.02", SessionHarness.Text(last));
        Assert.Contains("<progress value=\"50\" max=\"50\"", last.GetText("text/html"));
        Assert.NotNull(last.Metadata[PlotlyHtml.FigureMetadataKey]);
    }

    [Fact]
    public async Task InterruptStopsAProgressLoop()
    {
        using var h = new SessionHarness();
        using var cts = new CancellationTokenSource();
        var outputs = new List<CellOutput>();
        // interrupt as soon as the loop has shown its progress bar (as a user pressing stop would)
        var result = await h.Session.ExecuteAsync(
            "using Course.Display;\nvar p = Progress.Start(1000000);\nfor (int i = 0; i < 1000000; i++) { System.Threading.Thread.Sleep(1); p.Step(); }",
            o => { outputs.Add(o); if (o is DisplayDataOutput { DisplayId: not null }) cts.CancelAfter(50); }, cts.Token);
        Assert.Equal(CellStatus.Cancelled, result.Status);
        Assert.Equal("System.OperationCanceledException", result.Error!.Name);
        Assert.Equal("1", SessionHarness.ResultText(h.Ok("1")));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Equal(CellStatus.Cancelled, h.Run("2", cancelled.Token).Result.Status);
    }

    [Fact]
    public void ANewSessionRemovesTheCopiesOfSessionsWhoseProcessEnded()
    {
        var parent = ShadowCopyFolder.Parent;
        using var ended = System.Diagnostics.Process.Start("true")!;
        ended.WaitForExit();
        using var running = System.Diagnostics.Process.Start("sleep", "30")!;
        var orphan = Path.Combine(parent, $"{ended.Id}-orphan");
        var alive = Path.Combine(parent, $"{running.Id}-alive");
        var foreign = Path.Combine(parent, "not-a-session");
        try
        {
            foreach (var d in new[] { orphan, alive, foreign }) { Directory.CreateDirectory(d); File.WriteAllText(Path.Combine(d, "a.dll"), "x"); }
            using var h = new SessionHarness();
            Assert.False(Directory.Exists(orphan), "the copies of a killed session are removed");
            Assert.True(Directory.Exists(alive), "a running session's copies stay");
            Assert.True(Directory.Exists(foreign), "a folder that does not name a process stays");
        }
        finally
        {
            running.Kill();
            foreach (var d in new[] { orphan, alive, foreign }) if (Directory.Exists(d)) Directory.Delete(d, recursive: true);
        }
    }
}

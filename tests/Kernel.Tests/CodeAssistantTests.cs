using Course.Kernel;
using Course.Notebook;

namespace Kernel.Tests;

/// <summary>Completions, inspection and is_complete from the Roslyn compilation of the next cell.</summary>
public class CodeAssistantTests
{
    private static async Task<(NotebookSession, CodeAssistant)> SessionWith(params string[] cells)
    {
        var session = new NotebookSession(new SessionOptions { WorkingDirectory = Path.GetTempPath(), SourceName = "assistant" });
        foreach (var cell in cells)
        {
            var r = await session.ExecuteAsync(cell, _ => { });
            Assert.True(r.Succeeded, r.Error?.ToString());
        }
        return (session, new CodeAssistant(session));
    }

    [Fact]
    public async Task CompletesVariablesOfEarlierCells()
    {
        var (session, assistant) = await SessionWith("var learningRate = 0.1; var layers = new List<int> { 1, 2 };");
        using (session)
        {
            var c = assistant.Complete("var y = lea", 11);
            Assert.Contains("learningRate", c.Matches);
            Assert.Equal(8, c.CursorStart);
            Assert.Equal(11, c.CursorEnd);
            var members = assistant.Complete("layers.Cou", 10);
            Assert.Contains("Count", members.Matches);
            Assert.All(members.Matches, m => Assert.StartsWith("Cou", m));
            Assert.Contains(("Count", "property"), members.Types);
            Assert.Contains("Select", assistant.Complete("layers.Sel", 10).Matches); // extension methods
        }
    }

    [Fact]
    public async Task CompletesStaticMembersNamespacesAndKeywords()
    {
        var (session, assistant) = await SessionWith();
        using (session)
        {
            Assert.Equal(["Sqrt"], assistant.Complete("Math.Sqr", 8).Matches);
            Assert.Contains("Collections", assistant.Complete("System.Coll", 11).Matches);
            Assert.Contains("foreach", assistant.Complete("forea", 5).Matches);
            Assert.Empty(assistant.Complete("var n = 12", 10).Matches); // a number is not a name
        }
    }

    [Fact]
    public async Task CompletionIgnoresKernelDirectivesAndCountsCodePoints()
    {
        var (session, assistant) = await SessionWith("var émoji = \"😀\";");
        using (session)
        {
            var code = "#!csharp\nvar s = \"😀\"; s.Leng";
            int codePoints = code.EnumerateRunes().Count();
            var c = assistant.Complete(code, codePoints);
            Assert.Equal(["Length"], c.Matches);
            Assert.Equal(codePoints - 4, c.CursorStart);
        }
    }

    [Fact]
    public async Task InspectShowsTheSymbol()
    {
        var (session, assistant) = await SessionWith("var rate = 0.5;");
        using (session)
        {
            Assert.Contains("double rate", assistant.Inspect("rate", 2)!.Signature);
            Assert.Contains("WriteLine", assistant.Inspect("Console.WriteLine", 12)!.Signature);
            Assert.Null(assistant.Inspect("   ", 1));
        }
    }

    [Theory]
    [InlineData("var x = 1;", "complete")]
    [InlineData("1 + 1", "complete")]
    [InlineData("for (int i = 0; i < 3; i++) {", "incomplete")]
    [InlineData("Console.WriteLine(", "incomplete")]
    [InlineData("var = ;", "invalid")]
    [InlineData("#!python\nprint(1)", "invalid")]
    public void IsComplete(string code, string expected) => Assert.Equal(expected, CodeAssistant.IsComplete(code));
}

using Course.Display;
using Course.Notebook;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Notebook.Tests;

/// <summary>
/// The notebook-to-program conversion on hand-written cells. The oracle is the C# compiler: each exported program must
/// compile as a regular program (against the framework and Course.Display, where AppGlobals lives), which it does not
/// when a redeclared variable, a misplaced type or using, an unassigned local or a void display is left as it was.
/// </summary>
public class FileBasedAppExporterTests
{
    private static NotebookDocument Notebook(params (string Type, string Source)[] cells)
    {
        var doc = NotebookDocument.Create();
        foreach (var (type, source) in cells) doc.AddCell(type, source);
        return doc;
    }

    private static string Export(params string[] codeCells) => Export(Notebook(codeCells.Select(c => ("code", c)).ToArray()));

    private static string Export(NotebookDocument doc) =>
        FileBasedAppExporter.Export(doc, new FileBasedAppExporter.Settings(Path.Combine(Path.GetTempPath(), "app.cs")));

    /// <summary>The program's compile errors (the #: lines are the SDK's, not the compiler's, and are left out).</summary>
    private static List<string> CompileErrors(string program)
    {
        var code = string.Join("\n", program.Split('\n').Select(l => l.StartsWith("#:", StringComparison.Ordinal) ? "" : l));
        var frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var refs = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetDirectoryName(p) == frameworkDir)
            .Append(typeof(AppGlobals).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("app", [CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest))], refs,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Disable));
        return compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
    }

    private static void AssertCompiles(string program)
    {
        var errors = CompileErrors(program);
        Assert.True(errors.Count == 0, string.Join("\n", errors) + "\n--- program\n" + program);
    }

    private static int IndexOf(string program, string text)
    {
        int i = program.IndexOf(text, StringComparison.Ordinal);
        Assert.True(i >= 0, $"'{text}' is not in the program:\n{program}");
        return i;
    }

    [Fact]
    public void TrailingExpressionIsDisplayedAndAVoidOneIsNot()
    {
        var program = Export("var x = 1 + 2;\nx", "Console.WriteLine(x)", "x * 2 // doubled");
        Assert.Contains("display(x);", program);
        Assert.Contains("display(x * 2); // doubled", program);
        Assert.Contains("Console.WriteLine(x);", program);
        Assert.DoesNotContain("display(Console", program);
        AssertCompiles(program);
    }

    [Fact]
    public void UsingDirectivesOfAnyCellGoToTheTop()
    {
        var program = Export("var a = new[] { 1, 2 };", "using System.Text.Json;\nvar s = JsonSerializer.Serialize(a);", "using System.Text.Json;\nConsole.WriteLine(s);");
        int start = IndexOf(program, "Course.Display.AppGlobals.Start(");
        Assert.True(IndexOf(program, "using System.Text.Json;") < start);
        Assert.Single(program.Split('\n'), l => l == "using System.Text.Json;");
        Assert.True(IndexOf(program, "using static Course.Display.AppGlobals;") < start);
        AssertCompiles(program);
    }

    [Fact]
    public void TypesMoveAfterTheStatementsInTheirOrder()
    {
        var program = Export("record Point(int X, int Y);\nvar p = new Point(1, 2);", "class Box { public int Size = 3; }\nConsole.WriteLine(p.X + new Box().Size);");
        int lastStatement = IndexOf(program, "Console.WriteLine(p.X");
        int point = IndexOf(program, "record Point(int X, int Y);");
        int box = IndexOf(program, "class Box");
        Assert.True(lastStatement < point && point < box, program);
        AssertCompiles(program);
    }

    [Fact]
    public void RedeclaredVariableIsRenamedWithItsLaterUsesButNotMembers()
    {
        var program = Export(
            "class Holder { public int x; }\nvar x = 1;\nvar y = x + 1;\nvar h = new Holder { x = x };",
            "var x = h.x + 10; // redeclared\nConsole.WriteLine(x);",
            "Func<int, int> twice = x => x * 2;\nvar pair = new { x, Size = h.x };\nvar tuple = (x, y);\nConsole.WriteLine(twice(x) + y + h?.x + pair.x + tuple.x);",
            "var x = \"three\";\nConsole.WriteLine(x.Length);");
        // the first cell is as written
        Assert.Contains("var x = 1;\nvar y = x + 1;\nvar h = new Holder { x = x };", program);
        // the second: the declaration and its uses are the new x, h.x is a member
        Assert.Contains("var x_2 = h.x + 10; // redeclared\nConsole.WriteLine(x_2);", program);
        // the third: the lambda's own x, the member names h.x and pair.x stay; the projection and tuple keep their names
        Assert.Contains("Func<int, int> twice = x => x * 2;", program);
        Assert.Contains("var pair = new { x = x_2, Size = h.x };", program);
        Assert.Contains("var tuple = (x: x_2, y);", program);
        Assert.Contains("Console.WriteLine(twice(x_2) + y + h?.x + pair.x + tuple.x);", program);
        // the fourth declares it once more
        Assert.Contains("var x_3 = \"three\";\nConsole.WriteLine(x_3.Length);", program);
        AssertCompiles(program);
    }

    [Fact]
    public void UseAboveTheRedeclarationInItsCellIsTheNewVariableAsInAScript()
    {
        // a script's cell reads its own (still default) x there: the program keeps that meaning, and the compiler
        // reports the notebook's mistake (use of a local before its declaration) instead of silently reading the old x
        var program = Export("var x = 1;", "Console.WriteLine(x);\nvar x = 5;");
        Assert.Contains("Console.WriteLine(x_2);\nvar x_2 = 5;", program);
        Assert.Contains(CompileErrors(program), e => e.Contains("CS0841"));
    }

    [Fact]
    public void ABlocksLocalNamedLikeATopLevelVariableIsRenamedALambdasIsNot()
    {
        // in a script a block's local may hide a top-level variable (a field); in a program that is CS0136
        var program = Export("var probe = 1;",
            "for (int i = 0; i < 2; i++)\n{\n    var probe = i * 10;\n    Console.WriteLine(probe + 1);\n}\nFunc<int, int> f = probe => probe + 1;\nConsole.WriteLine(probe);",
            "foreach (var probe in new[] { 5 }) Console.WriteLine(probe);");
        Assert.Contains("    var probe_2 = i * 10;\n    Console.WriteLine(probe_2 + 1);\n}\nFunc<int, int> f = probe => probe + 1;\nConsole.WriteLine(probe);", program);
        Assert.Contains("foreach (var probe_3 in new[] { 5 }) Console.WriteLine(probe_3);", program);
        AssertCompiles(program);
    }

    [Fact]
    public void AVariableNamedLikeAGlobalIsRenamedButCallsStillMeanTheGlobal()
    {
        // a script's call display(...) skips a variable named display (it is not invocable) and calls the global
        var program = Export("display(1);", "var display = new List<int> { 2 };\ndisplay.Add(3);\ndisplay(display.Count);", "display(display);", "display.Count");
        Assert.Contains("var display_2 = new List<int> { 2 };\ndisplay_2.Add(3);\ndisplay(display_2.Count);", program);
        Assert.Contains("display(display_2);", program);
        Assert.Contains("display(display_2.Count);\n", program);
        AssertCompiles(program);
    }

    [Fact]
    public void ADeconstructionIntoARenamedVariableTakesNoElementName()
    {
        var program = Export("var best = 0; var score = 0.0;", "if (true)\n{\n    int best = 1; double score = 0;\n    (best, score) = (2, 0.5);\n    var pair = (best, score);\n}");
        Assert.Contains("    (best_2, score_2) = (2, 0.5);\n    var pair = (best: best_2, score: score_2);", program);
    }

    [Fact]
    public void RedeclaredFunctionIsRenamed()
    {
        var program = Export("int Score(int v) => v;\nConsole.WriteLine(Score(1));", "Console.WriteLine(Score(2));\nint Score(int v) => 2 * v;", "Score(3)");
        Assert.Contains("Console.WriteLine(Score_2(2));\nint Score_2(int v) => 2 * v;", program);
        Assert.Contains("display(Score_2(3));", program);
        AssertCompiles(program);
    }

    [Fact]
    public void MarkdownCellsBecomeCommentsWhereTheyStood()
    {
        var program = Export(Notebook(("markdown", "# Title\n\nSome *text*."), ("code", "var a = 1;"), ("markdown", "## Next"), ("code", "a")));
        var expected = "// # Title\n//\n// Some *text*.\n\nvar a = 1;\n\n// ## Next\n\ndisplay(a);";
        Assert.Contains(expected, program);
        AssertCompiles(program);
    }

    [Fact]
    public void ScriptFunctionsAndUnassignedVariablesBecomeAProgramsLocals()
    {
        var program = Export("public static int Twice(int v) => 2 * v;\nint count;", "count += Twice(3);\ncount");
        Assert.Contains("static int Twice(int v) => 2 * v;", program);
        Assert.DoesNotContain("public static", program);
        Assert.Contains("int count = default;", program);
        AssertCompiles(program);
    }

    [Fact]
    public void NuGetReferencesBecomePackageDirectivesAndMagicsAreRejected()
    {
        var program = Export("#!csharp\n#r \"nuget: Humanizer.Core, 2.14.1\"\nvar n = 1;");
        Assert.Contains("#:package Humanizer.Core@2.14.1\n", program);
        Assert.DoesNotContain("#r", program);
        var e = Assert.Throws<NotebookDirectiveException>(() => Export("#!python\nprint(1)"));
        Assert.Contains("cell 1", e.Message);
        Assert.Contains("#!python", e.Message);
    }

    [Fact]
    public void ACellThatDoesNotParseIsNamed()
    {
        var e = Assert.Throws<InvalidDataException>(() => Export("var a = 1;", "var b = (1 + ;"));
        Assert.Contains("cell 2", e.Message);
    }

    [Fact]
    public void LoadedLibraryBecomesProjectDirectivesUsingsAndItsStatements()
    {
        using var repo = new TempFolder("export-repo-");
        Directory.CreateDirectory(repo.File("lib/Widgets"));
        File.WriteAllText(repo.File("lib/Widgets/Course.Widgets.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        Directory.CreateDirectory(repo.File("artifacts/dotnet"));
        File.WriteAllText(repo.File("artifacts/dotnet/widgets.references.csx"),
            "#r \"bin/Course.Widgets/release/Course.Widgets.dll\"\n#r \"bin/Course.Widgets/release/Some.Dependency.dll\"\n");
        File.WriteAllText(repo.File("lib/widgets.csx"), "// the widgets\n#load \"../artifacts/dotnet/widgets.references.csx\"\nglobal using Course.Widgets;\nglobal using static System.Math;\n// set up\nConsole.WriteLine(\"ready\");\n");
        Directory.CreateDirectory(repo.File("notebooks"));
        var doc = Notebook(("code", "#load \"../lib/widgets.csx\""), ("code", "var r = Sqrt(4.0);"));
        var program = FileBasedAppExporter.Export(doc, new FileBasedAppExporter.Settings(repo.File("artifacts/apps/ch.cs"), repo.File("notebooks"), repo.FullName, "Chapter"));
        Assert.Single(program.Split('\n'), l => l.StartsWith("#:project", StringComparison.Ordinal));
        Assert.Contains("#:project ../../lib/Widgets/Course.Widgets.csproj\n", program);
        Assert.Contains("#:property Configuration=Release\n", program);
        Assert.Contains("\nusing Course.Widgets;\n", program);
        Assert.Contains("\nusing static System.Math;\n", program);
        Assert.DoesNotContain("global using", program);
        Assert.DoesNotContain("#load", program);
        Assert.Contains("Course.Display.AppGlobals.Start(report: \"ch.html\", title: \"Chapter\", environmentFile: \"../course.env\", workingDirectory: \"../../notebooks\");", program);
        Assert.True(IndexOf(program, "// set up\nConsole.WriteLine(\"ready\");") < IndexOf(program, "var r = Sqrt(4.0);"));
    }

    [Fact]
    public void ReferenceOutsideTheBuildIsRejected()
    {
        using var repo = new TempFolder("export-repo-");
        var doc = Notebook(("code", "#r \"/usr/lib/some.dll\"\nvar a = 1;"));
        var e = Assert.Throws<NotebookDirectiveException>(() => FileBasedAppExporter.Export(doc, new FileBasedAppExporter.Settings(repo.File("app.cs"), repo.FullName, repo.FullName)));
        Assert.Contains("/usr/lib/some.dll", e.Message);
    }
}

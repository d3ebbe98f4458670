using System.Text.Json.Nodes;
using Course.Notebook;

namespace Notebook.Tests;

public class NotebookDocumentTests
{
    [Fact]
    public void SourceRoundTripsAsJupyterLines()
    {
        Assert.Equal("[\"a\\n\",\"b\"]", NotebookCell.ToLines("a\nb").ToJsonString());
        Assert.Equal("a\nb", NotebookCell.JoinText(NotebookCell.ToLines("a\nb")));
        Assert.Equal("x", NotebookCell.JoinText(JsonValue.Create("x")));
    }

    [Fact]
    public void SaveWritesAtomicallyAndLoadReadsBack()
    {
        var doc = NotebookDocument.Create();
        doc.AddCell("markdown", "# Title");
        doc.AddCell("code", "1 + 1");
        var path = Path.Combine(Path.GetTempPath(), "course-doc-" + Guid.NewGuid().ToString("N")[..8], "n.ipynb");
        doc.Save(path);
        var back = NotebookDocument.Load(path);
        Assert.Equal("1 + 1", back.Cells[1].Source);
        Assert.Equal("csharp-course", back.Metadata["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
        Directory.Delete(Path.GetDirectoryName(path)!, true);
    }

    [Fact]
    public void RejectsWhatIsNotANotebook()
    {
        Assert.Throws<InvalidDataException>(() => NotebookDocument.Parse(JsonNode.Parse("{\"nbformat\": 3, \"cells\": []}")));
        Assert.Throws<InvalidDataException>(() => NotebookDocument.Parse(JsonNode.Parse("{\"nbformat\": 4}")));
        Assert.Throws<FileNotFoundException>(() => NotebookDocument.Load("/no/such/notebook.ipynb"));
    }

    [Fact]
    public void CellPreprocessorKeepsLineNumbers()
    {
        var r = CellPreprocessor.Process("#!csharp\n#r \"nuget: Foo, 1.2.3\"\n#i \"nuget: https://example.org/v3/index.json\"\nvar x = 1;");
        Assert.Equal("\n\n\nvar x = 1;", r.Code);
        Assert.Equal([new NuGetPackageReference("Foo", "1.2.3")], r.Packages);
        Assert.Equal(["https://example.org/v3/index.json"], r.Sources);
        Assert.Null(CellPreprocessor.Process("#r \"nuget:Bar\"").Packages[0].Version);
    }
}

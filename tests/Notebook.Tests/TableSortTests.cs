using Course.Display;
using Course.Testing;

namespace Notebook.Tests;

/// <summary>
/// The table-sorting script run by node (which ./course setup brings with npm) over a small stand-in for the page: the
/// order it gives cell texts, and a column sorted up and down by two clicks.
/// </summary>
public class TableSortTests
{
    private const string Harness = """
        const fs = require("fs");
        global.window = global;
        global.document = { addEventListener() {}, createElement() { return {}; }, head: { appendChild() {} } };
        eval(fs.readFileSync(process.argv[2], "utf8"));
        console.log(JSON.stringify(["10", "9", "", "b", "a", "-1", "2.5e3", "1.5"].sort(courseTable.compare)));
        const body = { rows: [], appendChild(r) { const i = this.rows.indexOf(r); if (i >= 0) this.rows.splice(i, 1); this.rows.push(r); } };
        for (const [name, value] of [["x", "3"], ["y", ""], ["z", "10"], ["w", "2"]])
          body.rows.push({ name, cells: [{ textContent: name }, { textContent: value }] });
        const table = { tBodies: [body] }, headers = [], tr = { children: headers };
        const header = () => { const a = {}; return { parentNode: tr, attrs: a, getAttribute: k => a[k] ?? null, setAttribute: (k, v) => { a[k] = v; }, removeAttribute: k => { delete a[k]; }, closest: () => table }; };
        headers.push(header(), header());
        courseTable.sort(headers[1]); console.log(body.rows.map(r => r.name).join("") + " " + headers[1].attrs["aria-sort"]);
        courseTable.sort(headers[1]); console.log(body.rows.map(r => r.name).join("") + " " + headers[1].attrs["aria-sort"]);
        courseTable.sort(headers[0]); console.log(body.rows.map(r => r.name).join("") + " " + headers[0].attrs["aria-sort"] + " " + headers[1].attrs["aria-sort"]);
        """;

    [Fact]
    public void ClicksSortNumbersAsNumbersTextAfterAndEmptyCellsLast()
    {
        var folder = Path.Combine(Repo.TestOutput, "table-sort");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "table-sort.js"), TableSort.Script);
        File.WriteAllText(Path.Combine(folder, "harness.js"), Harness);
        var run = ChildProcess.Run("node", [Path.Combine(folder, "harness.js"), Path.Combine(folder, "table-sort.js")], TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("[\"-1\",\"1.5\",\"9\",\"10\",\"2.5e3\",\"a\",\"b\",\"\"]", lines[0]);
        Assert.Equal("wxzy ascending", lines[1]);   // 2, 3, 10, then the empty cell
        Assert.Equal("zxwy descending", lines[2]);  // 10, 3, 2, the empty cell still last
        Assert.Equal("wxyz ascending undefined", lines[3]); // by name; the other header loses its mark
    }

    [Fact]
    public void EveryTableLoadsTheScriptOnce()
    {
        var bundle = Table.From(new[] { new { a = 1 } }).ToMimeBundle();
        Assert.Equal(["course-table-sort"], bundle.Requires.Select(a => a.Name));
        Assert.Contains(TableSort.Script, TableSort.Asset.Loader().GetText(MimeTypes.Html));
    }
}

namespace Course.Display;

/// <summary>
/// Sorting of the kit's tables in the page: a click on a column header of any <c>table.course-table</c> sorts its rows
/// by that column, ascending, then descending on the next click (numbers as numbers, text by locale, empty cells last
/// either way). One script per page, loaded as a <see cref="PageAsset"/> before the first table, so the table's own
/// HTML stays plain (and sorts in the book too, which loads <see cref="Script"/> once per page).
/// </summary>
public static class TableSort
{
    /// <summary>The script as a page asset: every <see cref="Table"/> lists it in <see cref="MimeBundle.Requires"/>.</summary>
    public static PageAsset Asset { get; } = new("course-table-sort", () => "<script type=\"text/javascript\">" + Script + "</script>");

    /// <summary>
    /// The script. It defines <c>window.courseTable.compare(a, b)</c> (two cell texts, ascending order) and
    /// <c>window.courseTable.sort(th)</c>, and sorts on clicks through one listener on the document; loading it twice
    /// does nothing the second time.
    /// </summary>
    public const string Script = """
        (function () {
          if (window.courseTable) return;
          function compare(a, b) {
            var x = a.trim(), y = b.trim();
            if (x === "" || y === "") return x === y ? 0 : (x === "" ? 1 : -1);
            var p = Number(x), q = Number(y);
            if (!isNaN(p) && !isNaN(q)) return p < q ? -1 : p > q ? 1 : 0;
            if (!isNaN(p) !== !isNaN(q)) return isNaN(p) ? 1 : -1;
            return x.localeCompare(y);
          }
          function text(row, column) { var cell = row.cells[column]; return cell ? cell.textContent : ""; }
          function sort(th) {
            var table = th.closest("table"), body = table.tBodies[0];
            if (!body) return;
            var headers = th.parentNode.children, column = Array.prototype.indexOf.call(headers, th);
            var descending = th.getAttribute("aria-sort") === "ascending";
            Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
            th.setAttribute("aria-sort", descending ? "descending" : "ascending");
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (r, s) {
              var a = text(r, column), b = text(s, column);
              if (a.trim() === "" || b.trim() === "") return compare(a, b);
              return descending ? compare(b, a) : compare(a, b);
            });
            rows.forEach(function (r) { body.appendChild(r); });
          }
          window.courseTable = { compare: compare, sort: sort };
          document.addEventListener("click", function (e) {
            var th = e.target && e.target.closest ? e.target.closest("table.course-table thead th") : null;
            if (th) sort(th);
          });
          var style = document.createElement("style");
          style.textContent = "table.course-table thead th{cursor:pointer}" +
            "table.course-table th[aria-sort=ascending]::after{content:' \\25B2'}" +
            "table.course-table th[aria-sort=descending]::after{content:' \\25BC'}";
          document.head.appendChild(style);
        })();
        """;
}

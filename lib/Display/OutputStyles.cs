namespace Course.Display;

/// <summary>
/// The CSS that the kit's static pages share: the page frame, and how outputs look (stderr, errors, tables). The book
/// (the runner's <c>BookBuilder</c>) and an exported app's <see cref="HtmlReport"/> each add their own rules between the two.
/// </summary>
public static class OutputStyles
{
    /// <summary>The page: font, colours, a centred column.</summary>
    public const string Page = """
        body { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2328; background: #fff; margin: 0; }
        main { max-width: 920px; margin: 0 auto; padding: 24px 20px 64px; line-height: 1.55; }

        """;

    /// <summary>Outputs: stderr and error text, the output frame, the kit's tables (after the page's own <c>pre</c> rules).</summary>
    public const string Outputs = """
        pre.stderr { border-left-color: #d4a72c; background: #fff8e1; }
        pre.error { border-left-color: #cf222e; background: #ffebe9; color: #82071e; }
        div.out { margin-top: 6px; overflow-x: auto; }
        table.course-table { border-collapse: collapse; font-size: 13px; margin: 6px 0; }
        table.course-table th, table.course-table td { border: 1px solid #d0d7de; padding: 4px 10px; text-align: right; }
        table.course-table th { background: #f6f8fa; }

        """;
}

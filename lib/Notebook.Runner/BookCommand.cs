namespace Course.Notebook.Runner;

/// <summary><c>book</c>: rebuilds artifacts/book/ from the executed notebooks already in artifacts/notebooks/.</summary>
public static class BookCommand
{
    public static int Run(string[] args)
    {
        if (args.Length > 0) throw new UsageException("book takes no arguments.");
        var index = BookBuilder.Build(RepoLayout.FromEnvironment());
        Console.Out.WriteLine($"book: {index}");
        return 0;
    }
}

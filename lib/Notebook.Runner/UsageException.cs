namespace Course.Notebook.Runner;

/// <summary>Wrong command line; the message says what is expected.</summary>
public sealed class UsageException(string message) : Exception(message);

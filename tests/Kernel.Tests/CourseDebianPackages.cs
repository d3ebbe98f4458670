using System.Text.RegularExpressions;

namespace Kernel.Tests;

/// <summary>The Debian packages ./course setup installs: the DEBIAN_PACKAGES array of ./course, read from the script.</summary>
public static partial class CourseDebianPackages
{
    public static string Script => Path.Combine(Checkout.Root, "course");

    public static IReadOnlyList<string> Read() => Parse(File.ReadAllText(Script));

    /// <summary>
    /// The words from the line "DEBIAN_PACKAGES=(" to the ")" that closes it, each line's comment (from "#") left out;
    /// the comments may hold parentheses, the words may not.
    /// </summary>
    public static IReadOnlyList<string> Parse(string script)
    {
        var lines = script.Split('\n');
        int start = Array.FindIndex(lines, l => l.StartsWith("DEBIAN_PACKAGES=(", StringComparison.Ordinal));
        if (start < 0) throw new InvalidDataException($"{Script} has no DEBIAN_PACKAGES=( ... ) array at the start of a line.");
        var words = new List<string>();
        bool closed = false;
        for (int i = start; i < lines.Length && !closed; i++)
        {
            var code = lines[i].Split('#')[0];
            if (i == start) code = code["DEBIAN_PACKAGES=(".Length..];
            int close = code.IndexOf(')');
            if (close >= 0) { code = code[..close]; closed = true; }
            words.AddRange(code.Split(new[] { ' ', '\t', '\r' }, StringSplitOptions.RemoveEmptyEntries));
        }
        if (!closed) throw new InvalidDataException($"DEBIAN_PACKAGES=( in {Script} is never closed by a ')'.");
        var odd = words.Where(p => !PackageName().IsMatch(p)).ToList();
        if (odd.Count > 0) throw new InvalidDataException($"DEBIAN_PACKAGES in {Script} holds words that are not Debian package names: {string.Join(", ", odd)}.");
        if (words.Count == 0) throw new InvalidDataException($"DEBIAN_PACKAGES in {Script} is empty.");
        return words;
    }

    // Debian policy 5.6.1: lower-case letters, digits, + - . ; at least two characters, starting with a letter or digit
    [GeneratedRegex(@"^[a-z0-9][a-z0-9+.\-]+$")]
    private static partial Regex PackageName();
}

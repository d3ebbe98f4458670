using System.Text.RegularExpressions;

namespace Course.FineTuning;

/// <summary>Dotted module and parameter names matched against patterns: an exact name, or a glob where * is any text.</summary>
internal static class NamePattern
{
    /// <param name="suffix">also match a name that ends with "." + pattern (for layer names such as "q_proj")</param>
    public static bool IsMatch(string name, string pattern, bool suffix = false)
    {
        if (pattern.Contains('*')) return Regex.IsMatch(name, "^" + Regex.Escape(pattern).Replace("\\*", ".*") + "$");
        return name == pattern || (suffix && name.EndsWith("." + pattern, StringComparison.Ordinal));
    }
}

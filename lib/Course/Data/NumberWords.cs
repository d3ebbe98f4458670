namespace Course;

/// <summary>
/// Whole numbers spelled in English words, American style: no "and", hyphens between tens and units
/// (412071 → "four hundred twelve thousand seventy-one").
/// </summary>
public static class NumberWords
{
    /// <summary>The largest number <see cref="ToWords"/> spells.</summary>
    public const long Max = 999_999_999_999;

    private static readonly string[] Units =
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];
    private static readonly string[] Tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    private static readonly string[] Scales = ["", "thousand", "million", "billion"];

    /// <summary>Every character a spelling can contain (letters, space, hyphen).</summary>
    public static string Alphabet { get; } =
        new string(Units.Concat(Tens).Concat(Scales).Append("hundred").SelectMany(w => w).Append(' ').Append('-').Distinct().Order().ToArray());

    /// <summary>The number 0..<see cref="Max"/> in words.</summary>
    public static string ToWords(long n)
    {
        if (n is < 0 or > Max) throw new ArgumentOutOfRangeException(nameof(n), n, $"only 0..{Max:N0} can be spelled.");
        if (n == 0) return Units[0];
        var groups = new List<string>();
        for (int scale = 0; n > 0; scale++, n /= 1000)
        {
            int group = (int)(n % 1000);
            if (group == 0) continue;
            var words = BelowThousand(group);
            groups.Insert(0, scale == 0 ? words : $"{words} {Scales[scale]}");
        }
        return string.Join(' ', groups);
    }

    // 1..999
    private static string BelowThousand(int n)
    {
        int hundreds = n / 100, rest = n % 100;
        var parts = new List<string>(2);
        if (hundreds > 0) parts.Add($"{Units[hundreds]} hundred");
        if (rest > 0) parts.Add(rest < 20 ? Units[rest] : rest % 10 == 0 ? Tens[rest / 10] : $"{Tens[rest / 10]}-{Units[rest % 10]}");
        return string.Join(' ', parts);
    }
}

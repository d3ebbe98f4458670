using System.Globalization;

namespace Course;

/// <summary>How a hyperparameter's values are spread: a fixed list, a uniform range, or a range uniform on a log scale.</summary>
public enum HyperparameterScale { Discrete, Linear, Log }

/// <summary>
/// One hyperparameter of a <see cref="SearchSpace"/>: a list of values (width 32, 64, 128), a range searched on a
/// linear scale (dropout 0 … 0.5), or a range searched on a log scale (learning rate 1e-4 … 1e-1, where 1e-4 → 1e-3
/// matters as much as 1e-2 → 1e-1). Grid and evolutionary search need finitely many values: a range is cut into
/// <c>points</c> values evenly spaced on its scale (<see cref="Values"/>).
/// </summary>
public sealed class Hyperparameter
{
    private readonly double[] _values;

    private Hyperparameter(string name, HyperparameterScale scale, double low, double high, double[] values, bool integer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name; Scale = scale; Low = low; High = high; _values = values; Integer = integer;
    }

    public string Name { get; }
    public HyperparameterScale Scale { get; }
    public double Low { get; }
    public double High { get; }
    /// <summary>Whether values are rounded to whole numbers (a width, a number of epochs).</summary>
    public bool Integer { get; }
    /// <summary>The values of a discrete parameter (empty for a range).</summary>
    public IReadOnlyList<double> Choices => _values;

    /// <summary>A parameter that takes one of the listed values.</summary>
    public static Hyperparameter Discrete(string name, params double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0) throw new ArgumentException($"parameter '{name}' needs at least one value.", nameof(values));
        if (values.Any(v => !double.IsFinite(v))) throw new ArgumentException($"parameter '{name}' has a value that is not a finite number.", nameof(values));
        if (values.Distinct().Count() != values.Length) throw new ArgumentException($"parameter '{name}' lists a value twice.", nameof(values));
        return new Hyperparameter(name, HyperparameterScale.Discrete, values.Min(), values.Max(), values.ToArray(), values.All(v => v == Math.Round(v)));
    }

    /// <summary>A parameter in [low, high], searched uniformly.</summary>
    public static Hyperparameter Uniform(string name, double low, double high, bool integer = false)
    {
        CheckRange(name, low, high);
        return new Hyperparameter(name, HyperparameterScale.Linear, low, high, [], integer);
    }

    /// <summary>A parameter in [low, high] (both positive), searched uniformly in log(value).</summary>
    public static Hyperparameter LogUniform(string name, double low, double high, bool integer = false)
    {
        CheckRange(name, low, high);
        if (low <= 0) throw new ArgumentOutOfRangeException(nameof(low), low, $"a log-scale parameter ('{name}') needs a positive range.");
        return new Hyperparameter(name, HyperparameterScale.Log, low, high, [], integer);
    }

    private static void CheckRange(string name, double low, double high)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high) || !(low < high))
            throw new ArgumentException($"parameter '{name}' needs finite bounds with low < high (got {low}, {high}).");
    }

    /// <summary>A value drawn uniformly (on the parameter's scale; one of the choices for a discrete parameter).</summary>
    public double Sample(SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (Scale == HyperparameterScale.Discrete) return _values[random.NextInt64(_values.Length)];
        double u = (random.NextUInt64() >> 11) * (1.0 / (1UL << 53));    // [0, 1) with 53 random bits
        double v = Scale == HyperparameterScale.Log ? Math.Exp(Math.Log(Low) + u * (Math.Log(High) - Math.Log(Low))) : Low + u * (High - Low);
        return Integer ? Math.Clamp(Math.Round(v), Math.Ceiling(Low), Math.Floor(High)) : v;
    }

    /// <summary>
    /// Finitely many values: a discrete parameter's choices, or <paramref name="points"/> values evenly spaced on the
    /// range's scale from Low to High (both ends included; rounded and deduplicated for an integer parameter).
    /// </summary>
    public IReadOnlyList<double> Values(int points)
    {
        if (Scale == HyperparameterScale.Discrete) return _values;
        if (points < 1) throw new ArgumentOutOfRangeException(nameof(points), points, "a range needs at least 1 grid point.");
        if (points == 1) return [Scale == HyperparameterScale.Log ? Math.Sqrt(Low * High) : (Low + High) / 2];
        var values = Enumerable.Range(0, points).Select(i =>
        {
            double t = (double)i / (points - 1);
            double v = Scale == HyperparameterScale.Log ? Math.Exp(Math.Log(Low) + t * (Math.Log(High) - Math.Log(Low))) : Low + t * (High - Low);
            return Integer ? Math.Round(v) : v;
        });
        return values.Distinct().ToArray();
    }

    /// <summary>A value as text: whole numbers plainly, others with four significant digits.</summary>
    public static string Format(double value) =>
        value == Math.Round(value) && Math.Abs(value) < 1e6 ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("G4", CultureInfo.InvariantCulture);

    public override string ToString() => Scale switch
    {
        HyperparameterScale.Discrete => $"{Name} ∈ {{{string.Join(", ", _values.Select(Format))}}}",
        HyperparameterScale.Log => $"{Name} ∈ [{Format(Low)}, {Format(High)}] (log scale)",
        _ => $"{Name} ∈ [{Format(Low)}, {Format(High)}]",
    };
}

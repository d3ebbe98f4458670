namespace Course;

/// <summary>One setting of every hyperparameter of a <see cref="SearchSpace"/>: names and values, compared by value.</summary>
public sealed class Configuration : IEquatable<Configuration>
{
    private readonly string[] _names;
    private readonly double[] _values;

    public Configuration(IReadOnlyList<string> names, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(values);
        if (names.Count != values.Count) throw new ArgumentException($"{names.Count} names but {values.Count} values.", nameof(values));
        _names = names.ToArray(); _values = values.ToArray();
    }

    public IReadOnlyList<string> Names => _names;
    public IReadOnlyList<double> Values => _values;

    /// <summary>The value of the parameter called <paramref name="name"/>.</summary>
    public double this[string name]
    {
        get
        {
            int i = Array.IndexOf(_names, name);
            if (i < 0) throw new KeyNotFoundException($"the configuration has no parameter '{name}' (it has: {string.Join(", ", _names)}).");
            return _values[i];
        }
    }

    public bool Equals(Configuration? other) => other is not null && _names.SequenceEqual(other._names) && _values.SequenceEqual(other._values);
    public override bool Equals(object? obj) => Equals(obj as Configuration);
    public override int GetHashCode() => _values.Aggregate(17, (h, v) => HashCode.Combine(h, v));

    /// <summary>"lr=0.001, width=64".</summary>
    public override string ToString() => string.Join(", ", _names.Zip(_values, (n, v) => $"{n}={Hyperparameter.Format(v)}"));
}

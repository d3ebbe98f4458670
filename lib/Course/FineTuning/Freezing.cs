namespace Course.FineTuning;

/// <summary>Which parameters learn: freezing and unfreezing by name, and counting what is left to train.</summary>
public static class Freezing
{
    /// <summary>
    /// Stops the parameters whose dotted names match a pattern from learning (requires_grad = false); with no pattern,
    /// every parameter. Patterns: an exact name, a prefix ending in ".*" ("blocks.0.*"), or any glob with *. Returns how
    /// many parameter tensors were frozen; a pattern that matches nothing is an error.
    /// </summary>
    public static int Freeze(nn.Module model, params string[] patterns) => Set(model, false, patterns);

    /// <summary>Lets the parameters whose names match a pattern learn again (requires_grad = true); see <see cref="Freeze"/>.</summary>
    public static int Unfreeze(nn.Module model, params string[] patterns) => Set(model, true, patterns);

    /// <summary>The parameters that learn, for the optimizer (a frozen one would only cost it state memory).</summary>
    public static IEnumerable<Parameter> Trainable(nn.Module model) => model.parameters().Where(p => p.requires_grad);

    /// <summary>Learnable elements that train, and in all (LoRA's A and B and prompts count in both).</summary>
    public static (long trainable, long total) CountParameters(nn.Module model)
    {
        long trainable = 0, total = 0;
        foreach (var p in model.parameters())
        {
            total += p.numel();
            if (p.requires_grad) trainable += p.numel();
        }
        return (trainable, total);
    }

    /// <summary>The trainable fraction of a model's parameters.</summary>
    public static double TrainableFraction(nn.Module model)
    {
        var (trainable, total) = CountParameters(model);
        return (double)trainable / total;
    }

    private static int Set(nn.Module model, bool requires, string[] patterns)
    {
        var named = model.named_parameters().ToList();
        if (patterns.Length == 0) { foreach (var (_, p) in named) p.requires_grad = requires; return named.Count; }
        int count = 0;
        foreach (var pattern in patterns)
        {
            var hits = named.Where(n => NamePattern.IsMatch(n.name, pattern)).ToList();
            if (hits.Count == 0)
                throw new ArgumentException($"no parameter of {model.GetType().Name} matches '{pattern}' (names look like: {string.Join(", ", named.Select(n => n.name).Take(6))}, ...)", nameof(patterns));
            foreach (var (_, p) in hits) p.requires_grad = requires;
            count += hits.Count;
        }
        return count;
    }
}

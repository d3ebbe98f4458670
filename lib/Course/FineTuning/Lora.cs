using Course.Models;

namespace Course.FineTuning;

/// <summary>Puts LoRA layers into a model by name, and folds them back out.</summary>
public static class Lora
{
    /// <summary>
    /// Replaces every <see cref="Linear"/> whose dotted name matches one of <paramref name="targets"/> by a
    /// <see cref="LoRALinear"/> over the same (now frozen) weights. A target matches a name that equals it or ends with
    /// "." + it ("q_proj" matches "blocks.3.attn.q_proj"), or a pattern with * ("blocks.5.*.v_proj"). Returns the names
    /// replaced; a target that matches no linear layer is an error, so a typo cannot silently train nothing. So is a
    /// layer whose place cannot hold a LoRA layer (a field typed <see cref="Linear"/>; the library's Transformers type
    /// their projections <c>nn.Module&lt;Tensor, Tensor&gt;</c>): every place is checked before any layer is replaced.
    /// </summary>
    public static IReadOnlyList<string> Inject(nn.Module model, IEnumerable<string> targets, long r, double lora_alpha = 1, double lora_dropout = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        var patterns = targets.ToArray();
        if (patterns.Length == 0) throw new ArgumentException("name at least one target layer (e.g. \"q_proj\")", nameof(targets));
        // the linear layers, leaving out those already wrapped by a LoRA layer
        var wrapped = Layers(model).Select(l => l.name + ".base_layer").ToHashSet();
        var layers = model.named_modules().Where(m => m.module is Linear && !wrapped.Contains(m.name)).ToList();
        var chosen = new List<string>();
        foreach (var pattern in patterns)
        {
            var hits = layers.Where(l => NamePattern.IsMatch(l.name, pattern, suffix: true)).Select(l => l.name).ToList();
            if (hits.Count == 0)
                throw new ArgumentException($"no linear layer of {model.GetType().Name} matches '{pattern}' (linear layers: {string.Join(", ", layers.Select(l => l.name).Take(12))}{(layers.Count > 12 ? ", ..." : "")})", nameof(targets));
            chosen.AddRange(hits.Where(h => !chosen.Contains(h)));
        }
        foreach (var name in chosen) SubmoduleSlot.EnsureFits(model, name, typeof(LoRALinear));   // all or none
        foreach (var name in chosen)
            model.set_submodule(name, new LoRALinear((Linear)model.get_submodule(name), r, lora_alpha, lora_dropout));
        return chosen;
    }

    /// <summary>The LoRA layers of a model, by name.</summary>
    public static IEnumerable<(string name, LoRALinear layer)> Layers(nn.Module model)
        => model.named_modules().Where(m => m.module is LoRALinear).Select(m => (m.name, (LoRALinear)m.module));

    /// <summary>Folds every LoRA update into its weight (the model keeps its LoRA layers and can be unmerged).</summary>
    public static void Merge(nn.Module model) { foreach (var (_, l) in Layers(model)) l.merge(); }

    /// <summary>Takes every merged update back out of its weight.</summary>
    public static void Unmerge(nn.Module model) { foreach (var (_, l) in Layers(model)) l.unmerge(); }

    /// <summary>
    /// Folds every LoRA update into its weight and puts the wrapped <see cref="Linear"/> back in the LoRA layer's place,
    /// holding W + ΔW: the model is again the architecture it was before <see cref="Inject"/>, its state dict has no lora_
    /// entries, and it saves as a plain checkpoint. The layers are trainable again, as a freshly built layer is.
    /// </summary>
    public static void MergeAndUnload(nn.Module model)
    {
        foreach (var (name, l) in Layers(model).ToList())
        {
            if (!l.merged) l.merge();
            model.set_submodule(name, l.base_layer);
            l.base_layer.weight.requires_grad = true;
            if (l.base_layer.bias is not null) l.base_layer.bias.requires_grad = true;
            l.lora_A.Dispose(); l.lora_B.Dispose();   // the LoRA layer is gone with its update
        }
    }
}

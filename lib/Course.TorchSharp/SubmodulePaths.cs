using System.Reflection;
using Course.Models;

namespace Course;

/// <summary>
/// PyTorch's <c>get_submodule</c> and <c>set_submodule</c>, which the course's binding has and TorchSharp 0.107.0 lacks:
/// compiled into the TorchSharp build only, so that the library (LoRA, quantization) and the chapters call them the same
/// way on both backends. A module's children are found by name as <c>named_children()</c> lists them; replacing one
/// stores the new module where the parent's forward finds it (its field, or its Sequential or ModuleList slot) and where
/// <c>named_modules()</c>, <c>parameters()</c> and <c>state_dict()</c> find it, in the same place among its siblings.
/// </summary>
public static class SubmodulePaths
{
    /// <summary>The submodule at a dotted path ("blocks.5.attn.q_proj"); "" is the module itself.</summary>
    public static nn.Module get_submodule(this nn.Module module, string target)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(target);
        var current = module;
        if (target.Length == 0) return current;
        var walked = "";
        foreach (var part in target.Split('.'))
        {
            var children = current.named_children().ToList();
            var child = children.Where(c => c.name == part).Select(c => c.module).FirstOrDefault();
            if (child is null)
                throw new ArgumentException($"{(walked.Length == 0 ? module.GetType().Name : $"'{walked}' ({current.GetType().Name})")} has no submodule '{part}' (it has: {string.Join(", ", children.Select(c => c.name))})", nameof(target));
            walked = walked.Length == 0 ? part : $"{walked}.{part}";
            current = child;
        }
        return current;
    }

    /// <summary>
    /// Replaces the submodule at a dotted path, as PyTorch's <c>set_submodule</c>: the parent's field (or container slot)
    /// that held the old module holds the new one. The new module must fit the place (<see cref="SubmoduleSlot"/>);
    /// otherwise nothing changes and the <see cref="ArgumentException"/> names the place.
    /// </summary>
    public static void set_submodule(this nn.Module module, string target, nn.Module replacement)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(replacement);
        if (string.IsNullOrEmpty(target)) throw new ArgumentException("set_submodule needs the path of a submodule, not \"\"", nameof(target));
        var (parent, field) = SubmoduleSlot.Fit(module, target, replacement.GetType());   // the one lookup and check of the place
        var name = target[(target.LastIndexOf('.') + 1)..];
        var old = parent.get_submodule(name);
        if (parent is Sequential sequential)
        {
            // TorchSharp's Sequential keeps its items in a private list of its own (not among the registered children)
            var items = (List<nn.IModule<Tensor, Tensor>>)(typeof(Sequential).GetField("_modules", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(sequential)
                ?? throw new InvalidOperationException("this TorchSharp's Sequential keeps its items elsewhere: set_submodule cannot replace them"));
            items[items.FindIndex(m => ReferenceEquals(m, old))] = (nn.IModule<Tensor, Tensor>)replacement;
            return;
        }
        if (field is not null) field.SetValue(parent, replacement);
        else parent.GetType().GetProperty("Item", [typeof(int)])?.SetValue(parent, replacement, [int.Parse(name)]);   // a ModuleList's slot
        // register the children again in their order, the new module in the old one's place
        var children = parent.named_children().ToList();
        foreach (var (n, _) in children) parent.register_module(n, null!);
        foreach (var (n, m) in children) parent.register_module(n, n == name ? replacement : m);
    }
}

using System.Reflection;

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
    /// that held the old module holds the new one. The new module must fit the field's type; otherwise nothing changes
    /// and the <see cref="ArgumentException"/> names the field.
    /// </summary>
    public static void set_submodule(this nn.Module module, string target, nn.Module replacement)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(replacement);
        if (string.IsNullOrEmpty(target)) throw new ArgumentException("set_submodule needs the path of a submodule, not \"\"", nameof(target));
        int dot = target.LastIndexOf('.');
        var parent = module.get_submodule(dot < 0 ? "" : target[..dot]);
        var name = dot < 0 ? target : target[(dot + 1)..];
        var old = parent.get_submodule(name);
        if (parent is Sequential sequential)
        {
            // TorchSharp's Sequential keeps its items in a private list of its own (not among the registered children)
            if (replacement is not nn.IModule<Tensor, Tensor> item)
                throw new ArgumentException($"Sequential holds modules with one tensor input and output; a {replacement.GetType().Name} is not one", nameof(replacement));
            var items = (List<nn.IModule<Tensor, Tensor>>)(typeof(Sequential).GetField("_modules", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(sequential)
                ?? throw new InvalidOperationException("this TorchSharp's Sequential keeps its items elsewhere: set_submodule cannot replace them"));
            items[items.FindIndex(m => ReferenceEquals(m, old))] = item;
            return;
        }
        if (ModuleListItemType(parent.GetType()) is { } itemType)
        {
            if (!itemType.IsInstanceOfType(replacement))
                throw new ArgumentException($"this ModuleList holds {itemType.Name}; a {replacement.GetType().Name} is not one", nameof(replacement));
            parent.GetType().GetProperty("Item")!.SetValue(parent, replacement, new object[] { int.Parse(name) });
        }
        else
        {
            FieldInfo? holder = null;
            for (var t = parent.GetType(); t != null && t != typeof(nn.Module) && holder is null; t = t.BaseType)
                holder = t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                          .FirstOrDefault(f => ReferenceEquals(f.GetValue(parent), old));
            if (holder != null && !holder.FieldType.IsInstanceOfType(replacement))
                throw new ArgumentException($"{parent.GetType().Name}.{holder.Name} holds a {holder.FieldType.Name}; a {replacement.GetType().Name} is not one", nameof(replacement));
            holder?.SetValue(parent, replacement);
        }
        // register the children again in their order, the new module in the old one's place
        var children = parent.named_children().ToList();
        foreach (var (n, _) in children) parent.register_module(n, null!);
        foreach (var (n, m) in children) parent.register_module(n, n == name ? replacement : m);
    }

    private static Type? ModuleListItemType(Type? type)
    {
        for (; type != null; type = type.BaseType)
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ModuleList<>)) return type.GetGenericArguments()[0];
        return null;
    }
}

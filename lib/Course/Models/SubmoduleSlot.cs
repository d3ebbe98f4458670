using System.Reflection;

namespace Course.Models;

/// <summary>
/// What may take a submodule's place. C# fields have types: a model whose field is typed <c>Linear</c> cannot hold a
/// LoRA layer or an int8 layer there, while a field typed <c>nn.Module&lt;Tensor, Tensor&gt;</c> (the attention and
/// feed-forward projections of the library's Transformers) or a <c>Sequential</c> can. Checking every place before
/// replacing any keeps a refused model as it was.
/// </summary>
public static class SubmoduleSlot
{
    /// <summary>
    /// The type a module must have to replace the one at <paramref name="target"/>: the type of the parent's field that
    /// holds it, the item type of a <c>ModuleList&lt;T&gt;</c>, or <c>nn.Module&lt;Tensor, Tensor&gt;</c> in a <c>Sequential</c>.
    /// </summary>
    public static Type TypeAt(nn.Module model, string target) => Find(model, target).type;

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming the place and its type when a <paramref name="replacement"/> cannot
    /// go at <paramref name="target"/>.
    /// </summary>
    public static void EnsureFits(nn.Module model, string target, Type replacement) => Fit(model, target, replacement);

    /// <summary>
    /// As <see cref="EnsureFits"/>, and returns the place found, so that a caller about to replace the module need not
    /// look it up again: its parent and the parent's field that holds it (null in a Sequential or ModuleList, or when no
    /// field does).
    /// </summary>
    internal static (nn.Module parent, FieldInfo? field) Fit(nn.Module model, string target, Type replacement)
    {
        var (parent, type, place, field) = Find(model, target);
        if (!type.IsAssignableFrom(replacement))
            throw new ArgumentException($"'{target}' of {model.GetType().Name} is held by {place}, which cannot hold a {replacement.Name} " +
                                        $"(a field or list of type nn.Module<Tensor, Tensor>, or a Sequential, can)");
        return (parent, field);
    }

    /// <summary>
    /// The place of the submodule at <paramref name="target"/>: its parent, the type a replacement must have, a
    /// description for messages, and the parent's field that holds it (null in a Sequential or ModuleList, or when no
    /// field does).
    /// </summary>
    private static (nn.Module parent, Type type, string place, FieldInfo? field) Find(nn.Module model, string target)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(target);
        int dot = target.LastIndexOf('.');
        var parent = model.get_submodule(dot < 0 ? "" : target[..dot]);
        var child = model.get_submodule(target);
        if (parent is Sequential) return (parent, typeof(nn.Module<Tensor, Tensor>), "a Sequential", null);
        for (var t = parent.GetType(); t != null; t = t.BaseType)
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(ModuleList<>)) return (parent, t.GetGenericArguments()[0], $"a {Describe(t)}", null);
        for (var t = parent.GetType(); t != null && t != typeof(nn.Module); t = t.BaseType)
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                if (ReferenceEquals(field.GetValue(parent), child)) return (parent, field.FieldType, $"{parent.GetType().Name}.{field.Name}, a field of type {Describe(field.FieldType)}", field);
        return (parent, typeof(nn.Module), "no field (registered by name only)", null);
    }

    private static string Describe(Type t) => t.IsGenericType ? $"{t.Name[..t.Name.IndexOf('`')]}<{string.Join(", ", t.GetGenericArguments().Select(Describe))}>" : t.Name;
}

using Course.FineTuning;
using Course.Models;

namespace Course.Compression;

/// <summary>Post-training dynamic int8 quantization of a model's linear layers, and what a model takes to store.</summary>
public static class Quantization
{
    /// <summary>
    /// Replaces every <see cref="Linear"/> of <paramref name="model"/> by a <see cref="DynamicQuantizedLinear"/> (in place,
    /// unlike PyTorch's <c>quantize_dynamic</c>, which copies: load a second model to keep the float one). Other layers
    /// (convolutions, norms, embeddings) stay float, as in PyTorch's default. Returns the names replaced. A LoRA layer is
    /// refused: fold it first (<c>Lora.MergeAndUnload</c>), or its update would be lost. So is a model with a linear layer
    /// in a field typed <c>Linear</c> (<see cref="SubmoduleSlot"/>), before anything is changed.
    /// </summary>
    public static IReadOnlyList<string> QuantizeDynamic(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model is Linear) throw new ArgumentException("the model is itself one linear layer: quantize it with DynamicQuantizedLinear.from_float", nameof(model));
        var lora = model.named_modules().FirstOrDefault(m => m.module is LoRALinear);
        if (lora.module is not null)
            throw new ArgumentException($"'{lora.name}' is a {lora.module.GetType().Name}, not a plain Linear: fold it into a plain layer first (e.g. Lora.MergeAndUnload)", nameof(model));
        var layers = model.named_modules().Where(m => m.module is Linear).ToList();
        foreach (var (name, _) in layers) SubmoduleSlot.EnsureFits(model, name, typeof(DynamicQuantizedLinear));   // all or none
        foreach (var (name, module) in layers)
        {
            var layer = (Linear)module;
            model.set_submodule(name, DynamicQuantizedLinear.from_float(layer));
            // free the float weights unless another layer still uses them (tied weights)
            var remaining = new HashSet<Tensor>(model.parameters(), ReferenceEqualityComparer.Instance);
            if (!remaining.Contains(layer.weight)) layer.weight.Dispose();
            if (layer.bias is not null && !remaining.Contains(layer.bias)) layer.bias.Dispose();
        }
        return layers.Select(l => l.name).ToList();
    }

    /// <summary>
    /// Bytes of the model's parameters and buffers as stored (element count × element size, each tensor once): float32
    /// weights take 4 bytes each, int8 weights 1 plus their float32 scales.
    /// </summary>
    public static long StorageBytes(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        long bytes = 0;
        foreach (var t in model.parameters().Cast<Tensor>().Concat(model.named_buffers().Select(b => b.buffer)))
            if (seen.Add(t)) bytes += t.numel() * t.dtype.ElementSize();
        return bytes;
    }
}

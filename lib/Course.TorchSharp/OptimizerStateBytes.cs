namespace Course;

/// <summary>
/// The course binding's <c>StateBytes</c> on TorchSharp's optimizers, compiled into the TorchSharp build only: the bytes
/// of the state tensors an optimizer keeps beside the parameters (AdamW: two moments per trainable element), read from
/// TorchSharp's per-parameter state objects, so that the fine-tuning chapters report optimizer memory on both backends.
/// </summary>
public static class OptimizerStateBytes
{
    extension(TorchSharp.Modules.OptimizerHelper optimizer)
    {
        public long StateBytes => optimizer.state_dict().State
            .SelectMany(state => state.GetType().GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public)
                .Where(f => f.FieldType == typeof(Tensor))
                .Select(f => (Tensor?)f.GetValue(state)))
            .Where(t => t is not null && !t.IsInvalid)
            .Sum(t => t!.numel() * t.ElementSize);
    }
}

using Course.Models;
using static Torch.torch;

namespace Course.Serving;

/// <summary>The model <c>./course serve</c> serves: chapter 02's LeNet (width 32) for 28×28 Fashion-MNIST images.</summary>
public static class ServedLeNet
{
    /// <summary>One example: one channel of 28×28 pixels.</summary>
    public static int[] InputShape => [1, 28, 28];

    /// <summary>
    /// The LeNet with weights from <paramref name="model"/> (a .safetensors file, or a checkpoint name in
    /// artifacts/checkpoints), by default the checkpoint "lenet" that chapter 02's full run saves, and where they came from.
    /// When that default checkpoint is missing the model is untrained (seeded) and <paramref name="warning"/> says so; a
    /// named file or checkpoint that is missing is an error.
    /// </summary>
    public static (LeNet model, string source) Load(string? model, out string? warning)
    {
        warning = null;
        if (model is null)
        {
            var lenet = new LeNet(width: 32);
            if (Checkpoints.TryLoad(lenet, "lenet") is { } saved) return (lenet, $"checkpoint lenet of {saved:yyyy-MM-dd HH:mm} UTC");
            lenet.Dispose();
            manual_seed(0);
            warning = $"no checkpoint {Checkpoints.PathOf("lenet")} (chapter 02's full run saves it): serving an UNTRAINED LeNet, its predictions are meaningless.";
            return (new LeNet(width: 32), "untrained");
        }
        var path = model.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) || model.Contains('/') ? model : Checkpoints.PathOf(model);
        if (!File.Exists(path)) throw new FileNotFoundException($"the model {model} does not exist ({path}); give a .safetensors file or the name of a checkpoint in {Checkpoints.Folder}.", path);
        var loaded = new LeNet(width: 32);
        loaded.load(path);
        return (loaded, path);
    }
}

using Course.Models;
using Torch;
using static Torch.torch;

namespace Course.Serving;

/// <summary>
/// A libtorch model as a serving backend: eval mode, no graph (no_grad), inputs standardised with the training split's
/// mean and standard deviation, softmax over the outputs. Call it from one thread (the server's worker does).
/// </summary>
public sealed class TorchBackend : IModelBackend
{
    /// <summary>Mean and standard deviation of the pixels of chapter 02's training split (FashionMnist.Load(validationSize: 5000,
    /// seed: 0), 55,000 images), which its LeNet trains on; Serving.Tests checks them against the loader.</summary>
    public const double FashionMnistMean = 0.28595536947250366, FashionMnistStd = 0.3529370427131653;

    private readonly nn.Module<Tensor, Tensor> model;
    private readonly double mean, std;
    private bool disposed;

    public TorchBackend(nn.Module<Tensor, Tensor> model, int[] inputShape, double mean, double std, IReadOnlyList<string>? classNames, string name)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length == 0 || inputShape.Any(d => d < 1)) throw new ArgumentException($"the input shape [{string.Join(", ", inputShape)}] needs positive sizes.", nameof(inputShape));
        if (!(std > 0)) throw new ArgumentOutOfRangeException(nameof(std), std, "the standard deviation must be positive.");
        (this.model, InputShape, this.mean, this.std, ClassNames, Name) = (model, inputShape, mean, std, classNames, name);
        model.eval();
    }

    public string Name { get; }
    public int[] InputShape { get; }
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Chapter 02's LeNet with the weights <see cref="ServedLeNet.Load"/> finds for <paramref name="model"/>.</summary>
    public static TorchBackend LeNet(string? model, out string? warning)
    {
        var (lenet, source) = ServedLeNet.Load(model, out warning);
        return new TorchBackend(lenet, ServedLeNet.InputShape, FashionMnistMean, FashionMnistStd, FashionMnist.ClassNames, $"libtorch LeNet ({source})");
    }

    public float[][] Predict(float[][] batch)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Length == 0) return [];
        var flat = this.Flatten(batch);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var x = tensor(flat, [batch.Length, .. InputShape.Select(d => (long)d)]);
        var logits = model.forward(x.sub(mean).div(std));
        var probabilities = logits.softmax(1).ToArray<float>();
        int classes = probabilities.Length / batch.Length;
        var rows = new float[batch.Length][];
        for (int i = 0; i < batch.Length; i++) rows[i] = probabilities.AsSpan(i * classes, classes).ToArray();
        return rows;
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        model.Dispose();
    }
}

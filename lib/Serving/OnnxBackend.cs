using Google.Protobuf;
using Course.Onnx;

namespace Course.Serving;

/// <summary>
/// An ONNX model run by ONNX Runtime as a serving backend: inputs standardised like <see cref="TorchBackend"/>'s, softmax
/// over the outputs. Call it from one thread (the server's worker does).
/// </summary>
public sealed class OnnxBackend : IModelBackend
{
    private readonly OnnxSession session;
    private readonly double mean, std;
    private bool disposed;

    public OnnxBackend(OnnxSession session, int[] inputShape, double mean, double std, IReadOnlyList<string>? classNames, string name)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length == 0 || inputShape.Any(d => d < 1)) throw new ArgumentException($"the input shape [{string.Join(", ", inputShape)}] needs positive sizes.", nameof(inputShape));
        if (!(std > 0)) throw new ArgumentOutOfRangeException(nameof(std), std, "the standard deviation must be positive.");
        var dims = session.InputDimensions;
        if (dims.Length != inputShape.Length + 1 || dims.Skip(1).Zip(inputShape).Any(p => p.First >= 0 && p.First != p.Second))
            throw new ArgumentException($"the ONNX model takes [{string.Join(", ", dims.Select(d => d < 0 ? "batch" : d.ToString()))}], not a batch of [{string.Join(", ", inputShape)}].", nameof(inputShape));
        (this.session, InputShape, this.mean, this.std, ClassNames, Name) = (session, inputShape, mean, std, classNames, name);
    }

    public string Name { get; }
    public int[] InputShape { get; }
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>
    /// Chapter 02's LeNet in ONNX Runtime: an .onnx file when <paramref name="model"/> names one, else the weights
    /// <see cref="ServedLeNet.Load"/> finds, exported in memory (so both engines serve the very same weights).
    /// </summary>
    public static OnnxBackend LeNet(string? model, out string? warning)
    {
        warning = null;
        OnnxSession session;
        string source;
        if (model is not null && model.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            session = new OnnxSession(model);
            source = model;
        }
        else
        {
            var (lenet, from) = ServedLeNet.Load(model, out warning);
            using (lenet)
            {
                lenet.eval();
                session = new OnnxSession(OnnxExporter.Export(lenet, [.. ServedLeNet.InputShape.Select(d => (long)d)], "lenet").ToByteArray());
            }
            source = $"exported from {from}";
        }
        return new OnnxBackend(session, ServedLeNet.InputShape, TorchBackend.FashionMnistMean, TorchBackend.FashionMnistStd, FashionMnist.ClassNames, $"ONNX Runtime LeNet ({source})");
    }

    public float[][] Predict(float[][] batch)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Length == 0) return [];
        var flat = this.Flatten(batch);
        float m = (float)mean, sd = (float)std;   // as libtorch computes (x - mean) / std on float32
        for (int j = 0; j < flat.Length; j++) flat[j] = (flat[j] - m) / sd;
        var (scores, shape) = session.Run(flat, [batch.Length, .. InputShape.Select(d => (long)d)]);
        int classes = (int)shape[^1];
        var rows = new float[batch.Length][];
        for (int i = 0; i < batch.Length; i++) rows[i] = Softmax(scores.AsSpan(i * classes, classes));
        return rows;
    }

    /// <summary>exp(z − max z) / Σ exp(z − max z), in double and rounded once.</summary>
    private static float[] Softmax(ReadOnlySpan<float> z)
    {
        float max = float.NegativeInfinity;
        foreach (var v in z) max = Math.Max(max, v);
        var e = new double[z.Length];
        double sum = 0;
        for (int k = 0; k < z.Length; k++) sum += e[k] = Math.Exp(z[k] - max);
        var p = new float[z.Length];
        for (int k = 0; k < z.Length; k++) p[k] = (float)(e[k] / sum);
        return p;
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        session.Dispose();
    }
}

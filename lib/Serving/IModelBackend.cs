namespace Course.Serving;

/// <summary>
/// What the server needs from a model: the shape of one example and a batched prediction. The server calls
/// <see cref="Predict"/> from one worker thread only, one batch at a time, so a backend needs no locking of its own.
/// libtorch (<see cref="TorchBackend"/>) is one backend; an ONNX Runtime session can be another behind the same interface.
/// </summary>
public interface IModelBackend : IDisposable
{
    /// <summary>A short name for health and metrics, e.g. "libtorch LeNet (checkpoint lenet)".</summary>
    string Name { get; }

    /// <summary>The shape of one example without the batch dimension, e.g. [1, 28, 28].</summary>
    int[] InputShape { get; }

    /// <summary>The class names, indexed by class (as many as the model has outputs), or null when it has none.</summary>
    IReadOnlyList<string>? ClassNames { get; }

    /// <summary>
    /// One output row (class probabilities) for each input row; every input row holds the product of
    /// <see cref="InputShape"/> values (pixels in [0, 1]; any normalisation is the backend's).
    /// </summary>
    float[][] Predict(float[][] batch);
}

/// <summary>Helpers over <see cref="IModelBackend.InputShape"/>.</summary>
public static class ModelBackendExtensions
{
    /// <summary>How many values one example holds.</summary>
    public static int InputSize(this IModelBackend backend) => backend.InputShape.Aggregate(1, (a, b) => checked(a * b));

    /// <summary>The shape as text, e.g. "1×28×28".</summary>
    public static string ShapeText(this IModelBackend backend) => string.Join("×", backend.InputShape);

    /// <summary>
    /// The rows of a batch one after another (row-major, [rows, InputShape]); a row of the wrong length is an
    /// ArgumentException naming it.
    /// </summary>
    public static float[] Flatten(this IModelBackend backend, float[][] batch)
    {
        int size = backend.InputSize();
        var flat = new float[checked(batch.Length * size)];
        for (int i = 0; i < batch.Length; i++)
        {
            if (batch[i]?.Length != size) throw new ArgumentException($"row {i} holds {batch[i]?.Length ?? 0} values; one example is {size} ({backend.ShapeText()}).", nameof(batch));
            batch[i].CopyTo(flat, i * size);
        }
        return flat;
    }
}

using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Course.Onnx;

/// <summary>
/// An ONNX model loaded into ONNX Runtime (CPU) and run on tensors: one float32 input, one float32 output.
/// <code>
/// using var session = new OnnxSession("lenet.onnx");
/// var scores = session.Run(images);          // a libtorch tensor (B, 10), in the caller's dispose scope
/// </code>
/// </summary>
public sealed class OnnxSession : IDisposable
{
    private readonly InferenceSession session;
    private readonly RunOptions options = new();

    static OnnxSession() => NativeLoader.Register();

    /// <summary>Loads the file <paramref name="path"/>; <paramref name="threads"/> intra-op threads (default: libtorch's count, for a fair comparison).</summary>
    public OnnxSession(string path, int? threads = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);   // ONNX Runtime opens the path as given: "a/missing/../b.onnx" would fail there
        if (!File.Exists(full)) throw new FileNotFoundException($"no ONNX model at {path}", path);
        session = Open(() => new InferenceSession(full, Options(threads)), path);
        (InputName, OutputName) = Names();
    }

    /// <summary>Loads a model held in memory (the bytes of an .onnx file).</summary>
    public OnnxSession(byte[] model, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        session = Open(() => new InferenceSession(model, Options(threads)), "the model bytes");
        (InputName, OutputName) = Names();
    }

    public string InputName { get; }
    public string OutputName { get; }

    /// <summary>The input's dimensions as the file declares them; -1 for a symbolic one (the batch).</summary>
    public int[] InputDimensions => session.InputMetadata[InputName].Dimensions;

    /// <summary>Runs the model on <paramref name="input"/> (copied to float32 on the CPU); the output is a new tensor.</summary>
    public Tensor Run(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        float[] data;
        using (var scope = NewDisposeScope()) data = input.detach().to(CPU).to(float32).contiguous().data<float>().ToArray();
        var (values, shape) = Run(data, input.shape);
        return tensor(values, shape);
    }

    /// <summary>Runs the model on row-major float32 values of shape <paramref name="shape"/>; returns the output's values and shape.</summary>
    public (float[] values, long[] shape) Run(float[] input, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(shape);
        var dims = InputDimensions;
        if (shape.Length != dims.Length || shape.Zip(dims).Any(p => p.Second >= 0 && p.First != p.Second))
            throw new ArgumentException($"the model's input {InputName} has shape [{string.Join(", ", dims.Select(d => d < 0 ? "batch" : d.ToString()))}]; got [{string.Join(", ", shape)}].", nameof(shape));
        if (input.LongLength != shape.Aggregate(1L, (a, b) => a * b))
            throw new ArgumentException($"{input.Length} values do not fill the shape [{string.Join(", ", shape)}].", nameof(input));
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var outputs = session.Run(options, new[] { InputName }, new[] { value }, new[] { OutputName });
        var output = outputs[0];
        return (output.GetTensorDataAsSpan<float>().ToArray(), output.GetTensorTypeAndShape().Shape);
    }

    public void Dispose()
    {
        options.Dispose();
        session.Dispose();
    }

    private static SessionOptions Options(int? threads)
    {
        int n = threads ?? get_num_threads();
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "the thread count must be at least 1.");
        return new SessionOptions { IntraOpNumThreads = n, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
    }

    private static InferenceSession Open(Func<InferenceSession> open, string what)
    {
        try { return open(); }
        catch (OnnxRuntimeException e) { throw new ArgumentException($"ONNX Runtime cannot load {what}: {e.Message}", e); }
    }

    private (string, string) Names()
    {
        if (session.InputMetadata.Count != 1 || session.OutputMetadata.Count != 1)
            throw new NotSupportedException($"OnnxSession runs models with one input and one output; this one has {session.InputMetadata.Count} and {session.OutputMetadata.Count}.");
        return (session.InputMetadata.Keys.Single(), session.OutputMetadata.Keys.Single());
    }

    /// <summary>
    /// Finds libonnxruntime in runtimes/&lt;os&gt;-&lt;arch&gt;/native/ next to this assembly, else in this project's build
    /// folder (recorded when it was built). An application finds the library through its deps.json; a notebook
    /// references a shadow copy of the assemblies only (no deps.json, no runtimes folder), so this resolver does it there.
    /// </summary>
    private static class NativeLoader
    {
        public static void Register()
        {
            try { NativeLibrary.SetDllImportResolver(typeof(InferenceSession).Assembly, Resolve); }
            catch (InvalidOperationException) { }   // a resolver is registered already (ONNX Runtime's own): it finds the library
        }

        private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
        {
            if (name != "onnxruntime") return IntPtr.Zero;
            string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
            string file = OperatingSystem.IsWindows() ? "onnxruntime.dll" : OperatingSystem.IsMacOS() ? "libonnxruntime.dylib" : "libonnxruntime.so";
            string relative = Path.Combine("runtimes", $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}", "native", file);
            var built = typeof(OnnxSession).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "CourseOnnxBuildFolder")?.Value;
            foreach (var folder in new[] { Path.GetDirectoryName(typeof(OnnxSession).Assembly.Location), built })
            {
                if (string.IsNullOrEmpty(folder)) continue;
                var candidate = Path.Combine(folder, relative);
                if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle)) return handle;
            }
            return IntPtr.Zero;   // the runtime's own search
        }
    }
}

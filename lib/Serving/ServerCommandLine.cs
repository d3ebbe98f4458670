using System.Globalization;

namespace Course.Serving;

/// <summary>The options of <c>./course serve</c> (<see cref="Usage"/>); a bad one is an ArgumentException naming it.</summary>
public sealed record ServerCommandLine(string? Model, string Engine, int Port, ServingOptions Options)
{
    public const string Usage = """
        usage: ./course serve [options]
          --model PATH|NAME   weights for chapter 02's LeNet: a .safetensors file or a checkpoint name in artifacts/checkpoints
                              (default: the checkpoint lenet; without it an untrained model, with a warning), or an .onnx file
                              (with --engine onnxruntime)
          --engine NAME       libtorch (default) or onnxruntime (the same weights exported to ONNX in memory)
          --port N            port on 127.0.0.1 (default 8080; 0 picks a free one)
          --max-batch N       largest batch (default 32; 1 turns dynamic batching off)
          --max-wait-ms X     how long a batch waits for more requests after its oldest one arrived (default 2)
          --queue N           queue capacity; beyond it requests get 429 at once (default 256)
          --timeout-ms X      longest wait in the queue; beyond it a request gets 503 (default 1000)
          --max-body N        largest request body in bytes; beyond it 413 (default 65536)
        POST /predict {"pixels": [784 numbers in 0..1]} or a 28×28 image/png; GET /health; GET /metrics.
        """;

    public static ServerCommandLine Parse(string[] args)
    {
        string? model = null, engine = "libtorch";
        int port = 8080;
        var options = new ServingOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.\n{Usage}");
            int Int() => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new ArgumentException($"{name} needs a whole number, not '{args[i]}'.");
            double Number() => double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : throw new ArgumentException($"{name} needs a number, not '{args[i]}'.");
            switch (name)
            {
                case "--model": model = Value(); break;
                case "--engine": engine = Value(); if (engine is not ("libtorch" or "onnxruntime")) throw new ArgumentException($"--engine {engine}: the engines are libtorch and onnxruntime."); break;
                case "--port": port = Int(); if (port is < 0 or > 65535) throw new ArgumentException($"--port {port} is not a TCP port."); break;
                case "--max-batch": options = options with { MaxBatch = Int() }; break;
                case "--max-wait-ms": options = options with { MaxWait = TimeSpan.FromMilliseconds(Number()) }; break;
                case "--queue": options = options with { QueueCapacity = Int() }; break;
                case "--timeout-ms": options = options with { QueueTimeout = TimeSpan.FromMilliseconds(Number()) }; break;
                case "--max-body": options = options with { MaxBodyBytes = Int() }; break;
                default: throw new ArgumentException($"unknown option '{name}'.\n{Usage}");
            }
        }
        if (engine == "libtorch" && model is not null && model.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"--model {model} is an ONNX file: serve it with --engine onnxruntime.");
        return new(model, engine, port, options.Validated());
    }
}

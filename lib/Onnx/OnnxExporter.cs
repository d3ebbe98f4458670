using Course.Models;
using Google.Protobuf;
using Onnx;
using G = Course.Onnx.OnnxGraph;

namespace Course.Onnx;

/// <summary>
/// Writes a course model as an ONNX model (opset 17, IR version 8) for inference: each known module type becomes its
/// ONNX nodes, written from the module's own weights and settings (no tracing). The graph has one float32 input
/// "input" (batch, ...example shape) and one output "output"; the batch dimension is symbolic, so the file runs on any
/// batch size. Inference semantics: dropout is the identity and batch norm uses its running statistics, as
/// <c>model.eval()</c> in libtorch.
/// <code>
/// OnnxExporter.Save(lenet, new long[] { 1, 28, 28 }, "lenet.onnx");
/// using var session = new OnnxSession("lenet.onnx");
/// var scores = session.Run(images);
/// </code>
/// Known: <see cref="LeNet"/>, <see cref="VisionTransformer"/> (with its <see cref="EncoderBlock"/>,
/// <see cref="MultiHeadAttention"/>, <see cref="FeedForward"/>), <see cref="Mlp"/>, and the layers <c>Sequential</c>,
/// <c>Conv2d</c>, <c>BatchNorm1d/2d</c>, <c>Linear</c>, <c>LayerNorm</c>, <c>MaxPool2d</c>, <c>AvgPool2d</c>,
/// <c>Flatten</c>, <c>Dropout</c>, <c>ReLU</c>, <c>GELU</c>, <c>Tanh</c>, <c>Sigmoid</c>, <c>Identity</c>.
/// Anything else raises <see cref="NotSupportedException"/> naming its type.
/// </summary>
public sealed class OnnxExporter
{
    /// <summary>The operator set the files use (LayerNormalization is in it; Gelu is not, it came in 20).</summary>
    public const long Opset = 17;

    /// <summary>The IR version of the files: 8, the one of opset 17 (ONNX 1.12).</summary>
    public const long IrVersion = 8;

    public const string InputName = "input", OutputName = "output";

    private readonly G graph;
    private readonly Dictionary<string, int> rank = new();

    private OnnxExporter(string name) => graph = new G(name);

    /// <summary>
    /// The ONNX model of <paramref name="model"/> for inputs of shape (batch, <paramref name="example_shape"/>),
    /// e.g. { 1, 28, 28 } for Fashion-MNIST images.
    /// </summary>
    public static ModelProto Export(nn.Module<Tensor, Tensor> model, long[] example_shape, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(example_shape);
        if (example_shape.Length == 0 || example_shape.Any(d => d < 1))
            throw new ArgumentException($"the example shape (without the batch dimension) must have positive sizes: [{string.Join(", ", example_shape)}].", nameof(example_shape));
        var outputShape = OutputShape(model, example_shape);

        var exporter = new OnnxExporter(name ?? model.GetType().Name);
        exporter.graph.Input(InputName, [null, .. example_shape.Select(d => (long?)d)]);
        exporter.rank[InputName] = example_shape.Length + 1;
        var output = exporter.Emit(model, InputName);
        exporter.graph.Output(output, OutputName, [null, .. outputShape.Skip(1).Select(d => (long?)d)]);

        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Course.Onnx",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "",
            Graph = exporter.graph.Proto,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return proto;
    }

    /// <summary>Exports <paramref name="model"/> (see <see cref="Export"/>) to the file <paramref name="path"/>; returns its size in bytes.</summary>
    public static long Save(nn.Module<Tensor, Tensor> model, long[] example_shape, string path, string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = Export(model, example_shape, name).ToByteArray();
        File.WriteAllBytes(path, bytes);
        return bytes.LongLength;
    }

    // The output shape for a batch of one, from a libtorch forward in eval mode (each module's mode is restored); it
    // also checks that the example shape fits the model, with libtorch's own message if not.
    private static long[] OutputShape(nn.Module<Tensor, Tensor> model, long[] example_shape)
    {
        var modes = model.modules().Select(m => (module: m, m.training)).ToList();   // pre-order: parents first
        var device = model.parameters().FirstOrDefault()?.device ?? CPU;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        model.eval();
        try { return model.forward(zeros([1, .. example_shape], device: device)).shape; }
        catch (Exception e) when (e is ArgumentException || e.GetType().Name is "TorchException" or "ExternalException")   // libtorch's errors, on either binding
        {
            throw new ArgumentException($"{model.GetType().Name} does not take inputs of shape (batch, {string.Join(", ", example_shape)}): {e.Message}", nameof(example_shape), e);
        }
        finally { foreach (var (module, training) in modes) module.train(training); }
    }

    // ---- modules -------------------------------------------------------------------------------------------------

    /// <summary>Appends the nodes of <paramref name="module"/> applied to the value <paramref name="x"/>; returns its output.</summary>
    private string Emit(nn.Module module, string x) => module switch
    {
        LeNet m => Emit(m.classifier, Emit(m.features, x)),
        Mlp m => EmitMlp(m, x),
        VisionTransformer m => EmitVit(m, x),
        EncoderBlock m => EmitBlock(m, x),
        FeedForward m => Emit(m.fc2, Gelu(Emit(m.fc1, x), tanh: false)),
        MultiHeadAttention m => EmitSelfAttention(m, x),
        Sequential m => Enumerable.Range(0, m.Count).Aggregate(x, (h, i) => Emit((nn.Module)m[i], h)),
        Conv2d m => EmitConv(m, x),
        BatchNorm m => EmitBatchNorm(m, x),
        Linear m => EmitLinear(m, x),
        LayerNorm m => EmitLayerNorm(m, x),
        Dropout => x,
        MaxPool2d m => Same(x, graph.Node("MaxPool", [x], "pool", G.Ints("kernel_shape", Both(m.kernel_size)),
                                                             G.Ints("strides", Both(m.stride)), Pads(Both(m.padding)))),
        AvgPool2d m => Same(x, graph.Node("AveragePool", [x], "pool", G.Ints("kernel_shape", Both(m.kernel_size)),
                                                                 G.Ints("strides", Both(m.stride)), Pads(Both(m.padding)), G.Int("count_include_pad", 1))),
        Flatten m => EmitFlatten(m, x),
#if TORCHSHARP // TorchSharp has a class per activation; the course's binding has one Lambda class named by its layer
        ReLU or Tanh or Sigmoid or Identity => EmitActivation(module, module.GetType().Name, "", x),
        GELU m => EmitActivation(m, "GELU", m.approximate == GELU.Approximate.tanh ? "approximate='tanh'" : "", x),
#else
        Lambda m => EmitActivation(m, m.Name, m.extra_repr(), x),
#endif
        _ => throw Unsupported(module),
    };

    private static NotSupportedException Unsupported(nn.Module module, string? detail = null)
        => new($"ONNX export does not know the module type {module.GetType().FullName}{(detail is null ? "" : $" ({detail})")}. " +
               "Known: LeNet, VisionTransformer, Mlp, Sequential, Conv2d, BatchNorm1d/2d, Linear, LayerNorm, MaxPool2d, AvgPool2d, Flatten, Dropout, ReLU, GELU, Tanh, Sigmoid, Identity.");

    // ONNX pads: the start of each axis, then the end of each
    private static AttributeProto Pads(long[] p) => G.Ints("pads", p[0], p[1], p[0], p[1]);

    // a window's size, stride, padding or dilation on both axes: one number in the course's binding, one per axis (or a
    // single one for both) in TorchSharp
    private static long[] Both(long v) => [v, v];
    private static long[] Both(long[]? v) => v switch
    {
        null => throw new NotSupportedException("a convolution padded by mode ('same' or 'valid') rather than by size is not exported"),
        [var a] => [a, a],
        [_, _] => v,
        _ => throw new NotSupportedException($"a 2-d window has two sizes, not {v.Length}"),
    };

    // a value with the rank of another one
    private string Same(string like, string value) { rank[value] = rank[like]; return value; }
    private string Ranked(string value, int r) { rank[value] = r; return value; }

    private string EmitActivation(nn.Module m, string name, string detail, string x) => (name, detail) switch
    {
        ("ReLU", _) => Same(x, graph.Node("Relu", [x], "relu")),
        ("Tanh", _) => Same(x, graph.Node("Tanh", [x], "tanh")),
        ("Sigmoid", _) => Same(x, graph.Node("Sigmoid", [x], "sigmoid")),
        ("Identity", _) => x,
        ("GELU", "") => Gelu(x, tanh: false),
        ("GELU", "approximate='tanh'") => Gelu(x, tanh: true),
        _ => throw Unsupported(m, $"the layer {m}"),
    };

    private string EmitFlatten(Flatten m, string x)
    {
        int r = rank[x];
        long start = m.start_dim < 0 ? m.start_dim + r : m.start_dim, end = m.end_dim < 0 ? m.end_dim + r : m.end_dim;
        if (end != r - 1 || start < 1 || start > end) throw Unsupported(m, $"only flattening from a dimension after the batch to the last one is exported: start_dim={m.start_dim}, end_dim={m.end_dim} on rank {r}");
        if (start == 1) return Ranked(graph.Node("Flatten", [x], "flat", G.Int("axis", 1)), 2);
        // keep dims 0 .. start-1 (0 copies the input's size), merge the rest
        var shape = graph.Int64s("flat_shape", [.. Enumerable.Repeat(0L, (int)start), -1]);
        return Ranked(graph.Node("Reshape", [x, shape], "flat"), (int)start + 1);
    }

    private string EmitConv(Conv2d m, string x)
    {
        var inputs = new List<string> { x, graph.Weight("conv.weight", m.weight) };
        if (m.bias is not null) inputs.Add(graph.Weight("conv.bias", m.bias));
        return Same(x, graph.Node("Conv", [.. inputs], "conv",
            G.Ints("kernel_shape", Both(m.kernel_size)), G.Ints("strides", Both(m.stride)),
            Pads(Both(m.padding)), G.Ints("dilations", Both(m.dilation)), G.Int("group", m.groups)));
    }

    private string EmitBatchNorm(BatchNorm m, string x)
    {
        if (m.running_mean is null || m.running_var is null)
            throw Unsupported(m, "batch norm without running statistics normalises with the batch's own; only running statistics are exported");
        var scale = m.weight is null ? graph.Floats("bn.scale", [m.num_features], Enumerable.Repeat(1f, (int)m.num_features).ToArray()) : graph.Weight("bn.scale", m.weight);
        var bias = m.bias is null ? graph.Floats("bn.bias", [m.num_features], new float[m.num_features]) : graph.Weight("bn.bias", m.bias);
        return Same(x, graph.Node("BatchNormalization", [x, scale, bias, graph.Weight("bn.mean", m.running_mean), graph.Weight("bn.var", m.running_var)],
                                  "bn", G.Float("epsilon", (float)m.eps)));
    }

    // y = x Wᵀ + b: Gemm for (B, in), MatMul with the stored transpose and Add for (B, T, in)
    private string EmitLinear(Linear m, string x)
    {
        if (rank[x] == 2)
        {
            var inputs = new List<string> { x, graph.Weight("linear.weight", m.weight) };
            if (m.bias is not null) inputs.Add(graph.Weight("linear.bias", m.bias));
            return Ranked(graph.Node("Gemm", [.. inputs], "linear", G.Int("transB", 1)), 2);
        }
        using var scope = NewDisposeScope();
        var y = Same(x, graph.Node("MatMul", [x, graph.Weight("linear.weight_t", m.weight.t())], "matmul"));
        return m.bias is null ? y : Same(x, graph.Node("Add", [y, graph.Weight("linear.bias", m.bias)], "linear"));
    }

    private string EmitLayerNorm(LayerNorm m, string x)
    {
        using var scope = NewDisposeScope();
        var scale = m.weight is null ? graph.Weight("ln.scale", ones(m.normalized_shape)) : graph.Weight("ln.scale", m.weight);
        var bias = m.bias is null ? graph.Weight("ln.bias", zeros(m.normalized_shape)) : graph.Weight("ln.bias", m.bias);
        return Same(x, graph.Node("LayerNormalization", [x, scale, bias], "ln",
                                  G.Int("axis", -m.normalized_shape.Length), G.Float("epsilon", (float)m.eps)));
    }

    // GELU(x) = 0.5 x (1 + erf(x / √2)), or with the tanh approximation 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))
    private string Gelu(string x, bool tanh)
    {
        string inner;
        if (tanh)
        {
            var cube = graph.Node("Mul", [x, graph.Node("Mul", [x, x], "sq")], "cube");
            var poly = graph.Node("Add", [x, graph.Node("Mul", [cube, graph.Scalar("gelu.c", 0.044715f)], "c_cube")], "poly");
            inner = graph.Node("Tanh", [graph.Node("Mul", [poly, graph.Scalar("gelu.k", (float)Math.Sqrt(2 / Math.PI))], "scaled")], "tanh");
        }
        else inner = graph.Node("Erf", [graph.Node("Div", [x, graph.Scalar("gelu.sqrt2", (float)Math.Sqrt(2))], "scaled")], "erf");
        var onePlus = graph.Node("Add", [inner, graph.Scalar("gelu.one", 1f)], "one_plus");
        return Same(x, graph.Node("Mul", [graph.Node("Mul", [x, onePlus], "x_gate"), graph.Scalar("gelu.half", 0.5f)], "gelu"));
    }

    private string EmitMlp(Mlp m, string x)
    {
        var h = Ranked(graph.Node("Flatten", [x], "flat", G.Int("axis", 1)), 2);
        for (int i = 0; i < m.layers.Count; i++)
        {
            h = Emit(m.layers[i], h);
            if (i < m.layers.Count - 1) h = Same(h, graph.Node("Relu", [h], "relu"));
        }
        return h;
    }

    // ---- the Vision Transformer --------------------------------------------------------------------------------

    private string EmitVit(VisionTransformer m, string images)
    {
        long d = m.patch_embed.out_channels;
        // patches (B, D, h, w) → (B, N, D)
        var patches = Emit(m.patch_embed, images);
        var flat = graph.Node("Reshape", [patches, graph.Int64s("vit.flat", [0, d, -1])], "patches_flat");
        var tokens = Ranked(graph.Node("Transpose", [flat], "patches_tokens", G.Ints("perm", 0, 2, 1)), 3);
        // the class token (1, 1, D) expanded to (B, 1, D): the target shape is [B, 1, 1] with B read from the input
        var batch = graph.Node("Shape", [images], "batch", G.Int("start", 0), G.Int("end", 1));
        var target = graph.Node("Concat", [batch, graph.Int64s("vit.ones", [1, 1])], "cls_shape", G.Int("axis", 0));
        var cls = graph.Node("Expand", [graph.Weight("vit.cls_token", m.cls_token), target], "cls");
        var joined = graph.Node("Concat", [cls, tokens], "tokens", G.Int("axis", 1));
        var x = Ranked(graph.Node("Add", [joined, graph.Weight("vit.pos_embed", m.pos_embed)], "embedded"), 3);
        foreach (var block in m.blocks) x = Emit(block, x);
        x = Emit(m.norm, x);
        // the class token's state (B, D)
        var first = Ranked(graph.Node("Gather", [x, graph.Int64s("vit.cls_index", [0], scalar: true)], "cls_state", G.Int("axis", 1)), 2);
        return Emit(m.head, first);
    }

    // x + Attention(LN(x)), then x + FFN(LN(x))
    private string EmitBlock(EncoderBlock m, string x)
    {
        x = Same(x, graph.Node("Add", [x, Emit(m.attn, Emit(m.ln1, x))], "residual"));
        return Same(x, graph.Node("Add", [x, Emit(m.mlp, Emit(m.ln2, x))], "residual"));
    }

    // softmax(Q Kᵀ / √d_k) V per head, heads merged, then W_o
    private string EmitSelfAttention(MultiHeadAttention m, string x)
    {
        long heads = m.heads, dk = m.d_model / heads;
        var split = graph.Int64s("attn.split", [0, 0, heads, dk]);
        string Heads(nn.Module proj, long[] perm)
            => graph.Node("Transpose", [graph.Node("Reshape", [Emit(proj, x), split], "split")], "heads", G.Ints("perm", perm));
        var q = Heads(m.q_proj, [0, 2, 1, 3]);          // (B, h, T, d_k)
        var kT = Heads(m.k_proj, [0, 2, 3, 1]);         // (B, h, d_k, T)
        var v = Heads(m.v_proj, [0, 2, 1, 3]);          // (B, h, T, d_k)
        var scores = graph.Node("Mul", [graph.Node("MatMul", [q, kT], "qk"), graph.Scalar("attn.scale", (float)(1 / Math.Sqrt(dk)))], "scores");
        var weights = graph.Node("Softmax", [scores], "weights", G.Int("axis", -1));
        var attended = graph.Node("MatMul", [weights, v], "attended");
        var merged = graph.Node("Reshape", [graph.Node("Transpose", [attended], "merge", G.Ints("perm", 0, 2, 1, 3)),
                                            graph.Int64s("attn.merge", [0, 0, heads * dk])], "merged");
        return Emit(m.out_proj, Ranked(merged, 3));
    }
}

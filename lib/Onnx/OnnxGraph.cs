using Google.Protobuf;
using Onnx;

namespace Course.Onnx;

/// <summary>
/// A graph under construction: named values, weights stored as initializers, and nodes appended in execution order.
/// Each value name is unique; <see cref="Node"/> returns the name of the value it produces.
/// </summary>
public sealed class OnnxGraph
{
    private readonly GraphProto graph = new();
    private readonly Dictionary<string, int> counters = new();

    public OnnxGraph(string name) => graph.Name = name;

    /// <summary>The graph as built so far.</summary>
    public GraphProto Proto => graph;

    /// <summary>A fresh value name that starts with <paramref name="prefix"/>.</summary>
    public string Fresh(string prefix)
    {
        counters.TryGetValue(prefix, out int n);
        counters[prefix] = n + 1;
        return n == 0 ? prefix : $"{prefix}_{n}";
    }

    /// <summary>A float32 input of the graph; a null dimension is symbolic (<paramref name="symbolic"/>).</summary>
    public void Input(string name, long?[] dims, string symbolic = "batch") => graph.Input.Add(ValueInfo(name, dims, symbolic));

    /// <summary>A tensor's values (copied to float32 on the CPU) as an initializer named after <paramref name="name"/>.</summary>
    public string Weight(string name, Tensor value)
    {
        using var scope = NewDisposeScope();
        var data = value.detach().to(CPU).to(float32).contiguous().data<float>().ToArray();
        return Initializer(name, value.shape, data);
    }

    /// <summary>A float32 constant of the given shape (the values in row-major order).</summary>
    public string Floats(string name, long[] dims, params float[] values)
    {
        if (values.Length != dims.Aggregate(1L, (a, b) => a * b))
            throw new ArgumentException($"{values.Length} values do not fill the shape [{string.Join(", ", dims)}].", nameof(values));
        return Initializer(name, dims, values);
    }

    /// <summary>A float32 scalar constant.</summary>
    public string Scalar(string name, float value) => Initializer(name, Array.Empty<long>(), new[] { value });

    /// <summary>An int64 constant: a 1-D tensor of <paramref name="values"/> (shapes, axes), or a scalar when <paramref name="scalar"/>.</summary>
    public string Int64s(string name, long[] values, bool scalar = false)
    {
        if (scalar && values.Length != 1) throw new ArgumentException("a scalar holds one value.", nameof(values));
        var t = new TensorProto { Name = Fresh(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        if (!scalar) t.Dims.Add(values.Length);
        t.Int64Data.AddRange(values);
        graph.Initializer.Add(t);
        return t.Name;
    }

    /// <summary>Appends a node <paramref name="op"/> and returns the name of its (first) output.</summary>
    public string Node(string op, string[] inputs, string output, params AttributeProto[] attributes) => Node(op, inputs, output, null, attributes);

    private string Node(string op, string[] inputs, string output, string? rename, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = Fresh(op) };
        node.Input.AddRange(inputs);
        node.Output.Add(rename ?? Fresh(output));
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return node.Output[0];
    }

    /// <summary>
    /// Makes <paramref name="value"/> the graph output <paramref name="name"/>: the node that produces it is renamed
    /// (an Identity node is added when the value is a graph input).
    /// </summary>
    public void Output(string value, string name, long?[] dims, string symbolic = "batch")
    {
        var producer = graph.Node.LastOrDefault(n => n.Output.Contains(value));
        if (producer is null || graph.Node.Any(n => n.Input.Contains(value))) Node("Identity", new[] { value }, name, rename: name);
        else producer.Output[producer.Output.IndexOf(value)] = name;
        graph.Output.Add(ValueInfo(name, dims, symbolic));
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };
    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };
    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    private string Initializer(string name, long[] dims, float[] data)
    {
        var t = new TensorProto { Name = Fresh(name), DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        // raw_data is little-endian float32, the layout of a float[] on the machines .NET runs on here
        var bytes = new byte[data.Length * sizeof(float)];
        Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw data is little-endian; this machine is not.");
        t.RawData = ByteString.CopyFrom(bytes);
        graph.Initializer.Add(t);
        return t.Name;
    }

    private static ValueInfoProto ValueInfo(string name, long?[] dims, string symbolic)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is { } v ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = symbolic });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}

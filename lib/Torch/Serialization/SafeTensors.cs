using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Torch.Serialization;

/// <summary>
/// The safetensors format (the one Hugging Face and PyTorch users share): an 8-byte little-endian
/// header length, a JSON header {name: {dtype, shape, data_offsets}}, then the raw little-endian
/// bytes. Writes go to a temporary file that is renamed into place, so a failure never leaves a
/// half-written file; reads check every offset and say which file is wrong.
/// </summary>
public static class SafeTensors
{
    private static readonly Dictionary<ScalarType, string> Codes = new()
    {
        [ScalarType.Float64] = "F64", [ScalarType.Float32] = "F32", [ScalarType.Float16] = "F16",
        [ScalarType.BFloat16] = "BF16", [ScalarType.Int64] = "I64", [ScalarType.Int32] = "I32",
        [ScalarType.Int16] = "I16", [ScalarType.Int8] = "I8", [ScalarType.Byte] = "U8", [ScalarType.Bool] = "BOOL",
    };

    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"cannot save {path}: folder {dir} does not exist");
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
            header["__metadata__"] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, t) in tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var bytes = Bytes(t);
            header[name] = new JsonObject
            {
                ["dtype"] = Codes.TryGetValue(t.dtype, out var c) ? c : throw new NotSupportedException($"'{name}': {t.dtype.Name()} cannot be stored in safetensors"),
                ["shape"] = new JsonArray(t.shape.Select(s => (JsonNode?)s).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes.Length),
            };
            offset += bytes.Length;
            blobs.Add(bytes);
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;

        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                Span<byte> len = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
                fs.Write(len);
                fs.Write(json);
                for (int i = json.Length; i < padded; i++) fs.WriteByte((byte)' ');
                foreach (var b in blobs) fs.Write(b);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Reads every tensor of a file (CPU). The caller owns the tensors.</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"weights file not found: {path}", path);
        byte[] data = File.ReadAllBytes(path);
        InvalidDataException Bad(string why) => new($"{path} is not a valid safetensors file: {why}");
        if (data.Length < 8) throw Bad($"it has {data.Length} bytes, fewer than the 8-byte header length");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(data);
        if (n > (ulong)(data.Length - 8)) throw Bad($"the header claims {n} bytes but the file has {data.Length - 8} after the length");
        JsonObject header;
        try { header = JsonNode.Parse(Encoding.UTF8.GetString(data, 8, (int)n))?.AsObject() ?? throw Bad("empty header"); }
        catch (JsonException e) { throw Bad($"the header is not JSON ({e.Message})"); }
        long dataStart = 8 + (long)n, dataLength = data.Length - dataStart;

        var result = new Dictionary<string, Tensor>();
        try
        {
            foreach (var (name, node) in header)
            {
                if (name == "__metadata__") continue;
                try
                {
                    var entry = node!.AsObject();
                    var code = (string)entry["dtype"]!;
                    var dtype = Codes.FirstOrDefault(kv => kv.Value == code);
                    if (dtype.Value is null) throw Bad($"'{name}' has unknown dtype {code}");
                    var shape = entry["shape"]!.AsArray().Select(s => (long)s!).ToArray();
                    var offs = entry["data_offsets"]!.AsArray().Select(s => (long)s!).ToArray();
                    long count = shape.Aggregate(1L, (a, b) => a * b);
                    long size = count * dtype.Key.ElementSize();
                    if (offs.Length != 2 || offs[0] < 0 || offs[1] > dataLength || offs[1] - offs[0] != size)
                        throw Bad($"'{name}' has data_offsets [{string.Join(", ", offs)}] that do not fit its shape [{string.Join(", ", shape)}] ({code}) or the file's {dataLength} data bytes");
                    var t = FromBytes(data.AsSpan((int)(dataStart + offs[0]), (int)size), shape, dtype.Key);
                    result[name] = t;
                }
                catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException)
                {
                    throw Bad($"entry '{name}' is malformed ({e.Message})");
                }
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    private static byte[] Bytes(Tensor t)
    {
        // bytes come straight from the tensor's memory: read as its own element type
        var type = t.dtype;
        return type switch
        {
            ScalarType.Float32 => AsBytes(t.ToArray<float>()),
            ScalarType.Float64 => AsBytes(t.ToArray<double>()),
            ScalarType.Int64 => AsBytes(t.ToArray<long>()),
            ScalarType.Int32 => AsBytes(t.ToArray<int>()),
            ScalarType.Int16 => AsBytes(t.ToArray<short>()),
            ScalarType.Int8 => AsBytes(t.ToArray<sbyte>()),
            ScalarType.Byte => t.ToArray<byte>(),
            ScalarType.Bool => AsBytes(t.ToArray<bool>()),
            ScalarType.Float16 => AsBytes(t.ToArray<Half>()),
            ScalarType.BFloat16 => BFloat16Bytes(t),
            _ => throw new NotSupportedException(type.Name()),
        };
    }

    private static byte[] AsBytes<T>(T[] values) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    // bfloat16 has no C# type: its bits are the upper half of a float32's.
    private static byte[] BFloat16Bytes(Tensor t)
    {
        var f = t.ToArray<float>();
        var bytes = new byte[f.Length * 2];
        for (int i = 0; i < f.Length; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), (ushort)(BitConverter.SingleToUInt32Bits(f[i]) >> 16));
        return bytes;
    }

    private static Tensor FromBytes(ReadOnlySpan<byte> bytes, long[] shape, ScalarType type)
    {
        if (type == ScalarType.BFloat16)
        {
            var f = new float[bytes.Length / 2];
            for (int i = 0; i < f.Length; i++) f[i] = BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]) << 16);
            using var t32 = torch.from_span<float>(f, shape);
            return t32.to(ScalarType.BFloat16);
        }
        return torch.from_bytes(bytes, shape, type);
    }
}

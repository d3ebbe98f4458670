using System.Buffers.Binary;
using System.IO.Compression;

namespace Course;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST (optionally gzipped): a big-endian header
/// (two zero bytes, the element type 0x08 = unsigned byte, the number of dimensions, then each size as a
/// 32-bit integer) followed by the elements in row-major order.
/// </summary>
public static class Idx
{
    /// <summary>Reads a file of unsigned bytes as a uint8 tensor with the file's shape.</summary>
    public static Tensor Read(string path) => Parse(ReadBytes(path), path);

    /// <summary>Reads several files at once (decompressing them in parallel), in the order given.</summary>
    public static Tensor[] Read(params string[] paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var bytes = new byte[paths.Length][];
        Parallel.For(0, paths.Length, i => bytes[i] = ReadBytes(paths[i]));
        var tensors = new Tensor[paths.Length];
        try
        {
            for (int i = 0; i < paths.Length; i++) tensors[i] = Parse(bytes[i], paths[i]);
            return tensors;
        }
        catch
        {
            foreach (var t in tensors) t?.Dispose();
            throw;
        }
    }

    /// <summary>The bytes of an IDX file, decompressed when its name ends in .gz.</summary>
    private static byte[] ReadBytes(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file {path} does not exist.", path);
        try { return ReadAllBytes(path); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path} is not a valid gzip file: {e.Message}", e); }
    }

    /// <summary>Parses IDX bytes (already decompressed); <paramref name="name"/> names the source in errors.</summary>
    public static Tensor Parse(byte[] bytes, string name = "IDX data")
    {
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException($"{name} is not an IDX file (it must start with two zero bytes).");
        if (bytes[2] != 0x08)
            throw new InvalidDataException($"{name} holds IDX element type 0x{bytes[2]:x2}; only unsigned bytes (0x08) are supported.");
        int dims = bytes[3];
        int header = 4 + 4 * dims;
        if (dims == 0 || bytes.Length < header) throw new InvalidDataException($"{name} is truncated inside its IDX header.");
        var shape = new long[dims];
        long count = 1;
        for (int d = 0; d < dims; d++)
        {
            shape[d] = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4 + 4 * d, 4));
            count *= shape[d];
        }
        if (bytes.Length - header != count)
            throw new InvalidDataException($"{name}: the header says shape [{string.Join(", ", shape)}] ({count} bytes) but {bytes.Length - header} bytes follow it; the file is truncated or corrupt.");
        return tensor(bytes[header..], shape);
    }

    private static byte[] ReadAllBytes(string path)
    {
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return File.ReadAllBytes(path);
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream(capacity: (int)Math.Min(int.MaxValue, file.Length * 4));
        gzip.CopyTo(memory);
        return memory.Length == memory.Capacity ? memory.GetBuffer() : memory.ToArray();
    }
}

using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Course.Kernel.Install;

/// <summary>Encodes an RGBA image as a PNG file (8-bit RGBA, no interlacing, zlib-compressed rows).</summary>
public static class PngWriter
{

    /// <summary><paramref name="rgba"/> holds width*height pixels, four bytes each, row by row from the top.</summary>
    public static byte[] Encode(int width, int height, ReadOnlySpan<byte> rgba)
    {
        if (rgba.Length != width * height * 4) throw new ArgumentException($"expected {width * height * 4} bytes of RGBA, got {rgba.Length}.", nameof(rgba));
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;  // bits per channel
        header[9] = 6;  // colour type RGBA
        Chunk(png, "IHDR", header);

        using (var raw = new MemoryStream())
        {
            using (var z = new ZLibStream(raw, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                for (int y = 0; y < height; y++)
                {
                    z.WriteByte(0); // filter: none
                    z.Write(rgba.Slice(y * width * 4, width * 4));
                }
            }
            Chunk(png, "IDAT", raw.ToArray());
        }
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        png.Write(four);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        uint crc = Crc32.Finish(Crc32.Update(Crc32.Update(Crc32.Start, typeBytes), data));
        BinaryPrimitives.WriteUInt32BigEndian(four, crc);
        png.Write(four);
    }
}

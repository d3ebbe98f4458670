using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Course.Tests;

/// <summary>The course's PNG decoder against PIL (reference/png_reference.py): exact pixels.</summary>
public sealed class PngTests
{
    [PilFact]
    public void EveryColourTypeBitDepthFilterAndInterlaceDecodesToPilsPixels()
    {
        var (folder, cases) = PngReference.Synthetic;
        Assert.Equal(208, cases.Count);
        var seen = new HashSet<string>();
        foreach (var c in cases)
        {
            string file = (string)c!["file"]!;
            var image = Png.Read(Path.Combine(folder, file));
            int depth = (int)c["bitDepth"]!;
            Assert.Equal((int)c["width"]!, image.Width);
            Assert.Equal((int)c["height"]!, image.Height);
            Assert.Equal((int)c["channels"]!, image.Channels);
            Assert.Equal(depth, image.Header.BitDepth);
            Assert.Equal((PngColorType)(int)c["colorType"]!, image.Header.ColorType);
            Assert.Equal((bool)c["interlaced"]!, image.Header.Interlaced);
            var expected = c["samples"]!.AsArray().Select(v => (int)v!).ToArray();
            if (depth == 16)
            {
                Assert.True(image.Samples16 is not null, file);
                Assert.True(expected.SequenceEqual(image.Samples16!.Select(v => (int)v)), $"{file}: 16-bit samples differ");
                Assert.True(expected.Select(v => v >> 8).SequenceEqual(image.Pixels.Select(v => (int)v)), $"{file}: high bytes differ");
                Assert.Equal(expected.Select(v => v / 65535f), image.ToFloats());
            }
            else
            {
                Assert.Null(image.Samples16);
                Assert.True(expected.SequenceEqual(image.Pixels.Select(v => (int)v)), $"{file}: pixels differ");
                Assert.Equal(expected.Select(v => v / 255f), image.ToFloats());
            }
            seen.Add($"{image.Header.ColorType}/{depth}/{image.Header.Interlaced}");
        }
        Assert.Equal(15 * 2, seen.Count); // every valid (colour type, bit depth), plain and Adam7
    }

    [ClipArtFact]
    public void RealClipArtFilesOfEveryKindDecodeToPilsPixels()
    {
        var files = PngReference.Real["files"]!.AsArray();
        var kinds = new HashSet<string>();
        foreach (var f in files)
        {
            var path = Path.Combine(ClipArt.StandardFolder, (string)f!["file"]!);
            var image = Png.Read(path);
            var shape = f["shape"]!.AsArray().Select(v => (int)v!).ToArray();
            Assert.Equal(shape, new[] { image.Height, image.Width, image.Channels });
            Assert.Equal((string)f["sha256"]!, Convert.ToHexStringLower(SHA256.HashData(image.Pixels)));
            kinds.Add((string)f["kind"]!);
        }
        // the kinds the package holds: gray, RGB, palette at 1/2/4/8 bits, gray + alpha, RGBA (none interlaced or 16-bit)
        Assert.Equal(["c0_d8_i0", "c2_d8_i0", "c3_d1_i0", "c3_d2_i0", "c3_d4_i0", "c3_d8_i0", "c4_d8_i0", "c6_d8_i0"], kinds.Order());
        Assert.True(files.Count >= 20);
    }

    [DigitsFact]
    public void DigitsPngDecodesToPilsPixels()
    {
        var digits = PngReference.Real["digits"]!;
        var image = Png.Read(OpenCvDigits.StandardPath);
        Assert.Equal((1000, 2000, 1), (image.Height, image.Width, image.Channels));
        Assert.Equal((string)digits["sha256"]!, Convert.ToHexStringLower(SHA256.HashData(image.Pixels)));
    }

    [Fact]
    public void RgbaExpandsGrayAndPalettePixels()
    {
        var png = Make(2, 1, 0, 8, [0, 10, 200]);
        var image = Png.Decode(png);
        Assert.Equal(new byte[] { 10, 10, 10, 255, 200, 200, 200, 255 }, image.ToRgba());
    }

    // ---- bad files -------------------------------------------------------------------------------------------

    [Fact]
    public void EveryTruncationIsAnInvalidDataExceptionNamingTheFile()
    {
        var png = Make(9, 7, 6, 8, Enumerable.Range(0, 7).SelectMany(y => new byte[] { (byte)(y % 5) }.Concat(Enumerable.Range(0, 36).Select(i => (byte)(i * 7 + y)))).ToArray());
        Png.Decode(png, "whole.png"); // the whole file decodes
        for (int n = 0; n < png.Length; n++)
        {
            var e = Assert.Throws<InvalidDataException>(() => Png.Decode(png[..n], "cut.png"));
            Assert.StartsWith("cut.png", e.Message);
            Assert.Matches(n < 8 ? "not a PNG" : "truncated", e.Message);
        }
    }

    [Fact]
    public void ABadCrcIsNamed()
    {
        var png = Make(3, 2, 2, 8, new byte[2 * 10]);
        int idat = IndexOf(png, "IDAT");
        png[idat + 5] ^= 0x40; // a byte of the compressed data
        var e = Assert.Throws<InvalidDataException>(() => Png.Decode(png, "bad-crc.png"));
        Assert.Contains("bad-crc.png", e.Message);
        Assert.Contains("bad CRC in chunk IDAT", e.Message);
    }

    [Fact]
    public void CorruptContentWithValidCrcsIsAnInvalidDataException()
    {
        // an unknown filter type
        var e = Assert.Throws<InvalidDataException>(() => Png.Decode(Make(2, 2, 0, 8, [0, 1, 2, 7, 3, 4]), "f.png"));
        Assert.Contains("unknown filter type 7", e.Message);
        // a palette index past the palette
        var p = Assert.Throws<InvalidDataException>(() => Png.Decode(Make(2, 1, 3, 8, [0, 0, 3], palette: [1, 2, 3, 4, 5, 6]), "p.png"));
        Assert.Contains("palette entry 3", p.Message);
        // too little image data
        Assert.Contains("ends in row 1", Assert.Throws<InvalidDataException>(() => Png.Decode(Make(2, 2, 0, 8, [0, 1, 2]), "s.png")).Message);
        // zlib data that is not zlib
        Assert.Contains("zlib", Assert.Throws<InvalidDataException>(() => Png.Decode(Make(2, 2, 0, 8, [], rawIdat: [0x78, 0x9c, 0xff, 0xff, 0xff, 0xff]), "z.png")).Message);
        // an invalid bit depth, a missing palette
        Assert.Contains("not a valid PNG combination", Assert.Throws<InvalidDataException>(() => Png.Decode(Make(2, 2, 2, 4, [0]), "d.png")).Message);
        Assert.Contains("without a PLTE", Assert.Throws<InvalidDataException>(() => Png.Decode(Make(1, 1, 3, 8, [0, 0]), "m.png")).Message);
    }

    [Fact]
    public void RandomDamageNeverEscapesAsAnotherException()
    {
        var clean = Make(16, 16, 6, 8, Enumerable.Range(0, 16).SelectMany(y => new byte[] { (byte)(y % 5) }.Concat(Enumerable.Range(0, 64).Select(i => (byte)(i * 3 + y * 11)))).ToArray());
        var random = new SplitMix64(5);
        int failures = 0;
        for (int trial = 0; trial < 2000; trial++)
        {
            var png = (byte[])clean.Clone();
            int flips = 1 + (int)random.NextInt64(4);
            for (int k = 0; k < flips; k++) png[random.NextInt64(8, png.Length - 12)] ^= (byte)(1 + random.NextInt64(255));
            FixCrcs(png); // past the CRC check, into the chunk parser, zlib, the filters
            try { Png.Decode(png, "fuzz.png"); }
            catch (InvalidDataException e) { Assert.StartsWith("fuzz.png", e.Message); failures++; }
            catch (NotSupportedException e) { Assert.StartsWith("fuzz.png", e.Message); failures++; }
        }
        Assert.True(failures > 100, $"only {failures} of 2000 damaged files were refused");
    }

    [Fact]
    public void AFileThatIsNotAPngIsRefused()
    {
        var e = Assert.Throws<InvalidDataException>(() => Png.Decode(Encoding.ASCII.GetBytes("GIF89a......."), "a.gif"));
        Assert.Equal("a.gif is not a PNG file: it does not start with the PNG signature.", e.Message);
    }

    // ---- a minimal PNG writer for the bad-file tests (no filters chosen here: the caller writes filter bytes) ----

    private static byte[] Make(int w, int h, int colorType, int depth, byte[] scanlines, byte[]? palette = null, byte[]? rawIdat = null)
    {
        var ms = new MemoryStream();
        ms.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, w);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), h);
        (ihdr[8], ihdr[9]) = ((byte)depth, (byte)colorType);
        Chunk(ms, "IHDR", ihdr);
        if (palette is not null) Chunk(ms, "PLTE", palette);
        if (rawIdat is null)
        {
            var z = new MemoryStream();
            using (var zs = new ZLibStream(z, CompressionLevel.Optimal, leaveOpen: true)) zs.Write(scanlines);
            rawIdat = z.ToArray();
        }
        Chunk(ms, "IDAT", rawIdat);
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] body)
    {
        var buffer = new byte[12 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(buffer, body.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(buffer, 4);
        body.CopyTo(buffer, 8);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(8 + body.Length), Crc(buffer.AsSpan(4, 4 + body.Length)));
        s.Write(buffer);
    }

    // bitwise CRC-32 (no table: written independently of the decoder's)
    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        uint c = uint.MaxValue;
        foreach (var b in bytes)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (uint)-(int)(c & 1));
        }
        return ~c;
    }

    // recomputes the CRC of every chunk whose length still fits the file
    private static void FixCrcs(byte[] png)
    {
        int pos = 8;
        while (pos + 12 <= png.Length)
        {
            long length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos));
            if (pos + 12 + length > png.Length) return;
            BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(pos + 8 + (int)length), Crc(png.AsSpan(pos + 4, 4 + (int)length)));
            pos += 12 + (int)length;
        }
    }

    private static int IndexOf(byte[] data, string type) => data.AsSpan().IndexOf(Encoding.ASCII.GetBytes(type));
}

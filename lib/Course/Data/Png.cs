using System.Buffers.Binary;
using System.IO.Compression;

namespace Course;

/// <summary>The colour types of the PNG specification (IHDR byte 9).</summary>
public enum PngColorType { Gray = 0, Rgb = 2, Palette = 3, GrayAlpha = 4, Rgba = 6 }

/// <summary>
/// What a PNG's IHDR (and PLTE/tRNS) say about it, and the layout of the rows the decoder hands out:
/// <see cref="Channels"/> samples per pixel (1 gray, 2 gray + alpha, 3 RGB, 4 RGBA; a palette becomes RGB, or RGBA when
/// it has a tRNS chunk; a tRNS colour key on a gray or RGB image becomes an alpha channel), each in 0..<see cref="SampleMax"/>.
/// </summary>
public sealed record PngHeader(int Width, int Height, int BitDepth, PngColorType ColorType, bool Interlaced, bool HasTransparency)
{
    /// <summary>Samples per pixel of the decoded rows.</summary>
    public int Channels => ColorType switch
    {
        PngColorType.Gray => HasTransparency ? 2 : 1,
        PngColorType.GrayAlpha => 2,
        PngColorType.Rgb or PngColorType.Palette => HasTransparency ? 4 : 3,
        _ => 4,
    };

    /// <summary>True when the decoded rows carry an alpha channel (the last sample of each pixel).</summary>
    public bool HasAlpha => Channels is 2 or 4;

    /// <summary>The largest sample value of the decoded rows: 65535 for 16-bit images, 255 otherwise (1, 2 and 4-bit
    /// gray is scaled to 0..255, as libpng and PIL do; palette entries are 8-bit).</summary>
    public int SampleMax => BitDepth == 16 ? 65535 : 255;
}

/// <summary>
/// A decoded PNG: <see cref="Pixels"/> holds Height × Width × Channels bytes, row by row (16-bit samples keep their high
/// byte, as PIL and libpng's strip-16 do); <see cref="Samples16"/> holds the full 16-bit samples of 16-bit images.
/// </summary>
public sealed class PngImage
{
    internal PngImage(PngHeader header, byte[] pixels, ushort[]? samples16) => (Header, Pixels, Samples16) = (header, pixels, samples16);

    public PngHeader Header { get; }
    public int Width => Header.Width;
    public int Height => Header.Height;
    public int Channels => Header.Channels;
    public byte[] Pixels { get; }
    public ushort[]? Samples16 { get; }

    /// <summary>The samples as floats in [0, 1] (Height × Width × Channels, full precision for 16-bit images).</summary>
    public float[] ToFloats()
    {
        var result = new float[Pixels.Length];
        if (Samples16 is { } wide) for (int i = 0; i < wide.Length; i++) result[i] = wide[i] / 65535f;
        else for (int i = 0; i < Pixels.Length; i++) result[i] = Pixels[i] / 255f;
        return result;
    }

    /// <summary>The pixels as RGBA bytes (Height × Width × 4): gray is repeated, a missing alpha is 255.</summary>
    public byte[] ToRgba()
    {
        int c = Channels;
        long n = (long)Width * Height;
        var rgba = new byte[checked(n * 4)];
        for (long p = 0; p < n; p++)
        {
            var s = Pixels.AsSpan((int)(p * c), c);
            var d = rgba.AsSpan((int)(p * 4), 4);
            (d[0], d[1], d[2], d[3]) = c switch
            {
                1 => (s[0], s[0], s[0], (byte)255),
                2 => (s[0], s[0], s[0], s[1]),
                3 => (s[0], s[1], s[2], (byte)255),
                _ => (s[0], s[1], s[2], s[3]),
            };
        }
        return rgba;
    }
}

/// <summary>
/// A PNG decoder written for the course (no image library): chunks with their CRC checked, zlib through
/// <see cref="ZLibStream"/>, the five row filters, colour types 0/2/3/4/6 at bit depths 1/2/4/8/16, tRNS and Adam7
/// interlacing. A bad or truncated file raises <see cref="InvalidDataException"/> naming the file and the cause; an
/// image too large to hold raises <see cref="NotSupportedException"/>. Non-interlaced images are decoded row by row
/// (<see cref="DecodeRows"/>), so a consumer that shrinks them never holds the full image.
/// </summary>
public static class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Receives row <paramref name="y"/> of the image: Width × Channels samples in 0..SampleMax. The span is
    /// reused for the next row.</summary>
    public delegate void RowHandler(int y, ReadOnlySpan<ushort> samples);

    /// <summary>Reads and decodes a PNG file.</summary>
    public static PngImage Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Decode(File.ReadAllBytes(path), path);
    }

    /// <summary>Decodes the bytes of a PNG file; <paramref name="name"/> names it in error messages.</summary>
    public static PngImage Decode(byte[] data, string name = "PNG data")
    {
        var header = ReadHeader(data, name);
        long count = (long)header.Width * header.Height * header.Channels;
        if (count > Array.MaxLength) throw new NotSupportedException($"{name}: a {header.Width}×{header.Height} image is too large to hold in memory; decode it row by row with Png.DecodeRows.");
        var pixels = new byte[count];
        var wide = header.BitDepth == 16 ? new ushort[count] : null;
        int rowLength = header.Width * header.Channels;
        DecodeRows(data, (y, row) =>
        {
            var bytes = pixels.AsSpan(y * rowLength, rowLength);
            if (wide is null) for (int i = 0; i < row.Length; i++) bytes[i] = (byte)row[i];
            else
            {
                row.CopyTo(wide.AsSpan(y * rowLength, rowLength));
                for (int i = 0; i < row.Length; i++) bytes[i] = (byte)(row[i] >> 8);
            }
        }, name);
        return new PngImage(header, pixels, wide);
    }

    /// <summary>The header of a PNG (its chunks are walked and checked, the image data is not decompressed).</summary>
    public static PngHeader ReadHeader(byte[] data, string name = "PNG data") => Parse(data, name).Header;

    /// <summary>Decodes the image and hands each row, top to bottom, to <paramref name="onRow"/>; returns the header.</summary>
    public static PngHeader DecodeRows(byte[] data, RowHandler onRow, string name = "PNG data")
    {
        ArgumentNullException.ThrowIfNull(onRow);
        var parsed = Parse(data, name);
        var h = parsed.Header;
        using var compressed = new MemoryStream(parsed.ImageData, writable: false);
        using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
        var reader = new RowReader(zlib, name);
        int channels = h.Channels;
        if (!h.Interlaced)
        {
            var unfilter = new Unfilter(h, h.Width, reader, name);
            var row = new ushort[(long)h.Width * channels];
            for (int y = 0; y < h.Height; y++)
            {
                var raw = unfilter.Next(y, 0);
                Expand(parsed, raw, h.Width, row);
                onRow(y, row);
            }
            return h;
        }

        long total = (long)h.Width * h.Height * channels;
        if (total > Array.MaxLength) throw new NotSupportedException($"{name}: an interlaced {h.Width}×{h.Height} image is too large to hold in memory.");
        var image = new ushort[total];
        ReadOnlySpan<(int X0, int Y0, int Dx, int Dy)> passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];
        for (int p = 0; p < passes.Length; p++)
        {
            var (x0, y0, dx, dy) = passes[p];
            int pw = h.Width > x0 ? (h.Width - x0 + dx - 1) / dx : 0;
            int ph = h.Height > y0 ? (h.Height - y0 + dy - 1) / dy : 0;
            if (pw == 0 || ph == 0) continue; // an empty pass has no bytes at all, not even filter bytes
            var unfilter = new Unfilter(h, pw, reader, name);
            var row = new ushort[(long)pw * channels];
            for (int py = 0; py < ph; py++)
            {
                Expand(parsed, unfilter.Next(py, p + 1), pw, row);
                long y = y0 + (long)py * dy;
                for (int px = 0; px < pw; px++)
                {
                    long x = x0 + (long)px * dx;
                    row.AsSpan(px * channels, channels).CopyTo(image.AsSpan((int)((y * h.Width + x) * channels), channels));
                }
            }
        }
        int rowLength = h.Width * channels;
        for (int y = 0; y < h.Height; y++) onRow(y, image.AsSpan(y * rowLength, rowLength));
        return h;
    }

    // ---- chunks -------------------------------------------------------------------------------------------------

    private sealed class Parsed
    {
        public required string Name;
        public required PngHeader Header;
        public required byte[] ImageData;
        public byte[]? Palette;          // RGB triples
        public byte[]? PaletteAlpha;     // tRNS for colour type 3 (entries past its end are opaque)
        public int KeyGray = -1;         // tRNS for colour type 0 (raw sample value)
        public int KeyR = -1, KeyG = -1, KeyB = -1; // tRNS for colour type 2
    }

    private static Parsed Parse(byte[] data, string name)
    {
        ArgumentNullException.ThrowIfNull(data);
        name ??= "PNG data";
        if (data.Length < 8 || !data.AsSpan(0, 8).SequenceEqual(Signature))
            throw new InvalidDataException($"{name} is not a PNG file: it does not start with the PNG signature.");
        int pos = 8;
        (int W, int H, int Depth, PngColorType Type, bool Interlaced)? ihdr = null;
        byte[]? palette = null, paletteAlpha = null;
        int keyGray = -1, keyR = -1, keyG = -1, keyB = -1;
        var idat = new MemoryStream();
        bool seenIdat = false, ended = false;
        while (!ended)
        {
            if (pos + 8 > data.Length)
                throw new InvalidDataException($"{name} is truncated: it ends at byte {data.Length} before the IEND chunk.");
            uint length = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(pos));
            var typeBytes = data.AsSpan(pos + 4, 4);
            string type = System.Text.Encoding.ASCII.GetString(typeBytes);
            foreach (var b in typeBytes)
                if (!(b is >= (byte)'A' and <= (byte)'Z' || b is >= (byte)'a' and <= (byte)'z'))
                    throw new InvalidDataException($"{name} is corrupt: the chunk at byte {pos} has an invalid type.");
            if (length > int.MaxValue || pos + 12L + length > data.Length)
                throw new InvalidDataException($"{name} is truncated: chunk {type} at byte {pos} declares {length} bytes but the file ends at byte {data.Length}.");
            var body = data.AsSpan(pos + 8, (int)length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(pos + 8 + (int)length));
            uint actual = Crc32.Compute(data.AsSpan(pos + 4, 4 + (int)length));
            if (stored != actual)
                throw new InvalidDataException($"{name} is corrupt: bad CRC in chunk {type} at byte {pos} (stored 0x{stored:x8}, computed 0x{actual:x8}).");
            if (ihdr is null && type != "IHDR")
                throw new InvalidDataException($"{name} is corrupt: the first chunk is {type}, not IHDR.");
            switch (type)
            {
                case "IHDR":
                    if (ihdr is not null) throw new InvalidDataException($"{name} is corrupt: a second IHDR chunk.");
                    ihdr = Header(body, name);
                    break;
                case "PLTE":
                    if (body.Length == 0 || body.Length % 3 != 0 || body.Length / 3 > 256)
                        throw new InvalidDataException($"{name} is corrupt: a PLTE chunk of {body.Length} bytes (it needs 1 to 256 RGB triples).");
                    palette = body.ToArray();
                    break;
                case "tRNS":
                    switch (ihdr!.Value.Type)
                    {
                        case PngColorType.Palette:
                            if (palette is null) throw new InvalidDataException($"{name} is corrupt: tRNS comes before PLTE.");
                            if (body.Length > palette.Length / 3) throw new InvalidDataException($"{name} is corrupt: tRNS holds {body.Length} alphas for a palette of {palette.Length / 3} colours.");
                            paletteAlpha = body.ToArray();
                            break;
                        case PngColorType.Gray:
                            if (body.Length != 2) throw new InvalidDataException($"{name} is corrupt: a gray image's tRNS must hold 2 bytes, not {body.Length}.");
                            keyGray = BinaryPrimitives.ReadUInt16BigEndian(body);
                            break;
                        case PngColorType.Rgb:
                            if (body.Length != 6) throw new InvalidDataException($"{name} is corrupt: an RGB image's tRNS must hold 6 bytes, not {body.Length}.");
                            (keyR, keyG, keyB) = (BinaryPrimitives.ReadUInt16BigEndian(body), BinaryPrimitives.ReadUInt16BigEndian(body[2..]), BinaryPrimitives.ReadUInt16BigEndian(body[4..]));
                            break;
                        default:
                            break; // not allowed with an alpha channel; ignored, as libpng does
                    }
                    break;
                case "IDAT":
                    idat.Write(body);
                    seenIdat = true;
                    break;
                case "IEND":
                    ended = true;
                    break;
                default:
                    if (char.IsUpper(type[0])) throw new InvalidDataException($"{name} uses the unknown critical chunk {type}.");
                    break; // ancillary chunks (text, gamma, ...) are skipped
            }
            pos += 12 + (int)length;
        }
        var (w, h, depth, colorType, interlaced) = ihdr!.Value;
        if (!seenIdat) throw new InvalidDataException($"{name} is corrupt: it has no IDAT chunk.");
        if (colorType == PngColorType.Palette && palette is null) throw new InvalidDataException($"{name} is corrupt: a palette image without a PLTE chunk.");
        bool transparent = paletteAlpha is { Length: > 0 } || keyGray >= 0 || keyR >= 0;
        if (colorType == PngColorType.Palette && paletteAlpha is null) transparent = false;
        return new Parsed
        {
            Name = name,
            Header = new PngHeader(w, h, depth, colorType, interlaced, transparent),
            ImageData = idat.ToArray(),
            Palette = palette,
            PaletteAlpha = paletteAlpha,
            KeyGray = keyGray, KeyR = keyR, KeyG = keyG, KeyB = keyB,
        };
    }

    private static (int, int, int, PngColorType, bool) Header(ReadOnlySpan<byte> body, string name)
    {
        if (body.Length != 13) throw new InvalidDataException($"{name} is corrupt: IHDR holds {body.Length} bytes, not 13.");
        uint w = BinaryPrimitives.ReadUInt32BigEndian(body), h = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        int depth = body[8], type = body[9];
        if (w == 0 || h == 0 || w > int.MaxValue || h > int.MaxValue) throw new InvalidDataException($"{name} is corrupt: its size is {w}×{h}.");
        bool ok = type switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16,
            3 => depth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => depth is 8 or 16,
            _ => false,
        };
        if (!ok) throw new InvalidDataException($"{name} is corrupt: colour type {type} with bit depth {depth} is not a valid PNG combination.");
        if (body[10] != 0) throw new InvalidDataException($"{name} is corrupt: unknown compression method {body[10]}.");
        if (body[11] != 0) throw new InvalidDataException($"{name} is corrupt: unknown filter method {body[11]}.");
        if (body[12] > 1) throw new InvalidDataException($"{name} is corrupt: unknown interlace method {body[12]}.");
        return ((int)w, (int)h, depth, (PngColorType)type, body[12] == 1);
    }

    // ---- rows ---------------------------------------------------------------------------------------------------

    private static int RawChannels(PngColorType t) => t switch
    {
        PngColorType.Gray or PngColorType.Palette => 1,
        PngColorType.GrayAlpha => 2,
        PngColorType.Rgb => 3,
        _ => 4,
    };

    // Reads exactly the bytes asked for from the zlib stream; running out or a zlib error is an InvalidDataException.
    private sealed class RowReader(Stream zlib, string name)
    {
        public void Fill(Span<byte> buffer, int y, int pass)
        {
            int done = 0;
            try
            {
                while (done < buffer.Length)
                {
                    int n = zlib.Read(buffer[done..]);
                    if (n == 0) throw new InvalidDataException($"{name} is truncated: the image data ends in row {y}{(pass > 0 ? $" of interlace pass {pass}" : "")}.");
                    done += n;
                }
            }
            catch (InvalidDataException e) when (!e.Message.StartsWith(name, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{name} is corrupt: its zlib data cannot be inflated ({e.Message}).", e);
            }
        }
    }

    // Undoes the row filters of one (sub-)image of `width` pixels.
    private sealed class Unfilter
    {
        private readonly RowReader _reader;
        private readonly int _bpp;
        private byte[] _previous, _current;
        private readonly byte[] _filter = new byte[1];
        private readonly string _name;

        public Unfilter(PngHeader h, int width, RowReader reader, string name)
        {
            _name = name;
            long bits = (long)width * RawChannels(h.ColorType) * h.BitDepth;
            long stride = (bits + 7) / 8;
            if (stride > 1 << 28) throw new NotSupportedException($"{name}: rows of {stride} bytes ({h.Width} pixels wide) are too long to decode.");
            _bpp = Math.Max(1, RawChannels(h.ColorType) * h.BitDepth / 8);
            _previous = new byte[stride];
            _current = new byte[stride];
            _reader = reader;
        }

        public byte[] Next(int y, int pass)
        {
            (_previous, _current) = (_current, _previous);
            _reader.Fill(_filter, y, pass);
            var row = _current;
            _reader.Fill(row, y, pass);
            var prior = _previous; // all zeros for the first row of a (sub-)image
            int bpp = _bpp, n = row.Length;
            switch (_filter[0])
            {
                case 0: break;
                case 1: for (int i = bpp; i < n; i++) row[i] += row[i - bpp]; break;
                case 2: for (int i = 0; i < n; i++) row[i] += prior[i]; break;
                case 3:
                    for (int i = 0; i < n; i++) row[i] += (byte)(((i >= bpp ? row[i - bpp] : 0) + prior[i]) >> 1);
                    break;
                case 4:
                    for (int i = 0; i < n; i++)
                    {
                        int a = i >= bpp ? row[i - bpp] : 0, b = prior[i], c = i >= bpp ? prior[i - bpp] : 0;
                        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                        row[i] += (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                    }
                    break;
                default:
                    throw new InvalidDataException($"{_name} is corrupt: row {y}{(pass > 0 ? $" of interlace pass {pass}" : "")} has the unknown filter type {_filter[0]}.");
            }
            return row;
        }
    }

    // Raw (unfiltered) bytes of `width` pixels → samples in the header's layout.
    private static void Expand(Parsed parsed, byte[] raw, int width, ushort[] output)
    {
        var h = parsed.Header;
        int depth = h.BitDepth;
        switch (h.ColorType)
        {
            case PngColorType.Palette:
            {
                var pal = parsed.Palette!;
                var alpha = parsed.PaletteAlpha;
                int colours = pal.Length / 3, c = h.Channels;
                for (int x = 0; x < width; x++)
                {
                    int index = Packed(raw, x, depth);
                    if (index >= colours) throw new InvalidDataException($"{parsed.Name} is corrupt: pixel {x} uses palette entry {index} but the palette holds {colours} colours.");
                    int o = x * c;
                    output[o] = pal[3 * index]; output[o + 1] = pal[3 * index + 1]; output[o + 2] = pal[3 * index + 2];
                    if (c == 4) output[o + 3] = alpha is not null && index < alpha.Length ? alpha[index] : (ushort)255;
                }
                break;
            }
            case PngColorType.Gray:
            {
                bool key = h.HasTransparency;
                int c = key ? 2 : 1;
                for (int x = 0; x < width; x++)
                {
                    int v = depth == 16 ? raw[2 * x] << 8 | raw[2 * x + 1] : depth == 8 ? raw[x] : Packed(raw, x, depth);
                    int scaled = depth < 8 ? v * 255 / ((1 << depth) - 1) : v;
                    output[x * c] = (ushort)scaled;
                    if (key) output[x * c + 1] = (ushort)(v == parsed.KeyGray ? 0 : h.SampleMax);
                }
                break;
            }
            case PngColorType.Rgb when h.HasTransparency:
            {
                for (int x = 0; x < width; x++)
                {
                    int r, g, b;
                    if (depth == 16) (r, g, b) = (raw[6 * x] << 8 | raw[6 * x + 1], raw[6 * x + 2] << 8 | raw[6 * x + 3], raw[6 * x + 4] << 8 | raw[6 * x + 5]);
                    else (r, g, b) = (raw[3 * x], raw[3 * x + 1], raw[3 * x + 2]);
                    output[4 * x] = (ushort)r; output[4 * x + 1] = (ushort)g; output[4 * x + 2] = (ushort)b;
                    output[4 * x + 3] = (ushort)(r == parsed.KeyR && g == parsed.KeyG && b == parsed.KeyB ? 0 : h.SampleMax);
                }
                break;
            }
            default: // Rgb, GrayAlpha, Rgba at 8 or 16 bits: the samples as they are
            {
                int n = width * RawChannels(h.ColorType);
                if (depth == 16) for (int i = 0; i < n; i++) output[i] = (ushort)(raw[2 * i] << 8 | raw[2 * i + 1]);
                else for (int i = 0; i < n; i++) output[i] = raw[i];
                break;
            }
        }
    }

    // The x-th value of `depth` bits (1, 2, 4 or 8), most significant bits first.
    private static int Packed(byte[] raw, int x, int depth)
    {
        if (depth == 8) return raw[x];
        int perByte = 8 / depth;
        int shift = 8 - depth * (x % perByte + 1);
        return raw[x / perByte] >> shift & ((1 << depth) - 1);
    }
}

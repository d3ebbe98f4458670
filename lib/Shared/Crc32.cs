// Linked into each assembly that reads or writes PNG chunks (lib/Course's decoder, the kernel's logo writer).
namespace Course;

/// <summary>CRC-32 of the PNG specification (ISO 3309 / ITU-T V.42: polynomial 0xEDB88320, reflected).</summary>
internal static class Crc32
{
    private static readonly uint[] Table = MakeTable();

    /// <summary>The CRC of <paramref name="bytes"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> bytes) => Finish(Update(Start, bytes));

    /// <summary>The running value before any byte; continue with <see cref="Update"/>, end with <see cref="Finish"/>.</summary>
    public const uint Start = 0xFFFFFFFFu;

    public static uint Update(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    public static uint Finish(uint crc) => crc ^ 0xFFFFFFFFu;

    private static uint[] MakeTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}

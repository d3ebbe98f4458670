using System.Diagnostics;
using Xunit.Abstractions;

namespace Course.Tests;

/// <summary>The clip art of openclipart-png: area averaging against numpy, classes, failures, the cache.</summary>
public sealed class ClipArtTests(ITestOutputHelper output)
{
    // Pictures per category folder (regular files, links left out) in openclipart-png 1:0.18+dfsg-19, counted by
    // reference/png_reference.py's survey (os.walk, not the code under test); the categories with 100 or more.
    private static readonly Dictionary<string, int> DebianCounts = new()
    {
        ["computer"] = 1797, ["shapes"] = 1582, ["signs_and_symbols"] = 1004, ["recreation"] = 487, ["people"] = 345,
        ["food"] = 330, ["animals"] = 286, ["transportation"] = 170, ["geography"] = 130, ["tools"] = 123,
        ["office"] = 107, ["special"] = 104,
    };

    [ClipArtFact]
    public void PrepareEqualsExactAreaAveragingOnWhite()
    {
        var resized = PngReference.Real["resized"]!.AsArray();
        Assert.True(resized.Count >= 10);
        foreach (var r in resized)
        {
            var file = Path.Combine(ClipArt.StandardFolder, (string)r!["file"]!);
            int size = (int)r["size"]!;
            var bytes = File.ReadAllBytes(file);
            foreach (var gray in new[] { false, true })
            {
                var expected = r[gray ? "gray" : "rgb"]!.AsArray().Select(v => (double)v!).ToArray();
                var got = ClipArt.Prepare(bytes, size, gray, file);
                Assert.Equal(expected.Length, got.Length);
                for (int i = 0; i < got.Length; i++)
                    Assert.True(Math.Abs(expected[i] - got[i]) < 2e-6, $"{file} {size}px {(gray ? "gray" : "rgb")}: value {i} is {got[i]}, numpy says {expected[i]}");
            }
        }
    }

    [Fact]
    public void PrepareKeepsTheAspectRatioAndPadsWithWhite()
    {
        // a 4×2 black opaque gray image → 28 wide, 14 high, rows 7..20 black, the rest white
        var png = TinyPng(4, 2, Enumerable.Repeat((byte)0, 2 * 5).ToArray());
        var image = ClipArt.Prepare(png, 28, gray: true);
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
                Assert.Equal(y is >= 7 and < 21 ? 0f : 1f, image[y * 28 + x]);
    }

    [ClipArtFact]
    public void FailuresAreSkippedAndCountedAndTheCacheEqualsAFreshDecode()
    {
        using var temp = new TempFolder("clipart");
        using var cache = new TempFolder("clipart-cache");
        var sources = PngReference.Real["files"]!.AsArray().Select(f => (string)f!["file"]!).Take(13).ToArray();
        var layout = new[] { "a", "a", "a", "a", "a", "b", "b", "b", "b", "unsorted", "unsorted", "unsorted", "c" };
        for (int i = 0; i < layout.Length; i++)
        {
            Directory.CreateDirectory(temp.File(layout[i]));
            File.Copy(Path.Combine(ClipArt.StandardFolder, sources[i]), temp.File($"{layout[i]}/{i:D2}.png"));
        }
        var whole = File.ReadAllBytes(temp.File("a/00.png"));
        File.WriteAllBytes(temp.File("a/truncated.png"), whole[..(whole.Length / 2)]);
        var badCrc = (byte[])whole.Clone();
        badCrc[20] ^= 1; // inside IHDR's height
        File.WriteAllBytes(temp.File("b/bad-crc.png"), badCrc);
        File.CreateSymbolicLink(temp.File("b/link.png"), temp.File("a/00.png"));

        var first = ClipArt.Images(28, gray: true, folder: temp.FullName, cacheFolder: cache.FullName);
        Assert.False(first.FromCache);
        Assert.Equal(15, first.Scanned); // 13 pictures and 2 broken files; the link is not counted
        Assert.Equal(13, first.Count);
        Assert.Equal(["a/truncated.png", "b/bad-crc.png"], first.Failures.Select(f => f.File).Order());
        Assert.Contains("truncated", first.Failures.Single(f => f.File == "a/truncated.png").Reason);
        Assert.Contains("bad CRC in chunk IHDR", first.Failures.Single(f => f.File == "b/bad-crc.png").Reason);
        Assert.Contains("2 failed to decode", first.Report());
        Assert.Equal([("a", 5), ("b", 4), ("unsorted", 3), ("c", 1)], first.CategoryCounts().Select(p => (p.Key, p.Value)));

        var second = ClipArt.Images(28, gray: true, folder: temp.FullName, cacheFolder: cache.FullName);
        var fresh = ClipArt.Images(28, gray: true, folder: temp.FullName, cacheFolder: "");
        Assert.True(second.FromCache);
        Assert.False(fresh.FromCache);
        foreach (var other in new[] { second, fresh })
        {
            Assert.Equal(first.Pixels, other.Pixels);
            Assert.Equal(first.Files, other.Files);
            Assert.Equal(first.Categories, other.Categories);
            Assert.Equal(first.Failures, other.Failures);
            Assert.Equal(first.Scanned, other.Scanned);
        }
        // the pixels are Prepare's, rounded to bytes
        int index = first.Files.ToList().IndexOf("b/06.png");
        var prepared = ClipArt.Prepare(File.ReadAllBytes(temp.File("b/06.png")), 28, gray: true);
        Assert.Equal(prepared.Select(v => (byte)Math.Round(v * 255.0)), first.Pixels.AsSpan(index * 784, 784).ToArray());

        // another size or colour is another cache entry; a changed file invalidates the entry and replaces it
        Assert.False(ClipArt.Images(32, gray: false, folder: temp.FullName, cacheFolder: cache.FullName).FromCache);
        File.SetLastWriteTimeUtc(temp.File("c/12.png"), DateTime.UtcNow.AddMinutes(-5));
        var changed = ClipArt.Images(28, gray: true, folder: temp.FullName, cacheFolder: cache.FullName);
        Assert.False(changed.FromCache);
        Assert.Equal(first.Pixels, changed.Pixels);
        Assert.Equal(2, Directory.GetFiles(cache.FullName, "*.bin").Length); // 28 gray (the new one) and 32 rgb

        // classes: 'unsorted' never, categories under the minimum left out
        var lines = new List<string>();
        using var data = ClipArt.Load(28, gray: true, minImagesPerClass: 2, validationFraction: 0.25, testFraction: 0.25, folder: temp.FullName, cacheFolder: cache.FullName, log: lines.Add);
        Assert.Equal(["a", "b"], data.ClassNames);
        Assert.Equal(9, data.Train.Count + data.Validation.Count + data.Test.Count);
        Assert.Equal(new long[] { data.Train.Count, 1, 28, 28 }, data.Train.Inputs.shape);
        Assert.Contains("read from the cache", Assert.Single(lines));
    }

    [Fact]
    public void AMissingFolderNamesThePackageTheCommandAndTheVariable()
    {
        using var temp = new TempFolder("clipart-empty");
        var previous = Environment.GetEnvironmentVariable(ClipArt.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(ClipArt.EnvironmentVariable, temp.FullName);
            var e = Assert.Throws<FileNotFoundException>(() => ClipArt.Load(cacheFolder: ""));
            Assert.Contains("openclipart-png", e.Message);
            Assert.Contains("sudo apt-get install openclipart-png", e.Message);
            Assert.Contains("COURSE_OPENCLIPART", e.Message);
            Assert.Contains("holds no PNG files", e.Message);
        }
        finally { Environment.SetEnvironmentVariable(ClipArt.EnvironmentVariable, previous); }
    }

    [ClipArtFact]
    public void TheDebianClipArtLoadsWithTwelveClasses()
    {
        // the checkout's cache (artifacts/cache): the first run decodes every file, later runs read the cache
        var clock = Stopwatch.StartNew();
        var images = ClipArt.Images(32, gray: false);
        output.WriteLine($"{images.Report()} (load average {File.ReadAllText("/proc/loadavg").Trim()})");
        Assert.Equal(6900, images.Scanned);
        foreach (var (file, reason) in images.Failures) output.WriteLine($"failed: {file}: {reason}");
        Assert.True(images.Failures.Count <= 10, $"{images.Failures.Count} files failed to decode");
        var counts = images.CategoryCounts().ToDictionary(p => p.Key, p => p.Value);
        foreach (var (category, expected) in DebianCounts)
            Assert.Equal(expected, counts[category] + images.Failures.Count(f => f.File.StartsWith(category + "/", StringComparison.Ordinal)));
        Assert.Equal(DebianCounts.Keys.Order(StringComparer.Ordinal), ClipArt.Classes(images));
        foreach (var (category, n) in images.CategoryCounts()) output.WriteLine($"{category}: {n}");

        var lines = new List<string>();
        clock.Restart();
        using var data = ClipArt.Load(32, log: lines.Add);
        output.WriteLine($"Load (cache) {clock.Elapsed.TotalSeconds:F2} s: {data}");
        Assert.Contains("read from the cache", lines.Single());
        Assert.Equal(12, data.ClassNames.Count);
        Assert.Equal(new long[] { 3, 32, 32 }, data.Train.Inputs.shape[1..]);
        long total = data.Train.Count + data.Validation.Count + data.Test.Count;
        Assert.Equal(DebianCounts.Values.Sum() - images.Failures.Count(f => DebianCounts.ContainsKey(f.File[..f.File.IndexOf('/')])), total);
        using var testCounts = bincount(data.Test.Targets);
        var perClass = testCounts.ToArray<long>();
        for (int c = 0; c < 12; c++)
            Assert.Equal(Math.Round(counts[data.ClassNames[c]] * 0.2), perClass[c]);
    }

    // an 8-bit gray PNG from its filtered scanlines (filter byte + w bytes per row), written with System.IO.Compression
    private static byte[] TinyPng(int w, int h, byte[] scanlines)
    {
        var ms = new MemoryStream();
        ms.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr, w);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), h);
        ihdr[8] = 8;
        Chunk(ms, "IHDR", ihdr);
        var z = new MemoryStream();
        using (var zs = new System.IO.Compression.ZLibStream(z, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true)) zs.Write(scanlines);
        Chunk(ms, "IDAT", z.ToArray());
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] body)
    {
        var b = new byte[12 + body.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(b, body.Length);
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(b, 4);
        body.CopyTo(b, 8);
        uint c = uint.MaxValue;
        foreach (var x in b.AsSpan(4, 4 + body.Length)) { c ^= x; for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (uint)-(int)(c & 1)); }
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(8 + body.Length), ~c);
        s.Write(b);
    }
}

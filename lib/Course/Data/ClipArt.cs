using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Course;

/// <summary>
/// The public-domain clip art of the Debian package <c>openclipart-png</c> (/usr/share/openclipart/png, or the folder in
/// $COURSE_OPENCLIPART) as a classification set: the top-level category folders are the classes. Each PNG is decoded
/// by <see cref="Png"/>, its RGBA composited on white (the pictures are drawn on a transparent background), turned gray
/// (ITU-R 601 luma, as PIL's "L") or kept RGB, shrunk by area averaging so that its longer side is
/// <c>size</c> pixels and centred on a white square of <c>size</c>×<c>size</c>.
/// Symbolic links are skipped: the package replaces identical files by links (the same picture filed under two
/// categories, or twice in one), and counting them would put one picture in two classes or in two splits.
/// Decoding the ~6,900 files takes most of a minute on two cores, so the images (bytes) are cached under
/// $COURSE_ROOT/artifacts/cache/, keyed by size, colour and every file's path, length and modification time.
/// <code>
/// using var art = ClipArt.Load(size: 32, gray: false);   // float32 [N, 3, 32, 32] in [0, 1]
/// </code>
/// </summary>
public static class ClipArt
{
    public const string Package = "openclipart-png";
    public const string EnvironmentVariable = "COURSE_OPENCLIPART";
    public const string StandardFolder = "/usr/share/openclipart/png";

    /// <summary>The category left out of every class list: pictures nobody filed.</summary>
    public const string Unsorted = "unsorted";

    private const string CacheMagic = "COURSE-CLIPART-CACHE";
    private const int CacheVersion = 1;

    /// <summary>
    /// Loads the clip art as <paramref name="size"/>×<paramref name="size"/> images (gray: 1 channel, else RGB), with
    /// one class per category holding at least <paramref name="minImagesPerClass"/> decodable pictures ('unsorted'
    /// never), split three ways, stratified (the test split is fixed, see <see cref="StratifiedSplit"/>). The load time,
    /// whether the cache served it and the files that failed to decode are reported through <paramref name="log"/>
    /// (default: the console).
    /// </summary>
    public static ImageClassificationData Load(int size = 32, bool gray = false, int minImagesPerClass = 100,
        double validationFraction = 0.1, double testFraction = 0.2, int seed = 0, int? limit = null,
        string? folder = null, string? cacheFolder = null, Action<string>? log = null)
    {
        if (minImagesPerClass < 1) throw new ArgumentOutOfRangeException(nameof(minImagesPerClass), minImagesPerClass, "a class needs at least one image.");
        var images = Images(size, gray, folder, cacheFolder);
        (log ?? Console.WriteLine)(images.Report());
        var classNames = Classes(images, minImagesPerClass);
        if (classNames.Count < 2)
            throw new InvalidDataException($"only {classNames.Count} categories of {images.Folder} hold {minImagesPerClass} or more decodable pictures; lower minImagesPerClass.");
        var classOf = classNames.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
        var kept = Enumerable.Range(0, images.Count).Where(i => classOf.ContainsKey(images.Categories[i])).ToArray();
        int per = images.Channels * size * size;
        var pixels = new byte[(long)kept.Length * per];
        for (int k = 0; k < kept.Length; k++) Array.Copy(images.Pixels, (long)kept[k] * per, pixels, (long)k * per, per);
        var labels = kept.Select(i => classOf[images.Categories[i]]).ToArray();
        var splits = StratifiedSplit.Split(labels, validationFraction, testFraction, seed);
        return StratifiedSplit.Build(pixels, [images.Channels, size, size], labels, classNames, splits, limit);
    }

    /// <summary>The classes <see cref="Load"/> uses: categories other than 'unsorted' with at least <paramref name="minImagesPerClass"/> pictures, in alphabetical order.</summary>
    public static IReadOnlyList<string> Classes(ClipArtImages images, int minImagesPerClass = 100) =>
        images.CategoryCounts().Where(p => p.Key != Unsorted && p.Value >= minImagesPerClass).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Every decodable picture of the folder, shrunk to <paramref name="size"/> pixels: from the cache when its key
    /// matches, else decoded (in parallel) and written to the cache. <paramref name="cacheFolder"/> defaults to
    /// $COURSE_ROOT/artifacts/cache; "" turns the cache off.
    /// </summary>
    public static ClipArtImages Images(int size = 32, bool gray = false, string? folder = null, string? cacheFolder = null)
    {
        if (size is < 4 or > 256) throw new ArgumentOutOfRangeException(nameof(size), size, "the image size must be between 4 and 256 pixels (28 or 32 for the course's encoders).");
        var clock = Stopwatch.StartNew();
        var dir = Path.GetFullPath(Folder(folder));
        var files = Files(dir);
        int channels = gray ? 1 : 3;
        string key = Key(dir, files, size, gray);
        cacheFolder ??= Path.Combine(CourseEnvironment.RequiredDirectory(CourseEnvironment.Root), "artifacts", "cache");
        string? cachePath = cacheFolder.Length == 0 ? null : Path.Combine(cacheFolder, $"openclipart-{size}px-{(gray ? "gray" : "rgb")}-{key[..16]}.bin");
        if (cachePath is not null && TryReadCache(cachePath, key, dir, size, channels, clock) is { } cached) return cached;

        int per = channels * size * size;
        var pixels = new byte[(long)files.Count * per];
        var errors = new string?[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var path = Path.Combine(dir, files[i].RelativePath);
            try
            {
                var floats = Prepare(File.ReadAllBytes(path), size, gray, path);
                var target = pixels.AsSpan((int)((long)i * per), per);
                for (int j = 0; j < per; j++) target[j] = (byte)Math.Round(floats[j] * 255.0);
            }
            catch (Exception e) when (e is InvalidDataException or NotSupportedException or IOException or UnauthorizedAccessException)
            {
                errors[i] = e.Message;
            }
        });
        var good = Enumerable.Range(0, files.Count).Where(i => errors[i] is null).ToArray();
        var keptPixels = new byte[(long)good.Length * per];
        for (int k = 0; k < good.Length; k++) Array.Copy(pixels, (long)good[k] * per, keptPixels, (long)k * per, per);
        var result = new ClipArtImages(dir, size, channels,
            good.Select(i => files[i].RelativePath).ToArray(), good.Select(i => Category(files[i].RelativePath)).ToArray(), keptPixels,
            Enumerable.Range(0, files.Count).Where(i => errors[i] is not null).Select(i => (files[i].RelativePath, errors[i]!)).ToArray(),
            files.Count, fromCache: false, cachePath, clock.Elapsed);
        if (cachePath is not null) WriteCache(cachePath, key, result);
        return result;
    }

    /// <summary>
    /// One PNG as a [C, size, size] float image in [0, 1] (C = 1 gray or 3 RGB, channel-major): composited on white,
    /// shrunk by exact area averaging (each output pixel is the mean of the source area it covers, partial pixels
    /// weighted by their covered fraction) so that the longer side has <paramref name="size"/> pixels, and centred on
    /// white. The image is decoded row by row, so even the package's 20990×29700 pictures never sit whole in memory.
    /// </summary>
    public static float[] Prepare(byte[] png, int size, bool gray, string name = "PNG data")
    {
        var h = Png.ReadHeader(png, name);
        double scale = (double)size / Math.Max(h.Width, h.Height);
        int ow = Math.Max(1, (int)Math.Round(h.Width * scale)), oh = Math.Max(1, (int)Math.Round(h.Height * scale));
        int c = gray ? 1 : 3;
        var columns = Weights(h.Width, ow);
        var rows = Weights(h.Height, oh);
        // the output rows each source row contributes to, with their weights
        var rowTargets = new List<(int Out, double Weight)>[h.Height];
        for (int i = 0; i < oh; i++)
            for (int k = 0; k < rows[i].Weights.Length; k++)
                (rowTargets[rows[i].Start + k] ??= []).Add((i, rows[i].Weights[k]));
        var accumulator = new double[oh * ow * c];
        var line = new double[h.Width * c];
        var reduced = new double[ow * c];
        int inChannels = h.Channels;
        double max = h.SampleMax;
        Png.DecodeRows(png, (y, samples) =>
        {
            if (rowTargets[y] is not { } targets) return;
            for (int x = 0; x < h.Width; x++)
            {
                var s = samples.Slice(x * inChannels, inChannels);
                double alpha = h.HasAlpha ? s[inChannels - 1] / max : 1.0, white = 1.0 - alpha;
                double r, g, b;
                if (inChannels <= 2) r = g = b = s[0] / max * alpha + white;
                else (r, g, b) = (s[0] / max * alpha + white, s[1] / max * alpha + white, s[2] / max * alpha + white);
                if (gray) line[x] = 0.299 * r + 0.587 * g + 0.114 * b;
                else (line[3 * x], line[3 * x + 1], line[3 * x + 2]) = (r, g, b);
            }
            Array.Clear(reduced);
            for (int j = 0; j < ow; j++)
            {
                var (start, weights) = columns[j];
                for (int k = 0; k < weights.Length; k++)
                    for (int ch = 0; ch < c; ch++) reduced[j * c + ch] += weights[k] * line[(start + k) * c + ch];
            }
            foreach (var (i, wy) in targets)
                for (int j = 0; j < ow * c; j++) accumulator[i * ow * c + j] += wy * reduced[j];
        }, name);
        var result = new float[c * size * size];
        Array.Fill(result, 1f); // white padding
        int top = (size - oh) / 2, left = (size - ow) / 2;
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    result[(ch * size + top + i) * size + left + j] = (float)Math.Clamp(accumulator[(i * ow + j) * c + ch], 0.0, 1.0);
        return result;
    }

    // For each of m output pixels along an axis of n source pixels: the first source pixel it covers and the covered
    // fraction of each, divided by the output pixel's source length n/m (so the weights sum to 1).
    private static (int Start, double[] Weights)[] Weights(int n, int m)
    {
        var result = new (int, double[])[m];
        for (int j = 0; j < m; j++)
        {
            double a = (double)j * n / m, b = (double)(j + 1) * n / m;
            int start = (int)Math.Floor(a), end = Math.Min(n, (int)Math.Ceiling(b));
            var w = new double[end - start];
            for (int x = start; x < end; x++) w[x - start] = Math.Max(0.0, Math.Min(b, x + 1) - Math.Max(a, x)) / (b - a);
            result[j] = (start, w);
        }
        return result;
    }

    /// <summary>
    /// The folder of category folders: <paramref name="folder"/> if given, else $COURSE_OPENCLIPART, else the Debian
    /// package's folder. A missing or empty folder raises an error that names the package and the variable.
    /// </summary>
    public static string Folder(string? folder = null)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        var (dir, source) = !string.IsNullOrWhiteSpace(folder) ? (folder, "the folder given")
            : !string.IsNullOrWhiteSpace(fromEnvironment) ? (fromEnvironment, $"{EnvironmentVariable}={fromEnvironment}")
            : (StandardFolder, $"the standard folder of the Debian package {Package}");
        if (!Directory.Exists(dir) || !Directory.EnumerateFiles(dir, "*.png", SearchOption.AllDirectories).Any())
            throw new FileNotFoundException(
                $"The clip art was not found: {dir} ({source}) {(Directory.Exists(dir) ? "holds no PNG files" : "does not exist")}. " +
                $"Install the Debian package {Package} ('sudo apt-get install {Package}', which './course setup' does), " +
                $"or set {EnvironmentVariable} to a folder of category folders of PNG files.", dir);
        return dir;
    }

    private sealed record FileEntry(string RelativePath, long Length, long Ticks);

    // Regular PNG files (not links) inside a category folder, in ordinal order of their relative paths.
    private static List<FileEntry> Files(string dir)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, MatchCasing = MatchCasing.CaseInsensitive };
        return new DirectoryInfo(dir).EnumerateFiles("*.png", options)
            .Where(f => f.LinkTarget is null)
            .Select(f => new FileEntry(Path.GetRelativePath(dir, f.FullName).Replace('\\', '/'), f.Length, f.LastWriteTimeUtc.Ticks))
            .Where(f => f.RelativePath.Contains('/'))
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal)
            .ToList();
    }

    private static string Category(string relativePath) => relativePath[..relativePath.IndexOf('/')];

    private static string Key(string dir, List<FileEntry> files, int size, bool gray)
    {
        var text = new StringBuilder($"{CacheMagic} {CacheVersion}\n{dir}\n{size} {(gray ? "gray" : "rgb")}\n");
        foreach (var f in files) text.Append(f.RelativePath).Append('\t').Append(f.Length).Append('\t').Append(f.Ticks).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static ClipArtImages? TryReadCache(string path, string key, string dir, int size, int channels, Stopwatch clock)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            if (reader.ReadString() != CacheMagic || reader.ReadInt32() != CacheVersion || reader.ReadString() != key) return null;
            if (reader.ReadInt32() != size || reader.ReadInt32() != channels) return null;
            int scanned = reader.ReadInt32(), count = reader.ReadInt32();
            var files = new string[count];
            var categories = new string[count];
            for (int i = 0; i < count; i++) (files[i], categories[i]) = (reader.ReadString(), reader.ReadString());
            long bytes = (long)count * channels * size * size;
            var pixels = reader.ReadBytes(checked((int)bytes));
            if (pixels.LongLength != bytes) return null;
            int failed = reader.ReadInt32();
            var failures = new (string, string)[failed];
            for (int i = 0; i < failed; i++) failures[i] = (reader.ReadString(), reader.ReadString());
            return new ClipArtImages(dir, size, channels, files, categories, pixels, failures, scanned, fromCache: true, path, clock.Elapsed);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OverflowException or UnauthorizedAccessException or FormatException)
        {
            return null; // a damaged or unreadable cache is rebuilt
        }
    }

    private static void WriteCache(string path, string key, ClipArtImages images)
    {
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        // older caches of the same size and colour (the package changed) are removed
        var prefix = Path.GetFileName(path)[..^(16 + 4)];
        foreach (var stale in Directory.EnumerateFiles(folder, prefix + "*.bin"))
            if (stale != path) File.Delete(stale);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        using (var writer = new BinaryWriter(File.Create(temporary), Encoding.UTF8))
        {
            writer.Write(CacheMagic);
            writer.Write(CacheVersion);
            writer.Write(key);
            writer.Write(images.Size);
            writer.Write(images.Channels);
            writer.Write(images.Scanned);
            writer.Write(images.Count);
            for (int i = 0; i < images.Count; i++) { writer.Write(images.Files[i]); writer.Write(images.Categories[i]); }
            writer.Write(images.Pixels);
            writer.Write(images.Failures.Count);
            foreach (var (file, reason) in images.Failures) { writer.Write(file); writer.Write(reason); }
        }
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>
/// Every decodable clip-art picture as bytes: <see cref="Pixels"/> holds Count × Channels × Size × Size bytes
/// (channel-major, 0 black .. 255 white), with each picture's file (relative to <see cref="Folder"/>) and category.
/// </summary>
public sealed class ClipArtImages
{
    internal ClipArtImages(string folder, int size, int channels, string[] files, string[] categories, byte[] pixels,
        IReadOnlyList<(string File, string Reason)> failures, int scanned, bool fromCache, string? cachePath, TimeSpan elapsed)
    {
        (Folder, Size, Channels, Files, Categories, Pixels, Failures, Scanned, FromCache, CachePath, Elapsed) =
            (folder, size, channels, files, categories, pixels, failures, scanned, fromCache, cachePath, elapsed);
    }

    public string Folder { get; }
    public int Size { get; }
    public int Channels { get; }
    public IReadOnlyList<string> Files { get; }
    public IReadOnlyList<string> Categories { get; }
    public byte[] Pixels { get; }
    /// <summary>The files that could not be decoded, with the decoder's message.</summary>
    public IReadOnlyList<(string File, string Reason)> Failures { get; }
    /// <summary>PNG files found (decoded or failed; links not counted).</summary>
    public int Scanned { get; }
    public int Count => Files.Count;
    public bool FromCache { get; }
    public string? CachePath { get; }
    /// <summary>Wall time of <see cref="ClipArt.Images"/>: listing the files, then reading the cache or decoding.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Pictures per category, largest first.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> CategoryCounts() =>
        Categories.GroupBy(c => c).Select(g => KeyValuePair.Create(g.Key, g.Count())).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();

    /// <summary>One line: how many pictures, from where, how long, what failed.</summary>
    public string Report()
    {
        var failed = Failures.Count == 0 ? "none failed"
            : $"{Failures.Count} failed to decode and were skipped ({string.Join("; ", Failures.Take(3).Select(f => $"{f.File}: {f.Reason}"))}{(Failures.Count > 3 ? "; ..." : "")})";
        return $"clip art: {Count} of {Scanned} PNGs at {Size}×{Size}×{Channels} {(FromCache ? "read from the cache" : "decoded")} in {Elapsed.TotalSeconds:F1} s, {failed}";
    }
}

using System.Security.Cryptography;
using System.Text.Json;

namespace Torch.Tests;

/// <summary>
/// tests/Bench/TorchSharp/patch_libtorchsharp.py on the real TorchSharp library: the benchmark's TorchSharp column
/// loads through a copy of libLibTorchSharp.so whose GLIBCXX_3.4.32 need is weak and which needs the compatibility
/// library. The oracle is binutils' readelf and the dynamic loader, not the script's own ELF reading.
/// </summary>
public class LibTorchSharpPatchTests
{
    [LibTorchSharpFact]
    public void ThePatchedCopyHasAWeakGlibcxx3432NeedAndNeedsTheCompatibilityLibrary()
    {
        var package = LibTorchSharpPackage.Find();
        var original = package.Library!;
        var before = SHA256.HashData(File.ReadAllBytes(original));
        using var dir = new TempFolder("libtorchsharp-patch-");
        var out_dir = dir.File("native");

        var run = ChildProcess.Run("python3", [Script, original, out_dir], TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("patched:", run.Stdout);
        var patched = Path.Combine(out_dir, "libLibTorchSharp.so");

        // .gnu.version_r: the GLIBCXX_3.4.32 entry is weak, and no other entry is
        var versions = ReadElf("-V", patched).Split('\n').Where(l => l.Contains("Name: ") && l.Contains("Flags: ")).ToList();
        Assert.Contains(versions, l => l.Contains("Name: GLIBCXX_3.4.32") && l.Contains("Flags: WEAK"));
        Assert.All(versions.Where(l => !l.Contains("GLIBCXX_3.4.32")), l => Assert.Contains("Flags: none", l));
        // .dynamic: the compatibility library is NEEDED, beside the package's own needs
        var dynamic = ReadElf("-d", patched);
        Assert.Contains("(NEEDED)             Shared library: [libglibcxx_compat.so]", dynamic);
        Assert.Contains("Shared library: [libtorch.so]", dynamic);
        // the compatibility library defines std::ios_base_library_init() without a version
        var symbols = ReadElf("--dyn-syms -W", Path.Combine(out_dir, "libglibcxx_compat.so"));
        Assert.Contains(symbols.Split('\n'), l => l.Contains(" FUNC ") && l.Contains(" DEFAULT ") && l.TrimEnd().EndsWith(" _ZSt21ios_base_library_initv"));
        // the package's file is left as it was
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(original)));
    }

    [LibTorchSharpFact]
    public void ThePatchedCopyLoadsWhereThePackagesFileDoesNot()
    {
        var package = LibTorchSharpPackage.Find();
        using var dir = new TempFolder("libtorchsharp-load-");
        var out_dir = dir.File("native");
        var patch = ChildProcess.Run("python3", [Script, package.Library!, out_dir], TimeSpan.FromMinutes(2));
        Assert.True(patch.ExitCode == 0, patch.ToString());

        // dlopen in a fresh process, with the package's libtorch 2.10 on the search path
        const string load = "import ctypes, sys\ntry:\n    ctypes.CDLL(sys.argv[1])\n    print('loaded')\nexcept OSError as e:\n    print(e)";
        var env = new Dictionary<string, string?> { ["LD_LIBRARY_PATH"] = package.LibTorchNative };
        var copy = ChildProcess.Run("python3", ["-c", load, Path.Combine(out_dir, "libLibTorchSharp.so")], TimeSpan.FromMinutes(2), env);
        Assert.True(copy.Stdout.Trim() == "loaded", copy.ToString());
        var original = ChildProcess.Run("python3", ["-c", load, package.Library!], TimeSpan.FromMinutes(2), env);
        Assert.Contains("GLIBCXX_3.4.32", original.Stdout);
    }

    private static string Script => Path.Combine(Checkout.Root, "tests", "Bench", "TorchSharp", "patch_libtorchsharp.py");

    private static string ReadElf(string options, string file)
    {
        var r = ChildProcess.Run("readelf", [.. options.Split(' '), file], TimeSpan.FromMinutes(1));
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.Stdout;
    }
}

/// <summary>
/// The TorchSharp package files, where `./course bench` (the benchmark's TorchSharp side) or `./course test` (the
/// chapters' TorchSharp runtime, restored before the tests run) restored them.
/// </summary>
internal sealed record LibTorchSharpPackage(string? Library, string? LibTorchNative, string? Missing)
{
    public static LibTorchSharpPackage Find()
    {
        var candidates = new[] { "Course.Bench.TorchSharp", "Course.TorchSharp.Runtime" }
            .Select(project => Path.Combine(Checkout.Artifacts, "dotnet", "obj", project, "project.assets.json")).ToList();
        var assets = candidates.FirstOrDefault(File.Exists);
        if (assets is null)
            return new(null, null, $"TorchSharp-cpu is not restored in this checkout (none of {string.Join(", ", candidates)}); `./course test` and `./course bench` restore it");
        using var json = JsonDocument.Parse(File.ReadAllText(assets));
        var folder = json.RootElement.GetProperty("packageFolders").EnumerateObject().First().Name;
        string? PackagePath(string id) => json.RootElement.GetProperty("libraries").EnumerateObject()
            .Where(p => p.Name.StartsWith(id + "/", StringComparison.OrdinalIgnoreCase))
            .Select(p => Path.Combine(folder, p.Value.GetProperty("path").GetString()!)).FirstOrDefault();
        var library = PackagePath("TorchSharp") is { } ts ? Path.Combine(ts, "runtimes", "linux-x64", "native", "libLibTorchSharp.so") : null;
        var libtorch = PackagePath("libtorch-cpu-linux-x64") is { } lt ? Path.Combine(lt, "runtimes", "linux-x64", "native") : null;
        if (library is null || !File.Exists(library) || libtorch is null || !Directory.Exists(libtorch))
            return new(null, null, $"the restored TorchSharp packages are no longer in the NuGet folder {folder}; `./course test` and `./course bench` restore them");
        return new(library, libtorch, null);
    }
}

/// <summary>
/// A test of the patch: skipped, saying why, when TorchSharp is not restored, when this system's libstdc++ already
/// defines GLIBCXX_3.4.32 (nothing to patch), or when a tool the patch uses is missing.
/// </summary>
public sealed class LibTorchSharpFactAttribute : FactAttribute
{
    public LibTorchSharpFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) { Skip = "the patch is for Linux's libLibTorchSharp.so"; return; }
        if (LibTorchSharpPackage.Find().Missing is { } missing) { Skip = missing; return; }
        foreach (var tool in new[] { "python3", "patchelf", "g++", "readelf" })
            if (!OnPath(tool)) { Skip = $"{tool} is missing (./course setup installs it)"; return; }
        var libstdcxx = "/lib/x86_64-linux-gnu/libstdc++.so.6";
        if (File.Exists(libstdcxx) && File.ReadAllBytes(libstdcxx).AsSpan().IndexOf("GLIBCXX_3.4.32\0"u8) >= 0)
            Skip = $"{libstdcxx} defines GLIBCXX_3.4.32: TorchSharp loads as it is and the script patches nothing here";
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, tool)));
}

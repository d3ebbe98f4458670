using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Course.Kernel.Install;

namespace Kernel.Tests;

[Collection("jupyter")]
public class KernelSpecTests(JupyterEnvironment jupyter)
{
    [Fact]
    public void InstallWritesAKernelJsonThatStartsThisKernel()
    {
        Assert.Contains("C# (course)", jupyter.InstallOutput);
        var folder = Path.Combine(jupyter.DataDirectory, "kernels", "csharp-course");
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "kernel.json")))!.AsObject();
        var argv = spec["argv"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Equal(Repo.KernelExe, argv[0]);
        Assert.Equal(["run", "--connection-file", "{connection_file}"], argv[1..]);
        Assert.Equal("C# (course)", spec["display_name"]!.GetValue<string>());
        Assert.Equal("C#", spec["language"]!.GetValue<string>());
        Assert.Equal("message", spec["interrupt_mode"]!.GetValue<string>());
        Assert.Equal("1", spec["env"]!["OPENBLAS_NUM_THREADS"]!.GetValue<string>());
        // the environment contract of the install: Jupyter starts the kernel with its own environment
        Assert.Equal(Checkout.Root, spec["env"]![Course.CourseEnvironment.Root]!.GetValue<string>());
        foreach (var variable in Course.CourseEnvironment.Variables)
            Assert.Equal(Environment.GetEnvironmentVariable(variable), spec["env"]![variable]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(folder, "logo-64x64.png")));
        Assert.True(File.Exists(Path.Combine(folder, "logo-32x32.png")));
    }

    [Fact]
    public void JupyterFindsTheKernelspec()
    {
        var run = jupyter.Python(["-c", "from jupyter_client.kernelspec import KernelSpecManager as M; s = M().get_kernel_spec('csharp-course'); print(s.display_name, s.language, s.interrupt_mode, s.resource_dir)"],
            TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("C# (course) C# message " + jupyter.DataDirectory, run.Stdout.Trim());
    }

    [Fact]
    public void UserInstallFollowsJupyterDataDir()
    {
        var dir = Path.Combine(Repo.TestOutput, "user-data");
        var previous = Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR");
        try
        {
            Environment.SetEnvironmentVariable("JUPYTER_DATA_DIR", dir);
            Assert.Equal(dir, KernelSpecInstaller.UserDataDirectory());
        }
        finally { Environment.SetEnvironmentVariable("JUPYTER_DATA_DIR", previous); }
    }

    [Theory]
    [InlineData(64)]
    [InlineData(32)]
    public void LogoIsAValidPng(int size)
    {
        var png = Logo.Png(size);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var chunks = Chunks(png);
        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
        var ihdr = chunks[0].Data;
        Assert.Equal(size, BinaryPrimitives.ReadInt32BigEndian(ihdr));
        Assert.Equal(size, BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4)));
        using var z = new ZLibStream(new MemoryStream(chunks[1].Data), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        z.CopyTo(raw);
        var pixels = raw.ToArray();
        Assert.Equal(size * (1 + size * 4), pixels.Length);
        byte[] Pixel(int x, int y) => pixels.AsSpan(y * (1 + size * 4) + 1 + x * 4, 4).ToArray();
        Assert.Equal(0, Pixel(0, 0)[3]);              // rounded corner: transparent
        Assert.Equal([104, 33, 122, 255], Pixel(size / 2, size / 10)); // purple background
        Assert.Contains(Enumerable.Range(0, size).Select(x => Pixel(x, size / 2)), p => p[0] == 255 && p[1] == 255 && p[2] == 255); // white glyphs
    }

    private static List<(string Type, byte[] Data)> Chunks(byte[] png)
    {
        var list = new List<(string, byte[])>();
        for (int at = 8; at < png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length).ToArray();
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            Assert.Equal(Crc32(png.AsSpan(at + 4, 4 + length)), crc);
            list.Add((type, data));
            at += 12 + length;
        }
        return list;
    }

    /// <summary>CRC-32 bit by bit (independent of the table-driven one in PngWriter).</summary>
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }
}

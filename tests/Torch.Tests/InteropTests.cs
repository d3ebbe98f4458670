using System.Diagnostics;

namespace Torch.Tests;

/// <summary>Weights move between this library and PyTorch through safetensors.</summary>
public class InteropTests
{
    private sealed class Net : nn.Module<Tensor, Tensor>
    {
        public readonly Modules.Conv2d conv = nn.Conv2d(1, 4, 3, padding: 1);
        public readonly Modules.BatchNorm2d bn = nn.BatchNorm2d(4);
        public readonly Modules.Linear fc = nn.Linear(4 * 4 * 4, 3);
        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var h = F.max_pool2d(bn.forward(conv.forward(x)).relu(), 2);
            return fc.forward(h.flatten(1)).MoveToOuterDisposeScope();
        }
    }

    [Fact]
    public void AModelSavedByPyTorchGivesPyTorchsOutputs()
    {
        using var scope = NewDisposeScope();
        var r = Reference.Json("model.json");
        using var net = new Net();
        net.load(Reference.Path("model.safetensors"));
        net.eval();
        var x = tensor(Reference.Floats(r["input"]!), new long[] { 2, 1, 8, 8 });
        using (no_grad())
            Near.Equal(Reference.Floats(r["output"]!), net.forward(x), 1e-5);
    }

    [Fact]
    public void PyTorchReadsWhatThisLibrarySaves()
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python)) throw new InvalidOperationException("python3-torch is part of the kit's setup; run ./course setup");
        using var scope = NewDisposeScope();
        manual_seed(5);
        var lin = nn.Linear(3, 2);
        var x = randn(4, 3);
        var y = lin.forward(x);
        using var temp = new TempFolder("course-interop");
        var dir = temp.FullName;
        var path = Path.Combine(dir, "lin.safetensors");
        lin.save(path);
        var script = $$"""
            import json, struct, torch
            raw = open("{{path}}", "rb").read()
            n = struct.unpack("<Q", raw[:8])[0]
            header = json.loads(raw[8:8 + n])
            state = {}
            for name, e in header.items():
                if name == "__metadata__": continue
                a, b = e["data_offsets"]
                state[name] = torch.frombuffer(bytearray(raw[8 + n + a: 8 + n + b]), dtype=torch.float32).reshape(e["shape"])
            lin = torch.nn.Linear(3, 2)
            lin.load_state_dict(state)
            x = torch.tensor([{{string.Join(",", x.ToArray<float>().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}}]).reshape(4, 3)
            print(json.dumps(lin(x).flatten().tolist()))
            """;
        var psi = new ProcessStartInfo(python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(script);
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEnd();
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
        var fromPyTorch = System.Text.Json.JsonSerializer.Deserialize<double[]>(output)!;
        Near.Equal(fromPyTorch, y.ToArray<double>(), 1e-5);
    }
}

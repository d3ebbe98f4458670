using System.Diagnostics;
using System.Text.Json;
using Course.Bench.TorchSharp;
using TorchSharp;

// The TorchSharp side of the engine benchmark (run by Course.Bench, which passes the settings; the same protocol as
// engine_bench.py): the workloads of tests/Bench/Workloads.cs written against TorchSharp's API, timed the same way.
//
//   Course.Bench.TorchSharp THREADS REP_MS REPS [NAMES]
//   Course.Bench.TorchSharp --check      loads TorchSharp's libtorch and says which (./course setup runs this)
//
// Prints {"libtorch": "...", "threads": N, "blocks": {"name": [ms per step of each timed block], ...}} on stdout.

if (args is ["--check"])
{
    // ./course setup's load check: loading libtorch through TorchSharp is what fails when libLibTorchSharp.so does not fit
    Console.WriteLine($"TorchSharp loads: libtorch {torch.__version__}, {torch.get_num_threads()} threads");
    return 0;
}
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: Course.Bench.TorchSharp THREADS REP_MS REPS [name,name,...]");
    return 2;
}
int threads = int.Parse(args[0]), repMs = int.Parse(args[1]), reps = int.Parse(args[2]);
var only = args.Length > 3 && args[3].Length > 0 ? args[3].Split(',').ToHashSet() : null;

torch.set_num_threads(threads);   // the same intra-op thread count as the other two columns (OpenMP, and MKL's BLAS)
torch.manual_seed(0);

var blocks = new Dictionary<string, List<double>>();
foreach (var (name, make) in Workloads.All)
{
    if (only is not null && !only.Contains(name)) continue;
    var (step, owned) = make();
    blocks[name] = Timing.BlocksMs(step, repMs, reps);
    foreach (var d in owned) d.Dispose();
}
Console.WriteLine(JsonSerializer.Serialize(new { libtorch = torch.__version__, threads = torch.get_num_threads(), blocks }));
return 0;


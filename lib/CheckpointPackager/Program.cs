using System.Globalization;
using Course;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

const string Usage = """
usage: Course.CheckpointPackager <command> [options]
  list
       one line per shipped model: its name and the chapter whose full run trains it.
  notebooks [name-or-chapter ...]
       the notebook of each (all shipped models when none is named), one a line; an unknown one is an error.
  package <name-or-chapter ...> [--subset 2000] [--produced-after 2026-12-03T16:00:00Z]
       package what the chapters' full runs left in artifacts/ into checkpoints/ (weights and manifest), after checking
       that the weights score the recorded test metric; --produced-after refuses a checkpoint older than that time
       (one the run that started then did not write).
environment (./course sets it): COURSE_ROOT, COURSE_TORCH_NATIVE.
""";

try
{
    if (args.Length == 0 || args[0] is "-h" or "--help") { Console.WriteLine(Usage); return args.Length == 0 ? 2 : 0; }
    switch (args[0])
    {
        case "list":
            foreach (var m in PretrainedModels.All) Console.WriteLine($"{m.Name} {m.Chapter}");
            return 0;
        case "notebooks":
            foreach (var m in Resolve(args[1..])) Console.WriteLine(m.Chapter);
            return 0;
        case "package":
            int subset = CheckpointPackaging.DefaultSubsetCount;
            DateTime? after = null;
            var names = new List<string>();
            for (int i = 1; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--subset" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0: subset = n; i++; break;
                    case "--produced-after" when i + 1 < args.Length && DateTime.TryParse(args[i + 1], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t): after = t; i++; break;
                    case var a when a.StartsWith("--", StringComparison.Ordinal): throw new ArgumentException($"unknown or incomplete option '{a}'.");
                    default: names.Add(args[i]); break;
                }
            }
            var models = Resolve(names);
            using (var data = new PretrainedData())
            {
                foreach (var model in models)
                {
                    var manifest = CheckpointPackaging.Package(model, data, subset, after, Console.Out);
                    Console.WriteLine($"{Pretrained.PathOf(model.Name)}: {manifest.Bytes / 1e6:F2} MB, sha256 {manifest.Sha256[..16]}..., " +
                                      $"{manifest.Subset.Metric} {manifest.Subset.Value:F4} on the first {manifest.Subset.Count:N0} test examples " +
                                      $"(full run: {manifest.HeadlineMetric} {manifest.Headline.Value:F4})");
                }
            }
            return 0;
        default:
            throw new ArgumentException($"unknown command '{args[0]}'.");
    }
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"Course.CheckpointPackager: {e.Message}");
    Console.Error.WriteLine(Usage);
    return 2;
}
catch (Exception e) when (e is InvalidDataException or FileNotFoundException or InvalidOperationException or IOException or KeyNotFoundException)
{
    Console.Error.WriteLine($"Course.CheckpointPackager: {e.Message}");
    return 1;
}

// models by name ("vit"), chapter ("05", "05-vit") or notebook path; none named: all of them
static List<PretrainedModel> Resolve(IReadOnlyList<string> names) => names.Count == 0 ? PretrainedModels.All.ToList()
    : names.Select(n => PretrainedModels.All.FirstOrDefault(m => m.Name == n || m.Chapter == n) ?? PretrainedModels.ForChapter(n)
        ?? throw new ArgumentException($"'{n}' is neither a shipped model nor a chapter that ships one (known: {string.Join(", ", PretrainedModels.All.Select(m => $"{m.Name} ({m.Chapter})"))}).")).Distinct().ToList();

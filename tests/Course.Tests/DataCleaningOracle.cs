using System.Text.Json;

namespace Course.Tests;

/// <summary>Runs reference/data_cleaning_reference.py (PIL, numpy) on a JSON input and returns its JSON output.</summary>
internal static class DataCleaningOracle
{
    public static T Run<T>(string mode, object input)
    {
        var folder = Directory.CreateTempSubdirectory("cleaning-oracle").FullName;
        try
        {
            var (source, target) = (Path.Combine(folder, "in.json"), Path.Combine(folder, "out.json"));
            File.WriteAllText(source, JsonSerializer.Serialize(input));
            var script = Path.Combine(AppContext.BaseDirectory, "reference", "data_cleaning_reference.py");
            var r = ChildProcess.Run(PngReference.Python, [script, mode, source, target], TimeSpan.FromMinutes(5),
                new Dictionary<string, string?> { ["OPENBLAS_NUM_THREADS"] = "1" });
            if (r.ExitCode != 0) throw new InvalidOperationException($"data_cleaning_reference.py {mode} failed: {r}");
            return JsonSerializer.Deserialize<T>(File.ReadAllText(target))!;
        }
        finally { Directory.Delete(folder, true); }
    }
}

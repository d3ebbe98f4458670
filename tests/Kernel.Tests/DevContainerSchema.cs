namespace Kernel.Tests;

/// <summary>
/// Validation against the dev container schema committed in reference/ (devcontainers/spec's
/// devContainer.base.schema.json, JSON Schema draft 2019-09; reference/README.md says where it comes from) by
/// python/validate_devcontainer.py on Debian's Python (python3-jsonschema). Nothing is downloaded.
/// </summary>
public static class DevContainerSchema
{
    public static string SchemaFile => Path.Combine(Checkout.Root, "tests", "Kernel.Tests", "reference", "devContainer.base.schema.json");
    public static string Validator => Path.Combine(Repo.Python, "validate_devcontainer.py");

    /// <summary>What the validator said: valid, or the errors, one a line ("/path/in/file: message").</summary>
    public sealed record Verdict(bool Valid, IReadOnlyList<string> Errors)
    {
        public override string ToString() => Valid ? "valid" : "invalid:\n" + string.Join("\n", Errors);
    }

    public static Verdict Validate(DevContainer config)
    {
        using var folder = new TempFolder("devcontainer-");
        var file = folder.File("devcontainer.json");
        File.WriteAllText(file, config.ToPlainJson());
        var run = ChildProcess.Run(Repo.DebianPython, [Validator, SchemaFile, file], TimeSpan.FromMinutes(1), new Dictionary<string, string?>
        {
            ["PYTHONPATH"] = null, ["PYTHONHOME"] = null, ["PYTHONNOUSERSITE"] = "1",
        });
        return run.ExitCode switch
        {
            0 => new Verdict(true, []),
            1 => new Verdict(false, run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)),
            _ => throw new InvalidOperationException($"the schema validator could not run:\n{run}"),
        };
    }
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kernel.Tests;

/// <summary>
/// The Codespace / dev container configuration, checked without a container engine: the file against the dev container
/// schema (committed in reference/), its Debian release against the packages ./course setup installs, its .NET
/// feature against the projects' target framework, and its post-create command against the script that
/// .devcontainer/check-post-create.sh runs as a fresh user.
/// </summary>
public sealed partial class DevContainerTests
{
    private const string DotnetFeature = "ghcr.io/devcontainers/features/dotnet";

    [DebianPythonFact("jsonschema")]
    public void DevContainerJsonValidatesAgainstTheDevContainerSchema()
    {
        var verdict = DevContainerSchema.Validate(DevContainer.Load());
        Assert.True(verdict.Valid, $"{DevContainer.DefaultPath} does not follow the dev container schema: {verdict}");
    }

    [DebianPythonTheory("jsonschema")]
    [InlineData("misspelled property", "postCreateComand")]
    [InlineData("wrong type in hostRequirements", "/hostRequirements/cpus")]
    [InlineData("features as a list", "/features")]
    [InlineData("unknown value of shutdownAction", "/shutdownAction")]
    public void ABrokenDevContainerJsonFailsTheSchema(string broken, string reported)
    {
        var config = DevContainer.Load().With(json =>
        {
            switch (broken)
            {
                case "misspelled property":
                    json["postCreateComand"] = json["postCreateCommand"]!.DeepClone();
                    json.Remove("postCreateCommand");
                    break;
                case "wrong type in hostRequirements": json["hostRequirements"]!["cpus"] = "two"; break;
                case "features as a list": json["features"] = new JsonArray("ghcr.io/devcontainers/features/dotnet:2"); break;
                case "unknown value of shutdownAction": json["shutdownAction"] = "stopEverything"; break;
                default: throw new ArgumentException(broken);
            }
        });
        var verdict = DevContainerSchema.Validate(config);
        Assert.False(verdict.Valid, $"the schema accepted a dev container configuration with a {broken}");
        Assert.Contains(verdict.Errors, e => e.Contains(reported, StringComparison.Ordinal));
    }

    [Fact]
    public void TheReaderAcceptsCommentsAndRefusesTrailingCommasNamingTheFile()
    {
        var ok = DevContainer.Parse("{\n  // a comment\n  \"image\": \"x:bookworm\" /* another */\n}", "ok.json");
        Assert.Equal("x:bookworm", ok.Image);
        var e = Assert.Throws<InvalidDataException>(() => DevContainer.Parse("{\n  \"image\": \"x:bookworm\",\n}", "broken.json"));
        Assert.Contains("broken.json", e.Message);
        Assert.Contains("LineNumber: 2", e.Message);
    }

    [Fact]
    public void TheImageNamesItsDebianRelease()
    {
        Assert.Equal("bookworm", DevContainer.Parse("""{"image": "mcr.microsoft.com/devcontainers/base:1-bookworm"}""", "t").ImageDebianCodename);
        var e = Assert.Throws<InvalidDataException>(() => DevContainer.Parse("""{"image": "mcr.microsoft.com/devcontainers/base:latest"}""", "t").ImageDebianCodename);
        Assert.Contains("names no Debian release", e.Message);
        // the configuration's own image names one (the next test asks apt about it)
        Assert.Contains(DevContainer.Load().ImageDebianCodename, DevContainer.DebianCodenames);
    }

    /// <summary>
    /// Every package of ./course's DEBIAN_PACKAGES has its candidate version in the image's release's main archive
    /// (the base image, like this machine, lists main alone): asked of this machine's apt, which must run that release.
    /// </summary>
    [SameDebianReleaseFact]
    public void EveryCoursePackageIsInTheMainArchiveOfTheImagesDebianRelease()
    {
        var codename = DevContainer.Load().ImageDebianCodename;
        var packages = CourseDebianPackages.Read();
        var policy = AptPolicy.Query(packages);
        var notThere = packages
            .Where(p => !policy.TryGetValue(p, out var c) || !c.Archives.Any(a => ReleaseMain(codename).IsMatch(a)))
            .Select(p => policy.TryGetValue(p, out var c) ? $"{p} (candidate {c.Version ?? "none"} from {(c.Archives.Count > 0 ? string.Join(", ", c.Archives) : "no archive")})" : $"{p} (apt does not know it)")
            .ToList();
        Assert.True(notThere.Count == 0, $"not in Debian {codename}'s main archive: {string.Join("; ", notThere)}");
    }

    [Fact]
    public void TheAptPolicyReaderFindsTheArchiveOfTheCandidateOnly()
    {
        const string output = """
            libtorch-dev:
              Installed: 1.13.1+dfsg-4
              Candidate: 1.13.1+dfsg-4
              Version table:
             *** 1.13.1+dfsg-4 500
                    500 http://deb.debian.org/debian bookworm/main amd64 Packages
                    100 /var/lib/dpkg/status
            local-only:
              Installed: 1.0
              Candidate: 1.0
              Version table:
             *** 1.0 100
                    100 /var/lib/dpkg/status
                 0.9 500
                    500 http://deb.debian.org/debian bookworm/contrib amd64 Packages
            gone:
              Installed: (none)
              Candidate: (none)
              Version table:
            """;
        var policy = AptPolicy.Parse(output);
        Assert.Equal(new[] { "bookworm/main" }, policy["libtorch-dev"].Archives);
        Assert.Empty(policy["local-only"].Archives);
        Assert.Null(policy["gone"].Version);
        Assert.False(policy.ContainsKey("missing"));
    }

    [Fact]
    public void TheCoursePackageListIsReadWithItsCommentsLeftOut()
    {
        var packages = CourseDebianPackages.Parse("x=1\nDEBIAN_PACKAGES=(\n  aa bb   # comment (with parentheses)\n  c-d.e+f\n)\nmore\n");
        Assert.Equal(new[] { "aa", "bb", "c-d.e+f" }, packages);
        Assert.Throws<InvalidDataException>(() => CourseDebianPackages.Parse("DEBIAN_PACKAGES=(\n  aa Bad_Name\n)\n"));
        Assert.Throws<InvalidDataException>(() => CourseDebianPackages.Parse("nothing here\n"));
        Assert.Contains("libtorch-dev", CourseDebianPackages.Read());
    }

    /// <summary>The dotnet feature installs the SDK of the projects' target framework (net10.0 → "10.0").</summary>
    [Fact]
    public void TheDotnetFeatureInstallsTheSdkOfTheProjectsTargetFramework()
    {
        var version = DevContainer.Load().FeatureVersion(DotnetFeature);
        Assert.Matches(@"^\d+\.\d+(\.\d+)?$", version); // pinned, not "latest" or "lts"
        var frameworks = TargetFrameworks();
        Assert.NotEmpty(frameworks);
        var mismatched = frameworks.Where(f => !version.StartsWith(f.Version + ".", StringComparison.Ordinal) && version != f.Version).ToList();
        Assert.True(mismatched.Count == 0,
            $"the dev container's {DotnetFeature} installs {version}, but {string.Join(", ", mismatched.Select(f => $"{f.File} targets net{f.Version}"))}");
        var globalJson = Path.Combine(Checkout.Root, "global.json");
        if (File.Exists(globalJson))
        {
            var sdk = JsonNode.Parse(File.ReadAllText(globalJson))?["sdk"]?["version"]?.GetValue<string>();
            Assert.True(sdk is not null && sdk.StartsWith(version.Split('.')[0] + "." + version.Split('.')[1] + ".", StringComparison.Ordinal),
                $"global.json asks for SDK {sdk}, the dev container's feature installs {version}");
        }
    }

    [Fact]
    public void PostCreateCommandRunsThePostCreateScript()
    {
        Assert.Equal(".devcontainer/post-create.sh", DevContainer.Load().PostCreateCommand);
        var script = Path.Combine(Checkout.Root, ".devcontainer", "post-create.sh");
        Assert.True(File.Exists(script), $"{script} is missing");
        Assert.True(File.GetUnixFileMode(script).HasFlag(UnixFileMode.UserExecute), $"{script} is not executable");
        var syntax = ChildProcess.Run("/bin/bash", ["-n", script], TimeSpan.FromMinutes(1));
        Assert.True(syntax.ExitCode == 0, $"bash -n {script}: {syntax}");
        Assert.Contains("course\" kernel install", File.ReadAllText(script));
    }

    private sealed record TargetFramework(string File, string Version);

    /// <summary>Every TargetFramework(s) in Directory.Build.props/targets and the project files (netX.Y → X.Y), build folders left out.</summary>
    private static List<TargetFramework> TargetFrameworks()
    {
        var files = ProjectFiles(Checkout.Root);
        return files.SelectMany(f => FrameworkElement().Matches(File.ReadAllText(f))
                .SelectMany(m => m.Groups[1].Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(tfm => NetVersion().Match(tfm))
                .Where(m => m.Success)
                .Select(m => new TargetFramework(Path.GetRelativePath(Checkout.Root, f), m.Groups[1].Value)))
            .ToList();
    }

    private static IEnumerable<string> ProjectFiles(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
            if (file.EndsWith(".csproj", StringComparison.Ordinal) || Path.GetFileName(file) is "Directory.Build.props" or "Directory.Build.targets")
                yield return file;
        foreach (var sub in Directory.EnumerateDirectories(folder))
            if (Path.GetFileName(sub) is not ("artifacts" or ".git" or "node_modules" or "bin" or "obj"))
                foreach (var file in ProjectFiles(sub)) yield return file;
    }

    private static Regex ReleaseMain(string codename) => new($"^{Regex.Escape(codename)}(-updates|-security)?/main$");

    [GeneratedRegex(@"<TargetFrameworks?>([^<]+)</TargetFrameworks?>")]
    private static partial Regex FrameworkElement();

    [GeneratedRegex(@"^net(\d+\.\d+)")]
    private static partial Regex NetVersion();
}

using System.Diagnostics;
using System.Text;

namespace Course.Notebook;

/// <summary>
/// Resolves <c>#r "nuget: ..."</c> by restoring and building a throw-away project against the configured NuGet sources
/// (plus any <c>#i</c> sources) and returning the assemblies it needs at run time.
/// </summary>
public sealed class NuGetRestorer(string workRoot)
{
    private int _count;

    public IReadOnlyList<string> Restore(IReadOnlyList<NuGetPackageReference> packages, IReadOnlyList<string> sources, CancellationToken cancellationToken)
    {
        if (packages.Count == 0) return [];
        var dir = Path.Combine(workRoot, "nuget-" + Interlocked.Increment(ref _count));
        Directory.CreateDirectory(dir);
        var tfm = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
        var project = new StringBuilder();
        project.AppendLine("<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup>");
        project.AppendLine($"<TargetFramework>{tfm}</TargetFramework><EnableDefaultCompileItems>false</EnableDefaultCompileItems>");
        project.AppendLine("<CopyLocalLockFileAssemblies>true</CopyLocalLockFileAssemblies><GenerateDocumentationFile>false</GenerateDocumentationFile>");
        if (sources.Count > 0)
            project.AppendLine($"<RestoreAdditionalProjectSources>{System.Security.SecurityElement.Escape(string.Join(";", sources))}</RestoreAdditionalProjectSources>");
        project.AppendLine("</PropertyGroup><ItemGroup>");
        foreach (var p in packages)
            project.AppendLine($"<PackageReference Include=\"{System.Security.SecurityElement.Escape(p.Name)}\" Version=\"{System.Security.SecurityElement.Escape(p.Version ?? "*")}\" />");
        project.AppendLine("</ItemGroup></Project>");
        File.WriteAllText(Path.Combine(dir, "restore.csproj"), project.ToString());
        var output = Path.Combine(dir, "out");

        var psi = new ProcessStartInfo(DotnetPath(), ["build", "restore.csproj", "-c", "Release", "-o", output, "-nologo", "-v", "q", "-clp:NoSummary"])
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment.Remove("MSBuildSDKsPath"); // a parent build's SDK settings must not leak into the restore
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start 'dotnet' to restore NuGet packages.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using (cancellationToken.Register(() => { try { process.Kill(true); } catch (InvalidOperationException) { } }))
            process.WaitForExit();
        cancellationToken.ThrowIfCancellationRequested();
        var log = stdout.Result + stderr.Result;
        var names = string.Join(", ", packages);
        if (process.ExitCode != 0)
        {
            var errors = log.Split('\n').Select(l => l.Trim()).Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase) && !l.EndsWith("Error(s)", StringComparison.Ordinal))
                .Select(l => l.Replace(Path.Combine(dir, "restore.csproj"), "").Trim(' ', ':')).Distinct().Take(3);
            throw new InvalidOperationException($"the NuGet package {names} cannot be restored from the configured NuGet sources: {string.Join(" ", errors)}".TrimEnd());
        }
        return Directory.GetFiles(output, "*.dll").Where(f => Path.GetFileName(f) != "restore.dll").Order().ToList();
    }

    private static string DotnetPath()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return "dotnet";
    }
}

using System.Diagnostics;

namespace Course.Notebook.Runner;

/// <summary>Headless Chromium (Debian package "chromium", or $COURSE_CHROMIUM), run once per job with a fresh profile.</summary>
public static class Chromium
{
    public static string? Locate()
    {
        var env = Environment.GetEnvironmentVariable("COURSE_CHROMIUM");
        if (!string.IsNullOrEmpty(env)) return File.Exists(env) ? env : null;
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome" })
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>Loads <paramref name="page"/>, lets it run for up to <paramref name="budgetMs"/> of virtual time, returns the DOM.</summary>
    public static string DumpDom(string page, int budgetMs, TimeSpan timeout) =>
        Run(["--dump-dom", $"--virtual-time-budget={budgetMs}", new Uri(page).AbsoluteUri], timeout);

    /// <summary>Saves a screenshot of <paramref name="url"/> at the given window size.</summary>
    public static void Screenshot(string url, string png, int width, int height, int budgetMs, TimeSpan timeout) =>
        Run([$"--screenshot={png}", $"--window-size={width},{height}", "--hide-scrollbars", $"--virtual-time-budget={budgetMs}", url], timeout);

    private static string Run(IEnumerable<string> args, TimeSpan timeout)
    {
        var exe = Locate() ?? throw new FileNotFoundException("headless Chromium is not installed (Debian package 'chromium'); run './course setup' or set COURSE_CHROMIUM.");
        var profile = Path.Combine(Path.GetTempPath(), "course-chromium-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(profile);
        try
        {
            var psi = new ProcessStartInfo(exe)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--allow-file-access-from-files", $"--user-data-dir={profile}" })
                psi.ArgumentList.Add(a);
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {exe}.");
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException($"headless Chromium did not finish within {timeout.TotalSeconds:F0}s.");
            }
            p.WaitForExit();
            if (p.ExitCode != 0)
                throw new InvalidOperationException($"headless Chromium failed (exit code {p.ExitCode}): {stderr.Result.Split('\n').LastOrDefault(l => l.Trim().Length > 0)}");
            return stdout.Result;
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}

namespace Kernel.Tests;

/// <summary>Jupyter's standard kernel checks (Debian's python3-jupyter-kernel-test) against this kernel.</summary>
[Collection("jupyter")]
public class ConformanceTests(JupyterEnvironment jupyter)
{
    [Fact]
    public void JupyterKernelTestSuitePasses()
    {
        var run = jupyter.Python(["-m", "unittest", "-v", "test_conformance"], TimeSpan.FromMinutes(5));
        var report = run.Stdout + run.Stderr;
        Assert.True(run.ExitCode == 0, $"jupyter_kernel_test failed:\n{run}");
        Assert.Matches(@"Ran \d+ tests", report);
        // the checks this kernel is meant to pass must have run, not been skipped
        foreach (var check in new[] { "test_kernel_info", "test_execute_stdout", "test_execute_stderr", "test_completion", "test_is_complete",
                                      "test_error", "test_execute_result", "test_display_data", "test_inspect" })
            Assert.Matches($@"{check} \(.*\) \.\.\. ok", report);
    }
}

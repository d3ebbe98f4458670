namespace Kernel.Tests;

/// <summary>
/// The kernel driven through jupyter_client as a front end drives it (python/kernel_scenarios.py): errors, tensor
/// leaks, interrupts, a loop that ignores interrupts, bad signatures, killed clients and a silent heartbeat.
/// Each scenario's printout is in the failure message.
/// </summary>
[Collection("jupyter")]
public class ScenarioTests(JupyterEnvironment jupyter)
{
    [Theory]
    [InlineData("errors")]        // an exception and a compile error are reported; the kernel and its state live on
    [InlineData("tensors")]       // a cell that allocates and fails leaves Tensor.LiveCount where it was
    [InlineData("interrupt")]     // interrupt_request stops a training loop at Progress.Step; the session stays usable
    [InlineData("sigint")]        // SIGINT does the same and never ends the kernel
    [InlineData("stuck")]         // a loop without interrupt checks: the kernel says so, a restart recovers
    [InlineData("bad_signature")] // a badly signed execute_request is dropped, not executed
    [InlineData("orphan")]        // a client killed with SIGKILL: the kernel exits
    [InlineData("heartbeat")]     // --heartbeat-timeout: a kernel whose client stops pinging exits
    public void Scenario(string name)
    {
        var run = jupyter.Python(["kernel_scenarios.py", name, Checkout.Notebooks], TimeSpan.FromMinutes(5));
        Assert.True(run.ExitCode == 0 && run.Stdout.TrimEnd().EndsWith("OK", StringComparison.Ordinal), $"scenario {name}:\n{run}");
    }
}

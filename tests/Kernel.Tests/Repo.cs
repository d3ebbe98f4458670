namespace Kernel.Tests;

/// <summary>This project's folders in the checkout and the kernel these tests drive.</summary>
public static class Repo
{
    public static string Python => Path.Combine(Checkout.Root, "tests", "Kernel.Tests", "python");
    public static string TestOutput => Path.Combine(Checkout.Artifacts, "test-kernel");

    /// <summary>Debian's Python (not a pyenv one on PATH): it has jupyter_client, nbclient, nbconvert and jupyter_kernel_test.</summary>
    public const string DebianPython = "/usr/bin/python3";

    public static string KernelExe => Checkout.Built("Course.Kernel", "Course.Kernel");
}

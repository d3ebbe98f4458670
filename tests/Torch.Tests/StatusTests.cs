using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Torch.Interop;

namespace Torch.Tests;

/// <summary>Torch.Interop.Status is the native status list (TS_STATUSES in lib/Native/src/common.h), value for value.</summary>
public class StatusTests
{
    // IndexError -> INDEX_ERROR, Ok -> OK
    private static string NativeSpelling(Status s) => Regex.Replace(s.ToString(), "(?<=[a-z])(?=[A-Z])", "_").ToUpperInvariant();

    [Fact]
    public void EveryStatusHasTheNativeValueAndName()
    {
        var statuses = Enum.GetValues<Status>();
        Assert.Equal(Native.ts_status_count(), statuses.Length);
        foreach (var s in statuses)
            Assert.Equal(NativeSpelling(s), Marshal.PtrToStringUTF8(Native.ts_status_name((int)s)));
    }

    [Fact]
    public void FailuresBecomeTheirExceptions()
    {
        Assert.IsType<TorchIndexException>(TorchException.FromNative(Status.IndexError, "i"));
        Assert.IsType<OutOfMemoryException>(TorchException.FromNative(Status.OutOfMemory, "m"));
        Assert.IsType<TorchException>(TorchException.FromNative(Status.TorchError, "t"));
    }
}

using System.Runtime.InteropServices;

namespace Course;

/// <summary>
/// libtorch's oneDNN (MKL-DNN) backend on TorchSharp, switched as PyTorch's <c>torch.backends.mkldnn.enabled</c> does;
/// TorchSharp 0.107.0 has no call for it. Compiled into the TorchSharp build only. The kit switches oneDNN off when it
/// loads TorchSharp (<c>TorchSharpRuntime.Load</c>, the TorchSharp test projects), because with TorchSharp-cpu's
/// libtorch 2.10 (oneDNN 3.7.1) oneDNN's convolutions give wrong input gradients when the input is NCHW and the output
/// channels are not a multiple of oneDNN's block (16 with AVX-512, 8 with AVX2): measured here, F.conv2d from 32 to 1
/// channel (3×3, 14×14) has input-gradient errors up to 0.5 and NaN now and then (the padded channels are read
/// unwritten), while its forward pass is right; libtorch's own kernels give the right gradients (README, "Two backends").
/// The switch calls libtorch's C++ <c>at::Context</c> by its exported (Itanium-mangled) names: Linux and macOS.
/// </summary>
public static class OneDnn
{
    private delegate IntPtr GlobalContext();
    private delegate void SetEnabled(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);
    [return: MarshalAs(UnmanagedType.U1)] private delegate bool GetEnabled(IntPtr context);

    private static (GlobalContext context, SetEnabled set, GetEnabled get)? _calls;

    /// <summary>Whether libtorch may use oneDNN (true when libtorch starts).</summary>
    /// <exception cref="PlatformNotSupportedException">libtorch does not export the calls by these names (Windows' names differ).</exception>
    public static bool Enabled
    {
        get { var (context, _, get) = Calls(); return get(context()); }
        set { var (context, set, _) = Calls(); set(context(), value); }
    }

    private static (GlobalContext, SetEnabled, GetEnabled) Calls()
    {
        if (_calls is { } calls) return calls;
        torch.InitializeDeviceType(DeviceType.CPU);   // libtorch is loaded (the name below finds it among the loaded libraries)
        var library = OperatingSystem.IsMacOS() ? "libtorch_cpu.dylib" : "libtorch_cpu.so";
        if (OperatingSystem.IsWindows() || !NativeLibrary.TryLoad(library, out var handle))
            throw new PlatformNotSupportedException($"{library} is not loaded here: oneDNN cannot be switched from C# on this system.");
        T Export<T>(string name) where T : Delegate =>
            NativeLibrary.TryGetExport(handle, name, out var address)
                ? Marshal.GetDelegateForFunctionPointer<T>(address)
                : throw new PlatformNotSupportedException($"libtorch exports no {name}: oneDNN cannot be switched from C# with this libtorch.");
        _calls = (Export<GlobalContext>("_ZN2at13globalContextEv"), Export<SetEnabled>("_ZN2at7Context20setUserEnabledMkldnnEb"),
                  Export<GetEnabled>("_ZNK2at7Context17userEnabledMkldnnEv"));
        return _calls.Value;
    }
}

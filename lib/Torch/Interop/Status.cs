namespace Torch.Interop;

/// <summary>
/// What a native export reports: the list TS_STATUSES in lib/Native/src/common.h, value for value,
/// with each C++ name in .NET casing (INDEX_ERROR is <see cref="IndexError"/>). StatusTests checks
/// every value and name against the native list (ts_status_count, ts_status_name), so the two
/// cannot drift apart.
/// </summary>
internal enum Status
{
    Ok,
    /// <summary>c10::Error: shape mismatch, dtype, device...</summary>
    TorchError,
    /// <summary>c10::IndexError</summary>
    IndexError,
    /// <summary>c10::ValueError</summary>
    ValueError,
    /// <summary>c10::TypeError</summary>
    TypeError,
    /// <summary>c10::OutOfMemoryError</summary>
    OutOfMemory,
    /// <summary>any other std::exception</summary>
    StdException,
    /// <summary>anything else thrown</summary>
    UnknownError,
}

using System.Runtime.InteropServices;

namespace Course.Kernel;

/// <summary>
/// Ends an orphaned kernel. Checks twice a second whether the process that started the kernel is gone (the kernel
/// was re-parented, as when a client is killed) and, when a heartbeat timeout is set, whether a client that was
/// pinging the heartbeat has fallen silent for that long. Either way it calls <c>onLost</c> with the reason.
/// </summary>
public sealed partial class LifeWatch : IDisposable
{
    private readonly Timer _timer;
    private readonly int _parent;
    private readonly Heartbeat _heartbeat;
    private readonly TimeSpan? _heartbeatTimeout;
    private readonly Action<string> _onLost;
    private int _fired;

    public LifeWatch(Heartbeat heartbeat, bool watchParent, TimeSpan? heartbeatTimeout, Action<string> onLost)
    {
        _heartbeat = heartbeat;
        _heartbeatTimeout = heartbeatTimeout;
        _onLost = onLost;
        _parent = watchParent ? GetParentPid() : 0;
        // started by init or a container's pid 1: there is no parent to lose
        if (_parent == 1) _parent = 0;
        _timer = new Timer(_ => Check(), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
    }

    public int ParentPid => _parent;

    private void Check()
    {
        string? reason = null;
        if (_parent != 0 && GetParentPid() != _parent)
            reason = $"the process that started the kernel (pid {_parent}) is gone";
        else if (_heartbeatTimeout is { } timeout && _heartbeat.LastPing is { } last && DateTime.UtcNow - last > timeout)
            reason = $"no heartbeat for {(DateTime.UtcNow - last).TotalSeconds:F0} s (limit {timeout.TotalSeconds:F0} s)";
        if (reason is not null && Interlocked.Exchange(ref _fired, 1) == 0) _onLost(reason);
    }

    public void Dispose() => _timer.Dispose();

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentPid();
}

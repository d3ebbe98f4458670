namespace Course.Kernel;

/// <summary>The kernel's ZeroMQ channels (heartbeat runs on its own, see <see cref="Heartbeat"/>).</summary>
public enum KernelChannel { Shell, Control, Stdin, Iopub }

using Torch.Interop;
using static Torch.torch.nn;
using N = Torch.Interop.Native;

namespace Torch.Optimizers;

/// <summary>
/// Base of the optimizers. A step is a handful of native multi-tensor (_foreach_) calls over all
/// parameters at once, so its cost does not grow with the number of parameter tensors. Optimizer
/// state is created outside any dispose scope and freed by Dispose.
/// </summary>
public abstract class Optimizer : IDisposable
{
    protected readonly Parameter[] parameters;
    private readonly IntPtr[] handles;
    private readonly List<Tensor> state = new();

    /// <summary>The learning rate (schedulers change it between steps).</summary>
    public double lr { get; set; }
    /// <summary>The learning rate given at construction (schedulers scale it).</summary>
    public double initial_lr { get; }
    public long step_count { get; private set; }

    protected Optimizer(IEnumerable<Parameter> parameters, double lr)
    {
        if (lr < 0) throw new ArgumentOutOfRangeException(nameof(lr), lr, "learning rate must be >= 0");
        this.parameters = parameters.Distinct(ReferenceEqualityComparer.Instance).Cast<Parameter>().ToArray();
        if (this.parameters.Length == 0) throw new ArgumentException("optimizer got an empty parameter list");
        handles = this.parameters.Select(p => p.Handle.DangerousGetHandle()).ToArray();
        this.lr = initial_lr = lr;
    }

    /// <summary>Forgets the gradients (sets them to none, as PyTorch 2 does by default).</summary>
    public void zero_grad()
    {
        foreach (var p in parameters) N.Check(N.ts_set_grad(p.Handle, TensorHandle.Null));
    }

    /// <summary>Applies one update from the current gradients.</summary>
    public void step()
    {
        var grads = new IntPtr[handles.Length];
        N.Check(N.ts_grads(handles, handles.Length, grads));
        try
        {
            // parameters that received no gradient are left alone, as in PyTorch
            int[] active = Enumerable.Range(0, grads.Length).Where(i => grads[i] != IntPtr.Zero).ToArray();
            if (active.Length == 0) return;
            step_count++;
            using (torch.no_grad())
                Update(active.Length == grads.Length ? null : active, grads);
        }
        finally
        {
            foreach (var g in grads) if (g != IntPtr.Zero) N.ts_free(g);
            GC.KeepAlive(parameters);
        }
    }

    /// <summary>
    /// One update. <paramref name="active"/> is null when every parameter has a gradient (the common
    /// case), else the indexes of those that have; <see cref="Select"/> narrows lists to them.
    /// </summary>
    protected abstract void Update(int[]? active, IntPtr[] grads);

    protected IntPtr[] Params(int[]? active) => Select(handles, active);
    protected static IntPtr[] Select(IntPtr[] all, int[]? active) => active is null ? all : active.Select(i => all[i]).ToArray();

    /// <summary>A zero-filled state tensor per parameter (owned by the optimizer), as raw handles.</summary>
    protected IntPtr[] NewState()
    {
        var result = new IntPtr[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            var t = torch.zeros_like(parameters[i]).DetachFromDisposeScope();
            state.Add(t);
            result[i] = t.Handle.DangerousGetHandle();
        }
        return result;
    }

    public void Dispose()
    {
        foreach (var t in state) t.Dispose();
        state.Clear();
        GC.SuppressFinalize(this);
    }
}

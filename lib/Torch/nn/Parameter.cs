using N = Torch.Interop.Native;

namespace Torch.Modules;

/// <summary>
/// A tensor a module learns. Made with <c>nn.Parameter(tensor)</c> or <c>new Parameter(tensor)</c>, it lives in
/// <c>Torch.Modules</c> as TorchSharp's lives in <c>TorchSharp.Modules</c>, and, as there, it takes the tensor over: the
/// parameter holds that tensor's data (detached from any graph) and the tensor it was made from is disposed, so
/// <c>nn.Parameter(zeros(3))</c> leaves nothing behind, and a tensor meant for two parameters is cloned for the second.
/// It requires grad and belongs to no dispose scope: its module frees it. (TorchSharp disposes a parameter made inside
/// a dispose scope when the scope ends; the course's modules make their parameters outside scopes, which works in both.)
/// </summary>
public sealed class Parameter : Tensor
{
    public Parameter(Tensor data, bool requires_grad = true) : base(Detach(data), attachToScope: false)
    {
        this.requires_grad = requires_grad;
        data.Dispose();
    }

    private static IntPtr Detach(Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        N.Check(N.ts_detach(data.Handle, out var r));
        return r;
    }
}

using N = Torch.Interop.Native;

namespace Torch.Modules;

/// <summary>
/// A tensor a module learns. It shares the data of the tensor it is made from (detached from any graph), requires grad,
/// and belongs to no dispose scope: its module frees it. Made with <c>nn.Parameter(tensor)</c> or <c>new Parameter(tensor)</c>;
/// it lives in <c>Torch.Modules</c> as TorchSharp's lives in <c>TorchSharp.Modules</c>.
/// </summary>
public sealed class Parameter : Tensor
{
    public Parameter(Tensor data, bool requires_grad = true) : base(Detach(data), attachToScope: false)
    {
        this.requires_grad = requires_grad;
    }

    private static IntPtr Detach(Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        N.Check(N.ts_detach(data.Handle, out var r));
        return r;
    }
}

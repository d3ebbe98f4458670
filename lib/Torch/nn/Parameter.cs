using N = Torch.Interop.Native;

namespace Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// A tensor a module learns. It shares the data of the tensor it is made from (detached from
        /// any graph), requires grad, and belongs to no dispose scope: its module frees it.
        /// </summary>
        public sealed class Parameter : Tensor
        {
            public Parameter(Tensor data, bool requires_grad = true) : base(Detach(data), attachToScope: false)
            {
                this.requires_grad = requires_grad;
            }

            private static IntPtr Detach(Tensor data)
            {
                N.Check(N.ts_detach(data.Handle, out var r));
                return r;
            }
        }
    }
}

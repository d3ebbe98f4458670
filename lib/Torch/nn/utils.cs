using Torch.Modules;
using Torch.Interop;

namespace Torch;

public static partial class torch
{
    public static partial class nn
    {
        public static class utils
        {
            /// <summary>
            /// Scales all gradients so that their joint L2 norm is at most max_norm; returns the norm
            /// before clipping (as PyTorch's clip_grad_norm_).
            /// </summary>
            public static double clip_grad_norm_(IEnumerable<Parameter> parameters, double max_norm)
            {
                using var scope = NewDisposeScope();
                var grads = parameters.Select(p => p.grad).OfType<Tensor>().ToArray();
                if (grads.Length == 0) return 0;
                using var list = TensorList.Of(grads);
                using var norms = list.norm(2);
                double total = stack(norms.ToArray()).norm().item<double>();
                double coef = max_norm / (total + 1e-6);
                if (coef < 1) list.mul_(coef);
                return total;
            }
        }
    }
}

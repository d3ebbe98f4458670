using N = Torch.Interop.Native;

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
                var grads = parameters.Select(p => p.grad).Where(g => g is not null).Cast<Tensor>().ToArray();
                if (grads.Length == 0) return 0;
                var handles = grads.Select(g => g.Handle.DangerousGetHandle()).ToArray();
                var norms = new IntPtr[handles.Length];
                N.Check(N.ts_foreach_norm(handles, handles.Length, 2, norms));
                var normTensors = norms.Select(h => new Tensor(h)).ToArray();
                double total = stack(normTensors).norm().item<double>();
                double coef = max_norm / (total + 1e-6);
                if (coef < 1) N.Check(N.ts_foreach_mul_scalar_(handles, handles.Length, coef));
                GC.KeepAlive(grads);
                return total;
            }
        }
    }
}

namespace Torch;

public static partial class torch
{
    public static class autograd
    {
        /// <summary>
        /// ∂f/∂x by centred differences, (f(x + ε) − f(x − ε)) / 2ε for each element of x, with f a
        /// scalar function. ε = 1e-5 balances truncation (∝ ε²) against rounding (∝ 1/ε) in float64. Use float64 tensors on the CPU: this is how hand-written gradients
        /// (backpropagation through time, RTRL) are proven right.
        /// </summary>
        public static unsafe Tensor numerical_grad(Func<Tensor> f, Tensor x, double eps = 1e-5)
        {
            if (x.dtype != float64 || x.is_cuda || !x.is_contiguous())
                throw new ArgumentException($"numerical_grad needs a contiguous float64 CPU tensor (got {x.dtype.Name()} on {x.device}); finite differences in float32 are too coarse");
            var grad = new double[x.numel()];
            using (no_grad())
            {
                var data = (double*)x.data_ptr();
                for (int i = 0; i < grad.Length; i++)
                {
                    double saved = data[i];
                    data[i] = saved + eps;
                    double plus = Value(f);
                    data[i] = saved - eps;
                    double minus = Value(f);
                    data[i] = saved;
                    grad[i] = (plus - minus) / (2 * eps);
                }
            }
            return tensor(grad, x.shape);
        }

        // one evaluation of f, in its own dispose scope (numerical_grad calls f twice per element)
        private static double Value(Func<Tensor> f)
        {
            using var scope = NewDisposeScope();
            var y = f();
            if (y.numel() != 1) throw new ArgumentException($"the function must return a single number, not a tensor of shape [{string.Join(", ", y.shape)}]");
            return y.item<double>();
        }

        /// <summary>max |a − b| / max(|a|, |b|, tiny): the relative error used to compare gradients.</summary>
        public static double max_relative_error(Tensor a, Tensor b)
        {
            var x = a.ToArray<double>();
            var y = b.ToArray<double>();
            if (x.Length != y.Length) throw new ArgumentException($"tensors differ in size: {x.Length} vs {y.Length}");
            double worst = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double scale = Math.Max(Math.Max(Math.Abs(x[i]), Math.Abs(y[i])), 1e-12);
                worst = Math.Max(worst, Math.Abs(x[i] - y[i]) / scale);
            }
            return worst;
        }

        /// <summary>
        /// Compares autograd's gradient of a scalar function with centred differences for every input;
        /// returns the largest relative error (inputs must be float64 leaves that require grad).
        /// </summary>
        public static double gradcheck(Func<Tensor> f, params Tensor[] inputs)
        {
            foreach (var x in inputs) x.grad = null;
            using (NewDisposeScope()) f().backward();
            double worst = 0;
            foreach (var x in inputs)
            {
                using var analytic = x.grad ?? zeros_like(x);
                using var numeric = numerical_grad(f, x);
                worst = Math.Max(worst, max_relative_error(analytic, numeric));
            }
            return worst;
        }
    }
}

using Torch.Modules;
using static Torch.torch.optim.lr_scheduler.impl;
using static Torch.torch.nn;

namespace Torch;

public static partial class torch
{
    /// <summary>Optimizers by their PyTorch names: <c>optim.AdamW(model.parameters(), lr: 1e-3)</c>.</summary>
    public static partial class optim
    {
        /// <remarks>The rate is <c>learningRate</c>, as TorchSharp names it (PyTorch: lr).</remarks>
        public static SGD SGD(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0, double dampening = 0, double weight_decay = 0, bool nesterov = false)
            => new(parameters, learningRate, momentum, dampening, weight_decay, nesterov);
        /// <remarks>β₁ and β₂ are two arguments, as in TorchSharp (PyTorch: betas=(β₁, β₂)).</remarks>
        public static Adam Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0)
            => new(parameters, lr, (beta1, beta2), eps, weight_decay);
        /// <remarks>
        /// weight_decay defaults to PyTorch's 0.01; TorchSharp's AdamW defaults to 0, so code meant for both names it.
        /// </remarks>
        public static AdamW AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0.01)
            => new(parameters, lr, (beta1, beta2), eps, weight_decay);
        public static Adagrad Adagrad(IEnumerable<Parameter> parameters, double lr = 1e-2, double lr_decay = 0, double weight_decay = 0, double initial_accumulator_value = 0, double eps = 1e-10)
            => new(parameters, lr, lr_decay, weight_decay, initial_accumulator_value, eps);
        public static RMSprop RMSprop(IEnumerable<Parameter> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weight_decay = 0, double momentum = 0, bool centered = false)
            => new(parameters, lr, alpha, eps, weight_decay, momentum, centered);
        /// <summary>TorchSharp's name for <see cref="RMSprop"/>.</summary>
        public static RMSprop RMSProp(IEnumerable<Parameter> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weight_decay = 0, double momentum = 0, bool centered = false)
            => new(parameters, lr, alpha, eps, weight_decay, momentum, centered);

        public static partial class lr_scheduler
        {
            public static StepLR StepLR(Optimizer optimizer, long step_size, double gamma = 0.1) => new(optimizer, step_size, gamma);
            public static CosineAnnealingLR CosineAnnealingLR(Optimizer optimizer, long T_max, double eta_min = 0) => new(optimizer, T_max, eta_min);
            public static LinearLR LinearLR(Optimizer optimizer, double start_factor = 1.0 / 3, double end_factor = 1.0, long total_iters = 5) => new(optimizer, start_factor, end_factor, total_iters);
            public static LambdaLR LambdaLR(Optimizer optimizer, Func<int, double> lr_lambda) => new(optimizer, lr_lambda);
        }
    }
}

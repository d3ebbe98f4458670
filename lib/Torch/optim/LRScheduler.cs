namespace Torch;

public static partial class torch
{
    public static partial class optim
    {
        public static partial class lr_scheduler
        {
            /// <summary>
            /// Learning-rate schedules. Call step() once per epoch (or per batch, as the schedule intends);
            /// each sets the optimizer's lr from the closed form for the number of steps taken.
            /// </summary>
            public abstract class LRScheduler
            {
                protected readonly Optimizer optimizer;
                protected readonly double base_lr;
                public long last_epoch { get; private set; }

                protected LRScheduler(Optimizer optimizer)
                {
                    this.optimizer = optimizer;
                    base_lr = optimizer.initial_lr;
                    optimizer.lr = get_lr(0);
                }

                /// <summary>The learning rate after <paramref name="epoch"/> steps.</summary>
                public abstract double get_lr(long epoch);

                public void step() => optimizer.lr = get_lr(++last_epoch);
                public double get_last_lr() => optimizer.lr;
            }

            /// <summary>The schedules themselves (as in TorchSharp); made with <c>optim.lr_scheduler.StepLR(...)</c> and the like.</summary>
            public static class impl
            {
                /// <summary>lr = base · γ^⌊epoch / step_size⌋.</summary>
                public sealed class StepLR(Optimizer optimizer, long step_size, double gamma = 0.1) : LRScheduler(optimizer)
                {
                    public override double get_lr(long epoch) => base_lr * Math.Pow(gamma, epoch / step_size);
                }

                /// <summary>lr = η_min + (base − η_min)(1 + cos(π · epoch / T_max)) / 2 (past T_max it rises again, as in PyTorch).</summary>
                public sealed class CosineAnnealingLR(Optimizer optimizer, long T_max, double eta_min = 0) : LRScheduler(optimizer)
                {
                    public override double get_lr(long epoch) => eta_min + (base_lr - eta_min) * (1 + Math.Cos(Math.PI * epoch / T_max)) / 2;
                }

                /// <summary>lr = base · (start + (end − start) · min(epoch, total_iters) / total_iters): a linear warm-up with the defaults.</summary>
                public sealed class LinearLR(Optimizer optimizer, double start_factor = 1.0 / 3, double end_factor = 1.0, long total_iters = 5) : LRScheduler(optimizer)
                {
                    public override double get_lr(long epoch) => base_lr * (start_factor + (end_factor - start_factor) * Math.Min(epoch, total_iters) / total_iters);
                }

                /// <summary>lr = base · lr_lambda(epoch): any schedule written as a factor of the base rate (PyTorch's and
                /// TorchSharp's LambdaLR; the course's warm-up-then-cosine is one, <c>Course.Schedules.WarmupCosineLR</c>).</summary>
                public sealed class LambdaLR(Optimizer optimizer, Func<int, double> lr_lambda) : LRScheduler(optimizer)
                {
                    public override double get_lr(long epoch) => base_lr * lr_lambda(checked((int)epoch));
                }
            }
        }
    }
}

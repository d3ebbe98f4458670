using Torch.Modules;
using Torch.Interop;
using static Torch.torch.nn;

namespace Torch;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>
        /// Base of the optimizers. A step is a handful of native multi-tensor (_foreach_) calls over all
        /// parameters at once (see <see cref="TensorList"/>), so its cost does not grow with the number of
        /// parameter tensors. Optimizer state lives outside any dispose scope and is freed by Dispose.
        /// </summary>
        public abstract class Optimizer : IDisposable
        {
            protected readonly Parameter[] parameters;
            private readonly TensorList all;
            private readonly List<TensorList> state = new();

            /// <summary>The learning rate (schedulers change it between steps).</summary>
            public double lr { get; set; }
            /// <summary>The learning rate given at construction (schedulers scale it).</summary>
            public double initial_lr { get; }
            public long step_count { get; private set; }

            /// <summary>
            /// TorchSharp's view of the learning rate: this binding's optimizers have one group of parameters, so there is
            /// one entry, and <c>ParamGroups.First().LearningRate</c> is <see cref="lr"/>.
            /// </summary>
            public IEnumerable<ParamGroup> ParamGroups => [new ParamGroup(this)];

            protected Optimizer(IEnumerable<Parameter> parameters, double lr)
            {
                if (lr < 0) throw new ArgumentOutOfRangeException(nameof(lr), lr, "learning rate must be >= 0");
                this.parameters = parameters.Distinct(ReferenceEqualityComparer.Instance).Cast<Parameter>().ToArray();
                if (this.parameters.Length == 0) throw new ArgumentException("optimizer got an empty parameter list");
                all = TensorList.Of(this.parameters);
                this.lr = initial_lr = lr;
            }

            /// <summary>
            /// Bytes of per-parameter state this optimizer keeps: every state tensor has its parameter's shape (Adam keeps two,
            /// SGD with momentum one, plain SGD none), allocated at the first step; only the parameters handed to the optimizer
            /// cost memory here.
            /// </summary>
            public long StateBytes => state.Count * parameters.Sum(p => p.numel() * p.dtype.ElementSize());

            /// <summary>Forgets the gradients (sets them to none, as PyTorch 2 does by default).</summary>
            public void zero_grad()
            {
                foreach (var p in parameters) p.grad = null;
            }

            /// <summary>Applies one update from the current gradients.</summary>
            public void step()
            {
                using var grads = all.grad();
                // parameters that received no gradient are left alone, as in PyTorch
                int[] active = grads.DefinedIndexes();
                if (active.Length == 0) return;
                step_count++;
                using var p = all.Select(active);
                using var g = grads.Select(active);
                using (torch.no_grad())
                    Update(active, p, g);
            }

            /// <summary>
            /// One update of the parameters that have a gradient: <paramref name="p"/>[k] is parameter
            /// <paramref name="active"/>[k] and <paramref name="g"/>[k] its gradient. Per-parameter state
            /// narrows to them with <c>Select(active)</c>.
            /// </summary>
            private protected abstract void Update(int[] active, TensorList p, TensorList g);

            /// <summary>A state tensor per parameter filled with <paramref name="value"/> (zeros by default), owned by the optimizer.</summary>
            private protected TensorList NewState(double value = 0)
            {
                using var scope = torch.NewDisposeScope();
                var list = TensorList.Of(parameters.Select(p => value == 0 ? torch.zeros_like(p) : torch.zeros_like(p).fill_(value)).ToArray());
                state.Add(list);
                return list;
            }

            public void Dispose()
            {
                foreach (var list in state) list.Dispose();
                state.Clear();
                all.Dispose();
                GC.SuppressFinalize(this);
            }
        }
    }
}

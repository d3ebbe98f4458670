using static Torch.torch.optim;

namespace Torch.Modules;

/// <summary>A group of an optimizer's parameters and its learning rate, as TorchSharp names them.</summary>
public sealed class ParamGroup
{
    private readonly Optimizer optimizer;
    internal ParamGroup(Optimizer optimizer) => this.optimizer = optimizer;

    /// <summary>The optimizer's current learning rate (setting it changes the optimizer's).</summary>
    public double LearningRate { get => optimizer.lr; set => optimizer.lr = value; }
    /// <summary>The learning rate the optimizer was made with.</summary>
    public double InitialLearningRate => optimizer.initial_lr;
}

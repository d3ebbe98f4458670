using Torch.Modules;

namespace Torch.Tests;

/// <summary>get_submodule / set_submodule / requires_grad_, as PyTorch's: a replaced child is what forward uses.</summary>
public class SubmoduleTests
{
    private sealed class Doubled : nn.Module<Tensor, Tensor>
    {
        private readonly Linear inner;
        public Doubled(Linear inner) => this.inner = inner;
        public override Tensor forward(Tensor x) => 2 * inner.forward(x);
    }

    private sealed class LinearTwice : Linear
    {
        public LinearTwice(Linear l) : base(l.weight, l.bias) { }
        public override Tensor forward(Tensor x) => 2 * base.forward(x);
    }

    private sealed class Net : nn.Module<Tensor, Tensor>
    {
        public readonly Linear first = nn.Linear(3, 4);
        public readonly Sequential body = nn.Sequential(nn.Linear(4, 4), nn.ReLU());
        public readonly ModuleList<Linear> heads = new ModuleList<Linear>(nn.Linear(4, 2), nn.Linear(4, 2));
        public override Tensor forward(Tensor x)
        {
            var h = body.forward(first.forward(x));
            return heads[0].forward(h) + heads[1].forward(h);
        }
    }

    [Fact]
    public void GetSubmoduleWalksDottedNames()
    {
        using var net = new Net();
        Assert.Same(net, net.get_submodule(""));
        Assert.Same(net.first, net.get_submodule("first"));
        Assert.Same(net.heads[1], net.get_submodule("heads.1"));
        Assert.Same(net.body[0], net.get_submodule("body.0"));
        var e = Assert.Throws<ArgumentException>(() => net.get_submodule("body.7"));
        Assert.Contains("'7'", e.Message);
        Assert.Contains("'body'", e.Message);
    }

    [Fact]
    public void ReplacedChildrenAreUsedByForward()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        using var net = new Net();
        var x = randn(5, 3);
        var h = net.body.forward(net.first.forward(x));
        var expected = net.heads[0].forward(h) + 2 * net.heads[1].forward(h);

        // a field typed Linear takes a Linear subclass; a ModuleList<Linear> entry too
        var twice = new LinearTwice(net.heads[1]);
        net.set_submodule("heads.1", twice);
        Assert.Same(twice, net.heads[1]);
        Assert.True(net.forward(x).allclose(expected, rtol: 0, atol: 0));

        var firstTwice = new LinearTwice(net.first);
        net.set_submodule("first", firstTwice);
        Assert.Same(firstTwice, net.first);
        Assert.Same(firstTwice, net.get_submodule("first"));
        Assert.Equal(net.named_parameters().Select(p => p.name), new Net().named_parameters().Select(p => p.name));

        // a Sequential entry takes any one-tensor module
        var doubled = new Doubled(nn.Linear(4, 4));
        net.set_submodule("body.0", doubled);
        Assert.Same(doubled, net.body[0]);
        Assert.Contains("body.0.inner.weight", net.state_dict().Keys);
    }

    [Fact]
    public void AModuleThatDoesNotFitIsRefused()
    {
        using var net = new Net();
        var first = net.first;
        var e = Assert.Throws<ArgumentException>(() => net.set_submodule("first", new Doubled(nn.Linear(3, 4))));
        Assert.Contains("first", e.Message);
        Assert.Contains("Linear", e.Message);
        Assert.Same(first, net.first);                                   // nothing changed
        Assert.Same(first, net.get_submodule("first"));
        Assert.Throws<ArgumentException>(() => net.set_submodule("heads.0", new Doubled(nn.Linear(4, 2))));
        Assert.Throws<ArgumentException>(() => net.set_submodule("missing", nn.Linear(1, 1)));
        Assert.Throws<ArgumentException>(() => net.set_submodule("", nn.Linear(1, 1)));
    }

    [Fact]
    public void RequiresGradSwitchesEveryParameter()
    {
        using var net = new Net();
        net.requires_grad_(false);
        Assert.All(net.parameters(), p => Assert.False(p.requires_grad));
        net.heads.requires_grad_();
        Assert.Equal(4, net.parameters().Count(p => p.requires_grad));
    }
}

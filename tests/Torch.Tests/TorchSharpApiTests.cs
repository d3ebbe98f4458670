using Torch.Modules;

namespace Torch.Tests;

/// <summary>
/// Where this binding used to differ from TorchSharp it now behaves as TorchSharp does, so that the course library
/// compiles against both (lib/Course.TorchSharp) and a student's code moves by changing its using lines.
/// </summary>
public class TorchSharpApiTests
{
    [Fact]
    public void EqualityOperatorsCompareElements()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new long[] { 1, 2, 3 });
        var b = tensor(new long[] { 1, 5, 3 });
        Assert.Equal(new[] { true, false, true }, (a == b).ToArray<bool>());
        Assert.Equal(new[] { false, true, false }, (a != b).ToArray<bool>());
        Assert.Equal(new[] { false, true, false }, (a == 2).ToArray<bool>());
        Assert.Equal(new[] { true, false, true }, (2.0 != a).ToArray<bool>());
        Assert.Equal(ScalarType.Bool, (a == b).dtype);
        // identity is still identity: a tensor equals itself as an object, and a copy does not
        Assert.True(a.Equals(a));
        Assert.False(a.Equals(a.clone()));
        Assert.Equal(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(a), a.GetHashCode());
    }

    [Fact]
    public void ComparingWithNullSaysHowToAskForNull()
    {
        using var t = zeros(2);
        Tensor? none = null;
        var e = Assert.Throws<ArgumentNullException>(() => t == none!);
        Assert.Contains("is null", e.Message);
        Assert.Throws<ArgumentNullException>(() => none! != t);
        Assert.True(none is null);
    }

    [Fact]
    public void TildeIsBitwiseNotAsInTorchSharp()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(new[] { false, true }, (~tensor(new[] { true, false })).ToArray<bool>());
        // on integers it is the bitwise complement (-x - 1), not a logical not
        Assert.Equal(new long[] { -1, -6, 4 }, (~tensor(new long[] { 0, 5, -5 })).ToArray<long>());
    }

    [Fact]
    public void ParameterLivesInModulesAndIsMadeByNnParameter()
    {
        using var scope = NewDisposeScope();
        var data = arange(0.0, 3.0);
        var values = data.ToArray<float>();
        Parameter p = nn.Parameter(data);
        Assert.Equal("Torch.Modules", typeof(Parameter).Namespace);
        Assert.True(p.requires_grad);
        Assert.Equal(values, p.ToArray<float>());
        // as in TorchSharp, the parameter takes the tensor over: the tensor it was made from is gone
        Assert.True(data.IsInvalid);
        Assert.False(nn.Parameter(zeros(2), requires_grad: false).requires_grad);
        // two parameters from one tensor need a copy each, and then they do not share memory
        var start = ones(2);
        var (a, b) = (nn.Parameter(start.clone()), nn.Parameter(start.clone()));
        using (no_grad()) a.add_(1.0);
        Assert.Equal(new[] { 1f, 1f }, b.ToArray<float>());
        Assert.Throws<ArgumentNullException>(() => nn.Parameter(null!));
    }

    private sealed class Registered : nn.Module<Tensor, Tensor>
    {
        public readonly Linear first;
        public Linear? later;
        public Registered() : base("Registered here")
        {
            first = nn.Linear(2, 3);
            RegisterComponents();
        }
        public void AddLater() { later = nn.Linear(3, 1); RegisterComponents(); }
        public void ReplaceLater() { later = nn.Linear(3, 2); RegisterComponents(); }
        public override Tensor forward(Tensor x) => first.forward(x);
    }

    [Fact]
    public void ModulesTakeANameAndRegisterTheirComponents()
    {
        using var m = new Registered();
        Assert.Equal("Registered here", m.GetName());
        Assert.Equal(new[] { "first.weight", "first.bias" }, m.named_parameters().Select(p => p.name));
        // a second call picks up fields set since, and does not register a field twice
        m.AddLater();
        Assert.Equal(new[] { "first.weight", "first.bias", "later.weight", "later.bias" }, m.named_parameters().Select(p => p.name));
        // a field given another module is registered under its name once, with the new module
        m.ReplaceLater();
        Assert.Equal(new[] { "first.weight", "first.bias", "later.weight", "later.bias" }, m.named_parameters().Select(p => p.name));
        Assert.Same(m.later, m.named_children().Single(c => c.name == "later").module);
        Assert.Equal(2, m.later!.out_features);
        Assert.Equal("Linear", nn.Linear(1, 1).GetName());
    }

    [Fact]
    public void TheLearningRateIsReadAndSetThroughParamGroups()
    {
        using var p = nn.Parameter(zeros(2));
        using var opt = optim.SGD(new[] { p }, learningRate: 0.5);
        var group = Assert.Single(opt.ParamGroups);
        Assert.Equal(0.5, group.LearningRate);
        group.LearningRate = 0.125;
        Assert.Equal(0.125, opt.lr);
        Assert.Equal(0.5, group.InitialLearningRate);
        var schedule = optim.lr_scheduler.StepLR(opt, step_size: 1, gamma: 0.5);
        schedule.step();
        Assert.Equal(0.25, opt.ParamGroups.First().LearningRate);
        Assert.IsAssignableFrom<optim.lr_scheduler.LRScheduler>(schedule);
        Assert.IsAssignableFrom<optim.Optimizer>(opt);
        Assert.Equal("Torch.Modules", typeof(AdamW).Namespace);
    }

    [Fact]
    public void VectorNormIsTheOrdNormOverTheGivenDimensions()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { 3, -4, 0, 1, 2, -2 }, new long[] { 2, 3 });
        // rows: (3, -4, 0) and (1, 2, -2): 2-norms 5 and 3, 1-norms 7 and 5; all six: sqrt(34)
        Assert.Equal(new[] { 5.0, 3.0 }, linalg.vector_norm(x, 2, new long[] { 1 }).ToArray<double>());
        Assert.Equal(new[] { 7.0, 5.0 }, linalg.vector_norm(x, 1, new long[] { 1 }).ToArray<double>());
        Assert.Equal(Math.Sqrt(34), linalg.vector_norm(x).item<double>(), 14);
        Assert.Equal(new long[] { 1, 1 }, linalg.vector_norm(x, keepdim: true).shape);
    }

    [Fact]
    public void DataGivesAnAccessorWhoseArrayIsItsOnlyCopy()
    {
        using var t = arange(0L, 6L).reshape(2, 3);
        var a = t.data<long>();
        Assert.Equal(6, a.Count);
        Assert.Equal(5, a[1, 2]);                 // row-major indices
        Assert.Equal(4, a[4]);                    // or one flat position
        Assert.Same(a.ToArray(), a.ToArray());    // ToArray hands over the copy the accessor took, not a second one
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5 }, a);
        Assert.Equal(new[] { 0.0, 1, 2, 3, 4, 5 }, t.data<double>().ToArray());   // converted, as ToArray<T> does
        Assert.Throws<IndexOutOfRangeException>(() => a[1, 3]);
        Assert.Throws<ArgumentException>(() => a[0, 0, 0]);
    }

    [Fact]
    public void FloatingPointIsAskedOfTensorsAndTypes()
    {
        using var f = zeros(1);
        using var i = zeros(new long[] { 1 }, int64);
        Assert.True(f.is_floating_point());
        Assert.False(i.is_floating_point());
        Assert.True(is_floating_point(ScalarType.Float64));
        Assert.False(is_floating_point(ScalarType.Bool));
        var t = zeros(1);
        Assert.False(t.IsInvalid);
        t.Dispose();
        Assert.True(t.IsInvalid);
    }

    [Fact]
    public void OneElementTensorsConvertToNumbersWhateverTheirType()
    {
        using var loss = tensor(0.25f);                     // float32, as a loss is
        Assert.Equal(0.25, loss.ToDouble());
        Assert.Equal(0.25f, loss.ToSingle());
        using var count = tensor(new long[] { 7 });
        Assert.Equal(7L, count.ToInt64());
        Assert.Equal(7, count.ToInt32());
        Assert.Equal(7.0, count.ToDouble());
        using var flag = tensor(new[] { true });
        Assert.True(flag.ToBoolean());
        using var two = zeros(2);
        Assert.ThrowsAny<Exception>(() => two.ToDouble());   // not one element
    }

    [Fact]
    public void ReductionIsInNnAndConv2dTakesTorchSharpsArrays()
    {
        using var x = tensor(new float[] { 1, 2, 3, 4 });
        using var zero = zeros(4);
        Assert.Equal(new float[] { 1, 4, 9, 16 }, nn.functional.mse_loss(x, zero, reduction: nn.Reduction.None).data<float>().ToArray());
        Assert.Equal(30f, nn.functional.mse_loss(x, zero, reduction: nn.Reduction.Sum).ToSingle());

        // a 4×4 image of 1..16 and a 2×2 kernel of ones: each output sums a 2×2 window (worked by hand)
        using var image = arange(1, 17, dtype: float32).view(1, 1, 4, 4);
        using var ones = torch.ones(1, 1, 2, 2);
        Assert.Equal(new float[] { 14, 22, 46, 54 }, nn.functional.conv2d(image, ones, strides: [2]).data<float>().ToArray());
        Assert.Equal(new float[] { 14, 22, 46, 54 }, nn.functional.conv2d(image, ones, strides: [2, 2]).data<float>().ToArray());
        Assert.Equal(new long[] { 1, 1, 3, 2 }, nn.functional.conv2d(image, ones, strides: [1, 2]).shape);
        Assert.Equal(new long[] { 1, 1, 5, 5 }, nn.functional.conv2d(image, ones, padding: [1]).shape);
        var e = Assert.Throws<ArgumentException>(() => nn.functional.conv2d(image, ones, strides: [1, 1, 1]));
        Assert.Contains("strides takes one value or a (height, width) pair, not 3 values", e.Message);
    }
}

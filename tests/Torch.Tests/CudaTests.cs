namespace Torch.Tests;

/// <summary>The same operations on a CUDA device (skipped, saying why, without one).</summary>
public class CudaTests
{
    [CudaFact]
    public void TensorsMoveToTheGpuAndBack()
    {
        using var scope = NewDisposeScope();
        var a = randn(64, 32);
        var g = a.cuda();
        Assert.True(g.is_cuda);
        Assert.Equal("cuda:0", g.device.ToString());
        Assert.True(g.matmul(g.t()).cpu().allclose(a.matmul(a.t()), 1e-3, 1e-3));
    }

    [CudaFact]
    public void AModelTrainsOnTheGpu()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var dev = device("cuda");
        using var model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1));
        model.to(dev);
        using var opt = optim.AdamW(model.parameters(), lr: 1e-2);
        var x = randn(new long[] { 128, 8 }, device: dev);
        var y = x.sum(1, keepdim: true);
        double first = 0, last = 0;
        for (int i = 0; i < 200; i++)
        {
            using var step = NewDisposeScope();
            opt.zero_grad();
            var loss = F.mse_loss(model.forward(x), y);
            loss.backward();
            opt.step();
            if (i == 0) first = loss.item<double>();
            last = loss.item<double>();
        }
        Assert.True(last < first * 0.1, $"loss {first} -> {last}");
        Assert.All(model.parameters(), p => Assert.True(p.is_cuda));
    }

    [CudaFact]
    public void HalfPrecisionAndFusedAttentionOnTheGpu()
    {
        using var scope = NewDisposeScope();
        var q = randn(new long[] { 2, 4, 16, 32 }, device: device("cuda"));
        var (o, _) = F.attention(q, q, q, is_causal: true);
        var fused = F.scaled_dot_product_attention(q, q, q, is_causal: true);
        Assert.True(o.allclose(fused, 1e-4, 1e-4));
        Assert.Equal(ScalarType.Float16, q.half().matmul(q.half().mT).dtype);
    }
}

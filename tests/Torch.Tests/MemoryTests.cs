using Torch.Modules;
using System.Diagnostics;

namespace Torch.Tests;

/// <summary>Training in a loop with dispose scopes holds memory flat.</summary>
[CollectionDefinition("memory", DisableParallelization = true)]
public sealed class MemoryCollection { }

[Collection("memory")]  // runs alone: it counts live tensors process-wide
public class MemoryTests
{
    [Fact]
    public void FiveThousandTrainingStepsKeepLiveTensorsAndMemoryFlat()
    {
        manual_seed(0);
        using var model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4));
        using var opt = optim.AdamW(model.parameters(), lr: 1e-3);
        using var x = randn(64, 16);
        using var y = randint(4, new long[] { 64 });

        void Step()
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            var loss = F.cross_entropy(model.forward(x), y);
            loss.backward();
            nn.utils.clip_grad_norm_(model.parameters(), 1.0);
            opt.step();
        }

        for (int i = 0; i < 200; i++) Step();  // warm up: optimizer state, allocator pools
        GC.Collect(); GC.WaitForPendingFinalizers();
        long liveBefore = Tensor.LiveCount;
        long rssBefore = Process.GetCurrentProcess().WorkingSet64;

        for (int i = 0; i < 5000; i++) Step();

        GC.Collect(); GC.WaitForPendingFinalizers();
        long liveAfter = Tensor.LiveCount;
        long rssAfter = Process.GetCurrentProcess().WorkingSet64;
        Assert.Equal(liveBefore, liveAfter);
        Assert.True(rssAfter - rssBefore < 64L << 20, $"process memory grew by {(rssAfter - rssBefore) >> 20} MiB over 5,000 steps");
    }

    [Fact]
    public void ScopesFreeWhatTheyCreatedAndKeepWhatIsMovedOut()
    {
        long before = Tensor.LiveCount;
        Tensor kept;
        using (var outer = NewDisposeScope())
        {
            using (var inner = NewDisposeScope())
            {
                var a = randn(3);
                var b = a * 2;
                kept = (b + 1).MoveToOuterDisposeScope();
                Assert.Equal(2, inner.Count);  // a and b; the result moved out
            }
            Assert.False(kept.IsDisposed);
            Assert.Equal(before + 1, Tensor.LiveCount);
        }
        Assert.True(kept.IsDisposed);
        Assert.Equal(before, Tensor.LiveCount);

        // parameters are never collected by a scope
        Parameter p;
        using (NewDisposeScope()) p = nn.Parameter(randn(2));
        Assert.False(p.IsDisposed);
        p.Dispose();
        Assert.Equal(before, Tensor.LiveCount);
    }
}

namespace Course.Tests;

public class SchedulesTests
{
    private static double Rate(optim.Optimizer opt) => opt.ParamGroups.First().LearningRate;

    [Fact]
    public void WarmupRisesFromZeroToTheBaseRateThenDecaysLikeACosineToTheFloor()
    {
        using var p = nn.Parameter(torch.zeros(1));
        using var opt = optim.AdamW(new[] { p }, lr: 2.0, weight_decay: 0.01);
        var sched = Schedules.WarmupCosineLR(opt, warmup_steps: 4, total_steps: 12, min_factor: 0.1);
        var lrs = new List<double> { Rate(opt) };
        for (int i = 0; i < 14; i++) { sched.step(); lrs.Add(Rate(opt)); }
        // by hand (base 2): 0 at construction, 2 · step / 4 during the warm-up, the base rate after 4 steps, halfway
        // down the cosine after 8 steps, the floor 0.1 · 2 from step 12 on
        Assert.Equal(new[] { 0, 0.5, 1.0, 1.5, 2.0 }, lrs[..5].Select(x => Math.Round(x, 12)));
        Assert.Equal(2 * (0.1 + 0.9 * (1 + Math.Cos(Math.PI / 8)) / 2), lrs[5], 12);
        Assert.Equal(1.1, lrs[8], 12);
        Assert.Equal(new[] { 0.2, 0.2, 0.2 }, lrs[12..].Select(x => Math.Round(x, 12)));
    }

    [Fact]
    public void WithoutWarmupTheScheduleStartsAtTheBaseRate()
    {
        var factor = Schedules.WarmupCosine(warmup_steps: 0, total_steps: 10);
        Assert.Equal(1.0, factor(0), 15);
        Assert.Equal(0.5, factor(5), 15);
        Assert.Equal(0.0, factor(10), 15);
        Assert.Equal(0.0, factor(11), 15);
    }

    [Fact]
    public void ImpossibleSchedulesAreRefusedWithTheReason()
    {
        Assert.Contains("0 ≤ warmup_steps ≤ total_steps", Assert.Throws<ArgumentException>(() => Schedules.WarmupCosine(20, 10)).Message);
        Assert.Contains("total_steps ≥ 1", Assert.Throws<ArgumentException>(() => Schedules.WarmupCosine(0, 0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedules.WarmupCosine(1, 10, min_factor: 1.5));
    }
}

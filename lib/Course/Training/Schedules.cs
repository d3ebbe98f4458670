namespace Course;

/// <summary>
/// The learning-rate schedule the course's Transformers train with, written as a factor of the base rate for
/// <c>optim.lr_scheduler.LambdaLR</c>, so that it is the same schedule on the course's binding and on TorchSharp.
/// </summary>
public static class Schedules
{
    /// <summary>
    /// Linear warm-up from 0, then a cosine down to <paramref name="min_factor"/>: step / warmup_steps while
    /// step &lt; warmup_steps, then min + (1 − min)(1 + cos(π (step − warmup_steps) / (total_steps − warmup_steps))) / 2,
    /// and min from total_steps on. Steps count the scheduler's steps, as everywhere in PyTorch.
    /// </summary>
    public static Func<int, double> WarmupCosine(long warmup_steps, long total_steps, double min_factor = 0)
    {
        if (warmup_steps < 0 || total_steps < 1 || warmup_steps > total_steps)
            throw new ArgumentException($"a warm-up of {warmup_steps} steps in a schedule of {total_steps} steps: 0 ≤ warmup_steps ≤ total_steps and total_steps ≥ 1 are needed.");
        if (min_factor is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(min_factor), min_factor, "the final rate is a fraction of the base rate, from 0 to 1.");
        return step =>
        {
            if (step < warmup_steps) return (double)step / warmup_steps;
            double progress = Math.Min(1.0, (double)(step - warmup_steps) / Math.Max(1, total_steps - warmup_steps));
            return min_factor + (1 - min_factor) * (1 + Math.Cos(Math.PI * progress)) / 2;
        };
    }

    /// <summary>The warm-up-then-cosine schedule on <paramref name="optimizer"/>; call <c>step()</c> once per batch.</summary>
    public static optim.lr_scheduler.LRScheduler WarmupCosineLR(optim.Optimizer optimizer, long warmup_steps, long total_steps, double min_factor = 0) =>
        optim.lr_scheduler.LambdaLR(optimizer, WarmupCosine(warmup_steps, total_steps, min_factor));
}

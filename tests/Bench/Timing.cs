using System.Diagnostics;

// Shared by Course.Bench and Course.Bench.TorchSharp (linked there), so that every column is timed the same way.
internal static class Timing
{
    /// <summary>ms/step of reps timed blocks of about repMs each, after warm-up and calibration.</summary>
    public static List<double> BlocksMs(Action step, int repMs, int reps)
    {
        var sw = Stopwatch.StartNew();
        int n = 0;
        while (n < 3 || sw.Elapsed.TotalMilliseconds < repMs / 2.0) { step(); n++; }
        double per = sw.Elapsed.TotalMilliseconds / n;
        int iters = Math.Max(3, (int)(repMs / per));
        var times = new List<double>();
        for (int r = 0; r < reps; r++)
        {
            sw.Restart();
            for (int i = 0; i < iters; i++) step();
            times.Add(sw.Elapsed.TotalMilliseconds / iters);
        }
        return times;
    }

    public static double Median(List<double> xs)
    {
        var s = xs.OrderBy(x => x).ToList();
        return s[s.Count / 2];
    }
}

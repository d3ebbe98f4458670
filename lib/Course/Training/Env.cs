namespace Course;

/// <summary>
/// The run's environment, read in one place: fast mode (COURSE_FAST=1, as in CI: small data, few steps) and the
/// device to train on (COURSE_DEVICE, else CUDA when the engine reports a GPU, else the CPU), and pretrained mode
/// (COURSE_PRETRAINED=1: model chapters load their shipped weights instead of training, <see cref="Course.Pretrained"/>).
/// </summary>
public static class Env
{
    /// <summary>True when the chapter runs in fast mode (COURSE_FAST=1: small data, few steps).</summary>
    public static bool Fast => Environment.GetEnvironmentVariable("COURSE_FAST") == "1";

    /// <summary>The checkout the kit runs from (COURSE_ROOT, set by ./course and the kernel): lib/, notebooks/, artifacts/.</summary>
    public static string Root => CourseEnvironment.RequiredDirectory(CourseEnvironment.Root);

    /// <summary>
    /// True when model chapters load the weights their full run produced (checkpoints/, <see cref="Course.Pretrained"/>)
    /// instead of training them (COURSE_PRETRAINED=1). Those weights need the full data and the full model sizes, so
    /// pretrained mode and fast mode exclude each other: both set is an error naming the two variables.
    /// </summary>
    public static bool Pretrained
    {
        get
        {
            var value = Environment.GetEnvironmentVariable("COURSE_PRETRAINED");
            if (string.IsNullOrEmpty(value) || value == "0") return false;
            if (value != "1") throw new ArgumentException($"COURSE_PRETRAINED={value}: use 1 (load the shipped weights) or 0 / unset (train).");
            if (Fast)
                throw new InvalidOperationException("COURSE_PRETRAINED=1 and COURSE_FAST=1 are both set: the shipped weights need the full data and model sizes, which fast mode shrinks; unset one of them.");
            return true;
        }
    }

    /// <summary>The value for this mode: <c>Env.Pick(full: 20, fast: 1)</c>.</summary>
    public static T Pick<T>(T full, T fast) => Fast ? fast : full;

    /// <summary>Where chapters put models and batches: $COURSE_DEVICE ("cpu", "cuda", "cuda:1") if set, else "cuda" when available, else "cpu".</summary>
    public static Device Device
    {
        get
        {
            var spec = Environment.GetEnvironmentVariable("COURSE_DEVICE");
            if (!string.IsNullOrWhiteSpace(spec))
            {
                try { return device(spec); }
                catch (ArgumentException e) { throw new ArgumentException($"COURSE_DEVICE={spec}: {e.Message}", e); }
            }
            return torch.cuda.is_available() ? new Device(DeviceType.CUDA, 0) : CPU;
        }
    }
}

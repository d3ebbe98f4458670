using Torch;

namespace Course;

/// <summary>
/// The run's environment, read in one place: fast mode (COURSE_FAST=1, as in CI: small data, few steps) and the
/// device to train on (COURSE_DEVICE, else CUDA when the engine reports a GPU, else the CPU).
/// </summary>
public static class Env
{
    /// <summary>True when the chapter runs in fast mode (COURSE_FAST=1: small data, few steps).</summary>
    public static bool Fast => Environment.GetEnvironmentVariable("COURSE_FAST") == "1";

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
                try { return Device.Parse(spec); }
                catch (ArgumentException e) { throw new ArgumentException($"COURSE_DEVICE={spec}: {e.Message}", e); }
            }
            return torch.cuda.is_available() ? new Device(DeviceType.CUDA, 0) : Device.CPU;
        }
    }
}

namespace Torch;

public enum DeviceType { CPU = 0, CUDA = 1 }

/// <summary>Where a tensor lives: "cpu", "cuda" or "cuda:N".</summary>
public sealed record Device(DeviceType type, int index = -1)
{
    public static readonly Device CPU = new(DeviceType.CPU);

    public static Device Parse(string spec)
    {
        var s = spec.Trim().ToLowerInvariant();
        if (s == "cpu") return CPU;
        if (s == "cuda") return new Device(DeviceType.CUDA, 0);
        if (s.StartsWith("cuda:") && int.TryParse(s[5..], out var i) && i >= 0) return new Device(DeviceType.CUDA, i);
        throw new ArgumentException($"'{spec}' is not a device (use \"cpu\", \"cuda\" or \"cuda:N\")");
    }

    public static implicit operator Device(string spec) => Parse(spec);

    internal int NativeIndex => type == DeviceType.CPU ? -1 : Math.Max(index, 0);

    /// <summary>Raises a clear error when CUDA is asked for on a machine without it.</summary>
    internal Device Checked()
    {
        if (type == DeviceType.CUDA)
        {
            int count = torch.cuda.device_count();
            if (count == 0)
                throw new InvalidOperationException($"{this} was requested, but this libtorch has no CUDA device available (libtorch {torch.__version__}, cuda.is_available() = false). Use \"cpu\", or set COURSE_LIBTORCH to a CUDA libtorch on a GPU machine and run ./course setup.");
            if (NativeIndex >= count)
                throw new InvalidOperationException($"{this} was requested, but only {count} CUDA device(s) exist.");
        }
        return this;
    }

    public override string ToString() => type == DeviceType.CPU ? "cpu" : index < 0 ? "cuda" : $"cuda:{index}";
}

namespace Course;

/// <summary>
/// A one-element tensor's value as a double, whatever its element type. TorchSharp's <c>item&lt;T&gt;</c> needs T to be
/// the tensor's own type (<c>item&lt;double&gt;</c> on a float32 loss throws), so the library reads scalars through this,
/// without making a converted copy.
/// </summary>
internal static class TensorValues
{
    public static double ToDouble(this Tensor t) => t.dtype switch
    {
        ScalarType.Float64 => t.item<double>(),
        ScalarType.Float32 => t.item<float>(),
        ScalarType.Int64 => t.item<long>(),
        ScalarType.Int32 => t.item<int>(),
        ScalarType.Int16 => t.item<short>(),
        ScalarType.Int8 => t.item<sbyte>(),
        ScalarType.Byte => t.item<byte>(),
        ScalarType.Bool => t.item<bool>() ? 1 : 0,
        _ => ToDoubleByCopy(t),
    };

    // half and bfloat16 have no C# element type that both bindings read: through a float64 copy
    private static double ToDoubleByCopy(Tensor t)
    {
        using var wide = t.to(ScalarType.Float64);
        return wide.item<double>();
    }
}

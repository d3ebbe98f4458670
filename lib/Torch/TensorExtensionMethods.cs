namespace Torch;

/// <summary>
/// A one-element tensor's value as a .NET number whatever the tensor's type, as TorchSharp's extension methods of the
/// same names: <c>loss.ToDouble()</c> reads a float32 loss, where <c>item&lt;double&gt;()</c> needs a float64 tensor
/// in TorchSharp.
/// </summary>
public static class TensorExtensionMethods
{
    public static double ToDouble(this Tensor value) => value.item<double>();
    public static float ToSingle(this Tensor value) => value.item<float>();
    public static long ToInt64(this Tensor value) => value.item<long>();
    public static int ToInt32(this Tensor value) => value.item<int>();
    public static bool ToBoolean(this Tensor value) => value.item<bool>();
}

using System.Globalization;
using System.Text;

namespace Torch;

/// <summary>Formats a tensor the way PyTorch prints it: <c>tensor([[1.0000, 2.5000], ...], dtype=torch.float64)</c>.</summary>
internal static class TensorFormatter
{
    private const int Threshold = 1000, EdgeItems = 3;

    internal static string Format(Tensor t)
    {
        if (t.IsDisposed) return "tensor(<disposed>)";
        var shape = t.shape;
        var type = t.dtype;
        using var host = t.detach().cpu();
        using var asDouble = host.to(ScalarType.Float64);
        var values = asDouble.ToArray<double>();
        bool summarize = values.Length > Threshold;
        var shown = Shown(values, shape, summarize);
        var cell = CellFormat(type, shown);
        int width = shown.Count == 0 ? 0 : shown.Max(v => cell(v).Length);

        var sb = new StringBuilder("tensor(");
        if (shape.Length == 0) sb.Append(cell(values[0]));
        else Write(sb, values, shape, 0, 0, width, cell, summarize, indent: 7);
        if (values.Length == 0 && shape.Length > 1) sb.Append($", size=({string.Join(", ", shape)})");
        if (type is not (ScalarType.Float32 or ScalarType.Int64 or ScalarType.Bool)) sb.Append($", dtype=torch.{type.Name()}");
        if (t.is_cuda) sb.Append($", device='{t.device}'");
        var fn = t.grad_fn;
        if (fn != null) sb.Append($", grad_fn=<{fn}>");
        else if (t.requires_grad) sb.Append(", requires_grad=True");
        return sb.Append(')').ToString();
    }

    private static Func<double, string> CellFormat(ScalarType type, List<double> shown)
    {
        var inv = CultureInfo.InvariantCulture;
        if (type == ScalarType.Bool) return v => v != 0 ? " True" : "False";
        if (!type.IsFloatingPoint()) return v => ((long)v).ToString(inv);
        var finite = shown.Where(double.IsFinite).Select(Math.Abs).ToList();
        string Special(double v) => double.IsNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        if (finite.All(v => v == Math.Floor(v)))
        {
            double max = finite.Count == 0 ? 0 : finite.Max();
            if (max < 1e8) return v => double.IsFinite(v) ? v.ToString("0", inv) + "." : Special(v);
        }
        var nonzero = finite.Where(v => v != 0).ToList();
        bool sci = nonzero.Count > 0 && (nonzero.Max() / nonzero.Min() > 1000 || nonzero.Max() > 1e8 || nonzero.Min() < 1e-4);
        return sci ? v => double.IsFinite(v) ? v.ToString("0.0000e+00", inv) : Special(v)
                   : v => double.IsFinite(v) ? v.ToString("0.0000", inv) : Special(v);
    }

    // The values that will be printed (all, or the edges of each dimension when summarizing).
    private static List<double> Shown(double[] values, long[] shape, bool summarize)
    {
        if (!summarize) return values.ToList();
        var result = new List<double>();
        void Walk(int dim, long offset, long stride)
        {
            if (dim == shape.Length) { result.Add(values[offset]); return; }
            long inner = stride / shape[dim];
            foreach (var i in Indices(shape[dim], true)) if (i >= 0) Walk(dim + 1, offset + i * inner, inner);
        }
        Walk(0, 0, values.LongLength);
        return result;
    }

    private static IEnumerable<long> Indices(long n, bool summarize)
    {
        if (!summarize || n <= 2 * EdgeItems) { for (long i = 0; i < n; i++) yield return i; yield break; }
        for (long i = 0; i < EdgeItems; i++) yield return i;
        yield return -1;  // the "..." marker
        for (long i = n - EdgeItems; i < n; i++) yield return i;
    }

    private static void Write(StringBuilder sb, double[] values, long[] shape, int dim, long offset, int width,
                              Func<double, string> cell, bool summarize, int indent)
    {
        long inner = 1;
        for (int d = dim + 1; d < shape.Length; d++) inner *= shape[d];
        sb.Append('[');
        bool first = true;
        foreach (var i in Indices(shape[dim], summarize))
        {
            if (!first)
            {
                sb.Append(',');
                if (dim == shape.Length - 1) sb.Append(' ');
                else sb.Append('\n', shape.Length - dim - 1).Append(' ', indent + dim + 1);
            }
            first = false;
            if (i < 0) { sb.Append(dim == shape.Length - 1 ? "...".PadLeft(width) : "..."); continue; }
            if (dim == shape.Length - 1) sb.Append(cell(values[offset + i]).PadLeft(width));
            else Write(sb, values, shape, dim + 1, offset + i * inner, width, cell, summarize, indent);
        }
        sb.Append(']');
    }
}

global using Xunit;
global using Torch;
global using static Torch.torch;
global using F = Torch.torch.nn.functional;

namespace Torch.Tests;

internal static class Near
{
    public static void Equal(double expected, double actual, double tol = 1e-5)
        => Assert.True(Math.Abs(expected - actual) <= tol * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual} (tolerance {tol})");

    public static void Equal(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tol = 1e-5)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * Math.Max(1, Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, got {actual[i]} (tolerance {tol})");
    }

    public static void Equal(IReadOnlyList<float> expected, Tensor actual, double tol = 1e-5)
        => Equal(expected.Select(x => (double)x).ToArray(), actual.ToArray<double>(), tol);
}

internal static class Reference
{
    public static string Path(string file) => System.IO.Path.Combine(AppContext.BaseDirectory, "reference", file);
    public static System.Text.Json.Nodes.JsonNode Json(string file) =>
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path(file)))!;
    public static float[] Floats(System.Text.Json.Nodes.JsonNode n) => n.AsArray().Select(x => (float)x!).ToArray();
    public static double[] Doubles(System.Text.Json.Nodes.JsonNode n) => n.AsArray().Select(x => (double)x!).ToArray();
}

namespace Torch.Tests;

/// <summary>The README's XOR example, verbatim apart from the assertion: it must keep working.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void TwoLayerNetworkLearnsXor()
    {
        // --- README example start ---
        torch.manual_seed(0);
        var x = torch.tensor(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
        var y = torch.tensor(new float[,] { { 0 }, { 1 }, { 1 }, { 0 } });

        var model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1));
        var opt = optim.Adam(model.parameters(), lr: 0.05);

        for (int step = 0; step < 500; step++)
        {
            using var scope = torch.NewDisposeScope();   // frees this step's tensors
            opt.zero_grad();
            var loss = nn.functional.binary_cross_entropy_with_logits(model.forward(x), y);
            loss.backward();
            opt.step();
        }

        using (torch.no_grad())
            Console.WriteLine(model.forward(x).sigmoid());   // ≈ [[0], [1], [1], [0]]
        // --- README example end ---

        using (torch.no_grad())
        {
            var p = model.forward(x).sigmoid().ToArray<float>();
            Assert.True(p[0] < 0.1 && p[1] > 0.9 && p[2] > 0.9 && p[3] < 0.1, string.Join(", ", p));
        }
        model.Dispose(); opt.Dispose();
    }
}

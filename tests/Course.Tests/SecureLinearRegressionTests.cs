using Course.Federated;

namespace Course.Tests;

/// <summary>
/// Secure linear regression (vertical federated learning with Paillier): the federated weights follow centralised
/// gradient descent on the joined data, gradient descent reaches the closed form, and the wire carries only what the
/// protocol allows.
/// </summary>
public class SecureLinearRegressionTests
{
    private static (double[,] X, double[] Y) Data(int n, int p, long seed)
    {
        var rng = new Random((int)seed);
        var x = new double[n, p];
        var y = new double[n];
        var w = Enumerable.Range(0, p).Select(j => (j % 2 == 0 ? 1 : -1) * (0.5 + j)).ToArray();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < p; j++) x[i, j] = rng.NextDouble() * 2 - 1;
            y[i] = Enumerable.Range(0, p).Sum(j => w[j] * x[i, j]) + 0.1 * (rng.NextDouble() - 0.5);
        }
        return (x, y);
    }

    private static double[,] Columns(double[,] x, int from, int to)
    {
        var part = new double[x.GetLength(0), to - from];
        for (int i = 0; i < x.GetLength(0); i++)
            for (int j = from; j < to; j++) part[i, j - from] = x[i, j];
        return part;
    }

    [Fact]
    public void Federated_weights_equal_centralised_gradient_descent_on_the_joined_data()
    {
        var (x, y) = Data(40, 5, 1);
        const double lambda = 0.5, lr = 0.005;
        var slr = new SecureLinearRegression(Columns(x, 0, 2), Columns(x, 2, 5), y, 256, RandomBits.Seeded(2), lambda, lr);
        var path = LinearModel.GradientDescent(x, y, lambda, lr, 12);
        var before = new double[5];
        for (int step = 0; step < 12; step++)
        {
            var round = slr.Step();
            // the loss C decrypts is the loss of the weights before this round's update
            double expectedLoss = LinearModel.Loss(x, y, before, lambda);
            Assert.True(Math.Abs(round.Loss - expectedLoss) <= 1e-8 * (1 + expectedLoss), $"round {step + 1}: loss {round.Loss} vs {expectedLoss}");
            var federated = slr.A.Weights.Concat(slr.B.Weights).ToArray();
            double diff = federated.Zip(path[step], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(diff <= 1e-9, $"round {step + 1}: max |w_fed - w_central| = {diff:E2} > 1e-9 (fixed point keeps 32 fraction bits)");
            before = path[step];
        }
        var prediction = slr.Predict(Columns(x, 0, 2), Columns(x, 2, 5));
        var central = LinearModel.Scores(x, path[^1]);
        Assert.True(prediction.Zip(central, (a, b) => Math.Abs(a - b)).Max() <= 1e-9);
    }

    [Fact]
    public void Gradient_descent_reaches_the_closed_form_and_the_closed_form_zeroes_the_gradient()
    {
        var (x, y) = Data(60, 4, 3);
        const double lambda = 0.3;
        var w = LinearModel.ClosedForm(x, y, lambda);
        // ∂L/∂w = 2 Xᵀ(Xw - y) + λ w = 0 at the minimum
        var u = LinearModel.Scores(x, w);
        for (int j = 0; j < 4; j++)
        {
            double g = lambda * w[j];
            for (int i = 0; i < 60; i++) g += 2 * (u[i] - y[i]) * x[i, j];
            Assert.True(Math.Abs(g) < 1e-10, $"gradient {j} = {g:E2} at the closed form");
        }
        var gd = LinearModel.GradientDescent(x, y, lambda, 0.01, 2000)[^1];
        Assert.True(gd.Zip(w, (a, b) => Math.Abs(a - b)).Max() < 1e-10);
        var singular = new double[3, 2] { { 1, 2 }, { 2, 4 }, { 3, 6 } };
        Assert.Throws<ArgumentException>(() => LinearModel.ClosedForm(singular, [1, 2, 3], 0));
    }

    [Fact]
    public void The_wire_carries_ciphertexts_between_A_and_B_and_plaintext_only_to_and_from_C()
    {
        var (x, y) = Data(10, 3, 4);
        var slr = new SecureLinearRegression(Columns(x, 0, 1), Columns(x, 1, 3), y, 128, RandomBits.Seeded(5), 0.1, 0.01);
        var round = slr.Step();
        int cb = slr.C.PublicKey.CiphertextBytes, ib = 16; // a 128-bit key: 32-byte ciphertexts, 16-byte plaintexts
        Assert.Equal(32, cb);
        var log = slr.Wire.Log;
        Assert.Equal(["A→B [[u_A]]", "A→B [[L_A]]", "B→A [[d]]", "B→C [[L]]", "A→C [[dL/dw_A + R_A]]", "B→C [[dL/dw_B + R_B]]", "C→A dL/dw_A + R_A", "C→B dL/dw_B + R_B"],
            log.Select(m => $"{m.From}→{m.To} {m.What}"));
        Assert.Equal([10L * cb, cb, 10L * cb, cb, 1L * cb, 2L * cb, 1L * ib, 2L * ib], log.Select(m => m.Bytes));
        Assert.Equal(log.Sum(m => m.Bytes), round.Bytes);
        Assert.All(log.Where(m => (m.From, m.To) is ("A", "B") or ("B", "A")), m => Assert.StartsWith("[[", m.What));
    }

    [Fact]
    public void Mismatched_parties_are_refused()
    {
        var (x, y) = Data(10, 3, 6);
        Assert.Throws<ArgumentException>(() => new SecureLinearRegression(Columns(x, 0, 1), new double[9, 2], y, 128, RandomBits.Seeded(1)));
        Assert.Throws<ArgumentException>(() => new SecureLinearRegression(Columns(x, 0, 1), Columns(x, 1, 3), y[..9], 128, RandomBits.Seeded(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SecureLinearRegression(Columns(x, 0, 1), Columns(x, 1, 3), y, 128, RandomBits.Seeded(1), learningRate: 0));
        var slr = new SecureLinearRegression(Columns(x, 0, 1), Columns(x, 1, 3), y, 128, RandomBits.Seeded(1));
        Assert.Throws<ArgumentException>(() => slr.Predict(Columns(x, 0, 2), Columns(x, 1, 3)));
        Assert.Throws<InvalidOperationException>(() => slr.A.Update([], 64, 0.1));
    }
}

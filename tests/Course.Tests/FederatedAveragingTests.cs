using Course.Federated;

namespace Course.Tests;

/// <summary>
/// FedAvg: the weighted average of known weights, one round with full-batch local steps equal to one centralised
/// gradient step on the joined data (the FedSGD identity), and the client partitions (IID, Dirichlet label skew).
/// </summary>
public class FederatedAveragingTests
{
    [Fact]
    public void Average_weights_states_by_their_sample_counts()
    {
        using var target = nn.Linear(2, 1);
        using var w1 = tensor(new float[] { 1, 2 }, [1, 2]);
        using var b1 = tensor(new float[] { 3 });
        using var w2 = tensor(new float[] { 3, 6 }, [1, 2]);
        using var b2 = tensor(new float[] { -1 });
        FederatedAveraging.Average(target,
            [new Dictionary<string, Tensor> { ["weight"] = w1, ["bias"] = b1 }, new Dictionary<string, Tensor> { ["weight"] = w2, ["bias"] = b2 }],
            [1.0, 3.0]);
        // (1·[1, 2] + 3·[3, 6]) / 4 = [2.5, 5]; (1·3 + 3·(-1)) / 4 = 0
        Assert.Equal(new float[] { 2.5f, 5f }, target.weight.data<float>().ToArray());
        Assert.Equal(new float[] { 0f }, target.bias!.data<float>().ToArray());
        Assert.Throws<ArgumentException>(() => FederatedAveraging.Average(target, [new Dictionary<string, Tensor> { ["weight"] = w1, ["bias"] = b1 }], [0.0]));
        Assert.Throws<ArgumentException>(() => FederatedAveraging.Average(target, [], []));
    }

    [Fact]
    public void One_round_of_full_batch_local_steps_equals_a_centralised_gradient_step()
    {
        // with E = 1 and B ≥ n_k every client takes one step w - η ∇L_k(w); averaging with weights n_k / n gives
        // w - η Σ (n_k / n) ∇L_k(w) = w - η ∇L(w) for the mean loss L over the joined data
        manual_seed(3);
        using var x = randn(30, 4, dtype: ScalarType.Float64);
        using var y = randint(0, 3, [30]);
        var sizes = new[] { 5, 10, 15 };
        var clients = new List<TensorDataset>();
        int start = 0;
        foreach (int n in sizes)
        {
            clients.Add(new TensorDataset(x[start..(start + n)].clone(), y[start..(start + n)].clone()));
            start += n;
        }
        using var federated = nn.Linear(4, 3).to(ScalarType.Float64) as Linear;
        using var central = nn.Linear(4, 3).to(ScalarType.Float64) as Linear;
        central!.load_state_dict(federated!.state_dict());
        var fedavg = new FederatedAveraging(federated, clients, p => optim.SGD(p, learningRate: 0.5), localEpochs: 1, batchSize: 100, seed: 1);
        var round = fedavg.Round();
        Assert.Equal([0, 1, 2], round.Clients);
        using (var sgd = optim.SGD(central.parameters(), learningRate: 0.5))
        {
            sgd.zero_grad();
            using var loss = nn.functional.cross_entropy(central.forward(x), y);
            loss.backward();
            sgd.step();
        }
        using var dw = (federated.weight - central.weight).abs().max();
        using var db = (federated.bias! - central.bias!).abs().max();
        Assert.True(dw.item<double>() < 1e-14 && db.item<double>() < 1e-14, $"max differences {dw.item<double>():E2}, {db.item<double>():E2}");
        foreach (var c in clients) c.Dispose();
    }

    [Fact]
    public void Client_sampling_takes_the_requested_fraction()
    {
        using var x = randn(40, 2);
        using var y = randint(0, 2, [40]);
        var clients = Enumerable.Range(0, 10).Select(k => new TensorDataset(x[(4 * k)..(4 * k + 4)].clone(), y[(4 * k)..(4 * k + 4)].clone())).ToList();
        using var model = nn.Linear(2, 2);
        var fedavg = new FederatedAveraging(model, clients, p => optim.SGD(p, learningRate: 0.1), clientFraction: 0.3, seed: 4);
        Assert.Equal(3, fedavg.ClientsPerRound);
        var seen = new HashSet<int>();
        for (int r = 0; r < 8; r++)
        {
            var round = fedavg.Round();
            Assert.Equal(3, round.Clients.Count);
            Assert.Equal(3, round.Clients.Distinct().Count());
            seen.UnionWith(round.Clients);
        }
        Assert.True(seen.Count >= 8, $"8 rounds of 3 out of 10 clients reached only {seen.Count} clients");
        Assert.Throws<ArgumentOutOfRangeException>(() => new FederatedAveraging(model, clients, p => optim.SGD(p, learningRate: 0.1), clientFraction: 0));
        Assert.Throws<ArgumentException>(() => new FederatedAveraging(model, [], p => optim.SGD(p, learningRate: 0.1)));
        foreach (var c in clients) c.Dispose();
    }

    [Fact]
    public void Iid_and_Dirichlet_partitions_deal_every_sample_exactly_once()
    {
        var iid = ClientPartition.Iid(103, 10, 1);
        Assert.Equal(Enumerable.Range(0, 103).Select(i => (long)i), iid.SelectMany(s => s).Order());
        Assert.True(iid.Max(s => s.Length) - iid.Min(s => s.Length) <= 1);
        var labels = Enumerable.Range(0, 1000).Select(i => (long)(i % 10)).ToArray();
        foreach (double alpha in new[] { 0.05, 0.5, 100 })
        {
            var shares = ClientPartition.Dirichlet(labels, 8, alpha, 2);
            Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), shares.SelectMany(s => s).Order());
            Assert.Equal(shares.Select(s => s.Length), ClientPartition.Dirichlet(labels, 8, alpha, 2).Select(s => s.Length));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => ClientPartition.Dirichlet(labels, 8, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClientPartition.Iid(5, 10, 1));
    }

    [Theory]
    // the expected dominant-class share and its spread over seeds, from 1,000 partitions made the same way with
    // numpy's Generator.dirichlet (Debian's python3-numpy): α = 0.1: 0.6034 ± 0.0554; α = 1: 0.2742 ± 0.0229;
    // α = 1000: 0.1048 ± 0.0005. The mean of 40 seeds must lie within 4 standard errors.
    [InlineData(0.1, 0.6034, 0.0554)]
    [InlineData(1.0, 0.2742, 0.0229)]
    [InlineData(1000.0, 0.1048, 0.0005)]
    public void Label_skew_matches_numpy_Dirichlet_partitions(double alpha, double expected, double spread)
    {
        var labels = Enumerable.Range(0, 5000).Select(i => (long)(i % 10)).ToArray();
        double DominantShare(int seed)
        {
            var shares = ClientPartition.Dirichlet(labels, 10, alpha, seed);
            // the fraction of each client's samples in its most common class, averaged over the non-empty clients
            return shares.Where(s => s.Length > 0).Average(s => s.GroupBy(i => labels[i]).Max(g => g.Count()) / (double)s.Length);
        }
        double mean = Enumerable.Range(0, 40).Average(DominantShare);
        Assert.True(Math.Abs(mean - expected) < 4 * spread / Math.Sqrt(40), $"α = {alpha}: mean dominant share {mean:F4}, numpy {expected:F4} ± {spread:F4}");
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(1.0)]
    [InlineData(4.5)]
    public void Gamma_draws_have_the_right_mean_and_variance(double shape)
    {
        // Gamma(k, 1) has mean k and variance k; with N draws the sample mean's standard error is sqrt(k / N)
        var random = new SplitMix64(9);
        const int n = 200_000;
        var draws = Enumerable.Range(0, n).Select(_ => ClientPartition.Gamma(random, shape)).ToArray();
        double mean = draws.Average(), variance = draws.Sum(d => (d - mean) * (d - mean)) / (n - 1);
        Assert.True(Math.Abs(mean - shape) < 5 * Math.Sqrt(shape / n), $"mean {mean} vs {shape}");
        // the variance of the sample variance is (μ4 - σ⁴)/N with μ4 = 3k² + 6k for Gamma(k, 1)
        double sd = Math.Sqrt((3 * shape * shape + 6 * shape - shape * shape) / n);
        Assert.True(Math.Abs(variance - shape) < 5 * sd, $"variance {variance} vs {shape}");
        Assert.All(draws, d => Assert.True(d > 0));
    }
}

using System.Diagnostics;

namespace Course.Federated;

/// <summary>What one FedAvg round did: which clients trained, their mean local loss, the time it took.</summary>
public sealed record FederatedRound(int Round, IReadOnlyList<int> Clients, double LocalLoss, double Seconds);

/// <summary>
/// Federated averaging (McMahan et al., 2017), the server's loop of horizontal federated learning. Each round:
/// <list type="number">
/// <item>the server samples m = max(1, round(C K)) of the K clients and sends them the global weights w_t;</item>
/// <item>each sampled client k runs E local epochs of minibatch SGD on its own n_k samples, from w_t, giving w_k;</item>
/// <item>the server averages: w_{t+1} = Σ_k (n_k / n) w_k, n = Σ_k n_k over the sampled clients.</item>
/// </list>
/// Only weights travel; the clients' data stay in their <see cref="TensorDataset"/>s. One model object plays every
/// client in turn (a simulation of the clients, not separate machines).
/// </summary>
public sealed class FederatedAveraging
{
    private readonly torch.nn.Module<Tensor, Tensor> _model;
    private readonly IReadOnlyList<TensorDataset> _clients;
    private readonly Func<IEnumerable<Parameter>, optim.Optimizer> _optimizer;
    private readonly SplitMix64 _random;

    /// <param name="model">the global model; after each round it holds w_{t+1}.</param>
    /// <param name="clients">each client's local data.</param>
    /// <param name="optimizer">a fresh local optimizer per client and round (e.g. p => optim.SGD(p, learningRate: 0.05)).</param>
    /// <param name="localEpochs">E, local passes over a client's data per round.</param>
    /// <param name="batchSize">B, the local minibatch size.</param>
    /// <param name="clientFraction">C, the fraction of clients sampled per round.</param>
    /// <param name="seed">for client sampling and the local batch order.</param>
    public FederatedAveraging(torch.nn.Module<Tensor, Tensor> model, IReadOnlyList<TensorDataset> clients,
        Func<IEnumerable<Parameter>, optim.Optimizer> optimizer, int localEpochs = 1, int batchSize = 32, double clientFraction = 1.0, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (clients.Count == 0) throw new ArgumentException("federated learning needs at least one client.", nameof(clients));
        if (clients.Any(c => c.Count == 0)) throw new ArgumentException("a client has no samples; drop it or deal the data again.", nameof(clients));
        if (localEpochs < 1) throw new ArgumentOutOfRangeException(nameof(localEpochs), localEpochs, "at least one local epoch.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "a positive batch size.");
        if (!(clientFraction > 0 && clientFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(clientFraction), clientFraction, "C lies in (0, 1].");
        _model = model;
        _clients = clients;
        _optimizer = optimizer;
        LocalEpochs = localEpochs;
        BatchSize = batchSize;
        ClientFraction = clientFraction;
        _random = new SplitMix64(seed);
    }

    public int LocalEpochs { get; }
    public int BatchSize { get; }
    public double ClientFraction { get; }
    public int Rounds { get; private set; }

    /// <summary>Clients sampled per round, m = max(1, round(C K)).</summary>
    public int ClientsPerRound => Math.Max(1, (int)Math.Round(ClientFraction * _clients.Count));

    /// <summary>One communication round; the model then holds the new global weights.</summary>
    public FederatedRound Round()
    {
        var clock = Stopwatch.StartNew();
        Rounds++;
        var sampled = Shuffle.Permutation(_clients.Count, _random).Take(ClientsPerRound).Select(i => (int)i).OrderBy(i => i).ToArray();
        var global = Snapshot(_model);
        var locals = new List<Dictionary<string, Tensor>>();
        double lossSum = 0;
        try
        {
            foreach (int k in sampled)
            {
                _model.load_state_dict(global);
                using var optimizer = _optimizer(_model.parameters());
                var trainer = new Trainer(_model, optimizer);
                var loader = new DataLoader(_clients[k], BatchSize, shuffle: true, seed: (int)(_random.NextUInt64() >> 33));
                double loss = 0;
                for (int e = 0; e < LocalEpochs; e++) loss = trainer.TrainEpoch(loader);
                lossSum += loss;
                locals.Add(Snapshot(_model));
            }
            var weights = sampled.Select(k => (double)_clients[k].Count).ToArray();
            Average(_model, locals, weights);
        }
        finally
        {
            Dispose(global);
            foreach (var state in locals) Dispose(state);
        }
        return new FederatedRound(Rounds, sampled, lossSum / sampled.Length, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Loads Σ_k (weight_k / Σ weight) state_k into <paramref name="target"/>: every floating-point parameter and
    /// buffer is the weighted mean; other buffers (counters) take the first state's value.
    /// </summary>
    public static void Average(torch.nn.Module target, IReadOnlyList<IReadOnlyDictionary<string, Tensor>> states, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (states.Count == 0 || states.Count != weights.Count) throw new ArgumentException($"{states.Count} states and {weights.Count} weights: one positive weight per state.", nameof(weights));
        if (weights.Any(w => !(w > 0) || double.IsInfinity(w))) throw new ArgumentException("every weight must be positive and finite.", nameof(weights));
        double total = weights.Sum();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var averaged = new Dictionary<string, Tensor>();
        foreach (var (name, first) in states[0])
        {
            if (!first.is_floating_point()) { averaged[name] = first; continue; }
            var sum = torch.zeros_like(first);
            for (int k = 0; k < states.Count; k++) sum.add_(states[k][name], alpha: weights[k] / total);
            averaged[name] = sum;
        }
        target.load_state_dict(averaged);
    }

    private static Dictionary<string, Tensor> Snapshot(torch.nn.Module model)
    {
        using var noGrad = torch.no_grad();
        return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
    }

    private static void Dispose(Dictionary<string, Tensor> state)
    {
        foreach (var t in state.Values) t.Dispose();
    }
}

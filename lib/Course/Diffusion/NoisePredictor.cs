namespace Course.Diffusion;

/// <summary>
/// What a sampler asks of a trained model: ε̂ = ε_θ(x_t, t), the noise it believes is in x_t [B, …] at step t
/// (one int64 step per example, [B]). A conditional model is turned into one by binding its condition
/// (<see cref="ClassifierFreeGuidance"/>).
/// </summary>
public delegate Tensor NoisePredictor(Tensor xt, Tensor t);

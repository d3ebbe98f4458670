namespace Course.Diffusion;

/// <summary>
/// A model trained for classifier-free guidance: ε_θ(x_t, t, c) with a condition c [B, D], or with no condition
/// (null: the model's own "empty prompt", ∅).
/// </summary>
public delegate Tensor ConditionalNoisePredictor(Tensor xt, Tensor t, Tensor? condition);

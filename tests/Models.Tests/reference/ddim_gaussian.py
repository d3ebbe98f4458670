"""DDIM (eta = 0) written from Song, Meng and Ermon (2021) in numpy, as the oracle for DiffusionTests.
Data x0 ~ N(0.5, 0.09); its exact noise predictor E[eps | x_t] = sqrt(1 - ab) (x_t - sqrt(ab) mu) / (ab v + 1 - ab);
the linear schedule of Ho et al. (1e-4 .. 0.02, T = 1000). Prints the samples from x_T = linspace(-3, 3, 7)
with 10 and 50 evenly spaced steps (rounded like the library: T-1 .. 0)."""
import numpy as np

T = 1000
ab = np.cumprod(1 - np.linspace(1e-4, 0.02, T))
mu, v = 0.5, 0.09


def eps(x, t):
    return np.sqrt(1 - ab[t]) * (x - np.sqrt(ab[t]) * mu) / (ab[t] * v + 1 - ab[t])


def ddim(x, steps):
    taus = [int(round((T - 1) * (steps - 1 - i) / (steps - 1))) for i in range(steps)]
    for i, t in enumerate(taus):
        s = taus[i + 1] if i + 1 < len(taus) else -1
        ab_s = 1.0 if s < 0 else ab[s]
        e = eps(x, t)
        x0 = (x - np.sqrt(1 - ab[t]) * e) / np.sqrt(ab[t])
        x = np.sqrt(ab_s) * x0 + np.sqrt(1 - ab_s) * e
    return x


for steps in (10, 50):
    print(steps, ", ".join(repr(float(v)) for v in ddim(np.linspace(-3, 3, 7), steps)))

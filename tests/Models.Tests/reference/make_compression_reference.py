#!/usr/bin/python3
"""The reference values of the compression tests (Course.Compression), from PyTorch (python3-torch 1.13).

Run once from the repository root:  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tests/Models.Tests/reference/make_compression_reference.py
It writes compression.json next to itself:
- quantization: a float32 weight W (6 x 10, one row of zeros) and inputs x (4 x 10) and r (3 x 10, all >= 0). The scales
  follow the documented scheme (weights: max|row| / 127 in float32; activations: (max(x,0) - min(x,0)) / 255 in float32,
  zero point round(-min / s)), and PyTorch's own quantizers give the integers: torch.quantize_per_channel(W, s, 0, axis 0,
  qint8).int_repr() and torch.quantize_per_tensor(x, s_x, z_x, quint8).int_repr(). The dynamically quantized layer's
  output is then s_x s_o sum_i (q_x - z_x) q_W + b, the sum in torch's int64 arithmetic, the rest in float64, and
  rounded to float32.
- pruning: the masks of torch.nn.utils.prune.l1_unstructured, ln_structured (n = 1 and 2, dim 0) and
  global_unstructured (L1Unstructured) on a linear weight (8 x 5) and a convolution weight (6 x 3 x 3 x 3).
- distillation: alpha T^2 kl_div(log_softmax(z_s / T), softmax(z_t / T), reduction="batchmean") +
  (1 - alpha) cross_entropy(z_s, y) in float64, and its gradient with respect to z_s.
"""
import json, os
import numpy as np
import torch
import torch.nn.functional as F
import torch.nn.utils.prune as prune

here = os.path.dirname(os.path.abspath(__file__))
flat = lambda t: t.detach().reshape(-1).tolist()

# ---- quantization -----------------------------------------------------------------------------------------------
torch.manual_seed(3)
W = (torch.randn(6, 10) * 0.3).float()
W[2] = 0.0
b = (torch.randn(6) * 0.1).float()
x = torch.randn(4, 10).float() * 1.5 + 0.4
r = torch.relu(torch.randn(3, 10)).float()

amax = W.abs().amax(dim=1).numpy().astype(np.float32)
w_scales = np.where(amax == 0, np.float32(1), amax / np.float32(127)).astype(np.float32)
q_w = torch.quantize_per_channel(W, torch.from_numpy(w_scales).double(), torch.zeros(6, dtype=torch.long), 0, torch.qint8).int_repr()
assert q_w.abs().max().item() == 127 and q_w.min().item() >= -127


def activation_parameters(t):
    lo = np.float32(min(t.min().item(), 0.0))
    hi = np.float32(max(t.max().item(), 0.0))
    if lo == hi:
        return np.float32(1), 0
    s = np.float32((hi - lo) / np.float32(255))
    z = float(np.float32(-lo / s))
    return s, int(min(max(round(z), 0), 255))       # Python's round: ties to even


def layer_output(t):
    s, z = activation_parameters(t)
    q = torch.quantize_per_tensor(t, float(s), z, torch.quint8).int_repr()
    sums = (q.long() - z) @ q_w.long().T                                          # exact integer sums
    y = sums.double() * (torch.from_numpy(w_scales).double() * float(s)) + b.double()
    return s, z, q, y.float()


sx, zx, qx, yx = layer_output(x)
sr, zr, qr, yr = layer_output(r)
assert zr == 0

# ---- pruning ----------------------------------------------------------------------------------------------------
torch.manual_seed(5)
lin = torch.nn.Linear(5, 8)
conv = torch.nn.Conv2d(3, 6, 3)
lin_w, conv_w = lin.weight.detach().clone(), conv.weight.detach().clone()


def mask_of(module, method, **kw):
    m = torch.nn.Linear(1, 1) if isinstance(module, torch.nn.Linear) else torch.nn.Conv2d(1, 1, 1)
    m.weight = torch.nn.Parameter(module.weight.detach().clone())
    method(m, "weight", **kw)
    return flat(m.weight_mask)


pruning = {
    "linear_weight": flat(lin_w), "linear_shape": list(lin_w.shape),
    "conv_weight": flat(conv_w), "conv_shape": list(conv_w.shape),
    "l1_linear_0.3": mask_of(lin, prune.l1_unstructured, amount=0.3),
    "l1_linear_0.5": mask_of(lin, prune.l1_unstructured, amount=0.5),
    "l1_conv_0.7": mask_of(conv, prune.l1_unstructured, amount=0.7),
    "ln2_linear_0.25": mask_of(lin, prune.ln_structured, amount=0.25, n=2, dim=0),
    "ln1_linear_0.5": mask_of(lin, prune.ln_structured, amount=0.5, n=1, dim=0),
    "ln2_conv_0.5": mask_of(conv, prune.ln_structured, amount=0.5, n=2, dim=0),
    "ln1_conv_0.33": mask_of(conv, prune.ln_structured, amount=0.33, n=1, dim=0),
}
gl, gc = torch.nn.Linear(5, 8), torch.nn.Conv2d(3, 6, 3)
gl.weight = torch.nn.Parameter(lin_w.clone()); gc.weight = torch.nn.Parameter(conv_w.clone() * 0.5)
prune.global_unstructured([(gl, "weight"), (gc, "weight")], pruning_method=prune.L1Unstructured, amount=0.4)
pruning["global_conv_scale"] = 0.5
pruning["global_0.4_linear"] = flat(gl.weight_mask)
pruning["global_0.4_conv"] = flat(gc.weight_mask)

# ---- distillation -----------------------------------------------------------------------------------------------
torch.manual_seed(7)
z_s = torch.randn(5, 4, dtype=torch.float64, requires_grad=True)
z_t = torch.randn(5, 4, dtype=torch.float64) * 2
y = torch.tensor([0, 3, 1, 1, 2])
T, alpha = 3.0, 0.7
soft = T * T * F.kl_div(F.log_softmax(z_s / T, dim=1), F.softmax(z_t / T, dim=1), reduction="batchmean")
loss = alpha * soft + (1 - alpha) * F.cross_entropy(z_s, y)
loss.backward()

json.dump({
    "W": flat(W), "b": flat(b), "x": flat(x), "r": flat(r),
    "w_scales": w_scales.tolist(), "q_w": flat(q_w),
    "x_scale": float(sx), "x_zero_point": zx, "q_x": flat(qx), "y_x": flat(yx),
    "r_scale": float(sr), "r_zero_point": zr, "q_r": flat(qr), "y_r": flat(yr),
    "pruning": pruning,
    "student": flat(z_s), "teacher": flat(z_t), "labels": y.tolist(), "temperature": T, "alpha": alpha,
    "soft_loss": soft.item(), "loss": loss.item(), "grad_student": flat(z_s.grad),
}, open(os.path.join(here, "compression.json"), "w"), indent=1)

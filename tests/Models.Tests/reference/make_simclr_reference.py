#!/usr/bin/python3
"""Reference values for the SimCLR tests (python3-torch, python3-sklearn, numpy), in float64.

Run once from the repository root:  /usr/bin/python3 tests/Models.Tests/reference/make_simclr_reference.py
It writes simclr.json next to itself. Inputs are stored explicitly, so the tests do not depend on random generators
agreeing. Each oracle is written independently of the C# code:
  * nt_xent: PyTorch's cosine_similarity and logsumexp over the k != i terms, anchor by anchor, and its autograd gradients;
  * resized_crop: torch.nn.functional.affine_grid + grid_sample (bilinear, align_corners=False, padding "border");
  * blur: a 2-D convolution with the outer product of 1-D Gaussian kernels, divided by the same convolution of ones;
  * knn: sklearn.neighbors.KNeighborsClassifier(metric="cosine", algorithm="brute");
  * pca: numpy.linalg.eigh of the covariance matrix.
"""
import json, math, os
import numpy as np
import torch
import torch.nn.functional as F
from sklearn.neighbors import KNeighborsClassifier

here = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(3)
rng = np.random.default_rng(3)
flat = lambda t: (t.detach().reshape(-1).tolist() if torch.is_tensor(t) else np.asarray(t).reshape(-1).tolist())
out = {}

# ---- NT-Xent -----------------------------------------------------------------------------------------------------
N, D, tau = 5, 4, 0.3
z1 = torch.randn(N, D, dtype=torch.float64, requires_grad=True)
z2 = torch.randn(N, D, dtype=torch.float64, requires_grad=True)
z = torch.cat([z1, z2])
terms = []
for i in range(2 * N):
    p = i + N if i < N else i - N
    sims = torch.stack([F.cosine_similarity(z[i], z[k], dim=0) / tau for k in range(2 * N) if k != i])
    terms.append(torch.logsumexp(sims, 0) - F.cosine_similarity(z[i], z[p], dim=0) / tau)
loss = torch.stack(terms).mean()
loss.backward()
out.update(ntxent_sizes=[N, D], ntxent_tau=tau, ntxent_z1=flat(z1), ntxent_z2=flat(z2), ntxent_loss=loss.item(),
           ntxent_grad_z1=flat(z1.grad), ntxent_grad_z2=flat(z2.grad))

# ---- resized crop ------------------------------------------------------------------------------------------------
B, C, H, W = 4, 2, 7, 6
images = torch.rand(B, C, H, W, dtype=torch.float64)
boxes = torch.tensor([[0.0, 0.0, 7.0, 6.0],      # the whole image: identity
                      [1.5, 0.7, 3.2, 4.1],
                      [3.0, 2.0, 4.0, 4.0],
                      [0.2, 1.1, 5.5, 2.3]], dtype=torch.float64)
theta = torch.zeros(B, 2, 3, dtype=torch.float64)
for b, (top, left, h, w) in enumerate(boxes.tolist()):
    theta[b, 0, 0] = w / W
    theta[b, 0, 2] = (2 * left + w) / W - 1
    theta[b, 1, 1] = h / H
    theta[b, 1, 2] = (2 * top + h) / H - 1
grid = F.affine_grid(theta, [B, C, H, W], align_corners=False)
cropped = F.grid_sample(images, grid, mode="bilinear", padding_mode="border", align_corners=False)
out.update(crop_sizes=[B, C, H, W], crop_images=flat(images), crop_boxes=flat(boxes), crop_result=flat(cropped))

# ---- Gaussian blur -----------------------------------------------------------------------------------------------
sigmas = [0.5, 1.0, 2.0, 0.8]
blurred = []
for b, s in enumerate(sigmas):
    kh = torch.exp(-torch.arange(-(H - 1), H, dtype=torch.float64) ** 2 / (2 * s * s))
    kw = torch.exp(-torch.arange(-(W - 1), W, dtype=torch.float64) ** 2 / (2 * s * s))
    k = torch.outer(kh, kw).expand(C, 1, 2 * H - 1, 2 * W - 1)
    x = images[b:b + 1]
    num = F.conv2d(x, k, padding=(H - 1, W - 1), groups=C)
    den = F.conv2d(torch.ones_like(x), k, padding=(H - 1, W - 1), groups=C)
    blurred.append(num / den)
out.update(blur_sigmas=sigmas, blur_result=flat(torch.cat(blurred)))

# ---- k-NN --------------------------------------------------------------------------------------------------------
n_ref, n_query, dim, classes = 120, 40, 6, 4
ref = rng.standard_normal((n_ref, dim)) + np.repeat(rng.standard_normal((classes, dim)), n_ref // classes, axis=0)
ref_labels = np.repeat(np.arange(classes), n_ref // classes)
queries = rng.standard_normal((n_query, dim)) * 1.5
knn = {}
for k in (1, 4, 7):
    clf = KNeighborsClassifier(n_neighbors=k, metric="cosine", algorithm="brute").fit(ref, ref_labels)
    knn[str(k)] = clf.predict(queries).tolist()
    if k == 7:
        knn["neighbors7"] = clf.kneighbors(queries, return_distance=False).reshape(-1).tolist()
out.update(knn_sizes=[n_ref, n_query, dim, classes], knn_ref=flat(ref), knn_labels=ref_labels.tolist(),
           knn_queries=flat(queries), knn_predictions=knn)

# ---- PCA ---------------------------------------------------------------------------------------------------------
x = rng.standard_normal((50, 5)) @ np.diag([3.0, 2.0, 1.0, 0.5, 0.2]) @ np.linalg.qr(rng.standard_normal((5, 5)))[0]
xc = x - x.mean(0)
values, vectors = np.linalg.eigh(xc.T @ xc)
top = vectors[:, ::-1][:, :2]
top = top * np.sign(top[np.abs(top).argmax(0), [0, 1]])
out.update(pca_x=flat(x), pca_projection=flat(xc @ top))

json.dump(out, open(os.path.join(here, "simclr.json"), "w"))
print("wrote simclr.json")

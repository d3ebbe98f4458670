#!/usr/bin/python3
"""The reference values the masked-autoencoder tests compare against, from PyTorch (python3-torch), in float64.

Run once from the repository root:  /usr/bin/python3 tests/Models.Tests/reference/make_mae_reference.py
It writes mae.json next to itself: images, their patches as the MAE paper's code cuts them (einsum
'nchpwq->nhwpqc'), and, for a fixed noise, the kept tokens, the mask and ids_restore of its random masking. The
data are stored explicitly, so the tests do not depend on random generators agreeing.
"""
import json, os
import torch

here = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(11)
B, C, H, p = 2, 3, 8, 4
images = torch.randn(B, C, H, H, dtype=torch.float64)


def patchify(imgs, p):  # the MAE paper's code
    h = w = imgs.shape[2] // p
    x = imgs.reshape(imgs.shape[0], imgs.shape[1], h, p, w, p)
    x = torch.einsum('nchpwq->nhwpqc', x)
    return x.reshape(imgs.shape[0], h * w, p * p * imgs.shape[1])


def random_masking(x, mask_ratio, noise):  # the MAE paper's code, with the noise given
    N, L, D = x.shape
    len_keep = int(L * (1 - mask_ratio))
    ids_shuffle = torch.argsort(noise, dim=1)
    ids_restore = torch.argsort(ids_shuffle, dim=1)
    ids_keep = ids_shuffle[:, :len_keep]
    x_masked = torch.gather(x, dim=1, index=ids_keep.unsqueeze(-1).repeat(1, 1, D))
    mask = torch.ones([N, L], dtype=x.dtype)
    mask[:, :len_keep] = 0
    mask = torch.gather(mask, dim=1, index=ids_restore)
    return x_masked, mask, ids_restore


tokens = torch.randn(2, 49, 5, dtype=torch.float64)
noise = torch.rand(2, 49, dtype=torch.float64)
kept, mask, ids_restore = random_masking(tokens, 0.75, noise)

flat = lambda t: t.detach().reshape(-1).tolist()
json.dump({
    "images_shape": list(images.shape), "patch": p, "images": flat(images), "patches": flat(patchify(images, p)),
    "tokens": flat(tokens), "noise": flat(noise), "kept": flat(kept), "mask": flat(mask), "ids_restore": flat(ids_restore),
}, open(os.path.join(here, "mae.json"), "w"))

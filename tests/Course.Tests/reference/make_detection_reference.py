"""Reference values for the detection tests (tests/Course.Tests/DetectionTests.cs), written to detection.json.

Run with Debian's python3 (python3-torchvision 0.14.1, python3-numpy):
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 make_detection_reference.py > detection.json

* box_iou: torchvision.ops.box_iou in float64 on random boxes, some of zero area (x1 = x2 or y1 = y2), some far apart.
* nms: torchvision.ops.nms on random clustered boxes with distinct random scores, several IoU thresholds.
* soft_nms: a direct numpy transcription of Bodla et al.'s Algorithm 1 (linear: s *= 1 - IoU when IoU > Nt;
  Gaussian: s *= exp(-IoU^2 / sigma)); no library ships soft-NMS, so this is the independent oracle.
* ap: random ranked true/false flags; all-point AP by the VOC devkit's method (append sentinels, precision envelope
  from the right, sum over recall changes) and COCO's 101-point AP by COCOeval's method (envelope, searchsorted of the
  recall thresholds, left side), recall thresholds i/100.
"""
import json
import math

import numpy as np
import torch
import torchvision

torch.set_num_threads(1)


def random_boxes(rng, n, canvas=100.0, degenerate=0.0, far=0.0):
    x1 = rng.uniform(0, canvas, n)
    y1 = rng.uniform(0, canvas, n)
    w = rng.uniform(0, canvas / 3, n)
    h = rng.uniform(0, canvas / 3, n)
    zero = rng.uniform(0, 1, n) < degenerate
    w[zero & (rng.uniform(0, 1, n) < 0.5)] = 0.0
    h[zero] = np.where(w[zero] == 0.0, h[zero], 0.0)
    shift = rng.uniform(0, 1, n) < far
    x1[shift] += 1000.0
    return np.stack([x1, y1, x1 + w, y1 + h], axis=1)


def clustered_boxes(rng, n, clusters):
    centres = rng.uniform(10, 90, (clusters, 2))
    which = rng.integers(0, clusters, n)
    c = centres[which] + rng.normal(0, 3, (n, 2))
    wh = rng.uniform(8, 30, (n, 2))
    return np.concatenate([c - wh / 2, c + wh / 2], axis=1)


def iou_matrix(a, b):
    return torchvision.ops.box_iou(torch.tensor(a, dtype=torch.float64), torch.tensor(b, dtype=torch.float64)).numpy()


def soft_nms(boxes, scores, method, nt, sigma, threshold):
    s = scores.astype(np.float64).copy()
    remaining = [i for i in range(len(s)) if s[i] >= threshold]
    out = []
    while remaining:
        best = max(remaining, key=lambda i: (s[i], -i))
        out.append([best, float(s[best])])
        remaining.remove(best)
        for i in remaining:
            iou = float(iou_matrix(boxes[best:best + 1], boxes[i:i + 1])[0, 0])
            if method == "linear":
                if iou > nt:
                    s[i] *= 1 - iou
            else:
                s[i] *= math.exp(-iou * iou / sigma)
        remaining = [i for i in remaining if s[i] >= threshold]
    return out


def voc_all_point(tp, n_gt):
    tp = np.asarray(tp, dtype=np.float64)
    ctp = np.cumsum(tp)
    rec = ctp / n_gt
    prec = ctp / np.arange(1, len(tp) + 1)
    mrec = np.concatenate(([0.0], rec, [1.0]))
    mpre = np.concatenate(([0.0], prec, [0.0]))
    for i in range(len(mpre) - 2, -1, -1):
        mpre[i] = max(mpre[i], mpre[i + 1])
    i = np.where(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1]))


def coco_101(tp, n_gt):
    tp = np.asarray(tp, dtype=np.float64)
    ctp = np.cumsum(tp)
    rec = ctp / n_gt
    prec = list(ctp / np.arange(1, len(tp) + 1))
    for i in range(len(prec) - 1, 0, -1):
        if prec[i] > prec[i - 1]:
            prec[i - 1] = prec[i]
    thresholds = np.array([i / 100 for i in range(101)])
    inds = np.searchsorted(rec, thresholds, side="left")
    q = np.zeros(101)
    for ri, pi in enumerate(inds):
        if pi < len(prec):
            q[ri] = prec[pi]
    return float(np.mean(q))


def nan_to_none(m):
    return [[None if math.isnan(v) else float(v) for v in row] for row in m]


def main():
    rng = np.random.default_rng(2026)
    out = {"box_iou": [], "nms": [], "soft_nms": [], "ap": []}
    for case in range(20):
        a = random_boxes(rng, int(rng.integers(1, 12)), degenerate=0.25, far=0.2)
        b = random_boxes(rng, int(rng.integers(1, 12)), degenerate=0.25, far=0.2)
        if case == 0:   # two zero-area boxes at the same place: 0/0
            a[0] = [5.0, 5.0, 5.0, 9.0]
            b[0] = [5.0, 5.0, 5.0, 9.0]
        out["box_iou"].append({"a": a.tolist(), "b": b.tolist(), "iou": nan_to_none(iou_matrix(a, b))})
    for case in range(60):
        n = int(rng.integers(1, 80))
        boxes = clustered_boxes(rng, n, int(rng.integers(1, 6)))
        scores = rng.uniform(0, 1, n)
        t = float([0.3, 0.5, 0.7][case % 3])
        keep = torchvision.ops.nms(torch.tensor(boxes), torch.tensor(scores), t).tolist()
        out["nms"].append({"boxes": boxes.tolist(), "scores": scores.tolist(), "iou_threshold": t, "keep": keep})
    for case in range(12):
        n = int(rng.integers(1, 25))
        boxes = clustered_boxes(rng, n, int(rng.integers(1, 4)))
        scores = rng.uniform(0, 1, n)
        method = "linear" if case % 2 == 0 else "gaussian"
        nt, sigma, threshold = 0.3, 0.5, 0.05
        out["soft_nms"].append({"boxes": boxes.tolist(), "scores": scores.tolist(), "method": method, "iou_threshold": nt,
                                "sigma": sigma, "score_threshold": threshold,
                                "kept": soft_nms(boxes, scores, method, nt, sigma, threshold)})
    for case in range(30):
        n = int(rng.integers(1, 40))
        tp = (rng.uniform(0, 1, n) < rng.uniform(0.2, 0.9)).astype(int)
        n_gt = int(tp.sum() + rng.integers(0 if tp.sum() > 0 else 1, 6))
        out["ap"].append({"tp": tp.tolist(), "n_gt": n_gt, "all_point": voc_all_point(tp, n_gt), "coco_101": coco_101(tp, n_gt)})
    json.dump(out, __import__("sys").stdout, indent=1)


if __name__ == "__main__":
    main()

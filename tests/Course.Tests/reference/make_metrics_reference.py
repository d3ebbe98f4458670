#!/usr/bin/python3
"""Reference values for EvaluationMetricsTests (Debian's python3 with python3-sklearn, python3-scipy, python3-nltk).

  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 make_metrics_reference.py metrics_reference.json

Random inputs (numpy, fixed seeds) and what the oracles make of them:
  classification  labels of 2..6 classes: confusion matrix, accuracy, per-class and macro/micro/weighted
                  precision, recall, F1 (sklearn, labels = all classes, zero_division = 0)
  binary          scores and 0/1 labels (some with tied scores): roc_curve (drop_intermediate=False), roc_auc_score,
                  precision_recall_curve, average_precision_score, precision/recall/F1 at score >= 0.5 (sklearn),
                  calibration_curve of sigmoid(score) in 10 uniform bins with the bins' counts (sklearn, numpy)
  topk            scores [N, C] and targets: top_k_accuracy_score for k = 1..4 (sklearn)
  segmentation    pairs of masks: jaccard_score, precision_score, recall_score per class, accuracy (sklearn)
  fid             two feature sets: FID with scipy.linalg.sqrtm of C1 C2 (the usual pytorch-fid formula), numpy.cov
  inception       class probabilities: exp(mean KL(p(y|x) || p(y))) with scipy.stats.entropy
  bleu            token sentences with 1..3 references: nltk corpus_bleu, without smoothing and with
                  SmoothingFunction().method1 (epsilon 0.1); candidates have >= 4 tokens (see BleuTests)
"""
import json, sys, warnings
import numpy as np
import scipy.linalg, scipy.stats
from sklearn import metrics
from sklearn.calibration import calibration_curve
from nltk.translate.bleu_score import corpus_bleu, SmoothingFunction

warnings.filterwarnings("ignore")


def classification():
    cases = []
    for seed in range(40):
        rng = np.random.default_rng(seed)
        c = 2 + seed % 5
        n = int(rng.integers(20, 300))
        y = rng.integers(0, c, n)
        p = rng.integers(0, c, n)
        if seed % 2 == 0:  # a better-than-chance classifier
            keep = rng.random(n) < 0.6
            p = np.where(keep, y, p)
        if seed % 7 == 3:  # a class that is never predicted
            p = np.where(p == c - 1, 0, p)
        labels = list(range(c))
        case = {"seed": seed, "classes": c, "targets": y.tolist(), "predictions": p.tolist(),
                "confusion": metrics.confusion_matrix(y, p, labels=labels).tolist(),
                "accuracy": metrics.accuracy_score(y, p)}
        for avg in [None, "macro", "micro", "weighted"]:
            pr, rc, f1, _ = metrics.precision_recall_fscore_support(y, p, labels=labels, average=avg, zero_division=0)
            key = avg or "per_class"
            case[key] = {"precision": np.atleast_1d(pr).tolist(), "recall": np.atleast_1d(rc).tolist(), "f1": np.atleast_1d(f1).tolist()}
        cases.append(case)
    return cases


def binary():
    cases = []
    for seed in range(40):
        rng = np.random.default_rng(1000 + seed)
        n = int(rng.integers(30, 250))
        prevalence = [0.03, 0.1, 0.3, 0.5][seed % 4]
        y = (rng.random(n) < prevalence).astype(int)
        y[0], y[1] = 1, 0
        s = rng.normal(size=n) + 1.2 * y - 0.5
        if seed % 2 == 1:
            s = np.round(s, 1)  # ties
        fpr, tpr, thr = metrics.roc_curve(y, s, drop_intermediate=False)
        prec, rec, pthr = metrics.precision_recall_curve(y, s)
        pred = (s >= 0.5).astype(int)
        prob = 1 / (1 + np.exp(-s))
        true_frac, mean_pred = calibration_curve(y, prob, n_bins=10, strategy="uniform")
        bins = np.linspace(0.0, 1.0, 11)
        counts = np.bincount(np.searchsorted(bins[1:-1], prob), minlength=10)
        cases.append({"seed": seed, "targets": y.tolist(), "scores": s.tolist(),
                      "roc_fpr": fpr.tolist(), "roc_tpr": tpr.tolist(), "roc_thresholds": thr[1:].tolist(),
                      "roc_auc": metrics.roc_auc_score(y, s),
                      "pr_precision": prec.tolist(), "pr_recall": rec.tolist(), "pr_thresholds": pthr.tolist(),
                      "average_precision": metrics.average_precision_score(y, s),
                      "precision_at_half": metrics.precision_score(y, pred, zero_division=0),
                      "recall_at_half": metrics.recall_score(y, pred, zero_division=0),
                      "f1_at_half": metrics.f1_score(y, pred, zero_division=0),
                      "calibration_fraction_positive": true_frac.tolist(), "calibration_mean_predicted": mean_pred.tolist(),
                      "calibration_counts": counts.tolist()})
    return cases


def topk():
    cases = []
    for seed in range(20):
        rng = np.random.default_rng(2000 + seed)
        c = 3 + seed % 6
        n = int(rng.integers(20, 200))
        y = rng.integers(0, c, n)
        s = rng.normal(size=(n, c))
        s[np.arange(n), y] += 0.7
        cases.append({"seed": seed, "classes": c, "targets": y.tolist(), "scores": s.tolist(),
                      "top_k": {str(k): metrics.top_k_accuracy_score(y, s, k=k, labels=list(range(c))) for k in range(1, min(c, 5))}})
    return cases


def segmentation():
    cases = []
    for seed in range(12):
        rng = np.random.default_rng(3000 + seed)
        c = 2 + seed % 4
        h, w = int(rng.integers(4, 24)), int(rng.integers(4, 24))
        truth = rng.integers(0, c, (h, w))
        pred = np.where(rng.random((h, w)) < 0.7, truth, rng.integers(0, c, (h, w)))
        t, p, labels = truth.ravel(), pred.ravel(), list(range(c))
        cases.append({"seed": seed, "classes": c, "truth": truth.tolist(), "predicted": pred.tolist(),
                      "pixel_accuracy": metrics.accuracy_score(t, p),
                      "iou": metrics.jaccard_score(t, p, labels=labels, average=None, zero_division=0).tolist(),
                      "precision": metrics.precision_score(t, p, labels=labels, average=None, zero_division=0).tolist(),
                      "recall": metrics.recall_score(t, p, labels=labels, average=None, zero_division=0).tolist()})
    return cases


def fid_value(a, b):
    m1, m2 = a.mean(0), b.mean(0)
    c1, c2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean, _ = scipy.linalg.sqrtm(c1.dot(c2), disp=False)
    covmean = covmean.real
    return float(((m1 - m2) ** 2).sum() + np.trace(c1) + np.trace(c2) - 2 * np.trace(covmean))


def fid():
    cases = []
    for seed in range(6):
        rng = np.random.default_rng(4000 + seed)
        d = [2, 4, 8, 12, 16, 24][seed]
        n, m = int(rng.integers(3 * d, 6 * d)), int(rng.integers(3 * d, 6 * d))
        mix = rng.normal(size=(d, d))
        a = rng.normal(size=(n, d)) @ mix
        b = (rng.normal(size=(m, d)) * rng.uniform(0.5, 2, d)) @ mix + rng.normal(size=d) * 0.5
        cases.append({"seed": seed, "a": a.tolist(), "b": b.tolist(), "fid": fid_value(a, b), "fid_self": fid_value(a, a)})
    return cases


def inception():
    cases = []
    for seed in range(6):
        rng = np.random.default_rng(5000 + seed)
        n, c = int(rng.integers(5, 80)), 2 + seed
        logits = rng.normal(size=(n, c)) * (1 + seed)
        p = np.exp(logits - logits.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        marginal = p.mean(0)
        kl = np.array([scipy.stats.entropy(p[i], marginal) for i in range(n)])
        cases.append({"seed": seed, "probabilities": p.tolist(), "score": float(np.exp(kl.mean())),
                      "marginal_entropy": float(scipy.stats.entropy(marginal)),
                      "conditional_entropy": float(np.mean([scipy.stats.entropy(p[i]) for i in range(n)]))})
    return cases


def bleu():
    cases = []
    vocab = "the a cat dog sat on mat rug and".split()
    for seed in range(16):
        rng = np.random.default_rng(6000 + seed)
        size = len(vocab) if seed % 2 == 0 else 5
        candidates, references = [], []
        for _ in range(int(rng.integers(1, 6))):
            ref0 = [vocab[i] for i in rng.integers(0, size, int(rng.integers(4, 14)))]
            refs = [ref0] + [[vocab[i] for i in rng.integers(0, size, int(rng.integers(4, 14)))] for _ in range(int(rng.integers(0, 3)))]
            cand = [w if rng.random() < 0.7 else vocab[int(rng.integers(0, size))] for w in ref0]
            cand = cand[:max(4, len(cand) - int(rng.integers(0, 4)))] if seed % 3 == 0 else cand + (cand[:int(rng.integers(0, 3))] if seed % 3 == 1 else [])
            candidates.append(cand)
            references.append(refs)
        cases.append({"seed": seed, "candidates": candidates, "references": references,
                      "bleu": corpus_bleu(references, candidates),
                      "bleu_bigram": corpus_bleu(references, candidates, weights=(0.5, 0.5)),
                      "bleu_method1": corpus_bleu(references, candidates, smoothing_function=SmoothingFunction().method1)})
    return cases


if __name__ == "__main__":
    out = {"classification": classification(), "binary": binary(), "topk": topk(), "segmentation": segmentation(),
           "fid": fid(), "inception": inception(), "bleu": bleu()}
    with open(sys.argv[1], "w") as f:
        json.dump(out, f)

"""Oracle of the evaluation and tuning tests (EvaluationTests, PowerLawTests), run by Debian's python3 with
scikit-learn and numpy: reads a JSON file of cases, prints JSON answers.

- "kfold": for each {labels, k}, scikit-learn's KFold(k) test-fold sizes and StratifiedKFold(k) per-fold counts of
  each label ({label: count} per fold, in fold order);
- "powerlaw": for each {x: [[x1, x2, ...], ...], y: [...]}, numpy's least-squares fit of log y on the log x's
  (numpy.polyfit for one variable, numpy.linalg.lstsq for more): [intercept, slope1, slope2, ...]."""
import json
import sys
import warnings

import numpy as np
from sklearn.model_selection import KFold, StratifiedKFold

warnings.simplefilter("ignore")  # StratifiedKFold warns when a class has fewer members than folds


def kfold(case):
    labels = np.array(case["labels"])
    k = case["k"]
    sizes = [len(test) for _, test in KFold(n_splits=k).split(labels)]
    per_class = []
    for _, test in StratifiedKFold(n_splits=k).split(np.zeros(len(labels)), labels):
        values, counts = np.unique(labels[test], return_counts=True)
        per_class.append({str(int(v)): int(c) for v, c in zip(values, counts)})
    return {"sizes": sizes, "per_class": per_class}


def powerlaw(case):
    x = np.log(np.array(case["x"], dtype=np.float64))
    y = np.log(np.array(case["y"], dtype=np.float64))
    if x.shape[1] == 1:
        slope, intercept = np.polyfit(x[:, 0], y, 1)
        return [float(intercept), float(slope)]
    design = np.hstack([np.ones((x.shape[0], 1)), x])
    coefficients, *_ = np.linalg.lstsq(design, y, rcond=None)
    return [float(c) for c in coefficients]


def main():
    cases = json.load(open(sys.argv[1]))
    out = {
        "kfold": [kfold(c) for c in cases.get("kfold", [])],
        "powerlaw": [powerlaw(c) for c in cases.get("powerlaw", [])],
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()

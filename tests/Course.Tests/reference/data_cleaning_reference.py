"""Oracles for the data-cleaning tests (tests/Course.Tests/DataCleaning*Tests.cs), run by Debian's /usr/bin/python3.

  data_cleaning_reference.py shrink IN.json OUT.json   exact area averaging of float images, by numpy: each pixel
                                                       repeated rows x columns times, then block means
  data_cleaning_reference.py jaccard IN.json OUT.json  exact Jaccard of character k-shingles of NFKC-lower-cased,
                                                       white-space-folded texts, for the given index pairs
"""
import json
import sys
import unicodedata

import numpy as np


def shrink(spec):
    out = []
    for case in spec:
        h, w, rows, columns = case["height"], case["width"], case["rows"], case["columns"]
        image = np.array(case["pixels"], dtype=np.float64).reshape(h, w)
        # on the grid refined rows x columns times, every output cell is a whole block of h x w fine pixels
        fine = image.repeat(rows, axis=0).repeat(columns, axis=1)
        small = fine.reshape(rows, h, columns, w).mean(axis=(1, 3))
        out.append(small.ravel().tolist())
    return out


def normalize(text):
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def shingles(text, k):
    if len(text) <= k:
        return {text}
    return {text[i:i + k] for i in range(len(text) - k + 1)}


def jaccard(spec):
    sets = [shingles(normalize(t), spec["k"]) for t in spec["texts"]]
    return [len(sets[i] & sets[j]) / len(sets[i] | sets[j]) for i, j in spec["pairs"]]


if __name__ == "__main__":
    mode, source, target = sys.argv[1:4]
    with open(source, encoding="utf-8") as f:
        spec = json.load(f)
    result = {"shrink": shrink, "jaccard": jaccard}[mode](spec)
    with open(target, "w", encoding="utf-8") as f:
        json.dump(result, f)

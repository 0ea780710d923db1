"""Shared by the validation scripts: reading `gaitpop replay --json` output and one-to-one event matching."""
import json

import numpy as np


def json_lines(text):
    """The JSON objects of replay output, in order; other lines (warnings, progress) are skipped."""
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict):
            yield obj


def match(det, ref, tol):
    """One-to-one matching: all (det, ref) pairs within tol, accepted greedily by increasing |error|."""
    det = np.asarray(det, float)
    ref = np.asarray(ref, float)
    if len(det) == 0 or len(ref) == 0:
        return []
    err = np.abs(det[:, None] - ref[None, :])
    cand = np.argwhere(err <= tol)
    cand = cand[np.argsort(err[cand[:, 0], cand[:, 1]], kind="stable")]
    used_d, used_r, pairs = set(), set(), []
    for i, j in cand:
        if i not in used_d and j not in used_r:
            used_d.add(i)
            used_r.add(j)
            pairs.append((int(i), int(j)))
    return pairs

#!/usr/bin/env python3
"""Where do gaitpop's contacts go wrong on the real lab data? Per trial and per reference walking bout, every
reference IC and every detection inside the bout (±0.05 s, as validate_gait.py counts them), matched one-to-one at
±0.1 s (then ±0.25 s), with:

* status: ok (matched ±0.1 s), late/early (matched only at ±0.25 s), MISS (reference IC without a detection),
  FALSE (detection without a reference IC);
* the side of each and whether it agrees;
* where in the bout it lies (s from the bout start / to its end) and whether the trunk is turning (|yaw rate|
  low-passed at 0.5 s, °/s, from the IMU: > 30 °/s = turning);
* the reference IC interval before it (the reference itself skips steps in slalom bouts: gaps ≫ a step).

Both engines: the streaming one (`gaitpop replay --json`, what validate_gait.py scores) and the batch one
(`gaitpop report --csv`, what reports use). A diagnosis aid, not a validation: it prints, it asserts nothing.

    python3 scripts/diagnose_gait_real.py [--gaitpop .build/release/gaitpop] [--trial Test11] [--engine both]
"""
from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from evallib import match  # noqa: E402
import validate_gait as vg  # noqa: E402


def yaw_rate(csv_path, fs):
    acc, gyr = vg.load_csv(csv_path)
    g = acc.mean(axis=0)
    up = g / np.linalg.norm(g)
    yaw = gyr @ up
    w = max(1, int(0.5 * fs))
    return np.convolve(yaw, np.ones(w) / w, mode="same")


def batch_steps(gaitpop, session, tmp):
    out = os.path.join(tmp, "csv")
    subprocess.run([gaitpop, "report", session, "--csv", out, "--no-history"], capture_output=True, check=True)
    ic, side, fc = [], [], []
    with open(os.path.join(out, "steps.csv")) as f:
        for row in csv.DictReader(f):
            ic.append(float(row["ic_seconds"]))
            side.append(row["side"] if row["side"] in ("left", "right") else None)
            fc.append(float(row["opposite_fc_seconds"]) if row["opposite_fc_seconds"] else None)
    return ic, side, fc


def describe(tid, ref, ic, side, yaw, fs, verbose):
    ic, side = np.asarray(ic, float), list(side)
    tot = dict(miss=0, false=0, loose=0, lr_bad=0, n=0)
    for w, (w0, w1) in enumerate(ref["wbs"]):
        m = [i for i in range(len(ic)) if w0 - vg.BOUT_MARGIN <= ic[i] <= w1 + vg.BOUT_MARGIN]
        det = ic[m]
        rics = [c for c in ref["ics"] if c[2] == w]
        rt = np.array([c[0] for c in rics])
        tight = dict(match(det, rt, vg.TOL_TIGHT))
        loose = dict(match(det, rt, vg.TOL_LOOSE))
        rows = []
        for j, (t, s, _) in enumerate(rics):
            di = [i for i, jj in loose.items() if jj == j]
            yw = yaw[min(len(yaw) - 1, int(t * fs))]
            gap = t - rics[j - 1][0] if j > 0 else float("nan")
            if di:
                i = di[0]
                st = "ok" if tight.get(i) == j else ("late" if det[i] > t else "early")
                ds = side[m[i]]
                lr = "" if ds is None or ds == s else "  L/R WRONG"
                tot["lr_bad"] += int(bool(lr))
                tot["loose"] += int(st != "ok")
                rows.append((t, f"ref {t:7.2f} {s:5s} det {det[i]:7.2f} {str(ds):5s} {1000*(det[i]-t):+5.0f} ms {st:5s}"
                                f" gap {gap:4.2f} yaw {yw:+5.0f}{lr}"))
            else:
                tot["miss"] += 1
                rows.append((t, f"ref {t:7.2f} {s:5s} MISS                       gap {gap:4.2f} yaw {yw:+5.0f}"))
        for i in range(len(det)):
            if i not in loose:
                tot["false"] += 1
                yw = yaw[min(len(yaw) - 1, int(det[i] * fs))]
                rows.append((det[i], f"                 det {det[i]:7.2f} {str(side[m[i]]):5s} FALSE"
                                     f"                 yaw {yw:+5.0f}"))
        tot["n"] += len(rics)
        if verbose:
            print(f"  bout {w}: {w0:.2f}–{w1:.2f} s ({w1 - w0:.1f} s), {len(rics)} ref ICs, {len(det)} detections, "
                  f"ref cadence {ref['wb_cad'][w]}, det cadence {vg.bout_cadence(det)}")
            for _, r in sorted(rows):
                print("    " + r)
    print(f"  {tid}: ref ICs {tot['n']}, missed {tot['miss']}, false {tot['false']}, only ±0.25 s {tot['loose']}, "
          f"L/R wrong {tot['lr_bad']}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gaitpop", default=".build/release/gaitpop")
    ap.add_argument("--data", default=os.path.normpath(os.path.join(vg.REPO, "..", "shared", "datasets", "lowerback-lab")))
    ap.add_argument("--ref", default="stereophoto")
    ap.add_argument("--trial", default="", help="only trials whose id contains this")
    ap.add_argument("--engine", choices=["streaming", "batch", "both"], default="both")
    ap.add_argument("--quiet", action="store_true", help="totals only")
    a = ap.parse_args()
    for tr in vg.load_index(a.data):
        tid = tr.get("trial_id", tr["csv"])
        if a.trial not in tid:
            continue
        ref = vg.load_reference(os.path.join(a.data, tr["reference"]), a.ref)
        yaw = yaw_rate(os.path.join(a.data, tr["csv"]), ref["fs"])
        with tempfile.TemporaryDirectory() as tmp:
            session = os.path.join(tmp, "s.gpsession")
            subprocess.run([a.gaitpop, "import", "--imu", os.path.join(a.data, tr["csv"]), "--out", session],
                           capture_output=True, check=True)
            if a.engine in ("streaming", "both"):
                print(f"== {tid} streaming (replay)")
                ic, side, _, _ = vg.replay(a.gaitpop, session, 120, tid)
                describe(tid, ref, ic, side, yaw, ref["fs"], not a.quiet)
            if a.engine in ("batch", "both"):
                print(f"== {tid} batch (report)")
                ic, side, _ = batch_steps(a.gaitpop, session, tmp)
                describe(tid, ref, ic, side, yaw, ref["fs"], not a.quiet)


if __name__ == "__main__":
    main()

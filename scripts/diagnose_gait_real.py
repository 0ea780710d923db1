#!/usr/bin/env python3
"""Where do gaitpop's contacts go wrong on the real lab data? Per trial and per reference walking bout, every
reference IC and every detection inside the bout (±0.05 s, as validate_gait.py counts them), matched one-to-one at
±0.1 s (then ±0.25 s), with:

* status: ok (matched ±0.1 s), late/early (matched only at ±0.25 s), MISS (reference IC without a detection),
  FALSE (detection without a reference IC);
* the side of each and whether it agrees;
* where in the bout it lies (s from the bout start / to its end) and whether the trunk is turning (|yaw rate|
  low-passed at 0.5 s, °/s, from the IMU: > 30 °/s = turning);
* the reference IC interval before it (the reference itself skips steps in slalom bouts: gaps ≫ a step);
* for every MISS and FALSE (and ±0.25 s-only match): the time to the nearest turn (|yaw| > 30 °/s, + = after it
  ends, − = before it starts, 0 = inside), the peak |yaw| of that turn, the attitude lag (angle between the 1.5 s
  averaged up vector the detector uses and a gyroscope-carried one: > 20° means the trunk pitched or rolled faster
  than the average follows and a_v is distorted), whether the other reference system (`--other-ref`) has an IC
  within ±0.1 s, and for a FALSE whether it lies in a reference gap (interval > 1.5 × the bout's median reference
  step: the reference skipped a step there);
* per trial, the validation's own counts at ±0.1 s (TP, FP, FN, F1) and how many misses/false contacts lie in or
  within 1 s of a turn.

Both engines: the streaming one (`gaitpop replay --json`, what validate_gait.py scores) and the batch one
(`gaitpop report --csv`, what reports use). A diagnosis aid, not a validation: it prints, it asserts nothing.

    python3 scripts/diagnose_gait_real.py [--gaitpop .build/release/gaitpop] [--trial Test11] [--engine both]
    python3 scripts/diagnose_gait_real.py --ref indip --other-ref stereophoto --engine streaming   # issue 11 INDIP
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


def attitude_lag(csv_path, fs, tau=1.5):
    """Degrees between the detector's up vector (ema(acc, 1.5 s), docs/GAIT.md §3) and the same estimate carried
    along with the gyroscope between samples (dĝ/dt = −ω × ĝ, then the same EMA step): large when the trunk pitches or
    rolls faster than a 1.5 s average follows."""
    acc, gyr = vg.load_csv(csv_path)
    a = 1 - np.exp(-1 / (tau * fs))
    w = np.radians(gyr) / fs
    e, c = acc[0].copy(), acc[0].copy()
    out = np.zeros(len(acc))
    for i in range(1, len(acc)):
        e += a * (acc[i] - e)
        c -= np.cross(w[i], c)
        c += a * (acc[i] - c)
        cosang = e @ c / (np.linalg.norm(e) * np.linalg.norm(c) + 1e-12)
        out[i] = np.degrees(np.arccos(min(1.0, max(-1.0, cosang))))
    return out


def turns(yaw, fs, thr=30.0):
    """Turns as (start_s, end_s, peak |yaw| °/s): runs of |yaw| (0.5 s mean) above thr °/s."""
    on = np.abs(yaw) > thr
    out, i = [], 0
    while i < len(on):
        if on[i]:
            j = i
            while j < len(on) and on[j]:
                j += 1
            out.append((i / fs, j / fs, float(np.abs(yaw[i:j]).max())))
            i = j
        else:
            i += 1
    return out


def turn_context(t, trn):
    """(signed seconds to the nearest turn: 0 inside, − before it starts, + after it ends; its peak |yaw|)."""
    best = (float("inf"), float("nan"))
    for a, b, pk in trn:
        d = 0.0 if a <= t <= b else (t - b if t > b else t - a)
        if abs(d) < abs(best[0]):
            best = (d, pk)
    return best


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


def describe(tid, ref, ic, side, yaw, fs, verbose, lag=None, other=None, trn=()):
    ic, side = np.asarray(ic, float), list(side)
    tot = dict(miss=0, false=0, loose=0, lr_bad=0, n=0, tp10=0, nd=0, near_turn=0, lagged=0, other_has=0,
               ref_gap=0)
    other_ics = np.array([c[0] for c in other["ics"]]) if other else np.array([])

    def context(t, false=False, rt=None, med=None):
        d, pk = turn_context(t, trn)
        near = abs(d) <= 1.0
        lg = lag[min(len(lag) - 1, int(t * fs))] if lag is not None else float("nan")
        txt = f"  turn {d:+5.1f} s ({pk:3.0f}°/s)" if np.isfinite(d) else "  no turn"
        txt += f"  lag {lg:3.0f}°"
        oh = None
        if other is not None:
            oh = bool(len(other_ics)) and bool(np.min(np.abs(other_ics - t)) <= vg.TOL_TIGHT)
            in_bout = any(w0 - vg.BOUT_MARGIN <= t <= w1 + vg.BOUT_MARGIN for w0, w1 in other["wbs"])
            txt += "  other ref: " + ("has it" if oh else ("none" if in_bout else "not a bout there"))
        gap = False
        if false and rt is not None and len(rt) >= 2 and med:
            before, after = rt[rt <= t], rt[rt > t]
            if len(before) and len(after):
                gap = after[0] - before[-1] > 1.5 * med
            txt += "  IN REF GAP" if gap else ""
        return txt, near, lg > 20, oh, gap

    for w, (w0, w1) in enumerate(ref["wbs"]):
        m = [i for i in range(len(ic)) if w0 - vg.BOUT_MARGIN <= ic[i] <= w1 + vg.BOUT_MARGIN]
        det = ic[m]
        rics = [c for c in ref["ics"] if c[2] == w]
        rt = np.array([c[0] for c in rics])
        med = float(np.median(np.diff(rt))) if len(rt) >= 2 else None
        tight = dict(match(det, rt, vg.TOL_TIGHT))
        loose = dict(match(det, rt, vg.TOL_LOOSE))
        tot["tp10"] += len(tight)
        tot["nd"] += len(det)
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
                ctx = context(t)[0] if st != "ok" else ""
                rows.append((t, f"ref {t:7.2f} {s:5s} det {det[i]:7.2f} {str(ds):5s} {1000*(det[i]-t):+5.0f} ms {st:5s}"
                                f" gap {gap:4.2f} yaw {yw:+5.0f}{lr}{ctx}"))
            else:
                tot["miss"] += 1
                ctx, near, lagged, oh, _ = context(t)
                tot["near_turn"] += int(near)
                tot["lagged"] += int(lagged)
                tot["other_has"] += int(bool(oh))
                rows.append((t, f"ref {t:7.2f} {s:5s} MISS                       gap {gap:4.2f} yaw {yw:+5.0f}{ctx}"))
        for i in range(len(det)):
            if i not in loose:
                tot["false"] += 1
                yw = yaw[min(len(yaw) - 1, int(det[i] * fs))]
                ctx, near, lagged, oh, rgap = context(det[i], false=True, rt=rt, med=med)
                tot["near_turn"] += int(near)
                tot["lagged"] += int(lagged)
                tot["other_has"] += int(bool(oh))
                tot["ref_gap"] += int(rgap)
                rows.append((det[i], f"                 det {det[i]:7.2f} {str(side[m[i]]):5s} FALSE"
                                     f"                 yaw {yw:+5.0f}{ctx}"))
        tot["n"] += len(rics)
        if verbose:
            print(f"  bout {w}: {w0:.2f}–{w1:.2f} s ({w1 - w0:.1f} s), {len(rics)} ref ICs, {len(det)} detections, "
                  f"ref cadence {ref['wb_cad'][w]}, det cadence {vg.bout_cadence(det)}")
            for _, r in sorted(rows):
                print("    " + r)
    tp, fp, fn = tot["tp10"], tot["nd"] - tot["tp10"], tot["n"] - tot["tp10"]
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
    print(f"  {tid}: ref ICs {tot['n']}, missed {tot['miss']}, false {tot['false']}, only ±0.25 s {tot['loose']}, "
          f"L/R wrong {tot['lr_bad']}")
    print(f"  {tid}: at ±0.1 s TP {tp} FP {fp} FN {fn} F1 {f1:.3f}; of the {tot['miss']} missed + {tot['false']} false: "
          f"{tot['near_turn']} within 1 s of a turn, {tot['lagged']} with attitude lag > 20°"
          + (f", {tot['other_has']} where the other reference has an IC ±0.1 s" if other is not None else "")
          + f", {tot['ref_gap']} false in a reference gap")
    return dict(tp=tp, fp=fp, fn=fn)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gaitpop", default=".build/release/gaitpop")
    ap.add_argument("--data", default=os.path.normpath(os.path.join(vg.REPO, "..", "shared", "datasets", "lowerback-lab")))
    ap.add_argument("--ref", default="stereophoto")
    ap.add_argument("--other-ref", default=None, help="the second reference system to cross-check misses/false "
                    "contacts against (e.g. stereophoto when --ref indip)")
    ap.add_argument("--shift", type=float, default=-0.01, help="seconds added to reference IC times, as "
                    "validate_gait.py (default −0.01: onto the CSV clock)")
    ap.add_argument("--trial", default="", help="only trials whose id contains this")
    ap.add_argument("--engine", choices=["streaming", "batch", "both"], default="both")
    ap.add_argument("--quiet", action="store_true", help="totals only")
    a = ap.parse_args()
    pooled = {}
    for tr in vg.load_index(a.data):
        tid = tr.get("trial_id", tr["csv"])
        if a.trial not in tid:
            continue
        ref = vg.load_reference(os.path.join(a.data, tr["reference"]), a.ref)
        other = vg.load_reference(os.path.join(a.data, tr["reference"]), a.other_ref) if a.other_ref else None
        for r in (ref, other):
            if r is not None:
                r["ics"] = [(t + a.shift, sd, w) for t, sd, w in r["ics"]]
        csv_path = os.path.join(a.data, tr["csv"])
        yaw = yaw_rate(csv_path, ref["fs"])
        lag = attitude_lag(csv_path, ref["fs"])
        trn = turns(yaw, ref["fs"])
        with tempfile.TemporaryDirectory() as tmp:
            session = os.path.join(tmp, "s.gpsession")
            subprocess.run([a.gaitpop, "import", "--imu", csv_path, "--out", session],
                           capture_output=True, check=True)
            if a.engine in ("streaming", "both"):
                print(f"== {tid} streaming (replay)")
                ic, side, _, _ = vg.replay(a.gaitpop, session, 120, tid)
                c = describe(tid, ref, ic, side, yaw, ref["fs"], not a.quiet, lag, other, trn)
                pooled.setdefault("streaming", []).append(c)
            if a.engine in ("batch", "both"):
                print(f"== {tid} batch (report)")
                ic, side, _ = batch_steps(a.gaitpop, session, tmp)
                c = describe(tid, ref, ic, side, yaw, ref["fs"], not a.quiet, lag, other, trn)
                pooled.setdefault("batch", []).append(c)
    for engine, cs in pooled.items():
        tp, fp, fn = (sum(c[k] for c in cs) for k in ("tp", "fp", "fn"))
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
        print(f"POOLED {engine} vs {a.ref}: TP {tp} FP {fp} FN {fn} F1 {f1:.3f} (the validation's ±0.1 s counting)")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""How much of the cadence error is definition: the reference's OWN initial contacts scored with the validator's
cadence (60·(n−1)/(t_last − t_first) per reference bout) against the reference's `cadence_spm` — the error a perfect
detector would get — next to the mean of per-step cadences 60/Δt.

    python3 scripts/diagnose_gait_cadence.py [--data DIR]
"""
import argparse, os, sys
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import validate_gait as vg


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.normpath(os.path.join(vg.REPO, "..", "shared", "datasets", "lowerback-lab")))
    a = ap.parse_args()
    for system in ("stereophoto", "indip"):
        span_err, step_err = [], []
        for tr in vg.load_index(a.data):
            ref = vg.load_reference(os.path.join(a.data, tr["reference"]), system)
            for w, cad in enumerate(ref["wb_cad"]):
                t = np.array(sorted(c[0] for c in ref["ics"] if c[2] == w))
                if cad is None or len(t) < 2:
                    continue
                span = 60 * (len(t) - 1) / (t[-1] - t[0])
                per_step = float(np.mean(60 / np.diff(t)))
                span_err.append(abs(span - cad)); step_err.append(abs(per_step - cad))
                print(f"{system:11s} {tr.get('trial_id', tr['csv']):22s} bout {w}: reference {cad:6.2f}  "
                      f"60(n-1)/span {span:6.2f}  mean 60/dt {per_step:6.2f}")
        print(f"{system}: mean |error| of the reference's own ICs, validator's definition {np.mean(span_err):.2f} spm, "
              f"mean of 60/dt {np.mean(step_err):.2f} spm ({len(span_err)} bouts)\n")


if __name__ == "__main__":
    main()

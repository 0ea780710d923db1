#!/usr/bin/env python3
"""How much of the cadence error is definition: the reference's OWN initial contacts (a perfect detector) scored per
reference bout with each cadence definition against the reference's stored `cadence_spm`:
  * span: 60·(n−1)/(t_last − t_first), the validator's first definition;
  * mean 60/Δt of the steps;
  * mobgap's per-second cadence (CadFromIc, scripts/cadence_per_second.py), averaged over the bout;
  * mean 120/stride time over IC k → k + 2 (the one that reproduces the stored figure).

    python3 scripts/diagnose_gait_cadence.py [--data DIR]
"""
import argparse, os, sys
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import validate_gait as vg
import cadence_per_second as cps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.normpath(os.path.join(vg.REPO, "..", "shared", "datasets", "lowerback-lab")))
    a = ap.parse_args()
    names = ("span", "mean 60/dt", "mobgap/s", "120/stride")
    for system in ("stereophoto", "indip"):
        errs = {n: [] for n in names}
        for tr in vg.load_index(a.data):
            ref = vg.load_reference(os.path.join(a.data, tr["reference"]), system)
            for w, cad in enumerate(ref["wb_cad"]):
                t = np.array(sorted(c[0] for c in ref["ics"] if c[2] == w))
                if cad is None or len(t) < 3:
                    continue
                w0, w1 = ref["wbs"][w]
                vals = dict(zip(names, (60 * (len(t) - 1) / (t[-1] - t[0]), float(np.mean(60 / np.diff(t))),
                                        cps.bout_cadence(t, w0, w1), cps.stride_mean_cadence(t))))
                for n in names:
                    errs[n].append(abs(vals[n] - cad))
                print(f"{system:11s} {tr.get('trial_id', tr['csv']):22s} bout {w}: reference {cad:6.2f}  "
                      + "  ".join(f"{n} {vals[n]:6.2f}" for n in names))
        print(f"{system}: mean |error| of the reference's own ICs against its cadence_spm ({len(errs['span'])} bouts): "
              + ", ".join(f"{n} {np.mean(errs[n]):.2f}" for n in names) + " spm\n")


if __name__ == "__main__":
    main()

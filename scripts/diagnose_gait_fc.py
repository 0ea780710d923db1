#!/usr/bin/env python3
"""Final-contact (toe-off) timing per side on the simulator, both engines.

For each detected IC matched (±0.1 s) to a truth IC i of side S, gaitpop's `fc` is the toe-off of the OPPOSITE foot
after that IC, i.e. the truth FC of the previous truth IC of the same bout (the opposite foot's). The error is
detected − truth, in ms; rows are per side of the IC the FC follows ("after left IC" = the right toe-off).

    python3 scripts/diagnose_gait_fc.py [--scenario ms-like] [--seeds 1,2] [--engine both] [--gaitpop PATH]
    python3 scripts/diagnose_gait_fc.py --asymmetric      # healthy, asymmetry 8 %, stance 62 % (SideTableTests), seed 9
"""
import argparse, json, os, subprocess, sys, tempfile
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import validate_gait as vg
from diagnose_gait_real import batch_steps


def fc_errors(truth, ic, side, fc):
    tic = truth["initial_contacts"]; tfc = truth["final_contacts"]
    out = {"left": [], "right": []}
    for t, f in zip(ic, fc):
        if f is None:
            continue
        j = min(range(len(tic)), key=lambda i: abs(tic[i]["t"] - t))
        if abs(tic[j]["t"] - t) > 0.1 or j == 0 or tic[j - 1]["bout"] != tic[j]["bout"]:
            continue
        out[tic[j]["side"]].append(1000 * (f - tfc[j - 1]["t"]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gaitpop", default=".build/release/gaitpop")
    ap.add_argument("--scenario", default="ms-like")
    ap.add_argument("--seeds", default="1,2")
    ap.add_argument("--engine", choices=["streaming", "batch", "both"], default="both")
    ap.add_argument("--asymmetric", action="store_true")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scen = a.scenario
        if a.asymmetric:
            doc = json.loads(subprocess.run([a.gaitpop, "simulate", "--print-scenario", "healthy"], capture_output=True,
                                            check=True, text=True).stdout)
            doc["gait"]["asymmetry"] = 0.08; doc["gait"]["stanceFraction"] = 0.62; doc["name"] = "asymmetric"
            scen = os.path.join(tmp, "asym.json")
            json.dump(doc, open(scen, "w"))
        for seed in [int(s) for s in a.seeds.split(",")]:
            session, truth_path = os.path.join(tmp, f"s{seed}.gpsession"), os.path.join(tmp, f"t{seed}.json")
            subprocess.run([a.gaitpop, "simulate", "--scenario", scen, "--seed", str(seed), "--out", session,
                            "--truth", truth_path], capture_output=True, check=True)
            truth = json.load(open(truth_path))
            engines = []
            if a.engine in ("streaming", "both"):
                steps, _ = vg.parse_replay(vg.run([a.gaitpop, "replay", session, "--json", "--speed", "max"], 300))
                engines.append(("streaming", [s[0] for s in steps], [s[1] for s in steps], [s[2] for s in steps]))
            if a.engine in ("batch", "both"):
                engines.append(("batch",) + batch_steps(a.gaitpop, session, tmp))
            for name, ic, side, fc in engines:
                e = fc_errors(truth, ic, side, fc)
                row = []
                for s in ("left", "right"):
                    x = np.array(e[s])
                    row.append(f"after {s:5s} IC n={len(x):3d} median {np.median(x):+6.0f} |med| {np.median(abs(x)):4.0f} "
                               f"p95|.| {np.percentile(abs(x), 95):4.0f}" if len(x) else f"after {s} IC n=0")
                print(f"{os.path.basename(scen):14s} seed {seed:3d} {name:9s} " + " | ".join(row))


if __name__ == "__main__":
    main()

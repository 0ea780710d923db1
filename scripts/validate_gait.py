#!/usr/bin/env python3
"""Gait validation harness for gaitpop: real lab data against a reference system, the simulator against its
ground truth, and (optionally) mobgap on the same real data. It is a report, not a test: it always exits 0
(except exit 2 when the gaitpop binary is missing).

Run from the repository root:

    swift build -c release && python3 scripts/validate_gait.py
    python3 scripts/validate_gait.py --quick                 # fewer simulator runs
    python3 scripts/validate_gait.py --ref indip --json out/validation.json

mobgap side by side (optional; the rest needs only the Python standard library and numpy):

    python3 -m venv .venv-validate && .venv-validate/bin/pip install -r scripts/requirements-validate.txt
    .venv-validate/bin/python scripts/validate_gait.py

What it runs (see docs/VALIDATION.md for the protocol and the goals):
  * real data (../shared/datasets/lowerback-lab, or --data DIR; trials from its index.json):
      gaitpop import --imu TRIAL.csv --out TMP.gpsession
      gaitpop replay TMP.gpsession --json --speed max          -> {"type":"step","t":..,"side":..,"fc":..} lines
    evaluated against the reference (--ref stereophoto|indip) inside its walking bouts;
  * simulator: presets x seeds x mountings x IMU rates,
      gaitpop simulate --scenario S --seed N --out TMP.gpsession --truth TRUTH.json [--mount r,p,y] [--imu-rate HZ]
    replayed the same way and compared to the truth file (docs/TRUTH-FORMAT.md), including per-stride tilt when the
    replay prints {"type":"stride","ic":..,"tilt_mean_deg":..} lines;
  * impaired/free-living presets (ms-like, parkinson-like, walking-aid, free-living): tuning seeds 1-2 and held-out
    seeds 21-23 reported apart, against issue 11's goals; plus the per-stride tilt ROM error (gyroscope) everywhere;
  * step length and speed (`gaitpop report --json --leg-length-cm`): on the presets against the model applied to
    the simulator's true pelvis excursion (tuning and held-out seeds apart), and on the lab data against the
    reference's stride length and walking speed per bout;
  * mobgap (if `import mobgap` works): its IC detectors given the reference bouts, and its default pipeline.

Options: --gaitpop PATH, --data DIR, --ref, --shift S, --quick, --seeds N, --no-real, --no-sim, --no-step-length,
--no-mobgap,
--timeout S, --json OUT. A missing or failing subcommand (e.g. `replay` not written yet) gives one line per trial or
simulator run instead of a traceback.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import warnings

try:
    import numpy as np
except ImportError:  # pragma: no cover
    sys.exit("validate_gait.py needs numpy: `python3 -m pip install numpy` (or use the .venv-validate of the docstring)")

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# ------------------------------------------------------------------------------------------------ goals
# Real data: the stricter of the first release's goals (F1 >= 0.97) and issue 11's (median |IC| <= 25 ms, left/right
# >= 97 %, cadence <= 2 spm; issue 11 asks them of recordings never used for tuning, HA-001 is the tuning one).
REAL_GOALS = dict(f1_10=0.97, ic_med_ms=25.0, lr_pct=97.0, cad_err_spm=2.0)
SIM_GOALS = dict(f1_10=0.99, ic_med_ms=20.0, tilt_med_deg=1.0, tilt_rom_med_deg=0.5)
# issue 11: impaired and free-living walking. Seeds 1-2 are the tuning family (thresholds were looked at on them);
# seeds 21-23 were never looked at while choosing anything: the held-out figures are the headline.
IMPAIRED_GOALS = dict(f1_10=0.95, ic_med_ms=25.0, lr_pct=97.0, cad_err_spm=2.0)
IMPAIRED_PRESETS = ["ms-like", "parkinson-like", "walking-aid", "free-living"]
IMPAIRED_TUNING_SEEDS = [1, 2]
IMPAIRED_HELDOUT_SEEDS = [21, 22, 23]

# ------------------------------------------------------------------------------------------------ simulator plan
SIM_PRESETS = ["healthy", "anterior-tilt", "grinding", "noisy", "calibration"]
SIM_MOUNTS = [None, "180,0,90", "90,20,0"]          # None = the scenario's own (near-upright) mounting
SIM_RATE_SCENARIO = "healthy"                        # the one preset also run at the extra IMU rates
SIM_EXTRA_RATES = [50, 200]

BOUT_MARGIN = 0.05      # s: detections count inside [bout start - 0.05, bout end + 0.05]
TOL_TIGHT, TOL_LOOSE = 0.10, 0.25
STRIDE_TOL = 0.25       # s: a replay stride and a truth stride are the same when their ICs are this close


# ================================================================================================ matching & metrics
import os as _os
import sys as _sys
_sys.path.insert(0, _os.path.dirname(_os.path.abspath(__file__)))
from evallib import json_lines, match  # noqa: E402  (the one-to-one matching both validation scripts use)
import cadence_per_second  # noqa: E402  (mobgap's per-second cadence, applied to reference and detections alike)


def empty_counts():
    return dict(tp10=0, tp25=0, nd=0, nr=0, ice=[], fce=[], lr_ok=0, lr_n=0, cad=[], cad_legacy=[], cad_stride=[],
                fc_nd=0, fc_nr=0, fc_tp=0, tilt=[], tilt_rom=[], n_stride_lines=0)


def merge(counts):
    out = empty_counts()
    for r in counts:
        for k, v in r.items():
            out[k] = out[k] + v
    return out


def score_ics(r, det, dside, ref, rside):
    """Adds IC detection / timing / laterality counts of one evaluation window to r."""
    r["nd"] += len(det)
    r["nr"] += len(ref)
    r["tp10"] += len(match(det, ref, TOL_TIGHT))
    pairs = match(det, ref, TOL_LOOSE)
    r["tp25"] += len(pairs)
    for i, j in pairs:
        r["ice"].append(float(det[i] - ref[j]))
        if dside[i] is not None:
            r["lr_n"] += 1
            r["lr_ok"] += int(dside[i] == rside[j])


def score_fcs(r, det_fc, ref_fc):
    pairs = match(det_fc, ref_fc, TOL_LOOSE)
    r["fc_nd"] += len(det_fc)
    r["fc_nr"] += len(ref_fc)
    r["fc_tp"] += len(pairs)
    r["fce"] += [float(det_fc[i] - ref_fc[j]) for i, j in pairs]


def bout_cadence(det_in_bout):
    """The first release's cadence, 60·(n−1)/span: kept only as `cad_legacy_err_spm` (it is not the reference's
    definition; docs/VALIDATION.md, cadence)."""
    if len(det_in_bout) < 2 or det_in_bout[-1] <= det_in_bout[0]:
        return None
    return 60.0 * (len(det_in_bout) - 1) / (det_in_bout[-1] - det_in_bout[0])


def score_cadence(r, det_in_bout, ref_in_bout, start, end, legacy_ref=None):
    """Cadence error of one bout, both sides by ONE definition: mobgap's per-second cadence (CadFromIc) over the
    bout [start, end], averaged over the bout, from the detections and from the reference's ICs
    (cadence_per_second.py). `legacy_ref` (the stored reference figure) feeds the old 60·(n−1)/span comparison."""
    cad = cadence_per_second.bout_cadence(det_in_bout, start, end)
    ref_cad = cadence_per_second.bout_cadence(ref_in_bout, start, end)
    if cad is not None and ref_cad is not None:
        r["cad"].append(abs(cad - ref_cad))
    a, b = cadence_per_second.stride_mean_cadence(det_in_bout), cadence_per_second.stride_mean_cadence(ref_in_bout)
    if a is not None and b is not None:
        r["cad_stride"].append(abs(a - b))
    old = bout_cadence(det_in_bout)
    legacy_ref = bout_cadence(ref_in_bout) if legacy_ref is None else legacy_ref
    if old is not None and legacy_ref is not None:
        r["cad_legacy"].append(abs(old - legacy_ref))


def evaluate_real(ref, ic, side, fc, shift=0.0):
    """validate.py's protocol: per reference walking bout, detections inside [start-0.05, end+0.05] only."""
    ic, side, fc = np.asarray(ic, float), np.asarray(side, object), np.asarray(fc, float)
    r = empty_counts()
    for w, (w0, w1) in enumerate(ref["wbs"]):
        m = (ic >= w0 - BOUT_MARGIN) & (ic <= w1 + BOUT_MARGIN)
        det, dside = ic[m], side[m]
        rics = [c for c in ref["ics"] if c[2] == w]
        score_ics(r, det, dside, np.array([c[0] for c in rics]) + shift, [c[1] for c in rics])
        fm = (fc >= w0 - BOUT_MARGIN) & (fc <= w1 + BOUT_MARGIN)
        score_fcs(r, fc[fm], np.array([c[0] for c in ref["fcs"] if c[2] == w]) + shift)
        score_cadence(r, det, np.array([c[0] for c in rics]) + shift, w0 + shift, w1 + shift,
                      legacy_ref=ref["wb_cad"][w])
    return r


def evaluate_sim(truth, ic, side, fc, strides):
    """Against the simulator truth over the WHOLE session: the truth holds every heel strike, so a detection while
    standing or during the calibration exercise is a false positive. FCs are matched as a set (gaitpop's step fc
    is the opposite foot's toe-off). Cadence per truth bout: detections inside [first truth IC - 0.05, last truth
    IC + 0.05] against the cadence of the truth ICs of that bout. Tilt: replay strides paired one-to-one with
    truth strides by IC time (within 0.25 s)."""
    ic, side, fc = np.asarray(ic, float), np.asarray(side, object), np.asarray(fc, float)
    r = empty_counts()
    t_ic = truth.get("initial_contacts", [])
    score_ics(r, ic, side, np.array([c["t"] for c in t_ic]), [c["side"] for c in t_ic])
    score_fcs(r, fc, np.array([c["t"] for c in truth.get("final_contacts", [])]))
    for b in range(len(truth.get("bouts", []))):
        tb = sorted(c["t"] for c in t_ic if c.get("bout") == b)
        if len(tb) < 2:
            continue
        score_cadence(r, ic[(ic >= tb[0] - BOUT_MARGIN) & (ic <= tb[-1] + BOUT_MARGIN)], np.array(tb), tb[0], tb[-1])
    if strides is not None:
        r["n_stride_lines"] += len(strides)
        t_str = [s for s in truth.get("strides", []) if s.get("tilt_mean_deg") is not None]
        pairs = match([s[0] for s in strides], [s["ic_t"] for s in t_str], STRIDE_TOL)
        r["tilt"] += [float(strides[i][1] - t_str[j]["tilt_mean_deg"]) for i, j in pairs]
        # within-stride tilt range (gyroscope): the replay's stride runs IC to the next same-side IC, as the truth's
        r["tilt_rom"] += [float(strides[i][2] - t_str[j]["tilt_rom_deg"]) for i, j in pairs
                          if strides[i][2] is not None and t_str[j].get("tilt_rom_deg") is not None]
    return r


def figures(r, with_tilt=False):
    """Summary figures of (merged) counts; NaN where undefined."""
    nan = float("nan")
    f1 = lambda tp: 2.0 * tp / (r["nd"] + r["nr"]) if r["nd"] + r["nr"] else nan
    q = lambda x, p: float(np.percentile(np.abs(x), p)) * 1000.0 if len(x) else nan
    out = dict(n_det=r["nd"], n_ref=r["nr"], f1_10=f1(r["tp10"]), f1_25=f1(r["tp25"]),
               ic_med_ms=q(r["ice"], 50), ic_p95_ms=q(r["ice"], 95),
               ic_bias_ms=float(np.mean(r["ice"])) * 1000.0 if r["ice"] else nan,
               fc_med_ms=q(r["fce"], 50), fc_p95_ms=q(r["fce"], 95),
               lr_pct=100.0 * r["lr_ok"] / r["lr_n"] if r["lr_n"] else nan,
               cad_err_spm=float(np.mean(r["cad"])) if r["cad"] else nan,
               cad_legacy_err_spm=float(np.mean(r["cad_legacy"])) if r.get("cad_legacy") else nan,
               cad_stride_err_spm=float(np.mean(r["cad_stride"])) if r.get("cad_stride") else nan)
    if with_tilt:
        out["tilt_med_deg"] = float(np.median(np.abs(r["tilt"]))) if r["tilt"] else nan
        out["n_tilt"] = len(r["tilt"])
        out["tilt_rom_med_deg"] = float(np.median(np.abs(r["tilt_rom"]))) if r.get("tilt_rom") else nan
        out["n_tilt_rom"] = len(r.get("tilt_rom", []))
    return out


def fmt(x, spec):
    return format(x, spec) if isinstance(x, (int, float)) and not math.isnan(x) else " " * (len(format(0.0, spec)) - 3) + "n/a"


REAL_HEADER = (f"{'trial':21s} {'algorithm':22s} {'nDet':>4s} {'nRef':>4s} {'F1@.10':>6s} {'F1@.25':>6s} {'ICmed':>6s} "
               f"{'ICp95':>6s} {'ICbias':>6s} {'FCmed':>6s} {'FCp95':>6s} {'LR%':>6s} {'|dCad|':>6s}")


def real_row(trial, algo, f):
    return (f"{trial:21s} {algo:22s} {f['n_det']:4d} {f['n_ref']:4d} {fmt(f['f1_10'], '6.3f')} {fmt(f['f1_25'], '6.3f')} "
            f"{fmt(f['ic_med_ms'], '6.0f')} {fmt(f['ic_p95_ms'], '6.0f')} {fmt(f['ic_bias_ms'], '+6.0f')} "
            f"{fmt(f['fc_med_ms'], '6.0f')} {fmt(f['fc_p95_ms'], '6.0f')} {fmt(f['lr_pct'], '6.1f')} "
            f"{fmt(f['cad_err_spm'], '6.2f')}")


SIM_HEADER = (f"{'scenario':36s} {'runs':>4s} {'nDet':>5s} {'nRef':>5s} {'F1@.10':>6s} {'F1@.25':>6s} {'ICmed':>6s} "
              f"{'ICp95':>6s} {'ICbias':>6s} {'FCmed':>6s} {'LR%':>6s} {'|dCad|':>6s} {'tilt°':>6s} {'ROM°':>6s}")


def sim_row(label, runs, f):
    return (f"{label:36s} {runs:4d} {f['n_det']:5d} {f['n_ref']:5d} {fmt(f['f1_10'], '6.3f')} {fmt(f['f1_25'], '6.3f')} "
            f"{fmt(f['ic_med_ms'], '6.0f')} {fmt(f['ic_p95_ms'], '6.0f')} {fmt(f['ic_bias_ms'], '+6.0f')} "
            f"{fmt(f['fc_med_ms'], '6.0f')} {fmt(f['lr_pct'], '6.1f')} {fmt(f['cad_err_spm'], '6.2f')} {fmt(f['tilt_med_deg'], '6.2f')} "
            f"{fmt(f.get('tilt_rom_med_deg', float('nan')), '6.2f')}")


# ================================================================================================ running gaitpop
class StepFailed(Exception):
    """A gaitpop subcommand failed; str() is a one-line explanation."""


def run(cmd, timeout):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise StepFailed(f"`gaitpop {cmd[1]}` timed out after {timeout:.0f} s")
    except OSError as e:
        raise StepFailed(f"cannot run {cmd[0]}: {e.strerror}")
    if p.returncode != 0:
        msg = next((ln.strip() for ln in (p.stderr or p.stdout).splitlines() if ln.strip()), "no output")
        hint = " (has `gaitpop replay --json` landed yet?)" if cmd[1] == "replay" else ""
        raise StepFailed(f"`gaitpop {cmd[1]}` exited {p.returncode}: {msg[:160]}{hint}")
    return p.stdout


def parse_replay(text):
    """Steps [(t, side|None, fc|None)] and strides [(ic, tilt_mean_deg)] (None when no stride line carries a
    tilt) from `replay --json` output. Non-JSON lines and other line types are ignored; provisional (streaming)
    steps are dropped when final ones exist."""
    steps, provisional, strides = [], [], []
    for obj in json_lines(text):
        kind = obj.get("type")
        if kind == "step" and isinstance(obj.get("t"), (int, float)):
            side = obj.get("side") if obj.get("side") in ("left", "right") else None
            fc = obj.get("fc") if isinstance(obj.get("fc"), (int, float)) else None
            (provisional if obj.get("provisional") is True else steps).append((float(obj["t"]), side, fc))
        elif kind == "stride" and isinstance(obj.get("ic"), (int, float)) \
                and isinstance(obj.get("tilt_mean_deg"), (int, float)):
            rom = obj.get("tilt_rom_deg")
            strides.append((float(obj["ic"]), float(obj["tilt_mean_deg"]),
                            float(rom) if isinstance(rom, (int, float)) else None))
    steps = steps or provisional
    steps = sorted({round(s[0], 6): s for s in steps}.values())
    return steps, (strides or None)


def replay(gaitpop, session, timeout, label):
    steps, strides = parse_replay(run([gaitpop, "replay", session, "--json", "--speed", "max"], timeout))
    if not steps:
        print(f"   {label}: note: `gaitpop replay --json` printed no step lines (evaluated as 0 detections)")
    ic = [s[0] for s in steps]
    side = [s[1] for s in steps]
    fc = [s[2] for s in steps if s[2] is not None]
    return ic, side, fc, strides


# ================================================================================================ real data
def load_index(data_dir):
    with open(os.path.join(data_dir, "index.json")) as f:
        idx = json.load(f)
    return [t for t in idx["trials"] if t.get("csv") and t.get("reference")]


def load_reference(path, system):
    """Walking bouts, ICs (time, side, wb) and FCs of one reference system (reference.json `conventions`):
    top level = ContinuousWalkingPeriod (mobgap's 'wb'); ICs with a null time, flagged after_wb_end, or a
    duplicate sample in the same bout are dropped as mobgap's loader does."""
    with open(path) as f:
        doc = json.load(f)
    s = doc["systems"][system]
    ics, seen = [], set()
    for c in s["initial_contacts"]:
        flags = c.get("flags") or []
        if c["time_s"] is None or "after_wb_end" in flags:
            continue
        key = (c["wb_id"], c.get("sample", c["time_s"]))
        if key in seen:
            continue
        seen.add(key)
        ics.append((c["time_s"], c["side"], c["wb_id"]))
    fcs = [(c["time_s"], c["side"], c["wb_id"]) for c in s["final_contacts"] if c["time_s"] is not None]
    return dict(fs=float(doc["imu_sampling_rate_hz"]), wbs=[(w["start_s"], w["end_s"]) for w in s["walking_bouts"]],
                wb_cad=[w.get("cadence_spm") for w in s["walking_bouts"]], ics=ics, fcs=fcs)


def load_csv(path):
    arr = np.loadtxt(path, delimiter=",", skiprows=1)
    return arr[:, 1:4], arr[:, 4:7]


# ------------------------------------------------------------------------------------------------ mobgap (optional)
def mobgap_available():
    try:
        import mobgap  # noqa: F401
        import pandas  # noqa: F401
        return True
    except Exception:
        return False


def mobgap_runs(acc_g, gyr_dps, ref):
    """As the research prototype's validate.py: (a) mobgap's IC detectors run on the reference walking bouts (its own
    ICD evaluation setting) with LrcUllrich for laterality; (b) the Mobilise-D healthy default chain
    GsdIluz -> IcdIonescu -> LrcUllrich on the whole recording. Frame: the lab CSV is already mobgap's
    (x = IS, y = ML, z = PA). Returns {name: (ic_s, sides, fc_s)}."""
    import pandas as pd
    from mobgap.initial_contacts import IcdIonescu, IcdShinImproved, IcdHKLeeImproved
    from mobgap.laterality import LrcUllrich
    from mobgap.gait_sequences import GsdIluz
    fs = ref["fs"]
    df = pd.DataFrame(np.c_[acc_g * 9.81, gyr_dps], columns=["acc_is", "acc_ml", "acc_pa", "gyr_is", "gyr_ml", "gyr_pa"])
    # mobgap row -> CSV time, the clock gaitpop's detections use; the reference is moved onto it by --shift
    to_s = lambda idx: np.asarray(idx) / fs
    out = {}
    for name, algo in [("mobgap Ionescu@refWB", IcdIonescu()), ("mobgap ShinImpr@refWB", IcdShinImproved()),
                       ("mobgap HKLeeImpr@refWB", IcdHKLeeImproved())]:
        ics, sides = [], []
        for (w0, w1) in ref["wbs"]:
            i0, i1 = max(0, int(round(w0 * fs)) - 1), int(round(w1 * fs))
            seg = df.iloc[i0:i1].reset_index(drop=True)
            icl = algo.clone().detect(seg, sampling_rate_hz=fs).ic_list_
            if len(icl) == 0:
                continue
            lr = LrcUllrich().predict(seg, icl, sampling_rate_hz=fs).ic_lr_list_
            ics += list(to_s(lr["ic"].to_numpy() + i0))
            sides += list(lr["lr_label"])
        out[name] = (ics, sides, [])
    gs = GsdIluz().detect(df, sampling_rate_hz=fs).gs_list_
    ics, sides = [], []
    for _, g in gs.iterrows():
        i0, i1 = int(g["start"]), int(g["end"])
        seg = df.iloc[i0:i1].reset_index(drop=True)
        icl = IcdIonescu().detect(seg, sampling_rate_hz=fs).ic_list_
        if len(icl) == 0:
            continue
        lr = LrcUllrich().predict(seg, icl, sampling_rate_hz=fs).ic_lr_list_
        ics += list(to_s(lr["ic"].to_numpy() + i0))
        sides += list(lr["lr_label"])
    out["mobgap pipeline(Iluz)"] = (ics, sides, [])
    return out


def real_data(a, gaitpop, report):
    print(f"\n== Real data: {a.data}\n   reference '{a.ref}' (shift {a.shift:+.3f} s); only detections inside reference "
          f"walking bouts ±{BOUT_MARGIN} s count; one-to-one greedy matching; errors in ms over the ±0.25 s matches")
    try:
        trials = load_index(a.data)
    except (OSError, ValueError, KeyError) as e:
        print(f"   skipped: cannot read {os.path.join(a.data, 'index.json')} ({e})")
        report["messages"].append(f"real data skipped: {e}")
        return None
    use_mobgap = not a.no_mobgap and mobgap_available()
    if not a.no_mobgap and not use_mobgap:
        msg = ("mobgap not importable in this interpreter: to compare with it run  python3 -m venv .venv-validate && "
               ".venv-validate/bin/pip install mobgap  and run this script with .venv-validate/bin/python")
        print("   " + msg)
        report["messages"].append(msg)
    results = {}                                    # trial -> {algo: counts}
    with tempfile.TemporaryDirectory(prefix="gaitpop-validate-") as tmp:
        for tr in trials:
            tid = tr.get("trial_id", tr["csv"])
            try:
                ref = load_reference(os.path.join(a.data, tr["reference"]), a.ref)
            except (OSError, ValueError, KeyError) as e:
                print(f"   {tid}: skipped, reference '{a.ref}' unreadable ({e})")
                continue
            results[tid] = {}
            session = os.path.join(tmp, tid + ".gpsession")
            t0 = time.perf_counter()
            try:
                run([gaitpop, "import", "--imu", os.path.join(a.data, tr["csv"]), "--out", session], a.timeout)
                ic, side, fc, _ = replay(gaitpop, session, a.timeout, tid)
                results[tid]["gaitpop"] = evaluate_real(ref, ic, side, fc, a.shift)
                report["real"]["trials"].setdefault(tid, {})["gaitpop_runtime_s"] = time.perf_counter() - t0
            except StepFailed as e:
                print(f"   {tid}: gaitpop not evaluated: {e}")
                report["real"]["trials"].setdefault(tid, {})["gaitpop_error"] = str(e)
            if use_mobgap:
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        acc, gyr = load_csv(os.path.join(a.data, tr["csv"]))
                        for name, (m_ic, m_side, m_fc) in mobgap_runs(acc, gyr, ref).items():
                            results[tid][name] = evaluate_real(ref, m_ic, m_side, m_fc, a.shift)
                except Exception as e:  # mobgap is a comparison only: never let it stop the report
                    print(f"   {tid}: mobgap failed: {type(e).__name__}: {e}")

    algos = []
    for per in results.values():
        algos += [k for k in per if k not in algos]
    if not algos:
        print("   no trial could be evaluated")
        return None
    print(REAL_HEADER)
    for tid, per in results.items():
        for k, algo in enumerate(algos):
            if algo in per:
                f = figures(per[algo])
                report["real"]["trials"].setdefault(tid, {})[algo] = f
                print(real_row(tid if k == 0 else "", algo, f))
    pooled = {}
    for k, algo in enumerate(algos):
        rs = [per[algo] for per in results.values() if algo in per]
        pooled[algo] = figures(merge(rs))
        print(real_row(f"POOLED ({len(rs)} trials)" if k == 0 else "", algo, pooled[algo]))
    report["real"]["pooled"] = pooled
    return pooled


# ================================================================================================ simulator
def sim_plan(a):
    seeds = list(range(1, a.seeds + 1))
    plan = []
    for preset in SIM_PRESETS:
        for mount in SIM_MOUNTS:
            plan.append((preset, mount, 100))
    for rate in SIM_EXTRA_RATES:
        plan.append((SIM_RATE_SCENARIO, None, rate))
    return plan, seeds


def sim_label(preset, mount, rate):
    return f"{preset} mount={mount or 'default'} {rate}Hz"


def simulator(a, gaitpop, report):
    plan, seeds = sim_plan(a)
    print(f"\n== Simulator: {len(plan)} scenarios x {len(seeds)} seed(s); every detection in the session counts; "
          f"FCs matched as a set; tilt = median |stride tilt_mean_deg error| (n/a if the replay prints no stride tilt)")
    per_scn, rows, fail = {}, [], 0
    with tempfile.TemporaryDirectory(prefix="gaitpop-validate-sim-") as tmp:
        for preset, mount, rate in plan:
            label = sim_label(preset, mount, rate)
            for seed in seeds:
                session, truth_path = os.path.join(tmp, "sim.gpsession"), os.path.join(tmp, "sim.truth.json")
                cmd = [gaitpop, "simulate", "--scenario", preset, "--seed", str(seed), "--out", session,
                       "--truth", truth_path, "--imu-rate", str(rate)]
                if mount:
                    cmd += ["--mount", mount]
                run_info = dict(scenario=preset, mount=mount or "default", imu_rate_hz=rate, seed=seed)
                try:
                    for p in (session, truth_path):
                        if os.path.exists(p):
                            os.remove(p)
                    run(cmd, a.timeout)
                    with open(truth_path) as f:
                        truth = json.load(f)
                    ic, side, fc, strides = replay(gaitpop, session, a.timeout, f"{label} seed {seed}")
                    r = evaluate_sim(truth, ic, side, fc, strides)
                    per_scn.setdefault(label, []).append(r)
                    run_info["figures"] = figures(r, with_tilt=True)
                except (StepFailed, OSError, ValueError) as e:
                    fail += 1
                    print(f"   {label} seed {seed}: not evaluated: {e}")
                    run_info["error"] = str(e)
                rows.append(run_info)
    report["simulator"]["runs"] = rows
    if not per_scn:
        print("   no simulator run could be evaluated")
        return None
    print(SIM_HEADER)
    for label, rs in per_scn.items():
        f = figures(merge(rs), with_tilt=True)
        report["simulator"]["scenarios"][label] = f
        print(sim_row(label, len(rs), f))
    allr = [r for rs in per_scn.values() for r in rs]
    pooled = figures(merge(allr), with_tilt=True)
    print(sim_row("POOLED", len(allr), pooled))
    if fail:
        print(f"   ({fail} of {len(rows)} runs not evaluated)")
    report["simulator"]["pooled"] = pooled
    return pooled


def impaired(a, gaitpop, report):
    """Impaired and free-living presets, tuning seeds and held-out seeds reported apart (held-out = headline)."""
    print("\n== Impaired / free-living walking (issue 11): tuning seeds "
          f"{IMPAIRED_TUNING_SEEDS} and held-out seeds {IMPAIRED_HELDOUT_SEEDS}, reported apart")
    print(SIM_HEADER)
    out = {}
    with tempfile.TemporaryDirectory(prefix="gaitpop-validate-impaired-") as tmp:
        for family, seeds in (("tuning", IMPAIRED_TUNING_SEEDS), ("held-out", IMPAIRED_HELDOUT_SEEDS)):
            if a.impaired_family not in ("both", family):
                continue
            allr = []
            for preset in IMPAIRED_PRESETS:
                rs = []
                for seed in (seeds[:1] if a.quick else seeds):
                    try:
                        session, truth = simulate_with_truth(gaitpop, preset, seed, tmp, f"imp-{family}", a.timeout)
                        ic, side, fc, strides = replay(gaitpop, session, a.timeout, f"{preset} seed {seed}")
                        rs.append(evaluate_sim(truth, ic, side, fc, strides))
                    except (StepFailed, OSError, ValueError) as e:
                        print(f"   {preset} seed {seed}: not evaluated: {e}")
                if rs:
                    f = figures(merge(rs), with_tilt=True)
                    out[f"{family}/{preset}"] = f
                    print(sim_row(f"{family} {preset}", len(rs), f))
                    allr += rs
            if allr:
                out[f"{family}/pooled"] = figures(merge(allr), with_tilt=True)
                print(sim_row(f"{family} POOLED", len(allr), out[f"{family}/pooled"]))
    report["impaired"] = out
    return out.get("held-out/pooled"), out


def simulate_with_truth(gaitpop, preset, seed, tmp, prefix, timeout):
    """A simulated walk and its truth, as (recording path, truth dict); one file per run (gaitpop refuses to
    overwrite a recording)."""
    name = f"{prefix}-{preset}-{seed}"
    session, truth_path = os.path.join(tmp, name + ".gpsession"), os.path.join(tmp, name + ".truth.json")
    run([gaitpop, "simulate", "--scenario", preset, "--seed", str(seed), "--out", session, "--truth", truth_path],
        timeout)
    with open(truth_path) as f:
        return session, json.load(f)


# ================================================================================================ step length
# Inverted-pendulum step length (Zijlstra & Hof 2003), `gaitpop report --leg-length-cm`. Nothing was tuned: the
# correction factor 1.25 is the paper's and the per-step drift removal was chosen before any figure was seen; the
# tuning/held-out split is kept so that any later tuning has somewhere honest to report.
SIM_LEG_LENGTH_M = 0.90      # the simulator has no body: its truth applies the same model to the true excursion
SL_CORRECTION = 1.25
SL_PRESETS = ["healthy"] + IMPAIRED_PRESETS
SL_GOALS = dict(sim_rel_med_pct=5.0, real_speed_rel_pct=15.0)
# Leg length from height when the data set gives none: greater-trochanter height ≈ 0.530 × body height (Winter,
# Biomechanics and Motor Control of Human Movement, 4th ed. 2009, segment lengths as fractions of height).
LEG_FRACTION_OF_HEIGHT = 0.530


def pendulum_step(h, l):
    return SL_CORRECTION * 2.0 * math.sqrt(2.0 * l * h - h * h) if 0.0 < h < l else None


def report_steps(gaitpop, session, leg_m, tmp, timeout):
    """(steps [(t, step_length_m|None)], the report's gait block) from `gaitpop report --json --leg-length-cm`."""
    out = os.path.join(tmp, "report.json")
    run([gaitpop, "report", session, "--json", out, "--no-history", "--leg-length-cm", f"{leg_m * 100:.1f}"], timeout)
    with open(out) as f:
        doc = json.load(f)
    steps = sorted((float(s.get("ic_seconds", s.get("t"))), s.get("step_length_m")) for s in doc.get("steps", []))
    return steps, doc.get("gait") or {}


def step_length(a, gaitpop, report):
    """Simulator: detected step length against the same model on the pelvis's true vertical excursion (what the
    measurement chain adds). Real lab data: stride length and speed per reference walking bout."""
    print("\n== Step length and speed (inverted pendulum, Zijlstra & Hof 2003; factor 1.25, nothing tuned)")
    out = dict(simulator={}, real={})
    print(f"   simulator, leg length {SIM_LEG_LENGTH_M} m: per step, detected vs the model on the true excursion "
          "(matched IC ±0.1 s)")
    print(f"   {'family/preset':28s} {'steps':>5s} {'med|rel|%':>9s} {'p95|rel|%':>9s} {'bias%':>7s}")
    with tempfile.TemporaryDirectory(prefix="gaitpop-validate-sl-") as tmp:
        for family, seeds in (("tuning", IMPAIRED_TUNING_SEEDS), ("held-out", IMPAIRED_HELDOUT_SEEDS)):
            pooled = []
            for preset in SL_PRESETS:
                rel = []
                for seed in (seeds[:1] if a.quick else seeds):
                    try:
                        session, truth = simulate_with_truth(gaitpop, preset, seed, tmp, "sl", a.timeout)
                        steps, _ = report_steps(gaitpop, session, SIM_LEG_LENGTH_M, tmp, a.timeout)
                    except (StepFailed, OSError, ValueError) as e:
                        print(f"   {preset} seed {seed}: not evaluated: {e}")
                        continue
                    ref = [(c["t"], c.get("vertical_excursion_m")) for c in truth.get("initial_contacts", [])]
                    for t, sl in steps:
                        if not isinstance(sl, (int, float)):
                            continue
                        near = min(ref, key=lambda c: abs(c[0] - t), default=None)
                        if near is None or abs(near[0] - t) > TOL_TIGHT or near[1] is None:
                            continue
                        r = pendulum_step(near[1], SIM_LEG_LENGTH_M)
                        if r:
                            rel.append(100.0 * (sl - r) / r)
                if rel:
                    f = dict(n=len(rel), rel_med_pct=float(np.median(np.abs(rel))),
                             rel_p95_pct=float(np.percentile(np.abs(rel), 95)), bias_pct=float(np.mean(rel)))
                    out["simulator"][f"{family}/{preset}"] = f
                    print(f"   {family + ' ' + preset:28s} {f['n']:5d} {f['rel_med_pct']:9.1f} {f['rel_p95_pct']:9.1f} "
                          f"{f['bias_pct']:+7.1f}")
                    pooled += rel
            if pooled:
                f = dict(n=len(pooled), rel_med_pct=float(np.median(np.abs(pooled))),
                         rel_p95_pct=float(np.percentile(np.abs(pooled), 95)), bias_pct=float(np.mean(pooled)))
                out["simulator"][f"{family}/pooled"] = f
                print(f"   {family + ' POOLED':28s} {f['n']:5d} {f['rel_med_pct']:9.1f} {f['rel_p95_pct']:9.1f} "
                      f"{f['bias_pct']:+7.1f}")
        if not a.no_real:
            step_length_real(a, gaitpop, tmp, out)
    report["step_length"] = out
    return out


def step_length_real(a, gaitpop, tmp, out):
    try:
        index = json.load(open(os.path.join(a.data, "index.json")))
        trials = load_index(a.data)
    except (OSError, ValueError, KeyError) as e:
        print(f"   real data skipped: {e}")
        return
    print(f"   real data ({a.ref}): per reference walking bout, stride length = 2 × mean detected step length inside "
          "it, speed = Σ step lengths / Σ step times; leg length = 0.530 × height (none in the data set)")
    print(f"   {'trial':24s} {'bout':>4s} {'strideRef':>9s} {'strideEst':>9s} {'speedRef':>8s} {'speedEst':>8s}")
    rows = []
    for tr in trials:
        tid = tr.get("trial_id", tr["csv"])
        try:
            doc = json.load(open(os.path.join(a.data, tr["reference"])))
            wbs = doc["systems"][a.ref]["walking_bouts"]
            height = index["participants"][doc["participant"]]["height_m"]
        except (OSError, ValueError, KeyError) as e:
            print(f"   {tid}: skipped ({e})")
            continue
        leg = LEG_FRACTION_OF_HEIGHT * height
        session = os.path.join(tmp, tid + ".gpsession")
        try:
            run([gaitpop, "import", "--imu", os.path.join(a.data, tr["csv"]), "--out", session], a.timeout)
            steps, _ = report_steps(gaitpop, session, leg, tmp, a.timeout)
        except (StepFailed, OSError, ValueError) as e:
            print(f"   {tid}: not evaluated: {e}")
            continue
        for w in wbs:
            ref_sl, ref_v = w.get("avg_stride_length_m"), w.get("walking_speed_mps")
            inside = [(t, sl) for t, sl in steps if w["start_s"] - BOUT_MARGIN <= t <= w["end_s"] + BOUT_MARGIN]
            pairs = [(inside[k][0] - inside[k - 1][0], inside[k][1]) for k in range(1, len(inside))
                     if isinstance(inside[k][1], (int, float)) and inside[k][0] - inside[k - 1][0] <= 2.0]
            if not pairs or not isinstance(ref_sl, (int, float)) or not isinstance(ref_v, (int, float)):
                continue
            est_sl = 2.0 * float(np.mean([p[1] for p in pairs]))
            est_v = sum(p[1] for p in pairs) / sum(p[0] for p in pairs)
            rows.append(dict(trial=tid, bout=w.get("wb_id"), stride_ref=ref_sl, stride_est=est_sl, speed_ref=ref_v,
                             speed_est=est_v))
            print(f"   {tid:24s} {w.get('wb_id', -1):4d} {ref_sl:9.3f} {est_sl:9.3f} {ref_v:8.3f} {est_v:8.3f}")
    if rows:
        sl_err = [100.0 * (r["stride_est"] - r["stride_ref"]) / r["stride_ref"] for r in rows]
        v_err = [100.0 * (r["speed_est"] - r["speed_ref"]) / r["speed_ref"] for r in rows]
        out["real"] = dict(bouts=rows, stride_rel_mean_abs_pct=float(np.mean(np.abs(sl_err))),
                           stride_bias_pct=float(np.mean(sl_err)), speed_rel_mean_abs_pct=float(np.mean(np.abs(v_err))),
                           speed_bias_pct=float(np.mean(v_err)),
                           speed_abs_err_mps=float(np.mean([abs(r["speed_est"] - r["speed_ref"]) for r in rows])))
        o = out["real"]
        print(f"   {len(rows)} bouts: stride length mean |error| {o['stride_rel_mean_abs_pct']:.1f} % (bias "
              f"{o['stride_bias_pct']:+.1f} %), speed mean |error| {o['speed_rel_mean_abs_pct']:.1f} % "
              f"({o['speed_abs_err_mps']:.3f} m/s, bias {o['speed_bias_pct']:+.1f} %)")


# ================================================================================================ goals
def goal_lines(real_pooled, sim_pooled, report, impaired_pooled=None, impaired_all=None):
    goals = []

    def add(group, name, value, unit, op, target, spec):
        met = None if value is None or (isinstance(value, float) and math.isnan(value)) else \
            (value >= target if op == ">=" else value <= target)
        goals.append(dict(group=group, goal=name, value=None if met is None else value, target=f"{op} {target:g}{unit}",
                          met=met))
        shown = "n/a" if met is None else format(value, spec) + unit
        verdict = "n/a (not measured)" if met is None else ("met" if met else "NOT met")
        want = f"{'≥' if op == '>=' else '≤'} {target:g}{unit}"
        print(f"  {name:44s} {shown:>10s}   goal {want:12s} {verdict}")

    print("\n== Goals (pooled figures)")
    g = (real_pooled or {}).get("gaitpop")
    print("real data:")
    add("real", "IC F1 at ±0.1 s", g and g["f1_10"], "", ">=", REAL_GOALS["f1_10"], ".3f")
    add("real", "median |IC error|", g and g["ic_med_ms"], " ms", "<=", REAL_GOALS["ic_med_ms"], ".0f")
    add("real", "left/right accuracy", g and g["lr_pct"], " %", ">=", REAL_GOALS["lr_pct"], ".1f")
    add("real", "cadence error (mean |error| per bout)", g and g["cad_err_spm"], " spm", "<=",
        REAL_GOALS["cad_err_spm"], ".2f")
    if g and not math.isnan(g.get("cad_legacy_err_spm", float("nan"))):
        print("    (above: both sides by mobgap's per-second cadence, CadFromIc; not goals, for comparison:)")
        print(f"  {'   both sides mean 120/stride time':44s} {g['cad_stride_err_spm']:>6.2f} spm")
        print(f"  {'   old: 60(n-1)/span vs stored cadence_spm':44s} {g['cad_legacy_err_spm']:>6.2f} spm")
    best = None
    for name, f in (real_pooled or {}).items():
        if name.endswith("@refWB") and not math.isnan(f["f1_10"]) and (best is None or f["f1_10"] > best[1]["f1_10"]):
            best = (name, f)
    if best is None:
        verdict, met = "n/a (mobgap not run)", None
        shown = "n/a"
    elif g is None or math.isnan(g["f1_10"]):
        verdict, met, shown = "n/a (gaitpop not measured)", None, "n/a"
    else:
        met = g["f1_10"] > best[1]["f1_10"]
        verdict, shown = ("met" if met else "NOT met"), f"{g['f1_10']:.3f}"
    name = "F1 ±0.1 s above mobgap's best IC detector"
    print(f"  {name:44s} {shown:>10s}   goal {'> mobgap':12s} {verdict}")
    if best:
        print(f"  {'':44s} {'':10s}   (best: {best[0][7:]}, pooled F1 ±0.1 s {best[1]['f1_10']:.3f})")
    goals.append(dict(group="real", goal="better than mobgap's best IC detector (F1 at ±0.1 s)",
                      value=None if met is None else g["f1_10"],
                      target=None if best is None else f"> {best[1]['f1_10']:.3f} ({best[0]})", met=met))
    s = sim_pooled
    print("simulator:")
    add("simulator", "IC F1 at ±0.1 s", s and s["f1_10"], "", ">=", SIM_GOALS["f1_10"], ".3f")
    add("simulator", "median |IC error|", s and s["ic_med_ms"], " ms", "<=", SIM_GOALS["ic_med_ms"], ".0f")
    add("simulator", "per-stride tilt error (median |error|)", s and s["tilt_med_deg"], "°", "<=",
        SIM_GOALS["tilt_med_deg"], ".2f")
    add("simulator", "per-stride tilt ROM error, gyro (median)", s and s.get("tilt_rom_med_deg"), "°", "<=",
        SIM_GOALS["tilt_rom_med_deg"], ".2f")
    h = impaired_pooled
    print("impaired presets, held-out seeds (pooled; the test asserts F1 per preset):")
    add("impaired", "IC F1 at ±0.1 s", h and h["f1_10"], "", ">=", IMPAIRED_GOALS["f1_10"], ".3f")
    add("impaired", "median |IC error|", h and h["ic_med_ms"], " ms", "<=", IMPAIRED_GOALS["ic_med_ms"], ".0f")
    add("impaired", "left/right accuracy", h and h["lr_pct"], " %", ">=", IMPAIRED_GOALS["lr_pct"], ".1f")
    add("impaired", "cadence error (mean |error| per bout)", h and h["cad_err_spm"], " spm", "<=",
        IMPAIRED_GOALS["cad_err_spm"], ".2f")
    for key, f in sorted((impaired_all or {}).items()):
        if key.startswith("held-out/") and key != "held-out/pooled":
            add("impaired", f"  {key[9:]}: IC F1 at ±0.1 s", f["f1_10"], "", ">=", IMPAIRED_GOALS["f1_10"], ".3f")
    sl = (report.get("step_length") or {})
    print("step length (inverted pendulum; not tuned):")
    add("step_length", "simulator held-out: median |step length error|",
        ((sl.get("simulator") or {}).get("held-out/pooled") or {}).get("rel_med_pct"), " %", "<=",
        SL_GOALS["sim_rel_med_pct"], ".1f")
    add("step_length", "real data: mean |speed error| per bout", (sl.get("real") or {}).get("speed_rel_mean_abs_pct"),
        " %", "<=", SL_GOALS["real_speed_rel_pct"], ".1f")
    report["goals"] = goals


# ================================================================================================ main
def clean_json(x):
    if isinstance(x, float):
        return None if math.isnan(x) or math.isinf(x) else x
    if isinstance(x, dict):
        return {k: clean_json(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [clean_json(v) for v in x]
    if isinstance(x, np.generic):
        return clean_json(x.item())
    return x


def main(argv=None):
    ap = argparse.ArgumentParser(description="gaitpop gait validation report (real lab data, simulator, mobgap).",
                                 epilog="Always exits 0 once the binary is found: it is a report, not a test.")
    ap.add_argument("--gaitpop", default=os.path.join(REPO, ".build", "release", "gaitpop"), help="gaitpop binary")
    ap.add_argument("--data", default=os.path.normpath(os.path.join(REPO, "..", "shared", "datasets", "lowerback-lab")),
                    help="lab dataset folder with index.json")
    ap.add_argument("--ref", default="stereophoto", choices=["stereophoto", "indip"], help="reference system")
    ap.add_argument("--shift", type=float, default=-0.01,
                    help="seconds added to reference times to put them on the CSV clock that every detector is "
                         "scored on (default -0.01: the dataset's owners' loader, mobgap, reads a reference time t "
                         "as CSV row round(t*fs) - 1; 0 = the .mat times as stored)")
    ap.add_argument("--quick", action="store_true", help="one seed per simulator scenario")
    ap.add_argument("--seeds", type=int, default=None, help="seeds per simulator scenario (default 3; 1 with --quick)")
    ap.add_argument("--no-real", action="store_true", help="skip the real data")
    ap.add_argument("--no-sim", action="store_true", help="skip the simulator")
    ap.add_argument("--no-impaired", action="store_true", help="skip the impaired/free-living presets")
    ap.add_argument("--impaired-family", choices=["both", "tuning", "held-out"], default="both",
                    help="impaired presets: run only the tuning seeds while choosing anything, then both")
    ap.add_argument("--no-step-length", action="store_true", help="skip step length and speed")
    ap.add_argument("--no-mobgap", action="store_true", help="do not run mobgap even if it is installed")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per gaitpop call")
    ap.add_argument("--json", metavar="OUT", help="also write every figure here as JSON")
    a = ap.parse_args(argv)
    a.seeds = a.seeds or (1 if a.quick else 3)

    gaitpop = os.path.abspath(os.path.expanduser(a.gaitpop))
    if not (os.path.isfile(gaitpop) and os.access(gaitpop, os.X_OK)):
        print(f"gaitpop binary not found at {gaitpop}: run `swift build -c release` in {REPO} "
              f"(or pass --gaitpop PATH)", file=sys.stderr)
        return 2
    a.data = os.path.abspath(a.data)
    print(f"gaitpop gait validation — binary {gaitpop}")
    report = dict(binary=gaitpop, reference=a.ref, shift_s=a.shift, data=a.data, messages=[],
                  goals_definition=dict(real=REAL_GOALS, simulator=SIM_GOALS),
                  real=dict(trials={}, pooled=None), simulator=dict(runs=[], scenarios={}, pooled=None))
    t0 = time.perf_counter()
    real_pooled = None if a.no_real else real_data(a, gaitpop, report)
    sim_pooled = None if a.no_sim else simulator(a, gaitpop, report)
    imp_pooled, imp_all = (None, None) if a.no_impaired else impaired(a, gaitpop, report)
    if not a.no_step_length:
        step_length(a, gaitpop, report)
    goal_lines(real_pooled, sim_pooled, report, imp_pooled, imp_all)
    print(f"\n(done in {time.perf_counter() - t0:.0f} s; this is a report: exit status 0 whatever the figures)")
    if a.json:
        os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
        with open(a.json, "w") as f:
            json.dump(clean_json(report), f, indent=1)
        print(f"figures written to {a.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

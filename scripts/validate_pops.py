#!/usr/bin/env python3
"""Pop-detector validation for gaitpop: the simulator's acoustic events (exact ground truth) against the pops that
`gaitpop replay --json` prints, with aubio's general-purpose onset detector (`aubioonset`) on the same audio side by
side. It is a report, not a test: it always exits 0, whatever the figures (a missing binary or a failing run gives a
message, not a traceback).

Run from the repository root:

    swift build -c release && python3 scripts/validate_pops.py
    python3 scripts/validate_pops.py --quick                     # one seed per scenario
    python3 scripts/validate_pops.py --snr 10,15,20 --json out/pops.json

Needs python3 and numpy. The aubio columns need `aubioonset` (Debian/Ubuntu: `apt-get install -y aubio-tools`);
without it they are skipped with an install hint.

Per scenario (presets cavitation, snapping-tendon, grinding, noisy and the event-free healthy) and seed:
    gaitpop simulate --scenario S --seed N --duration 60 --out TMP.gpsession --truth TRUTH.json
    gaitpop export TMP.gpsession --wav TMP.wav --csv TMPDIR
    gaitpop replay TMP.gpsession --speed max --json         -> {"type":"pop","t":..,"kind":..,"cycle_percent":..}
    aubioonset -i TMP.wav          (aubio's default method, which is hfc in aubio 0.4.9)
    aubioonset -i TMP.wav -O hfc
    aubioonset -i TMP.wav -O specflux                        -> one onset time (s) per line
With --snr L1,L2,..: the preset is fetched with `gaitpop simulate --print-scenario S`, every `events.*.snrDb`
(or `snr_db`) is set to L, and the edited file is passed as --scenario (one row per preset and level; the token
`preset` keeps the preset's own levels). The event-free preset is run once.

Scoring (docs/POPS-VALIDATION.md):
  * positives: truth `acoustic_events` with snr_db >= 10 (--min-snr). Detections are matched one-to-one to ALL
    truth events within +-10 ms (--tol-ms), greedily by increasing |error|; a detection matched to a weaker truth
    event is ignored (neither TP nor FP); an unmatched detection is a false positive.
  * F1, precision, recall; gaitpop kind accuracy over matched positives; median circular |cycle_percent error|
    (min(d, 100-d)) over matched positives where both values are known; median |onset error| in ms;
    false events per minute of session (on `healthy` every detection is false).
  * aubio: each method scored the same way; per scenario the method with the best F1 (fewest false events on the
    event-free preset) is aubio's score, pooled figures add up each scenario's best method.
  * aubio always reports an onset at 0.000 s when a file does not begin in silence (the start of the file, not a
    sound); that one is dropped.

Options: --gaitpop PATH (default .build/release/gaitpop), --aubio PATH, --no-aubio, --aubio-methods LIST,
--aubio-extra "ARGS", --presets LIST, --seeds N, --quick, --snr LIST, --duration S, --audio-rate HZ, --tol-ms MS, --min-snr DB,
--jobs N, --timeout S, --keep DIR, --json OUT.
"""
from __future__ import annotations

import argparse
import collections
import bisect
import concurrent.futures
import datetime
import json
import math
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

try:
    import numpy as np
except ImportError:  # pragma: no cover
    print("validate_pops.py needs numpy: `python3 -m pip install numpy` (or apt-get install python3-numpy)")
    sys.exit(0)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PRESETS = ["cavitation", "snapping-tendon", "grinding", "noisy", "healthy"]
EVENT_FREE = "healthy"
AUBIO_METHODS = ["default", "hfc", "specflux"]
AUBIO_HINT = ("aubioonset not found: install it with `sudo apt-get install -y aubio-tools` (Debian/Ubuntu; "
              "macOS: `brew install aubio`), or pass --aubio PATH. The aubio columns are skipped.")

GOALS = dict(f1=0.95, kind_acc=0.90, per_kind_acc=0.85, cyc_med=2.0, false_per_min=0.3, confident_acc=0.8)
SAME_EVENT_S = 0.025    # a provisional and a final pop this close are the same event
PERRY = [(0.0, 12.0, "loading_response"), (12.0, 31.0, "mid_stance"), (31.0, 50.0, "terminal_stance"),
         (50.0, 62.0, "pre_swing"), (62.0, 75.0, "initial_swing"), (75.0, 87.0, "mid_swing"),
         (87.0, 100.0001, "terminal_swing")]
NAN = float("nan")


class StepFailed(Exception):
    pass


# ================================================================================================ running tools
def run(cmd, timeout, what=None, env=None):
    what = what or " ".join(os.path.basename(c) if i == 0 else c for i, c in enumerate(cmd[:2]))
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise StepFailed(f"`{what}` timed out after {timeout:.0f} s")
    except OSError as e:
        raise StepFailed(f"`{what}` could not start: {e}")
    if p.returncode != 0:
        msg = (p.stderr.strip() or p.stdout.strip()).splitlines()
        raise StepFailed(f"`{what}` exited {p.returncode}: {msg[-1] if msg else 'no message'}")
    return p.stdout, p.stderr


TRACE_RE = re.compile(r"^cand t=([0-9.]+) .*?kind=(\S+) verdict=(\S+) why=(\S+) prox=(\S+) bass=(\d)")


def parse_trace(text):
    """Every candidate the detector judged (GAITPOP_POP_TRACE=1 `cand` lines): (t, kind, verdict, why, bass)."""
    out = []
    for line in text.splitlines():
        m = TRACE_RE.match(line)
        if m:
            out.append((float(m.group(1)), m.group(2), m.group(3), m.group(4), m.group(6) == "1"))
    return out


def parse_pops(text):
    """`"type":"pop"` lines of replay --json. Returns (pops kept, number of provisional pops dropped)."""
    pops = []
    for o in json_lines(text):
        if o.get("type") == "pop" and isinstance(o.get("t"), (int, float)):
            pops.append(o)
    finals = [p for p in pops if p.get("provisional") is False or p.get("provisional") is None]
    provs = [p for p in pops if p.get("provisional") is True]
    ft = np.array(sorted(p["t"] for p in finals), float)
    kept_provs = [p for p in provs if len(ft) == 0 or np.min(np.abs(ft - p["t"])) > SAME_EVENT_S]
    out = sorted(finals + kept_provs, key=lambda p: p["t"])
    return out, len(provs) - len(kept_provs)


def parse_onsets(text):
    """aubioonset output: one time in seconds per line. Drops aubio's start-of-file onset at 0.000."""
    ts, dropped = [], 0
    for line in text.split():
        try:
            t = float(line)
        except ValueError:
            continue
        if t <= 0.0:
            dropped += 1
            continue
        ts.append(t)
    return ts, dropped


def aubio_cmd(aubio, method, wav, extra):
    cmd = [aubio, "-i", wav]
    if method != "default":
        cmd += ["-O", method]
    return cmd + extra


def scenario_file(gaitpop, preset, level, path, timeout):
    """The preset's scenario JSON with every events.*.snrDb / snr_db set to `level`; returns the number of keys set."""
    out, _ = run([gaitpop, "simulate", "--print-scenario", preset], timeout, "gaitpop simulate --print-scenario")
    sc = json.loads(out)
    n = 0
    events = sc.get("events") or {}
    for spec in (events.values() if isinstance(events, dict) else events):
        if isinstance(spec, dict):
            for k in ("snrDb", "snr_db"):
                if k in spec:
                    spec[k] = level
                    n += 1
    sc["name"] = f"{sc.get('name', preset)}-snr{level:g}"
    with open(path, "w") as f:
        json.dump(sc, f, indent=2)
    return n


def one_run(job, a, gaitpop, aubio, work):
    """simulate -> export -> replay (+ aubio). Returns the raw material of one (scenario, seed)."""
    row, seed = job["row"], job["seed"]
    d = os.path.join(work, f"{row['key']}-seed{seed}")
    os.makedirs(d, exist_ok=True)
    session, truth_path = os.path.join(d, "walk.gpsession"), os.path.join(d, "truth.json")
    wav, csvdir = os.path.join(d, "walk.wav"), os.path.join(d, "csv")
    res = dict(row=row["key"], seed=seed, error=None, aubio={}, aubio_errors={})
    try:
        cmd = [gaitpop, "simulate", "--scenario", row["scenario_arg"], "--seed", str(seed), "--out", session,
               "--truth", truth_path]
        if a.family != "none":
            # One wearer per (preset, seed): the acoustic draw differs across presets too.
            cmd += ["--acoustic-family", a.family, "--acoustic-seed", str(seed * 16 + PRESETS.index(row["preset"])
                                                                          if row["preset"] in PRESETS else seed)]
        if a.duration:
            cmd += ["--duration", f"{a.duration:g}"]
        if a.audio_rate:
            cmd += ["--audio-rate", str(a.audio_rate)]
        run(cmd, a.timeout, "gaitpop simulate")
        with open(truth_path) as f:
            truth = json.load(f)
        run([gaitpop, "export", session, "--wav", wav, "--csv", csvdir], a.timeout, "gaitpop export")
        out, err = run([gaitpop, "replay", session, "--speed", "max", "--json"]
                       + (["--pop-config-file", a.pop_config] if a.pop_config else []), a.timeout, "gaitpop replay",
                       env=dict(os.environ, GAITPOP_POP_TRACE="1") if a.trace_misses else None)
        pops, prov_dropped = parse_pops(out)
        res["candidates"] = parse_trace(err) if a.trace_misses else None
    except (StepFailed, OSError, ValueError) as e:
        res["error"] = str(e)
        return res
    res.update(contacts=sorted(c["t"] for c in truth.get("initial_contacts") or []),
               snap_band_hz=((truth.get("acoustics") or {}).get("snap") or {}).get("low_hz"),
               snap_band_high_hz=((truth.get("acoustics") or {}).get("snap") or {}).get("high_hz"))
    res.update(truth_events=truth.get("acoustic_events") or [], duration_s=float(truth.get("duration_s") or 0.0),
               walking_s=sum(max(0.0, b["end_seconds"] - b["start_seconds"]) for b in truth.get("bouts", [])),
               pops=pops, provisional_dropped=prov_dropped, n_status=out.count('"type":"status"'))
    if aubio:
        for m in a.aubio_methods:
            try:
                out, err = run(aubio_cmd(aubio, m, wav, a.aubio_extra), a.timeout, f"aubioonset {m}")
                if "AUBIO ERROR" in err and not out.strip():
                    raise StepFailed(f"`aubioonset {m}`: {err.strip().splitlines()[-1]}")
                res["aubio"][m] = parse_onsets(out)
            except StepFailed as e:
                res["aubio_errors"][m] = str(e)
    return res


# ================================================================================================ matching & metrics
import os as _os
import sys as _sys
_sys.path.insert(0, _os.path.dirname(_os.path.abspath(__file__)))
from evallib import json_lines, match  # noqa: E402  (the one-to-one matching both validation scripts use)


def circ_cycle_err(a, b):
    d = abs(a - b) % 100.0
    return min(d, 100.0 - d)


def perry(pct):
    for lo, hi, name in PERRY:
        if lo <= pct < hi:
            return name
    return None


def empty_counts():
    return dict(runs=0, minutes=0.0, walking_minutes=0.0, n_det=0, n_pos=0, n_low=0, tp=0, fp=0, fn=0, ignored=0,
                onset_err=[], kind_pairs=[], conf_pairs=[], leg_cyc_err=[], leg_agree=[], cyc_err=[], cyc_truth_only=0, cyc_det_only=0, phase_pairs=[],
                phase_inconsistent=0, phase_checked=0, snr_diff=[], low_detected=0, provisional_dropped=0,
                start_onsets_dropped=0, missed=[], false=[], wrong_kind=[])


def merge(counts_list):
    out = empty_counts()
    for c in counts_list:
        for k, v in c.items():
            out[k] = out[k] + v
    return out


def since_contact(contacts, t):
    """Seconds since the latest initial contact at or before t (None before the first)."""
    i = bisect.bisect_right(contacts, t)
    return t - contacts[i - 1] if i else None


def tally_causes(causes, res, g, event_free):
    """Sorts each miss and false event by a likely cause: the walk's snap band against the 300 Hz detection band, the
    time since the last contact (a heel strike's sound lasts ~120 ms), and whether anything was heard nearby."""
    contacts = res.get("contacts") or []
    lo, hi = res.get("snap_band_hz"), res.get("snap_band_high_hz")
    for m in g.get("missed", []):
        kind = m.get("kind") or "?"
        if kind == "snap" and lo is not None and hi is not None:
            kind += " <300 Hz" if hi < 300 else " across 300 Hz" if lo < 300 else " >=300 Hz"
        sc = since_contact(contacts, m["onset_s"])
        where = "<=120 ms after a contact" if sc is not None and sc <= 0.12 else "away from contacts"
        near = m.get("nearest_pop_ms")
        heard = "a pop within 50 ms (mistimed)" if near is not None and near <= 50 else "nothing within 50 ms"
        cands = res.get("candidates")
        if cands is not None and heard == "nothing within 50 ms":
            # --trace-misses: was a candidate opened there (and rejected, by which rule) or none at all?
            close = [c for c in cands if abs(c[0] - m["onset_s"]) <= 0.02]
            if close:
                c = min(close, key=lambda c: abs(c[0] - m["onset_s"]))
                heard = f"candidate rejected ({c[2]}/{c[3]}, {'bass' if c[4] else 'band'}, {c[1]})"
            else:
                heard = "no candidate within 20 ms"
        causes["missed"][(kind, where, heard)] += 1
    for f in g.get("false", []):
        sc = since_contact(contacts, f["t"])
        where = "<=120 ms after a contact" if sc is not None and sc <= 0.12 else "away from contacts"
        near = f.get("nearest_truth_ms")
        truth = "a truth event within 50 ms" if near is not None and near <= 50 else "no truth event within 50 ms"
        causes["false"][("event-free walk" if event_free else "event walk", f.get("kind") or "?", where, truth)] += 1


def score(det, events, a, minutes, walking_minutes, with_pop_fields):
    """Counts of one run: det = pop dicts (gaitpop) or onset times (aubio)."""
    c = empty_counts()
    c["runs"], c["minutes"], c["walking_minutes"] = 1, minutes, walking_minutes
    dt = [p["t"] for p in det] if with_pop_fields else list(det)
    ref = [e["onset_s"] for e in events]
    pos = [e.get("snr_db") is None or e["snr_db"] >= a.min_snr for e in events]
    pairs = match(dt, ref, a.tol_ms / 1000.0)
    c["n_det"], c["n_pos"], c["n_low"] = len(dt), sum(pos), len(events) - sum(pos)
    tp_pairs = [(i, j) for i, j in pairs if pos[j]]
    c["tp"], c["ignored"] = len(tp_pairs), len(pairs) - len(tp_pairs)
    c["low_detected"] = c["ignored"]
    c["fp"], c["fn"] = len(dt) - len(pairs), c["n_pos"] - c["tp"]
    if with_pop_fields:     # what went wrong, by event (for the --json output)
        matched_d, matched_r = {i for i, _ in pairs}, {j for _, j in pairs}
        c["missed"] = [dict(onset_s=events[j]["onset_s"], kind=events[j].get("kind"), snr_db=events[j].get("snr_db"),
                            cycle_percent=events[j].get("cycle_percent"), nearest_pop_ms=(
                                float(np.min(np.abs(np.asarray(dt) - ref[j]))) * 1000.0 if dt else None))
                       for j in range(len(events)) if pos[j] and j not in matched_r]
        c["false"] = [dict(t=det[i]["t"], kind=det[i].get("kind"), snr_db=det[i].get("snr_db"),
                           duration=det[i].get("duration"), nearest_truth_ms=(
                               float(np.min(np.abs(np.asarray(ref) - dt[i]))) * 1000.0 if ref else None))
                      for i in range(len(dt)) if i not in matched_d]
        c["wrong_kind"] = [dict(onset_s=events[j]["onset_s"], truth=events[j].get("kind"), gaitpop=det[i].get("kind"),
                                truth_duration_s=events[j].get("duration_s"), duration=det[i].get("duration"),
                                snr_db=events[j].get("snr_db"), confidence=det[i].get("confidence"))
                           for i, j in tp_pairs if events[j].get("kind") != det[i].get("kind")]
    for i, j in tp_pairs:
        c["onset_err"].append(dt[i] - ref[j])
        if not with_pop_fields:
            continue
        p, e = det[i], events[j]
        c["kind_pairs"].append((e.get("kind"), p.get("kind")))
        if isinstance(p.get("confidence"), (int, float)):
            c["conf_pairs"].append((p["confidence"], e.get("kind") == p.get("kind")))
        lp = p.get("cycle_percent") if p.get("stance_leg") is not None else None
        le = e.get("leg_cycle_percent")
        if lp is not None and le is not None:
            c["leg_cyc_err"].append(circ_cycle_err(lp, le))
        if p.get("stance_leg") is not None and e.get("stance_leg") is not None:
            c["leg_agree"].append(p["stance_leg"] == e["stance_leg"])
        pc = p.get("left_cycle_percent", p.get("cycle_percent"))
        ec = e.get("cycle_percent")
        if pc is not None and ec is not None:
            c["cyc_err"].append(circ_cycle_err(pc, ec))
        elif ec is not None:
            c["cyc_truth_only"] += 1
        elif pc is not None:
            c["cyc_det_only"] += 1
        if p.get("phase") is not None and e.get("phase") is not None:
            c["phase_pairs"].append((e["phase"], p["phase"]))
        if pc is not None and p.get("phase") is not None:
            c["phase_checked"] += 1
            c["phase_inconsistent"] += int(perry(pc) != p["phase"])
        if p.get("snr_db") is not None and e.get("snr_db") is not None:
            c["snr_diff"].append(p["snr_db"] - e["snr_db"])
    return c


def figures(c):
    """Summary figures of (merged) counts; NaN where undefined."""
    den = 2 * c["tp"] + c["fp"] + c["fn"]
    med = lambda x: float(np.median(x)) if len(x) else NAN
    kinds_ok = sum(1 for t, d in c["kind_pairs"] if t == d)
    f = dict(runs=c["runs"], minutes=c["minutes"], n_det=c["n_det"], n_pos=c["n_pos"], n_low=c["n_low"],
             tp=c["tp"], fp=c["fp"], fn=c["fn"], ignored=c["ignored"],
             f1=2.0 * c["tp"] / den if den and c["n_pos"] else NAN,
             precision=c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else NAN,
             recall=c["tp"] / c["n_pos"] if c["n_pos"] else NAN,
             onset_med_ms=med(np.abs(c["onset_err"])) * 1000.0,
             onset_bias_ms=med(c["onset_err"]) * 1000.0,
             false_per_min=c["fp"] / c["minutes"] if c["minutes"] else NAN,
             false_per_walking_min=c["fp"] / c["walking_minutes"] if c["walking_minutes"] else NAN)
    if c["kind_pairs"]:
        f["kind_acc"] = kinds_ok / len(c["kind_pairs"])
    else:
        f["kind_acc"] = NAN
    per_kind = {}
    for k in sorted({t for t, _ in c["kind_pairs"]}):
        pk = [d for t, d in c["kind_pairs"] if t == k]
        per_kind[k] = sum(1 for d in pk if d == k) / len(pk)
    f["per_kind_acc"] = per_kind
    f["min_kind_acc"] = min(per_kind.values()) if per_kind else NAN
    conf = [ok for cf, ok in c["conf_pairs"] if cf >= 0.8]
    f["confident_n"] = len(conf)
    f["confident_acc"] = sum(conf) / len(conf) if conf else NAN
    f["leg_cyc_med"] = med(c["leg_cyc_err"])
    f["n_leg_cyc"] = len(c["leg_cyc_err"])
    f["leg_agree"] = sum(c["leg_agree"]) / len(c["leg_agree"]) if c["leg_agree"] else NAN
    f.update(n_kind=len(c["kind_pairs"]), cyc_med=med(c["cyc_err"]),
             cyc_p90=float(np.percentile(c["cyc_err"], 90)) if c["cyc_err"] else NAN, n_cyc=len(c["cyc_err"]),
             cyc_truth_only=c["cyc_truth_only"], cyc_det_only=c["cyc_det_only"],
             phase_agree=(sum(1 for t, d in c["phase_pairs"] if t == d) / len(c["phase_pairs"])
                          if c["phase_pairs"] else NAN), n_phase=len(c["phase_pairs"]),
             phase_inconsistent=c["phase_inconsistent"], phase_checked=c["phase_checked"],
             snr_bias_db=med(c["snr_diff"]), low_detected=c["low_detected"],
             provisional_dropped=c["provisional_dropped"], start_onsets_dropped=c["start_onsets_dropped"])
    return f


def confusion(c):
    m = {}
    for t, d in c["kind_pairs"]:
        m.setdefault(t, {}).setdefault(d, 0)
        m[t][d] += 1
    return m


# ================================================================================================ printing
def fmt(x, spec, width=None):
    if isinstance(x, (int, float)) and not (isinstance(x, float) and math.isnan(x)):
        return format(x, spec)
    w = width if width is not None else len(format(0.0, spec))
    return "n/a".rjust(w) if not spec.startswith("<") else "n/a".ljust(w)


HEADER = (f"{'scenario':24s} {'runs':>4s} {'pos':>4s} {'<10dB':>5s} | {'gaitpop':7s} {'F1':>5s} {'P':>5s} {'R':>5s} "
          f"{'kind':>5s} {'|cyc|':>5s} {'|dt|ms':>6s} {'FP/min':>6s} | {'aubio':5s} {'F1':>5s} {'|dt|ms':>6s} "
          f"{'FP/min':>6s} {'method':8s} | {'F1 winner':9s}")


def table_row(label, g, ab, method, winner):
    s = (f"{label:24s} {g['runs']:4d} {g['n_pos']:4d} {g['n_low']:5d} | {g['n_det']:7d} {fmt(g['f1'], '5.3f')} "
         f"{fmt(g['precision'], '5.3f')} {fmt(g['recall'], '5.3f')} {fmt(g['kind_acc'], '5.3f')} "
         f"{fmt(g['cyc_med'], '5.2f')} {fmt(g['onset_med_ms'], '6.2f')} {fmt(g['false_per_min'], '6.2f')} | ")
    if ab is None:
        s += f"{'-':>5s} {'-':>5s} {'-':>6s} {'-':>6s} {'-':8s} | "
    else:
        s += (f"{ab['n_det']:5d} {fmt(ab['f1'], '5.3f')} {fmt(ab['onset_med_ms'], '6.2f')} "
              f"{fmt(ab['false_per_min'], '6.2f')} {method:8s} | ")
    return s + winner


# ================================================================================================ environment
def environment(gaitpop, aubio):
    env = dict(gaitpop=gaitpop)
    try:
        env["commit"] = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True,
                                       text=True, timeout=10).stdout.strip() or None
        st = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--", "Sources"], capture_output=True,
                            text=True, timeout=10).stdout
        env["sources_modified_since_commit"] = bool(st.strip())
    except (OSError, subprocess.TimeoutExpired):
        env["commit"] = None
    try:
        bt = os.path.getmtime(gaitpop)
        env["binary_built"] = datetime.datetime.fromtimestamp(bt).isoformat(timespec="seconds")
        newest, newest_path = 0.0, None
        for root, _, files in os.walk(os.path.join(REPO, "Sources")):
            for fn in files:
                if fn.endswith(".swift"):
                    p = os.path.join(root, fn)
                    m = os.path.getmtime(p)
                    if m > newest:
                        newest, newest_path = m, os.path.relpath(p, REPO)
        env["binary_older_than_sources"] = newest > bt
        env["newest_source"] = newest_path
    except OSError:
        pass
    if aubio:
        try:
            p = subprocess.run([shutil.which("aubio") or "aubio", "--version"], capture_output=True, text=True,
                               timeout=10)
            env["aubio_version"] = (p.stdout.strip() or p.stderr.strip()).splitlines()[0]
        except (OSError, subprocess.TimeoutExpired, IndexError):
            env["aubio_version"] = None
    return env


def clean_json(x):
    if isinstance(x, float):
        return None if math.isnan(x) or math.isinf(x) else round(x, 6)
    if isinstance(x, dict):
        return {str(k): clean_json(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [clean_json(v) for v in x]
    if isinstance(x, (np.floating,)):
        return clean_json(float(x))
    if isinstance(x, (np.integer,)):
        return int(x)
    return x


# ================================================================================================ main
def plan(a, gaitpop, work):
    """Scenario rows: (key, label, preset, level or None, scenario argument)."""
    levels = [None]
    if a.snr:
        levels = []
        for tok in a.snr.split(","):
            tok = tok.strip()
            if not tok:
                continue
            if tok.lower() in ("preset", "default"):
                levels.append(None)
            else:
                levels.append(float(tok))
    rows, notes = [], []
    for preset in a.presets:
        for level in (levels if preset != EVENT_FREE else [None]):
            key = preset if level is None else f"{preset}-snr{level:g}"
            label = preset if level is None else f"{preset} @{level:g} dB"
            arg = preset
            if level is not None:
                arg = os.path.join(work, f"{key}.json")
                try:
                    n = scenario_file(gaitpop, preset, level, arg, a.timeout)
                except (StepFailed, ValueError, OSError) as e:
                    notes.append(f"{label}: could not make the scenario file ({e}); row skipped")
                    continue
                if n == 0:
                    notes.append(f"{label}: the preset's JSON has no events.*.snrDb/snr_db key; row skipped")
                    continue
            rows.append(dict(key=key, label=label, preset=preset, level=level, scenario_arg=arg,
                             event_free=(preset == EVENT_FREE)))
    return rows, notes


def main(argv=None):
    ap = argparse.ArgumentParser(description="Pop-detector validation: gaitpop vs simulator truth, aubio alongside.")
    ap.add_argument("--gaitpop", default=os.path.join(REPO, ".build", "release", "gaitpop"))
    ap.add_argument("--aubio", default=None, help="the aubioonset command (default: found on PATH)")
    ap.add_argument("--no-aubio", action="store_true")
    ap.add_argument("--aubio-methods", default=",".join(AUBIO_METHODS),
                    help="aubioonset -O methods; 'default' = no -O (default: %(default)s)")
    ap.add_argument("--aubio-extra", default="", help="extra aubioonset arguments, e.g. \"-H 64\"")
    ap.add_argument("--presets", default=",".join(PRESETS))
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--family", default="none", choices=["none", "tuning", "heldout"],
                    help="randomise the microphone's physics per walk (gaitpop simulate --acoustic-family); "
                         "tuning walks use seeds 1..N, held-out walks seeds 1001..1000+N (docs/POPS-VALIDATION.md)")
    ap.add_argument("--quick", action="store_true", help="one seed")
    ap.add_argument("--snr", default=None, help="event SNR levels, e.g. 10,15,20 ('preset' = the preset's own)")
    ap.add_argument("--duration", type=float, default=60.0, help="seconds per simulated walk (0 = the scenario's)")
    ap.add_argument("--audio-rate", type=int, default=None,
                    help="force every walk's microphone rate (Hz, 8000-48000) over the family's draw: the same "
                         "physics heard at another rate")
    ap.add_argument("--tol-ms", type=float, default=10.0)
    ap.add_argument("--min-snr", type=float, default=10.0, help="truth events below this are ignored")
    ap.add_argument("--jobs", type=int, default=max(1, min(8, os.cpu_count() or 1)))
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per tool call")
    ap.add_argument("--keep", default=None, help="keep the sessions, truth, WAVs and scenario files in this folder")
    ap.add_argument("--json", default=None, help="write every figure here")
    ap.add_argument("--trace-misses", action="store_true",
                    help="replay with GAITPOP_POP_TRACE=1 and sort each miss with no pop near it by whether a candidate "
                         "was opened there (and which rule rejected it) or none")
    ap.add_argument("--pop-config", default=None,
                    help="PopConfig JSON passed to replay (--pop-config-file): try parameters on tuning walks only")
    a = ap.parse_args(argv)
    a.presets = [p.strip() for p in a.presets.split(",") if p.strip()]
    a.aubio_methods = [m.strip() for m in a.aubio_methods.split(",") if m.strip()]
    a.aubio_extra = shlex.split(a.aubio_extra)
    first_seed = 1001 if a.family == "heldout" else 1
    seeds = list(range(first_seed, first_seed + (1 if a.quick else max(1, a.seeds))))

    gaitpop = os.path.abspath(a.gaitpop) if os.sep in a.gaitpop else (shutil.which(a.gaitpop) or a.gaitpop)
    if not (os.path.isfile(gaitpop) and os.access(gaitpop, os.X_OK)):
        print(f"gaitpop binary not found at {gaitpop}: build it with `swift build -c release` "
              f"(or pass --gaitpop PATH). Nothing measured.")
        return 0
    aubio = None
    if not a.no_aubio:
        aubio = a.aubio or shutil.which("aubioonset")
        if aubio is None or shutil.which(aubio) is None:
            print(AUBIO_HINT)
            aubio = None
    env = environment(gaitpop, aubio)

    work_ctx = None
    if a.keep:
        work = os.path.abspath(a.keep)
        os.makedirs(work, exist_ok=True)
    else:
        work_ctx = tempfile.TemporaryDirectory(prefix="validate_pops-")
        work = work_ctx.name
    try:
        return report(a, gaitpop, aubio, env, seeds, work)
    finally:
        if work_ctx is not None:
            work_ctx.cleanup()


def report(a, gaitpop, aubio, env, seeds, work):
    rows, notes = plan(a, gaitpop, work)
    print(f"gaitpop pop validation — binary {env['gaitpop']} (built {env.get('binary_built', '?')}), "
          f"commit {env.get('commit') or '?'}"
          + (" + uncommitted changes under Sources/" if env.get("sources_modified_since_commit") else ""))
    if env.get("binary_older_than_sources"):
        print(f"  note: the binary is older than {env.get('newest_source')}: rebuild "
              f"(`swift build -c release`) to measure the current sources")
    print(f"  acoustic family: {a.family}" + (" (held-out: nothing was tuned on these walks)" if a.family == "heldout"
                                               else " (tuning)" if a.family == "tuning" else " (the presets' fixed physics)"))
    print(f"  {len(rows)} scenarios x seeds {seeds[0]}..{seeds[-1]}, {a.duration:g} s each; positives: truth events "
          f">= {a.min_snr:g} dB, matched within +-{a.tol_ms:g} ms; aubio: "
          + (f"{os.path.basename(aubio)} {'/'.join(a.aubio_methods)}"
             + (f" {' '.join(a.aubio_extra)}" if a.aubio_extra else "") + f" ({env.get('aubio_version') or '?'})"
             if aubio else "skipped (not installed: `sudo apt-get install -y aubio-tools`)" if not a.no_aubio
             else "skipped (--no-aubio)"))
    for n in notes:
        print("  " + n)
    jobs = [dict(row=r, seed=s) for r in rows for s in seeds]
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        results = list(ex.map(lambda j: one_run(j, a, gaitpop, aubio, work), jobs))

    # ---- per run counts
    by_row = {r["key"]: dict(g=[], a={m: [] for m in a.aubio_methods}, runs=[]) for r in rows}
    causes = dict(missed=collections.Counter(), false=collections.Counter())
    errors = []
    for res in results:
        tag = f"{res['row']} seed {res['seed']}"
        if res["error"]:
            errors.append(f"{tag}: {res['error']}")
            continue
        for m, e in res["aubio_errors"].items():
            errors.append(f"{tag}: {e}")
        minutes, wmin = res["duration_s"] / 60.0, res["walking_s"] / 60.0
        g = score(res["pops"], res["truth_events"], a, minutes, wmin, True)
        g["provisional_dropped"] = res["provisional_dropped"]
        slot = by_row[res["row"]]
        slot["g"].append(g)
        run_rec = dict(seed=res["seed"], gaitpop=figures(g), n_truth=len(res["truth_events"]), aubio={},
                       gaitpop_missed=g["missed"], gaitpop_false=g["false"], gaitpop_wrong_kind=g["wrong_kind"])
        for m, (onsets, dropped) in res["aubio"].items():
            c = score(onsets, res["truth_events"], a, minutes, wmin, False)
            c["start_onsets_dropped"] = dropped
            slot["a"][m].append(c)
            run_rec["aubio"][m] = figures(c)
        slot["runs"].append(run_rec)
        tally_causes(causes, res, g, next(r for r in rows if r["key"] == res["row"]).get("event_free"))

    # ---- per scenario rows
    out_rows, pooled_g, pooled_a, free_g, free_a = [], [], [], [], []
    beats = []
    print()
    print(HEADER)
    print("-" * len(HEADER))
    for r in rows:
        slot = by_row[r["key"]]
        if not slot["g"]:
            print(f"{r['label']:24s} no successful run")
            continue
        gc = merge(slot["g"])
        gf = figures(gc)
        afs = {m: figures(merge(cs)) for m, cs in slot["a"].items() if cs and len(cs) == len(slot["g"])}
        best = None
        if afs:
            if r["event_free"]:
                best = min(afs, key=lambda m: (afs[m]["false_per_min"], a.aubio_methods.index(m)))
            else:
                best = max(afs, key=lambda m: (-1.0 if math.isnan(afs[m]["f1"]) else afs[m]["f1"],
                                               -a.aubio_methods.index(m)))
        af = afs.get(best) if best else None
        winner = ""
        if r["event_free"]:
            if af is not None:
                winner = ("(fewer FP: gaitpop)" if gf["false_per_min"] < af["false_per_min"] else
                          "(fewer FP: aubio)" if gf["false_per_min"] > af["false_per_min"] else "(FP: tie)")
            free_g.append(gc)
            if af is not None:
                free_a.append(merge(slot["a"][best]))
        else:
            pooled_g.append(gc)
            if af is not None:
                pooled_a.append(merge(slot["a"][best]))
                if math.isnan(gf["f1"]) or math.isnan(af["f1"]):
                    winner = "n/a"
                else:
                    won = gf["f1"] > af["f1"]
                    winner = "gaitpop" if won else ("tie" if gf["f1"] == af["f1"] else "AUBIO")
                    beats.append((r["label"], won, gf["f1"], af["f1"], best))
        print(table_row(r["label"], gf, af, best or "", winner))
        out_rows.append(dict(key=r["key"], label=r["label"], preset=r["preset"], snr_override=r["level"],
                             event_free=r["event_free"], gaitpop=gf, gaitpop_kind_confusion=confusion(gc),
                             aubio_by_method=afs, aubio_best_method=best, aubio=af, f1_winner=winner,
                             runs=slot["runs"]))
    print("-" * len(HEADER))
    pg = figures(merge(pooled_g)) if pooled_g else None
    pa = figures(merge(pooled_a)) if pooled_a else None
    fg = figures(merge(free_g)) if free_g else None
    fa = figures(merge(free_a)) if free_a else None
    if pg:
        print(table_row("pooled: event scenarios", pg, pa, "best/row" if pa else "", ""))
    if fg:
        print(table_row("pooled: event-free", fg, fa, "best/row" if fa else "", ""))
    print("pos: truth events >= min SNR; <10dB: weaker truth events (ignored); gaitpop/aubio: detections; "
          "kind: accuracy over matched;\n|cyc|: median circular |cycle_percent error|; |dt|ms: median |onset error|; "
          "FP/min: unmatched detections per session minute.")

    # ---- aubio per method
    if aubio and out_rows:
        print()
        print("aubio F1 at +-%g ms by method (event-free row: false events/min)" % a.tol_ms)
        print(f"{'scenario':24s} " + " ".join(f"{m:>9s}" for m in a.aubio_methods))
        for o in out_rows:
            cells = []
            for m in a.aubio_methods:
                f = o["aubio_by_method"].get(m)
                v = None if f is None else (f["false_per_min"] if o["event_free"] else f["f1"])
                cells.append(fmt(v, "9.3f" if not o["event_free"] else "9.2f", 9))
            print(f"{o['label']:24s} " + " ".join(cells))
        same = [o["label"] for o in out_rows if "default" in o["aubio_by_method"] and "hfc" in o["aubio_by_method"]
                and o["aubio_by_method"]["default"]["n_det"] == o["aubio_by_method"]["hfc"]["n_det"]
                and o["aubio_by_method"]["default"]["tp"] == o["aubio_by_method"]["hfc"]["tp"]]
        if len(same) == len(out_rows):
            print("(aubio's default method is hfc: the two columns are the same runs)")
        dropped = sum(f["start_onsets_dropped"] for o in out_rows for f in o["aubio_by_method"].values())
        if dropped:
            print(f"({dropped} aubio start-of-file onsets at 0.000 s dropped)")

    # ---- gaitpop diagnostics
    if pg:
        allc = merge(pooled_g)
        print()
        print("gaitpop diagnostics (event scenarios, matched positives)")
        conf = confusion(allc)
        kinds_det = sorted({d for row in conf.values() for d in row})
        print("  kind confusion (truth -> gaitpop): " + "; ".join(
            f"{t}: " + ", ".join(f"{d} {conf[t][d]}" for d in kinds_det if conf[t].get(d)) for t in sorted(conf)))
        print(f"  onset error: median {fmt(pg['onset_bias_ms'], '+.2f')} ms signed, "
              f"{fmt(pg['onset_med_ms'], '.2f')} ms absolute")
        print(f"  cycle_percent: {pg['n_cyc']} compared (p90 |err| {fmt(pg['cyc_p90'], '.2f')}); "
              f"{pg['cyc_truth_only']} with a truth value but null from gaitpop; {pg['cyc_det_only']} the reverse")
        print(f"  phase label: agrees with truth for {fmt(pg['phase_agree'] * 100 if pg['n_phase'] else NAN, '.1f')}%"
              f" of {pg['n_phase']}; {pg['phase_inconsistent']}/{pg['phase_checked']} labels outside Perry's range "
              f"for gaitpop's own cycle_percent")
        print(f"  snr_db: gaitpop minus truth, median {fmt(pg['snr_bias_db'], '+.1f')} dB")
        print("  kind accuracy by true kind: " + ", ".join(f"{k} {v:.3f}" for k, v in pg["per_kind_acc"].items()))
        print(f"  confidence >= 0.8: {pg['confident_n']} pops, {fmt(pg['confident_acc'], '.3f')} of them the right kind")
        print(f"  stance leg agrees with truth for {fmt(pg['leg_agree'] * 100 if pg['n_leg_cyc'] else NAN, '.1f')}%;"
              f" leg cycle_percent compared for {pg['n_leg_cyc']}")
        low = sum(o["gaitpop"]["n_low"] for o in out_rows if not o["event_free"])
        print(f"  truth events below {a.min_snr:g} dB: {pg['low_detected']}/{low} detected (not scored)")
        if pg["provisional_dropped"]:
            print(f"  {pg['provisional_dropped']} provisional pops dropped in favour of final ones")
        for what, title in (("missed", "misses by cause (kind, where, nearest pop)"),
                            ("false", "false events by cause (walk, kind, where, nearest truth event)")):
            if causes[what]:
                print(f"  {title}:")
                for key, n in causes[what].most_common():
                    print(f"    {n:4d}  " + ", ".join(key))

    # ---- goals
    goals = []

    def goal(name, value, spec, op, target, text_target):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            status = "not measured"
        else:
            status = "met" if (value >= target if op == ">=" else value <= target) else "NOT met"
        goals.append(dict(goal=name, value=value, target=text_target, status=status))
        print(f"  {name:58s} {fmt(value, spec, 8):>8s}  {text_target:8s} {status}")

    print()
    print("goals")
    goal(f"F1 at +-{a.tol_ms:g} ms, events >= {a.min_snr:g} dB (pooled)", pg["f1"] if pg else None, "8.3f",
         ">=", GOALS["f1"], f">= {GOALS['f1']}")
    goal("kind accuracy over matched events (pooled)", pg["kind_acc"] if pg else None, "8.3f", ">=",
         GOALS["kind_acc"], f">= {GOALS['kind_acc']}")
    goal("every kind's accuracy (pooled, worst kind)", pg["min_kind_acc"] if pg else None, "8.3f", ">=",
         GOALS["per_kind_acc"], f">= {GOALS['per_kind_acc']}")
    goal("right kind among pops with confidence >= 0.8", pg["confident_acc"] if pg else None, "8.3f", ">=",
         GOALS["confident_acc"], f">= {GOALS['confident_acc']}")
    goal("median |cycle_percent error| (left-based, pooled)", pg["cyc_med"] if pg else None, "8.2f", "<=",
         GOALS["cyc_med"], f"<= {GOALS['cyc_med']:g}")
    goal("median |leg cycle_percent error| (stance leg, pooled)", pg["leg_cyc_med"] if pg else None, "8.2f", "<=",
         GOALS["cyc_med"], f"<= {GOALS['cyc_med']:g}")
    goal("false events/min on event-free walking (healthy)", fg["false_per_min"] if fg else None, "8.2f", "<=",
         GOALS["false_per_min"], f"<= {GOALS['false_per_min']:g}")
    if not aubio:
        status = "not measured (no aubio)"
        value = None
    elif not beats:
        status, value = "not measured", None
    else:
        status = "met" if all(b[1] for b in beats) else "NOT met"
        value = f"{sum(b[1] for b in beats)}/{len(beats)}"
    goals.append(dict(goal="gaitpop beats aubio on every scenario (F1)", value=value, target="all", status=status))
    print(f"  {'gaitpop beats aubio on every scenario (F1)':58s} {value or 'n/a':>8s}  {'all':8s} {status}")
    lost = [b for b in beats if not b[1]]
    for lbl, _, gf1, af1, m in lost:
        print(f"    lost/tied: {lbl}: gaitpop {gf1:.3f} vs aubio {af1:.3f} ({m})")
    if fg and fa:
        print(f"  (event-free: gaitpop {fg['false_per_min']:.2f} vs aubio {fa['false_per_min']:.2f} false events/min)")

    if errors:
        print()
        print(f"{len(errors)} failed steps:")
        for e in errors:
            print("  " + e)

    if a.json:
        doc = dict(tool="scripts/validate_pops.py", generated=datetime.datetime.now().isoformat(timespec="seconds"),
                   environment=env,
                   config=dict(family=a.family, presets=a.presets, seeds=seeds, snr=a.snr, duration_s=a.duration, tol_ms=a.tol_ms,
                               min_snr_db=a.min_snr, aubio_methods=a.aubio_methods if aubio else [],
                               aubio_extra=a.aubio_extra),
                   goals_targets=GOALS, rows=out_rows,
                   pooled=dict(event_scenarios=dict(gaitpop=pg, aubio_best_per_row=pa,
                                                    gaitpop_kind_confusion=confusion(merge(pooled_g))
                                                    if pooled_g else {}),
                               event_free=dict(gaitpop=fg, aubio_best_per_row=fa)),
                   beats=[dict(scenario=b[0], gaitpop_wins=b[1], gaitpop_f1=b[2], aubio_f1=b[3], aubio_method=b[4])
                          for b in beats],
                   goals=goals, notes=notes, errors=errors)
        try:
            os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
            with open(a.json, "w") as f:
                json.dump(clean_json(doc), f, indent=1)
            print(f"\nwrote {a.json}")
        except OSError as e:
            print(f"\ncould not write {a.json}: {e}")
    return 0


if __name__ == "__main__":
    try:
        code = main()
    except KeyboardInterrupt:
        code = 0
    except BrokenPipeError:     # e.g. piped into `head`
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except OSError:
            pass
        code = 0
    sys.exit(code)

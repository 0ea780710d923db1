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
            yield with_v1_names(obj)


# JSON-lines schema 2 (docs/OUTPUT.md, "What changed in version 2") named each quantity as the report does; the
# validation scripts read the flat version-1 names. Each object keeps its schema-2 keys and gains the old names beside
# them, so the scripts work on either version.
_V1_NAMES = {
    "step": {"t": "ic_seconds", "fc": "opposite_fc_seconds"},
    "step_rejected": {"t": "ic_seconds"},
    "bout_start": {"t": "start_seconds"},
    "bout_end": {"t": "end_seconds"},
    "stride": {"ic": "ic_seconds", "next_ic": "next_ic_seconds", "tilt_mean_deg": "mean_deg", "tilt_rom_deg": "rom_deg",
               "tilt_percent_of_range": "mean_percent_of_range"},
    "posture": {"t": "start_seconds", "end": "end_seconds"},
    "pop": {"t": "t_seconds", "level_db": "level_dbfs", "duration": "duration_seconds"},
    "alert": {"t": "t_seconds", "evidence": "evidence_seconds"},
    "marker": {"t": "t_seconds", "id": "marker_id"},
    "note": {"t": "t_seconds"},
    "status": {"t": "t_seconds", "steps": "step_count", "cadence": "cadence_steps_per_min", "pops": "pop_counts",
               "alerts": "alert_count"},
}


def with_v1_names(obj):
    """A JSON line with its version-1 names added (a version-1 line is returned unchanged)."""
    kind = obj.get("type")
    names = _V1_NAMES.get(kind, {})
    if not any(new in obj for new in names.values()):
        return obj
    o = dict(obj)
    for old, new in names.items():
        o.setdefault(old, obj.get(new))
    if kind == "pop":
        # v2 nests the stride phase and the features as the report does; v1 had them flat, `phase` being the name.
        phase = obj.get("phase") if isinstance(obj.get("phase"), dict) else None
        o["phase"] = phase.get("phase") if phase else None
        for k in ("cycle_percent", "stance_leg", "left_leg"):
            o.setdefault(k, phase.get(k) if phase else None)
        o.setdefault("left_cycle_percent", phase.get("left_cycle_percent", phase.get("cycle_percent")) if phase else None)
        f = obj.get("features") or {}
        o.setdefault("peak_hz", f.get("peak_frequency_hz"))
        o.setdefault("centroid_hz", f.get("spectral_centroid_hz"))
        o.setdefault("micro_impulses", f.get("micro_impulses"))
        if f.get("decay_seconds") is not None:
            o.setdefault("decay_ms", f["decay_seconds"] * 1000)
        if f.get("rise_time_seconds") is not None:
            o.setdefault("rise_ms", f["rise_time_seconds"] * 1000)
    return o


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

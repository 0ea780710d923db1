"""Cadence of a walking bout by the Mobilise-D / mobgap definition, applied the same way to any set of initial
contacts (a reference system's or a detector's), so that a cadence comparison measures the contacts, not two
different definitions.

Definition (mobgap `CadFromIc`, repository mobilise-d/mobgap, file mobgap/cadence/_cad_from_ic.py, with
`robust_step_para_to_sec` in mobgap/utils/interpolation.py and `HampelFilter` in mobgap/data_transform/_filter.py;
re-implemented here with numpy only, defaults as mobgap's):
  1. step times = differences of the bout's ICs (seconds from the bout start); the last is repeated so that every
     IC has one;
  2. Hampel filter (half window 2, 3 scaled MADs, window truncated at the ends) on the step times;
  3. per second of the bout (centres 0.5, 1.5, … over the bout's duration, an incomplete last second included):
     mean of the smoothed step times of the ICs in [centre − 0.5, centre + 0.5];
  4. the same Hampel filter on the per-second values (NaNs ignored);
  5. seconds without an IC are interpolated linearly between their neighbours when the gap is ≤ 3 s
     (`max_interpolation_gap_s`), never at the ends;
  6. cadence per second = 60 / step time; the bout's cadence = mean of its per-second values (mobgap averages a
     per-second parameter over a walking bout the same way in its pipeline).
"""
from __future__ import annotations

import numpy as np

HAMPEL_HALF_WINDOW = 2
HAMPEL_SIGMAS = 3.0
MAX_INTERPOLATION_GAP_S = 3


def hampel(x, half_window=HAMPEL_HALF_WINDOW, n_sigmas=HAMPEL_SIGMAS):
    """Replaces a value further than n_sigmas·1.4826·MAD from its window's median by that median (NaNs ignored)."""
    x = np.asarray(x, float)
    y = x.copy()
    n = len(x)
    for i in range(n):
        w = x[max(0, i - half_window):min(n, i + half_window + 1)]
        w = w[~np.isnan(w)]
        if len(w) == 0 or np.isnan(x[i]):
            continue
        med = np.median(w)
        if abs(x[i] - med) > n_sigmas * 1.4826 * np.median(np.abs(w - med)):
            y[i] = med
    return y


def _interpolate_inside(values, max_gap):
    """Linear interpolation of NaN runs that have a value on both sides and are at most max_gap long."""
    out = values.copy()
    i, n = 0, len(values)
    while i < n:
        if not np.isnan(values[i]):
            i += 1
            continue
        j = i
        while j < n and np.isnan(values[j]):
            j += 1
        if i > 0 and j < n and j - i <= max_gap:
            out[i:j] = np.interp(np.arange(i, j), [i - 1, j], [values[i - 1], values[j]])
        i = j
    return out


def cadence_per_second(ic_seconds, duration_seconds):
    """Per-second cadence (steps/min) of one bout; ICs in seconds from the bout start. NaN where undefined."""
    ics = np.sort(np.asarray(ic_seconds, float))
    n_secs = max(int(np.ceil(duration_seconds)), 1)
    centres = np.arange(n_secs) + 0.5
    if len(ics) < 2:
        return np.full(n_secs, np.nan)
    step = np.diff(ics)
    step = hampel(np.append(step, step[-1]))
    per_sec = np.full(n_secs, np.nan)
    lo = np.searchsorted(ics, centres - 0.5, side="left")
    hi = np.searchsorted(ics, centres + 0.5, side="right")
    for k in range(n_secs):
        if hi[k] > lo[k]:
            per_sec[k] = float(np.mean(step[lo[k]:hi[k]]))
    per_sec = _interpolate_inside(hampel(per_sec), MAX_INTERPOLATION_GAP_S)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 60.0 / per_sec


def bout_cadence(ic_seconds, start_seconds, end_seconds):
    """The bout's cadence: mean of its per-second cadences; None without two ICs or any defined second."""
    ics = np.asarray(ic_seconds, float)
    if len(ics) < 2:
        return None
    cad = cadence_per_second(ics - start_seconds, end_seconds - start_seconds)
    cad = cad[np.isfinite(cad)]
    return float(np.mean(cad)) if len(cad) else None


def stride_mean_cadence(ic_seconds):
    """Mean over the bout's strides (IC k to IC k + 2) of 120 / stride time: the definition that reproduces the
    lab reference's stored `cadence_spm` from its own ICs (to 0.00 spm on 13 of its 16 bouts, stereophoto and INDIP;
    the other 3 exclude a stride), measured with scripts/diagnose_gait_cadence.py. None below 3 ICs."""
    t = np.sort(np.asarray(ic_seconds, float))
    if len(t) < 3:
        return None
    stride = t[2:] - t[:-2]
    stride = stride[stride > 0]
    return float(np.mean(120.0 / stride)) if len(stride) else None

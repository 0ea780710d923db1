#!/usr/bin/env python3
"""Can the grinds the detector misses be heard at all? (docs/POPS-VALIDATION.md, "Quiet grinds")

For the tuning family's grinding walks, every truth grind >= 10 dB is marked found or missed (a gaitpop pop within
+-10 ms of its onset, as validate_pops.py matches). Each grind and every 40 ms window of the same seeds' healthy
walks (heel strikes, rustle, hum and body noise, no pops) is then measured in the grind's own band (0.7 x its lowest
to 1.4 x its highest impact frequency, within 0.3-3.5 kHz):
  * E: the energy of the grind's loudest 40 ms window (10 ms steps) over the band's floor (20th percentile of the
    walk's 40 ms windows), in dB: what an integrating (train) detector could see;
  * kurtosis of the band-passed signal in that window: 3 for Gaussian noise, higher for sparse impacts.
It prints the distributions and, for a few (E, kurtosis) thresholds, the share of noise windows over them (those
overlapping a heel strike, [contact - 60 ms, contact + 150 ms], and those between) against the share of missed grinds
reached: a detector for the missed grinds must tell those apart.

    swift build -c release && python3 scripts/diagnose_quiet_grinds.py [--seeds 6] [--family tuning]

Needs numpy and scipy (`python3 -m pip install numpy scipy`).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

try:
    import numpy as np
    from scipy.io import wavfile
    from scipy.signal import butter, sosfilt
    from scipy.stats import kurtosis
except ImportError:
    sys.exit("diagnose_quiet_grinds.py needs numpy and scipy: `python3 -m pip install numpy scipy`")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import validate_pops as vp  # noqa: E402  (its presets, repository root and reading of replay's pop lines)

WINDOW_S = 0.04
STEP_S = 0.01
MATCH_S = 0.010


def walk(gaitpop, work, preset, seed, family):
    """Simulate one walk the way validate_pops.py does; returns (truth, wav path, pop onsets)."""
    base = os.path.join(work, f"{preset}-{seed}")
    session, truth, wav = base + ".gpsession", base + ".json", base + ".wav"
    subprocess.run([gaitpop, "simulate", "--scenario", preset, "--seed", str(seed), "--acoustic-family", family,
                    "--acoustic-seed", str(seed * 16 + vp.PRESETS.index(preset)), "--out", session, "--truth", truth,
                    "--force"], check=True, capture_output=True)
    subprocess.run([gaitpop, "export", session, "--wav", wav], check=True, capture_output=True)
    out = subprocess.run([gaitpop, "replay", session, "--speed", "max", "--json"], check=True, capture_output=True,
                         text=True).stdout
    pops = [p["t"] for p in vp.parse_pops(out)[0]]  # finals, and provisionals no final replaced
    with open(truth) as f:
        return json.load(f), wav, np.array(pops)


def band_signal(wav, lo, hi):
    fs, x = wavfile.read(wav)
    x = x.astype(float)
    if np.abs(x).max() > 2:
        x /= 32768.0
    return fs, sosfilt(butter(4, [lo, hi], btype="band", fs=fs, output="sos"), x)


def windows(fs, y):
    """Mean square of every 40 ms window, 10 ms apart, and the window length in samples."""
    n, step = int(WINDOW_S * fs), int(STEP_S * fs)
    e = np.convolve(y * y, np.ones(n) / n, "valid")[::step]
    return e, n, step


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gaitpop", default=os.path.join(vp.REPO, ".build", "release", "gaitpop"))
    ap.add_argument("--seeds", type=int, default=6)
    ap.add_argument("--family", default="tuning")
    a = ap.parse_args()
    if not os.path.exists(a.gaitpop):
        sys.exit(f"no gaitpop at {a.gaitpop}: run `swift build -c release` first")
    rows = []  # (class, E dB, kurtosis)
    with tempfile.TemporaryDirectory() as work:
        for seed in range(1, a.seeds + 1):
            truth, wav, pops = walk(a.gaitpop, work, "grinding", seed, a.family)
            g = truth["acoustics"]["grind"]
            lo, hi = max(300.0, 0.7 * g["low_hz"]), min(3500.0, 1.4 * g["high_hz"])
            fs, y = band_signal(wav, lo, hi)
            e, n, step = windows(fs, y)
            floor = np.percentile(e, 20)
            for ev in truth["acoustic_events"]:
                if ev["kind"] != "grind" or ev["snr_db"] < 10:
                    continue
                k0 = int(ev["onset_s"] / STEP_S)
                k1 = max(k0 + 1, int((ev["onset_s"] + ev["duration_s"] - WINDOW_S) / STEP_S) + 1)
                k = k0 + int(np.argmax(e[k0:k1]))
                found = len(pops) and np.min(np.abs(pops - ev["onset_s"])) <= MATCH_S
                rows.append(("found" if found else "missed", 10 * np.log10(e[k] / floor),
                             kurtosis(y[k * step:k * step + n], fisher=False)))
            truth2, wav2, _ = walk(a.gaitpop, work, "healthy", seed, a.family)
            contacts = np.array(sorted(c["t"] for c in truth2.get("initial_contacts") or []))
            fs2, y2 = band_signal(wav2, lo, hi)
            e2, n2, step2 = windows(fs2, y2)
            floor2 = np.percentile(e2, 20)
            for k in range(int(2.0 / STEP_S), len(e2)):  # after the probe/warm-up seconds
                t0 = k * STEP_S
                lag = t0 - contacts  # a window overlapping [contact - 60 ms, contact + 150 ms] holds a heel strike
                at_contact = len(contacts) and np.any((lag > -0.06 - WINDOW_S) & (lag < 0.15))
                rows.append(("noise, contacts" if at_contact else "noise, between", 10 * np.log10(e2[k] / floor2),
                             kurtosis(y2[k * step2:k * step2 + n2], fisher=False)))
    by = {c: np.array([r[1:] for r in rows if r[0] == c]) for c in ("found", "missed", "noise, contacts",
                                                                     "noise, between")}
    print(f"{a.family} family, grinding and healthy walks, seeds 1-{a.seeds}; the grind's band; 40 ms windows")
    for c, v in by.items():
        if len(v):
            print(f"  {c:14s} n={len(v):6d}  E over floor p10/p50/p90 {np.percentile(v[:, 0], [10, 50, 90]).round(1)} dB"
                  f"  kurtosis p10/p50/p90 {np.percentile(v[:, 1], [10, 50, 90]).round(1)}")
    missed = by["missed"]
    print("  thresholds: share of noise windows over them (contacts / between) vs share of missed grinds reached")
    for eth, kth in [(2, 4), (3, 4), (3, 5), (4, 4), (4, 5), (6, 4)]:
        over = lambda v: float(np.mean((v[:, 0] >= eth) & (v[:, 1] >= kth))) if len(v) else float("nan")
        print(f"    E >= {eth} dB, kurtosis >= {kth}: noise {100 * over(by['noise, contacts']):5.2f} % /"
              f" {100 * over(by['noise, between']):5.2f} %, missed grinds {100 * over(missed):3.0f} %")


if __name__ == "__main__":
    main()

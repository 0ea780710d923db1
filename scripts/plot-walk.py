#!/usr/bin/env python3
"""Plot a walk: exported IMU CSV + WAV, with the simulator's truth overlaid (a developer's look at the signals).

    gaitpop export walk.gpsession --csv /tmp/w --wav /tmp/w/mic.wav
    scripts/plot-walk.py /tmp/w walk.truth.json out.png [t0 t1]
"""
import csv, json, sys, wave
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

d, truth_path, out = sys.argv[1], sys.argv[2], sys.argv[3]
t0, t1 = (float(sys.argv[4]), float(sys.argv[5])) if len(sys.argv) > 5 else (4.0, 12.0)
rows = list(csv.DictReader(open(f"{d}/imu.csv")))
t = np.array([float(r["time_s"]) for r in rows])
acc = np.array([[float(r[f"acc_{a}_g"]) for a in "xyz"] for r in rows])
gyr = np.array([[float(r[f"gyr_{a}_dps"]) for a in "xyz"] for r in rows]) if "gyr_x_dps" in rows[0] else None
w = wave.open(f"{d}/mic.wav")
fs = w.getframerate()
mic = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2") / 32768.0
tm = np.arange(len(mic)) / fs
truth = json.load(open(truth_path))
m = (t >= t0) & (t <= t1)
mm = (tm >= t0) & (tm <= t1)
fig, ax = plt.subplots(4 if gyr is not None else 3, 1, figsize=(13, 10), sharex=True)
for i, a in enumerate("xyz"):
    ax[0].plot(t[m], acc[m, i], lw=0.8, label=f"acc {a} (g)")
ax[0].legend(loc="upper right", fontsize=8); ax[0].set_ylabel("g (sensor axes)")
for ic in truth["initial_contacts"]:
    if t0 <= ic["t"] <= t1:
        for k in range(len(ax)):
            ax[k].axvline(ic["t"], color="green" if ic["side"] == "left" else "red", lw=0.6, alpha=0.6)
ax[0].set_title("virtual walker: green = left IC, red = right IC (truth); acoustic events marked in the microphone panel")
if gyr is not None:
    for i, a in enumerate("xyz"):
        ax[1].plot(t[m], gyr[m, i], lw=0.8, label=f"gyro {a} (deg/s)")
    ax[1].legend(loc="upper right", fontsize=8); ax[1].set_ylabel("deg/s")
k = 2 if gyr is not None else 1
norm = np.linalg.norm(acc, axis=1)
ax[k].plot(t[m], norm[m], lw=0.8, color="k", label="|acc| (g)")
ax[k].legend(loc="upper right", fontsize=8)
ax[k + 1].plot(tm[mm], mic[mm], lw=0.3, color="0.3")
for e in truth["acoustic_events"]:
    if t0 <= e["onset_s"] <= t1:
        ax[k + 1].axvline(e["onset_s"], color={"cavitation": "blue", "snap": "orange", "grind": "purple"}[e["kind"]], lw=1)
        ax[k + 1].text(e["onset_s"], 0.9 * np.abs(mic[mm]).max(), e["kind"], fontsize=7, rotation=90)
ax[k + 1].set_ylabel("mic (full scale)"); ax[k + 1].set_xlabel("session time (s)")
plt.tight_layout(); plt.savefig(out, dpi=90)
print(out)

#!/usr/bin/env python3
"""How much a SIGKILL costs a recording: the real `gaitpop record` from the virtual sensor on a pseudo-terminal,
killed at random moments; each file is read back with `gaitpop inspect --json`.

loss = (kill time − spawn time) − (device span in the file) − (start-up offset)
where the start-up offset (process start, handshake, first sample) is measured the same way on clean runs stopped
by --duration. Usage: scripts/measure_sigkill_loss.py [path/to/gaitpop] [kills]
"""
import json, os, random, signal, subprocess, sys, tempfile, time

exe = sys.argv[1] if len(sys.argv) > 1 else ".build/release/gaitpop"
kills = int(sys.argv[2]) if len(sys.argv) > 2 else 7
work = tempfile.mkdtemp(prefix="gaitpop-sigkill-")
link = os.path.join(work, "sensor")
sim = subprocess.Popen([exe, "simulate", "--pty", "--link", link, "--duration", "600"], stdout=subprocess.DEVNULL)
for _ in range(200):
    if os.path.exists(link):
        break
    time.sleep(0.02)


def span(path):
    s = json.loads(subprocess.run([exe, "inspect", path, "--json"], capture_output=True, text=True).stdout)
    st = s["streams"]
    return (st["last_device_micros"] - st["first_device_micros"]) / 1e6 + 0.1, s  # + one 100 ms IMU block


offsets = []
for k in range(3):
    out = os.path.join(work, f"clean{k}.gpsession")
    t0 = time.monotonic()
    subprocess.run([exe, "record", "--port", link, "--out", out, "--duration", "3"], stdout=subprocess.DEVNULL)
    offsets.append(3.0 - span(out)[0])
offset = sorted(offsets)[1]
losses = []
random.seed(14)
for k in range(kills):
    out = os.path.join(work, f"killed{k}.gpsession")
    t0 = time.monotonic()
    p = subprocess.Popen([exe, "record", "--port", link, "--out", out], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    time.sleep(random.uniform(2.0, 5.0))
    p.send_signal(signal.SIGKILL)
    tk = time.monotonic() - t0
    p.wait()
    sp, s = span(out)
    readable = s["decoder"]["crc_errors"] == 0 and s["streams"]["imu_samples"] > 0
    loss = max(0.0, tk - sp - offset)
    losses.append(loss)
    print(f"kill {k + 1}: after {tk:.2f} s, file holds {sp:.2f} s, lost {loss:.2f} s, readable: {readable}")
sim.send_signal(signal.SIGTERM)
sim.wait()
print(f"start-up offset {offset:.2f} s (clean runs {', '.join(f'{o:.2f}' for o in offsets)}); "
      f"loss per SIGKILL: min {min(losses):.2f} s, median {sorted(losses)[len(losses) // 2]:.2f} s, max {max(losses):.2f} s")

#!/usr/bin/env bash
# Regenerates SampleData/ with the project's own simulator (fixed seeds: identical bytes every time) and converts
# one real lab trial from ../shared/datasets (mobgap example data, Apache-2.0) when it is there.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product gaitpop >&2
bin=.build/release/gaitpop
out=SampleData
mkdir -p "$out"
sim() { # name scenario seed seconds [extra flags]
  local name=$1 scenario=$2 seed=$3 seconds=$4; shift 4
  "$bin" simulate --scenario "$scenario" --seed "$seed" --duration "$seconds" "$@" \
    --out "$out/$name.gpsession" --truth "$out/$name.truth.json"
}
sim walk-healthy healthy 101 30
sim walk-snapping-tendon snapping-tendon 102 30
sim walk-grinding grinding 103 30
sim walk-anterior-tilt anterior-tilt 104 30 --audio-rate 8000
data=../shared/datasets/lowerback-lab
if [ -f "$data/HA-001_Test5_Trial1.csv" ]; then
  "$bin" import --imu "$data/HA-001_Test5_Trial1.csv" --out "$out/lab-HA-001-Test5-Trial1.gpsession" \
    --note "Mobilise-D mobgap example data, participant HA-001, Test5 Trial1 (Apache-2.0), converted unchanged" \
    --started-utc 2020-12-10T12:57:44.733Z
  install -m 644 "$data/HA-001_Test5_Trial1.reference.json" "$out/lab-HA-001-Test5-Trial1.reference.json"
  install -m 644 "$data/LICENSE-mobgap.txt" "$out/LICENSE-mobgap.txt"
  install -m 644 "$data/NOTICE-mobgap.txt" "$out/NOTICE-mobgap.txt"
fi
du -sh "$out"

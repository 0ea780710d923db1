#!/usr/bin/env bash
# Renders an HTML report in headless Chromium (Debian's `chromium`) and checks what a person would see: the page
# loads without console errors, and its charts are there (inline SVGs with their marks). Leaves a screenshot.
#   scripts/check-report-in-browser.sh [recording] [out-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
rec=${1:-SampleData/walk-grinding.gpsession}
out=${2:-/tmp/gaitpop-browser-check}
mkdir -p "$out"
if ! command -v chromium >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  if command -v apt-get >/dev/null 2>&1; then
    ($sudo apt-get install -y -qq chromium || { $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium; }) >/dev/null
  else
    echo "check-report-in-browser: needs Debian's chromium (sudo apt-get install chromium)"; exit 1
  fi
fi
bin=.build/release/gaitpop
swift build -c release --product gaitpop >&2   # a no-op when nothing changed; never test a stale binary
"$bin" report "$rec" --html "$out/report.html" --no-history >/dev/null
flags="--headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=3000"
timeout 120 chromium $flags --enable-logging=stderr --v=0 --dump-dom "file://$out/report.html" > "$out/dom.html" 2> "$out/console.log" || true
timeout 120 chromium $flags --window-size=1000,3400 --screenshot="$out/report.png" "file://$out/report.html" >/dev/null 2>&1 || true
fail=0
svgs=$(grep -o "<svg" "$out/dom.html" | wc -l)
circles=$(grep -o "<circle" "$out/dom.html" | wc -l)
lines=$(grep -o "<line" "$out/dom.html" | wc -l)
errors=$(grep -ciE "uncaught|console\(.*error|Refused to" "$out/console.log" || true)
echo "browser check: $svgs charts (svg), $circles dots, $lines lines in the rendered page; $errors console errors; screenshot $out/report.png"
[ "$svgs" -ge 3 ] || { echo "browser check FAILED: expected the 3 charts (tilt, timeline, gait cycle)"; fail=1; }
[ "$circles" -ge 10 ] || { echo "browser check FAILED: charts have no marks"; fail=1; }
[ "$errors" -eq 0 ] || { echo "browser check FAILED: console errors:"; grep -iE "uncaught|error" "$out/console.log" | head; fail=1; }
grep -q "does not diagnose" "$out/dom.html" || { echo "browser check FAILED: disclaimer missing"; fail=1; }
[ -s "$out/report.png" ] || { echo "browser check FAILED: no screenshot"; fail=1; }
exit $fail

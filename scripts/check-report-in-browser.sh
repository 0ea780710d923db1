#!/usr/bin/env bash
# Renders an HTML report and a history page in headless Chromium (Debian's `chromium`) and checks what a person
# would see: the pages load without console errors, and their charts and tables are there — the report's tilt chart,
# timeline (left and right contacts), gait-cycle clock, pelvis-cycle curves and left/right table; the history page's
# three trend charts on a time axis and its table of walks with links. Leaves screenshots (report.png, history.png).
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
# Counts elements in a rendered page with Python's HTML parser (the pages are one long line, so line tools can't):
#   count FILE KIND  ->  a number, for KIND in cycle-panels, cycle-curves, side-rows, trend-charts, walk-rows, walk-links
count() {
  python3 - "$1" "$2" <<'PY'
import sys
from html.parser import HTMLParser
path, kind = sys.argv[1], sys.argv[2]
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.n = 0
    def inside(self, tag, **want):
        return any(t == tag and all(w in (a.get(k) or "") for k, w in want.items()) for t, a in self.stack)
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        hit = {
            "cycle-panels": tag == "svg" and "over the gait cycle" in (a.get("aria-label") or ""),
            "cycle-curves": tag == "polyline" and self.inside("svg", **{"aria-label": "over the gait cycle"}),
            "side-rows": tag == "tr" and self.inside("table", id="side-table"),
            "trend-charts": tag == "svg" and a.get("class") == "trend",
            "walk-rows": tag == "tr" and self.inside("table", id="walks"),
            "walk-links": tag == "a" and self.inside("table", id="walks") and (a.get("href") or "").startswith("reports/"),
        }[kind]
        self.n += hit
        if tag not in ("br", "img", "meta", "input", "hr", "link", "circle", "line", "rect", "path", "polyline", "polygon"):
            self.stack.append((tag, a))
    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]; break
p = P(); p.feed(open(path, encoding="utf-8").read()); print(p.n)
PY
}
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

# Pelvis-cycle curves: three panels (tilt, obliquity, rotation), each a left and a right mean curve with its band.
cycle=$(count "$out/dom.html" cycle-panels)
cycle_lines=$(count "$out/dom.html" cycle-curves)
echo "browser check: $cycle pelvis-cycle panels, $cycle_lines curves"
[ "$cycle" -eq 3 ] || { echo "browser check FAILED: expected 3 pelvis-cycle panels, found $cycle"; fail=1; }
[ "$cycle_lines" -ge 6 ] || { echo "browser check FAILED: expected a left and a right curve per panel, found $cycle_lines"; fail=1; }
# The left/right table and the timeline's contacts of both sides (left red solid, right green dashed).
side_rows=$(count "$out/dom.html" side-rows)
echo "browser check: side table with $side_rows rows"
[ "$side_rows" -ge 8 ] || { echo "browser check FAILED: the left/right table is missing or short ($side_rows rows)"; fail=1; }
for side in ic-left ic-right; do
  n=$(grep -o "class=\"$side\"" "$out/dom.html" | wc -l)
  [ "$n" -ge 5 ] || { echo "browser check FAILED: timeline has $n $side contacts"; fail=1; }
done
grep -q 'id="for-researchers"' "$out/dom.html" || { echo "browser check FAILED: researcher section missing"; fail=1; }

# The history page: three walks on uneven dates for one subject, each with its report, then `history --html`.
hist="$out/history"
rm -rf "$hist"; mkdir -p "$hist/reports"
i=0
for spec in 2026-03-09T08:10:00Z:healthy 2026-03-10T18:40:00Z:snapping-tendon 2026-03-24T09:00:00Z:grinding; do
  i=$((i + 1)); start=${spec%%:[a-z]*}; preset=${spec##*:}
  "$bin" simulate --scenario "$preset" --duration 30 --seed "$i" --started-utc "$start" --out "$hist/walk$i.gpsession" >/dev/null
  "$bin" report "$hist/walk$i.gpsession" --html "$hist/reports/walk$i.html" --db "$hist/history.sqlite" --subject demo 2>/dev/null
done
"$bin" history --db "$hist/history.sqlite" --subject demo --html "$hist/history.html" >/dev/null 2>&1
timeout 120 chromium $flags --enable-logging=stderr --v=0 --dump-dom "file://$hist/history.html" > "$out/history-dom.html" 2> "$out/history-console.log" || true
timeout 120 chromium $flags --window-size=1000,1400 --screenshot="$out/history.png" "file://$hist/history.html" >/dev/null 2>&1 || true
trends=$(count "$out/history-dom.html" trend-charts)
walk_rows=$(count "$out/history-dom.html" walk-rows)
links=$(count "$out/history-dom.html" walk-links)
herrors=$(grep -ciE "uncaught|console\(.*error|Refused to" "$out/history-console.log" || true)
echo "browser check: history page with $trends trend charts, $((walk_rows - 1)) walks in its table, $links report links; $herrors console errors; screenshot $out/history.png"
[ "$trends" -eq 3 ] || { echo "browser check FAILED: expected 3 trend charts on the history page"; fail=1; }
[ "$walk_rows" -eq 4 ] || { echo "browser check FAILED: expected a header and 3 walks in the history table"; fail=1; }
[ "$links" -eq 3 ] || { echo "browser check FAILED: expected a link to each walk's report"; fail=1; }
[ "$herrors" -eq 0 ] || { echo "browser check FAILED: console errors on the history page"; fail=1; }
grep -q '<pre>' "$out/history-dom.html" && { echo "browser check FAILED: the history table is preformatted text"; fail=1; }
[ -s "$out/history.png" ] || { echo "browser check FAILED: no history screenshot"; fail=1; }
exit $fail

#!/usr/bin/env bash
# The official BIDS validator (bids-validator-deno, from PyPI, in a private venv) on `gaitpop export --bids` of a
# sample walk: fails on any validator error (warnings, e.g. no Authors in dataset_description.json, are printed).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${BIDS_VENV:-.venv-bids}
if [ ! -x "$venv/bin/bids-validator-deno" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check bids-validator-deno==3.0.2
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
./gaitpop export "${1:-SampleData/walk-grinding.gpsession}" --bids "$out/bids" --subject P01 >/dev/null
"$venv/bin/bids-validator-deno" "$out/bids" --format json > "$out/result.json" || true
python3 - "$out/result.json" <<'PY'
import json, sys, collections
issues = json.load(open(sys.argv[1]))["issues"]["issues"]
errors = [i for i in issues if i.get("severity") == "error"]
warnings = collections.Counter(i["code"] for i in issues if i.get("severity") == "warning")
print(f"BIDS validator: {len(errors)} errors, {sum(warnings.values())} warnings ({', '.join(sorted(warnings))})")
for e in errors: print("  error:", e["code"], e.get("location", ""), e.get("issueMessage", ""))
sys.exit(1 if errors else 0)
PY

#!/usr/bin/env python3
"""Every repository path cited in code and docs must exist (issue 13, "references that resolve").

Scans Swift sources and tests, Markdown docs, scripts, Package.swift and .ci/run for cited paths and fails, listing
file:line, on any that does not resolve. What counts as a citation:

  * a path whose first component is a folder of this repository (Sources/…, docs/…, research/… when docs/research
    exists), or one starting with ../ or an absolute developer folder (/work/, /home/, /Users/);
  * a bare file name of a source or document (ALGORITHM.md, prototype.py, PROTOCOL.md, StreamingSteps.swift).

A citation resolves when it exists relative to the citing file's folder, one of that folder's parents, the
repository root, or Sources/ and Tests/ (SwiftPM's module folders: "Analysis/AlertRules.swift") — the ways a reader
would look for it. Bare names must sit beside the citing file or in a folder above it: "ALGORITHM.md" in Sources/Gait does
not (nor does Sources), so it has to be written docs/research/gait/ALGORITHM.md. Bare Swift file names may also name the one file of
that name in Sources/ or Tests/ (a module is implied, as with type names). Places outside the repository cited on
purpose (the optional lab data under ../shared/datasets that validation scripts read, /tmp and /dev examples) and
words that only look like paths are listed below, each with its reason.

Usage: scripts/check-references.py [--list]   (--list prints every citation checked)
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SCAN_DIRS = ["Sources", "Tests", "docs", "scripts", "SampleData", "Firmware-Protocol", ".ci"]
SCAN_FILES = ["README.md", "Package.swift", "gaitpop"]
SCAN_EXT = (".swift", ".md", ".py", ".sh", ".c", ".h", "Makefile", "run", "gaitpop")
# Bare names worth checking: documents and sources, not example outputs like walk.gpsession.
BARE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_+-]*\.(md|py|swift|sh)$")  # C includes are the compiler's to check
NOT_PATHS = {
    "../shared": "named in .ci/run as what a fresh clone does not have beside it",
    "gaitpop/aubio": "a column label of validate_pops.py (gaitpop versus aubio)",
    "gaitpop/history.sqlite": "the history database's place under $XDG_DATA_HOME",
    "validate.py": "the research prototype's own evaluation script, never in this repository (its protocol is "
                   "scripts/validate_gait.py); cited as history",
}
MODULE_ROOTS = ["Sources", "Tests"]

# Places outside the repository that are cited on purpose.
ALLOWED_OUTSIDE = [
    ("../shared/datasets", "optional lab data read by validation scripts and make-sample-data.sh, never by tests"),
    ("/tmp/", "example output folders in usage lines"),
    ("/dev/", "device paths"),
]
DEVELOPER_DIRS = ("/work/", "/home/", "/Users/", "/root/")

TOKEN = re.compile(r"(?<![\w@:/.-])((?:\.\./|/)?[A-Za-z0-9_.+-]+(?:/[A-Za-z0-9_.+*-]+)*/?)")
URL = re.compile(r"[a-z]+://\S+")


def repo_dirs():
    names = set()
    for d, subdirs, _ in os.walk(ROOT):
        subdirs[:] = [s for s in subdirs if not s.startswith(".") or s == ".ci"]
        for s in subdirs:
            names.add(s)
    return names


def files_to_scan():
    for f in SCAN_FILES:
        if os.path.isfile(os.path.join(ROOT, f)):
            yield f
    for top in SCAN_DIRS:
        for d, subdirs, files in os.walk(os.path.join(ROOT, top)):
            subdirs[:] = [s for s in subdirs if not s.startswith(".") and s != "Fixtures"]
            for f in files:
                if f.endswith(SCAN_EXT):
                    yield os.path.relpath(os.path.join(d, f), ROOT)


def swift_basenames():
    seen = {}
    for top in MODULE_ROOTS:
        for d, _, files in os.walk(os.path.join(ROOT, top)):
            for f in files:
                if f.endswith(".swift"):
                    seen[f] = seen.get(f, 0) + 1
    return {f for f, n in seen.items() if n == 1}


SWIFT_FILES = swift_basenames()


def resolves(path, citing_dir, bare):
    path = path.rstrip("/").split("#")[0].split(":")[0]
    if any(c in path for c in "*<>{}"):
        return True  # a pattern, not a path
    if bare and path in SWIFT_FILES:
        return True
    bases = [] if bare else list(MODULE_ROOTS)
    d = citing_dir
    while True:
        bases.append(d)
        if not d:
            break
        d = os.path.dirname(d)
    return any(os.path.exists(os.path.normpath(os.path.join(ROOT, b, path))) for b in bases)


def citations(line, dirs, citing_dir, bare_names=True):
    line = URL.sub(" ", line)
    line = re.sub(r"\[[^\]]*\]\(", "(", line)  # Markdown link text: the link target is what is cited
    for m in TOKEN.finditer(line):
        tok = m.group(1).rstrip(".,;:)")
        if not tok or tok in (".", "..", "/") or tok in NOT_PATHS:
            continue
        if tok.startswith(DEVELOPER_DIRS):
            yield tok, "absolute path of a developer machine"
            continue
        if tok.startswith("/"):
            continue
        if tok.startswith("../"):
            inside = os.path.normpath(os.path.join(ROOT, citing_dir, tok)).startswith(ROOT + os.sep)
            yield tok, (None if inside else "outside the repository")
            continue
        if "/" in tok:
            first = tok.split("/")[0]
            if first in dirs or first in SCAN_DIRS or first == ".build":
                if first == ".build":
                    continue  # build output, made by `swift build`
                yield tok, None
            continue
        if bare_names and BARE_NAME.match(tok):
            yield tok, "bare"


def main():
    dirs = repo_dirs()
    listing = "--list" in sys.argv
    problems = []
    checked = 0
    me = os.path.relpath(os.path.abspath(__file__), ROOT)
    for rel in sorted(set(files_to_scan()) - {me}):
        citing_dir = os.path.dirname(rel)
        with open(os.path.join(ROOT, rel), encoding="utf-8", errors="replace") as fh:
            for n, line in enumerate(fh, 1):
                # Package.swift names target files relative to each target's path; SwiftPM checks those itself.
                for tok, kind in citations(line, dirs, citing_dir, bare_names=(rel != "Package.swift")):
                    checked += 1
                    if listing:
                        print(f"{rel}:{n}: {tok}")
                    if any(tok.startswith(p) for p, _ in ALLOWED_OUTSIDE):
                        continue
                    if kind in ("absolute path of a developer machine", "outside the repository"):
                        problems.append(f"{rel}:{n}: {tok} ({kind})")
                    elif not resolves(tok, citing_dir, bare=(kind == "bare")):
                        where = "beside the file or above it" if kind == "bare" else "in the repository"
                        problems.append(f"{rel}:{n}: {tok} (not found {where})")
    for p in problems:
        print(p)
    print(f"references: {checked} checked, {len(problems)} unresolved")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

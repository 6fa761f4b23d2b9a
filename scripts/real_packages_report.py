#!/usr/bin/env python3
"""Summarise `grounded check --format json` output for the real-packages test.

Usage:
    real_packages_report.py PACKAGE PKG_ROOT JSON_FILE [ALLOW_FILE]

Prints the number of files and findings for the package, then each finding as
`path:line:col code message` (path relative to the package's parent directory,
e.g. `requests/sessions.py`). Findings listed in ALLOW_FILE are marked
`(allowed)` and not counted.

ALLOW_FILE format, one entry a line (blank lines and lines starting with `#`
are ignored):
    package relative/path.py:LINE code  # reason why this is a true finding
`relative/path.py` is relative to the package directory's parent, as printed.

The last line printed is machine-readable:
    @@ PACKAGE files=N findings=M unexplained=K allowed=A
"""
import json
import os
import sys


def load_allow(path, package):
    allowed = set()
    if not path:
        return allowed
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 3 or ":" not in parts[1]:
                sys.exit(f"{path}:{lineno}: expected `package path.py:LINE code  # reason`, got {raw.strip()!r}")
            if "#" not in raw:
                sys.exit(f"{path}:{lineno}: an allowed finding needs a `# reason`")
            pkg, loc, code = parts
            if pkg != package:
                continue
            rel, _, line_no = loc.rpartition(":")
            allowed.add((rel, int(line_no), code))
    return allowed


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    package, pkg_root, json_file = sys.argv[1:4]
    allow_file = sys.argv[4] if len(sys.argv) == 5 else None
    base = os.path.dirname(os.path.abspath(pkg_root))
    with open(json_file, encoding="utf-8") as f:
        text = f.read()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        print(f"  could not parse grounded's JSON output: {e}")
        print(f"@@ {package} files=0 findings=1 unexplained=1 allowed=0")
        return
    allowed = load_allow(allow_file, package)
    diags = data.get("diagnostics", [])
    files = data.get("summary", {}).get("files", 0)
    out = []
    unexplained = 0
    n_allowed = 0
    for d in sorted(diags, key=lambda d: (d["path"], d["line"], d["column"])):
        path = d["path"]
        ap = path if os.path.isabs(path) else os.path.abspath(path)
        rel = os.path.relpath(ap, base)
        key = (rel, d["line"], d["code"])
        mark = ""
        if key in allowed:
            mark = "  (allowed)"
            n_allowed += 1
        else:
            unexplained += 1
        out.append(f"  {rel}:{d['line']}:{d['column']} {d['code']} {d['message']}{mark}")
    print(f"{package}: {files} files, {len(diags)} findings ({unexplained} unexplained, {n_allowed} allowed)")
    for line in out:
        print(line)
    print(f"@@ {package} files={files} findings={len(diags)} unexplained={unexplained} allowed={n_allowed}")


if __name__ == "__main__":
    main()

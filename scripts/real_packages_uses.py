#!/usr/bin/env python3
"""Compare `grounded check --format json` output on files of API uses with the
`# expect: CODE` markers in them (the fixture runner's format).

Usage:
    real_packages_uses.py JSON_FILE FILE...

Every line marked `# expect: CODE[, CODE]` must get exactly those findings and
no other line any. Prints each mismatch; the last line is machine-readable:
    @@ uses files=N findings=M unexplained=K
where K counts the mismatches (a missing or an unexpected finding each).
"""
import json
import os
import sys


def expectations(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            pos = line.find("# expect:")
            if pos < 0:
                continue
            rest = line[pos + len("# expect:"):].split("#", 1)[0]
            out[i] = sorted(c.strip() for c in rest.split(",") if c.strip())
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    json_file, files = sys.argv[1], sys.argv[2:]
    with open(json_file, encoding="utf-8") as f:
        data = json.load(f)
    actual = {}
    messages = {}
    for d in data.get("diagnostics", []):
        key = (os.path.realpath(d["path"]), d["line"])
        actual.setdefault(key, []).append(d["code"])
        messages[key] = d["message"]
    problems = []
    for path in files:
        real = os.path.realpath(path)
        for line, codes in expectations(path).items():
            got = sorted(actual.pop((real, line), []))
            if got != codes:
                problems.append(f"  {path}:{line}: expected {codes}, got {got or 'nothing'}")
    for (path, line), codes in sorted(actual.items()):
        problems.append(f"  {path}:{line}: unexpected {sorted(codes)}: {messages[(path, line)]}")
    findings = len(data.get("diagnostics", []))
    print(f"uses: {len(files)} files, {findings} findings, {len(problems)} mismatches")
    for p in problems:
        print(p)
    print(f"@@ uses files={len(files)} findings={findings} unexplained={len(problems)}")


if __name__ == "__main__":
    main()

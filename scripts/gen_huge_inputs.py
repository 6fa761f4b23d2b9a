#!/usr/bin/env python3
"""Inputs for scripts/bench_huge_inputs.sh (issue 16, point 9): one directory
per case under OUT, each a workspace (a pyproject.toml) holding one file.

  findings    11,000 lines, one finding each (`os.path.joinx(1)`)
  line_300k   one 300 KB line with 20,000 findings
  line_1m     one 1 MB line with 70,000 findings
  statements  one 1 MB line of 140,000 statements (`a = 1; `), a finding at its end
  stdlib_20m  a realistic 20 MB file: the interpreter's own stdlib modules
              (tests left out) concatenated — round after round until the
              size is reached — with an invented call every 150 lines

Usage: python3 scripts/gen_huge_inputs.py OUT [--size-mb 20]
"""
import argparse
import os
import sysconfig

INVENTED = [
    "os.path.joinx('a', 'b')",
    "json.parse('{}')",
    "textwrap.finl('text')",
    "re.compil('x')",
    "collections.OrderedDictx()",
]


def workspace(out, case, name, text):
    d = os.path.join(out, case)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "pyproject.toml"), "w") as f:
        f.write('[project]\nname = "%s"\n' % case)
    with open(os.path.join(d, name), "w", encoding="utf-8") as f:
        f.write(text)
    return len(text.encode())


def stdlib_sources():
    lib = sysconfig.get_paths()["stdlib"]
    for dirpath, dirnames, filenames in os.walk(lib):
        dirnames[:] = sorted(
            d for d in dirnames
            if d not in ("site-packages", "test", "tests", "idlelib", "lib2to3", "__pycache__")
        )
        for name in sorted(filenames):
            if name.endswith(".py"):
                yield os.path.join(dirpath, name)


def realistic(size):
    parts = ["import collections\nimport json\nimport os\nimport re\nimport textwrap\n"]
    total = len(parts[0])
    k = 0
    sources = list(stdlib_sources())
    # Round after round over the modules until the size is reached.
    for path in (p for _ in iter(int, 1) for p in sources):
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except (UnicodeDecodeError, OSError):
            continue
        lines = text.splitlines(keepends=True)
        out = []
        last = 0
        for i, line in enumerate(lines):
            out.append(line)
            # At top level, between statements: after a blank line that a
            # top-level statement follows, 150 lines or more after the last.
            following = lines[i + 1] if i + 1 < len(lines) else ""
            top = following[:1] not in ("", " ", "\t", "\n", "#", ")", "]", "}") and not (
                following.startswith(("else", "elif", "except", "finally"))
            )
            if i - last >= 150 and line.strip() == "" and top:
                out.append(INVENTED[k % len(INVENTED)] + "\n")
                k += 1
                last = i
        chunk = "".join(out)
        if not chunk.endswith("\n"):
            chunk += "\n"
        parts.append(chunk)
        total += len(chunk.encode())
        if total >= size:
            break
    return "".join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--size-mb", type=float, default=20)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    head = "import os\n\n"
    n = workspace(args.out, "findings", "many.py", head + "os.path.joinx(1)\n" * 11000)
    print("findings: %d bytes" % n)
    n = workspace(args.out, "line_300k", "line.py",
                  head + "x = [" + "os.path.joinx, " * 20000 + "]\n")
    print("line_300k: %d bytes" % n)
    n = workspace(args.out, "line_1m", "line.py",
                  head + "x = [" + "os.path.joinx, " * 70000 + "]\n")
    print("line_1m: %d bytes" % n)
    n = workspace(args.out, "statements", "semi.py",
                  head + "a = 1; " * 140000 + "os.path.joinx(a)\n")
    print("statements: %d bytes" % n)
    n = workspace(args.out, "stdlib_20m", "big.py", realistic(int(args.size_mb * 1024 * 1024)))
    print("stdlib_20m: %d bytes" % n)


if __name__ == "__main__":
    main()

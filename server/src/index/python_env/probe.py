# Grounded interpreter probe: run as `python -I -S -B -c <this>`. -S keeps `site`
# from running `.pth` import lines, i.e. third-party code, inside the probe.
# Prints one line "@@GROUNDED-PROBE@@<json>" with the facts Grounded needs.
# Imports nothing outside the standard library; keep it valid for Python 3.6+.
import sys

if sys.version_info < (3, 6):
    sys.stderr.write("Python %d.%d is not supported (3.6+ needed)\n" % sys.version_info[:2])
    sys.exit(3)

import builtins
import json
import os


def _site_packages():
    try:
        import site

        return [p for p in site.getsitepackages() if isinstance(p, str)]
    except Exception:
        return []


def _stdlib_paths():
    out = []
    try:
        import sysconfig

        # The base installation's paths: in a venv, "platstdlib" would name the venv's lib dir.
        base = getattr(sys, "base_prefix", sys.prefix)
        platbase = getattr(sys, "base_exec_prefix", sys.exec_prefix)
        paths = sysconfig.get_paths(
            vars={
                "base": base,
                "installed_base": base,
                "platbase": platbase,
                "installed_platbase": platbase,
            }
        )
        for key in ("stdlib", "platstdlib"):
            p = paths.get(key)
            if p and p not in out:
                out.append(p)
    except Exception:
        pass
    return out


def _stdlib_names(stdlib, sites):
    names = getattr(sys, "stdlib_module_names", None)
    if names is not None:
        return sorted(names)
    # Python < 3.10: list the modules found in the stdlib directories.
    import pkgutil

    found = set(sys.builtin_module_names)
    roots = []
    for p in list(stdlib) + list(sys.path):
        if not p or p in sites or "site-packages" in p or "dist-packages" in p:
            continue
        if os.path.isdir(p) and p not in roots:
            roots.append(p)
    for info in pkgutil.iter_modules(roots):
        found.add(info[1])
    return sorted(found)


def main():
    sites = _site_packages()
    stdlib = _stdlib_paths()
    out = {
        "executable": sys.executable or "",
        "version": list(sys.version_info[:3]),
        "platform": sys.platform,
        "prefix": sys.prefix,
        "base_prefix": getattr(sys, "base_prefix", sys.prefix),
        "path": [p for p in sys.path if isinstance(p, str)],
        "site_packages": sites,
        "stdlib": stdlib,
        "stdlib_module_names": _stdlib_names(stdlib, sites),
        "builtin_module_names": sorted(sys.builtin_module_names),
        "builtins": sorted(dir(builtins)),
    }
    sys.stdout.write("\n@@GROUNDED-PROBE@@" + json.dumps(out) + "\n")
    sys.stdout.flush()


main()

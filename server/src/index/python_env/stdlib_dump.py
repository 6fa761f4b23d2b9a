# Grounded stdlib dump: run as `python -I -B -c <this>`.
# Imports the standard library (never third-party code, never test packages) and
# prints "@@GROUNDED-DUMP@@<json>": {"modules": {name: {member: {"k": kind, ...}}},
# "errors": {name: reason}, "docs": {path: line}}. Kinds: "c" class (m: dir(class)),
# "f" function, "M" module (n: its __name__), "v" variable (t: type name). "docs"
# holds the first doc line of what has no Python source to read it from: the
# compiled functions and classes of each module (`os.getcwd` from `posix`), and
# the methods of the builtin types (`builtins.str.strip`).
import sys
import os

# Anything the imported modules print (Python or C level) goes to /dev/null; the
# result is written to the original stdout at the end.
_out_fd = os.dup(1)
_null = os.open(os.devnull, os.O_WRONLY)
os.dup2(_null, 1)
os.dup2(_null, 2)

import importlib
import io
import json
import pkgutil
import warnings

warnings.simplefilter("ignore")
sys.stdout = io.StringIO()
sys.stderr = io.StringIO()

DENY_TOP = {
    "antigravity", "this", "__main__", "idlelib", "turtledemo", "turtle", "tkinter",
    "test", "lib2to3", "ensurepip", "pydoc_data", "__phello__",
}
# Submodules are read from their sources; the dump covers every top-level
# stdlib module (the namespaces that differ by platform and version live
# there), which keeps it near 0.4 s. Packages listed here are walked too.
SUBMODULE_PACKAGES = []
DENY_PARTS = {"test", "tests", "idle_test", "__main__"}

modules = {}
errors = {}
docs = {}


def _members(obj):
    try:
        # type.__dir__ bypasses a metaclass __dir__ (EnumType hides name/value).
        names = type.__dir__(obj) if isinstance(obj, type) else dir(obj)
        return sorted(set(n for n in names if isinstance(n, str)))
    except BaseException:
        return []


def _kind(value):
    if isinstance(value, type):
        return {"k": "c", "m": _members(value)}
    if type(value).__name__ == "module" or isinstance(value, type(sys)):
        name = getattr(value, "__name__", None)
        return {"k": "M", "n": name if isinstance(name, str) else ""}
    try:
        is_callable = callable(value)
    except BaseException:
        is_callable = False
    if is_callable:
        return {"k": "f"}
    return {"k": "v", "t": type(value).__name__}


def _compiled(value):
    """A function or class implemented in C: its doc line is nowhere else."""
    if isinstance(value, type):
        mod = sys.modules.get(getattr(value, "__module__", None) or "")
        where = getattr(mod, "__file__", None) if mod is not None else None
        return not (isinstance(where, str) and where.endswith(".py"))
    return type(value).__name__ in ("builtin_function_or_method", "method_descriptor")


def _signature_only(line):
    """`time() -> floating point number`, `S.count(sub[, start[, end]]) -> int`,
    `--`: a signature line of a C docstring, which says nothing in words."""
    if line == "--":
        return True
    head, _, ret = line.replace("-->", "->").partition("->")
    head = head.strip()
    if not (head.endswith(")") and "(" in head and " " not in head.split("(", 1)[0]):
        return False
    return len(ret.split()) <= 4


def _doc_line(value):
    try:
        doc = value.__doc__
    except BaseException:
        return None
    if not isinstance(doc, str):
        return None
    # The first paragraph that is not a signature, to the end of its first
    # sentence (C docstrings wrap mid-sentence).
    paragraph = []
    for line in doc.strip().splitlines() + [""]:
        line = line.strip()
        if line and not (not paragraph and _signature_only(line)):
            paragraph.append(line)
            continue
        if paragraph:
            text = " ".join(paragraph)
            end = text.find(". ")
            return (text[: end + 1] if end >= 0 else text)[:200]
    return None


def _note_doc(path, value):
    try:
        if not _compiled(value):
            return
    except BaseException:
        return
    line = _doc_line(value)
    if line:
        docs[path] = line


def dump(name):
    if name in modules or name in errors:
        return None
    try:
        mod = importlib.import_module(name)
    except BaseException as e:  # SystemExit, ImportError, platform errors...
        errors[name] = (type(e).__name__ + ": " + str(e))[:200]
        return None
    table = {}
    for attr in _members(mod):
        try:
            value = getattr(mod, attr)
        except BaseException:
            table[attr] = {"k": "v", "t": "?"}
            continue
        try:
            table[attr] = _kind(value)
        except BaseException:
            table[attr] = {"k": "v", "t": "?"}
            continue
        # (Not the builtin types themselves: their lines in a context say
        # enough by name; their methods below are what needs a doc line.)
        if not attr.startswith("_") and not (name == "builtins" and isinstance(value, type)):
            _note_doc(name + "." + attr, value)
        # The builtin types' methods, which no source describes.
        if name == "builtins" and isinstance(value, type) and not attr.startswith("_"):
            for m, v in list(vars(value).items()):
                if not m.startswith("_"):
                    _note_doc(name + "." + attr + "." + m, v)
    modules[name] = table
    return mod


def denied(name):
    top = name.split(".")[0]
    if top in DENY_TOP or top.startswith("_test"):
        return True
    return any(p in DENY_PARTS or p.startswith("test_") for p in name.split(".")[1:])


def walk(pkg_name):
    mod = dump(pkg_name) if pkg_name not in modules else sys.modules.get(pkg_name)
    path = getattr(mod, "__path__", None)
    if mod is None or path is None:
        return
    try:
        infos = list(pkgutil.iter_modules(path, pkg_name + "."))
    except BaseException:
        return
    for info in infos:
        if denied(info.name):
            continue
        if info.ispkg:
            walk(info.name)
        else:
            dump(info.name)


names = getattr(sys, "stdlib_module_names", None)
if names is None:
    names = set(sys.argv[1:]) if len(sys.argv) > 1 else set(sys.builtin_module_names)
for name in sorted(names):
    if not denied(name):
        dump(name)
for pkg in SUBMODULE_PACKAGES:
    if not denied(pkg):
        walk(pkg)

data = json.dumps({"modules": modules, "errors": errors, "docs": docs}, separators=(",", ":"))
payload = ("\n@@GROUNDED-DUMP@@" + data + "\n").encode("ascii", "backslashreplace")
view = memoryview(payload)
while view:
    n = os.write(_out_fd, view)
    view = view[n:]

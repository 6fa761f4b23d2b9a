"""The oracle of the Python accuracy bench: does each name a use line
looks up exist, as the running interpreter of the bench venv says?

Two halves:

- `plan(use_line)` (run by the bench script, any Python 3) reads the use
  line and says what to look up: the modules of `import a.b.c`, the module
  and names of `from a.b import c, d`, or, for any other line, every dotted
  chain `x.y.z` in it (and every bare name).
- `main()` is the child: `python -I -B python_accuracy_oracle.py CASE.py
  MODE ITEM...`, run by the bench venv's interpreter, one process per case
  so that no case sees another's imports. It runs the case's setup (every
  line but the last) and then looks the names up, without running the use
  line (an invented method is never called): imports with `__import__`,
  reads with `getattr`, one step at a time. The child imports nothing but
  `sys` before the lookups: the oracle's own imports would otherwise make
  submodules such as `collections.abc` attributes of their package, which
  a real run of the case does not have.

The child prints `VERDICT exists|missing|undecided` and `DETAIL text`.
`undecided` is for what this reading cannot settle: the setup failed, an
import failed inside the imported module (a dependency, not the name), a
property raised when read.
"""

import sys


class Unreadable(Exception):
    """A use line the oracle cannot read (the data file must change)."""


def plan(use):
    """(mode, items) for a use line: ("import", [module...]),
    ("from", [module, name...]) or ("read", ["a.b.c", ...]).
    Raises Unreadable when the line reads an attribute off a computed value
    (`f().x`: the value needs a setup line of its own) or binds local names."""
    import ast

    try:
        tree = ast.parse(use)
    except SyntaxError as e:
        raise Unreadable(f"the use line does not parse: {e.msg}") from None
    if len(tree.body) != 1:
        raise Unreadable("the use line is not one statement")
    stmt = tree.body[0]
    if isinstance(stmt, ast.Import):
        return "import", [a.name for a in stmt.names]
    if isinstance(stmt, ast.ImportFrom):
        if stmt.level:
            raise Unreadable("a relative import")
        if any(a.name == "*" for a in stmt.names):
            raise Unreadable("a star import")
        return "from", [stmt.module] + [a.name for a in stmt.names]
    parents = {}
    for parent in ast.walk(stmt):
        for child in ast.iter_child_nodes(parent):
            parents[child] = parent
    found = []
    for node in ast.walk(stmt):
        if isinstance(node, (ast.Lambda, ast.comprehension, ast.NamedExpr)):
            raise Unreadable("the use line binds local names")
        if not isinstance(node, (ast.Attribute, ast.Name)):
            continue
        if not isinstance(node.ctx, ast.Load):
            if isinstance(node, ast.Attribute):
                raise Unreadable("the use line assigns an attribute")
            continue
        if isinstance(parents.get(node), ast.Attribute):
            continue  # part of a longer chain
        parts = []
        cur = node
        while isinstance(cur, ast.Attribute):
            parts.append(cur.attr)
            cur = cur.value
        if not isinstance(cur, ast.Name):
            raise Unreadable("an attribute read off a computed value: give the value its own setup line")
        parts.append(cur.id)
        found.append((node.lineno, node.col_offset, ".".join(reversed(parts))))
    return "read", [chain for _, _, chain in sorted(found)]


# ---------------------------------------------------------------- the child


class Verdict(Exception):
    def __init__(self, verdict, detail):
        super().__init__(detail)
        self.verdict = verdict
        self.detail = detail


def describe(exc):
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:300]


def import_module(name):
    """Imports `name`; a module on the path `name` names that is not found
    is a missing name, any other failure is not this reading's to judge."""
    try:
        __import__(name)
        return sys.modules[name]
    except ModuleNotFoundError as e:
        parts = name.split(".")
        if e.name in {".".join(parts[: i + 1]) for i in range(len(parts))}:
            raise Verdict("missing", describe(e)) from None
        raise Verdict("undecided", f"importing {name}: {describe(e)}") from None
    except Exception as e:  # noqa: BLE001 - anything the module raises
        raise Verdict("undecided", f"importing {name}: {describe(e)}") from None


def defined_statically(obj, attr):
    """Whether `attr` is in the instance's or its classes' dicts (what
    inspect.getattr_static finds; importing inspect here would import
    submodules such as collections.abc into their packages)."""
    try:
        own = object.__getattribute__(obj, "__dict__")
    except AttributeError:
        own = {}
    if isinstance(own, dict) and attr in own:
        return True
    classes = list(type.__getattribute__(type(obj), "__mro__"))
    if isinstance(obj, type):
        classes += list(type.__getattribute__(obj, "__mro__"))
    return any(attr in type.__getattribute__(k, "__dict__") for k in classes)


def lookup_failed(where, attr, exc, obj):
    """The verdict on `getattr(obj, attr)` raising `exc`."""
    if isinstance(exc, AttributeError):
        if not defined_statically(obj, attr):
            return Verdict("missing", f"{where}.{attr}: {describe(exc)}")
        return Verdict("undecided", f"{where}.{attr} is defined but raised {describe(exc)} when read")
    if isinstance(exc, ImportError) and not isinstance(exc, ModuleNotFoundError):
        # A library saying "this name is gone" from its __getattr__
        # (pydantic's moved names): the name is not there to use.
        return Verdict("missing", f"{where}.{attr}: {describe(exc)}")
    return Verdict("undecided", f"reading {where}.{attr}: {describe(exc)}")


def from_import(module_name, name):
    """`from module_name import name`, as the import system reads it: the
    module's attribute, else its submodule."""
    module = import_module(module_name)
    try:
        getattr(module, name)
        return
    except Exception as e:  # noqa: BLE001
        verdict = lookup_failed(module_name, name, e, module)
        if verdict.verdict != "missing" or not isinstance(e, AttributeError):
            raise verdict from None
    if hasattr(module, "__path__"):
        import_module(f"{module_name}.{name}")
        return
    raise Verdict("missing", f"module {module_name} has no attribute {name}")


def read_chain(namespace, chain):
    parts = chain.split(".")
    root = parts[0]
    builtins = namespace["__builtins__"]
    builtins = builtins if isinstance(builtins, dict) else vars(builtins)
    if root in namespace:
        obj = namespace[root]
    elif root in builtins:
        obj = builtins[root]
    else:
        raise Verdict("missing", f"name {root} is not defined")
    for i, attr in enumerate(parts[1:], start=1):
        try:
            obj = getattr(obj, attr)
        except Exception as e:  # noqa: BLE001
            raise lookup_failed(".".join(parts[:i]), attr, e, obj) from None


def judge(path, mode, items):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    prelude = "\n".join(lines[:-1]) + "\n"
    # The case runs as a module of its own, as it would as a file.
    module = type(sys)("case_under_test")
    module.__file__ = path
    sys.modules[module.__name__] = module
    namespace = module.__dict__
    namespace["__builtins__"] = __builtins__
    try:
        exec(compile(prelude, path, "exec"), namespace)  # noqa: S102 - the case's own setup
    except BaseException as e:  # noqa: BLE001
        raise Verdict("undecided", f"the setup raised {describe(e)}") from None
    if mode == "import":
        for name in items:
            import_module(name)
        return "import " + ", ".join(items)
    if mode == "from":
        for name in items[1:]:
            from_import(items[0], name)
        return f"from {items[0]} import " + ", ".join(items[1:])
    for chain in items:
        read_chain(namespace, chain)
    return "read " + ", ".join(items)


def main():
    path, mode, items = sys.argv[1], sys.argv[2], sys.argv[3:]
    try:
        verdict, detail = "exists", judge(path, mode, items)
    except Verdict as v:
        verdict, detail = v.verdict, v.detail
    detail = " ".join(detail.split())
    sys.stdout.write(f"\nVERDICT {verdict}\nDETAIL {detail}\n")
    sys.stdout.flush()
    # No interpreter teardown: the libraries' exit hooks are not the case.
    import os

    os._exit(0)


if __name__ == "__main__":
    main()

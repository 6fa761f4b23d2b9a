"""The oracle of the Python accuracy bench: run by the bench venv's own
interpreter (`python -I -B scripts/python_accuracy_oracle.py CASE.py`), one
child process per case, so that no case sees another's imports.

A case file is its setup lines followed by one use line (the last line).
The oracle runs the setup, then asks the running interpreter whether each
name the use line looks up exists, without running the use line itself (an
invented method is never called):

- `import a.b.c` / `from a.b import c, d`: the modules are imported and each
  imported name is read as `from` reads it (the attribute, else the
  submodule `a.b.c`);
- any other line: every dotted chain `x.y.z` in it (and every bare name) is
  read with `getattr`, one step at a time, from the setup's namespace or
  the builtins.

It prints one JSON object: `{"verdict": "exists" | "missing" | "undecided",
"detail": "..."}`. `undecided` is for what this reading cannot settle: the
setup failed, an import failed inside the imported module (a dependency,
not the name), a property raised, an attribute is read off a computed value
(`f().x`: the case needs a setup line), or the line has local names
(lambda, comprehension).
"""

import ast
import builtins
import importlib
import inspect
import json
import os
import sys
import types
import warnings


class Verdict(Exception):
    def __init__(self, verdict, detail):
        super().__init__(detail)
        self.verdict = verdict
        self.detail = detail


def missing(detail):
    return Verdict("missing", detail)


def undecided(detail):
    return Verdict("undecided", detail)


def describe(exc):
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:300]


def import_module(name):
    """Imports `name`; a module on the path `name` names that is not found
    is a missing name, any other failure is not this reading's to judge."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        parts = name.split(".")
        prefixes = {".".join(parts[: i + 1]) for i in range(len(parts))}
        if e.name in prefixes:
            raise missing(describe(e)) from None
        raise undecided(f"importing {name}: {describe(e)}") from None
    except Exception as e:  # noqa: BLE001 - anything the module raises
        raise undecided(f"importing {name}: {describe(e)}") from None


def from_import(module_name, name):
    """`from module_name import name`, as the import system reads it: the
    module's attribute, else its submodule."""
    module = import_module(module_name)
    try:
        getattr(module, name)
        return
    except AttributeError:
        pass
    except ImportError as e:
        # A library saying "this name is gone" from its __getattr__
        # (pydantic's moved names): the name is not importable.
        if not isinstance(e, ModuleNotFoundError):
            raise missing(describe(e)) from None
        raise undecided(f"reading {module_name}.{name}: {describe(e)}") from None
    except Exception as e:  # noqa: BLE001
        raise undecided(f"reading {module_name}.{name}: {describe(e)}") from None
    if hasattr(module, "__path__"):
        import_module(f"{module_name}.{name}")
        return
    raise missing(f"module {module_name} has no attribute {name}")


def dotted(node):
    """`a.b.c` as ["a", "b", "c"]; None when the chain starts at anything
    but a name (a call, a subscript, a literal)."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return parts[::-1]
    return None


def chains(stmt):
    """The maximal dotted chains a statement reads, in source order."""
    parents = {}
    for parent in ast.walk(stmt):
        for child in ast.iter_child_nodes(parent):
            parents[child] = parent
    found = []
    for node in ast.walk(stmt):
        if isinstance(node, (ast.Lambda, ast.comprehension, ast.NamedExpr)):
            raise undecided("the use line binds local names")
        if isinstance(node, (ast.Attribute, ast.Name)):
            if not isinstance(node.ctx, ast.Load):
                if isinstance(node, ast.Attribute):
                    raise undecided("the use line assigns an attribute")
                continue
            if isinstance(parents.get(node), ast.Attribute):
                continue  # part of a longer chain
            chain = dotted(node)
            if chain is None:
                raise undecided("an attribute read off a computed value: give the value its own setup line")
            found.append((node.lineno, node.col_offset, chain))
    return [c for _, _, c in sorted(found)]


def read_chain(namespace, chain):
    root = chain[0]
    if root in namespace:
        obj = namespace[root]
    elif hasattr(builtins, root):
        obj = getattr(builtins, root)
    else:
        raise missing(f"name {root} is not defined")
    for i, attr in enumerate(chain[1:], start=1):
        where = ".".join(chain[:i])
        try:
            obj = getattr(obj, attr)
        except AttributeError as e:
            try:
                inspect.getattr_static(obj, attr)
            except AttributeError:
                raise missing(f"{where}.{attr}: {describe(e)}") from None
            raise undecided(f"{where}.{attr} is defined but raised {describe(e)} when read") from None
        except ImportError as e:
            if not isinstance(e, ModuleNotFoundError):
                raise missing(f"{where}.{attr}: {describe(e)}") from None
            raise undecided(f"reading {where}.{attr}: {describe(e)}") from None
        except Exception as e:  # noqa: BLE001
            raise undecided(f"reading {where}.{attr}: {describe(e)}") from None


def judge(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    use = lines[-1]
    prelude = "\n".join(lines[:-1]) + "\n"
    module = types.ModuleType("case_under_test")
    module.__file__ = path
    sys.modules[module.__name__] = module
    namespace = module.__dict__
    try:
        exec(compile(prelude, path, "exec"), namespace)  # noqa: S102 - the case's own setup
    except BaseException as e:  # noqa: BLE001
        raise undecided(f"the setup raised {describe(e)}") from None
    try:
        tree = ast.parse(use)
    except SyntaxError as e:
        raise undecided(f"the use line does not parse: {e}") from None
    if len(tree.body) != 1:
        raise undecided("the use line is not one statement")
    stmt = tree.body[0]
    if isinstance(stmt, ast.Import):
        for alias in stmt.names:
            import_module(alias.name)
        return "import " + ", ".join(a.name for a in stmt.names)
    if isinstance(stmt, ast.ImportFrom):
        if stmt.level:
            raise undecided("a relative import")
        for alias in stmt.names:
            if alias.name == "*":
                import_module(stmt.module)
            else:
                from_import(stmt.module, alias.name)
        return f"from {stmt.module} import " + ", ".join(a.name for a in stmt.names)
    read = chains(stmt)
    for chain in read:
        read_chain(namespace, chain)
    return "read " + ", ".join(".".join(c) for c in read)


def main():
    warnings.simplefilter("ignore")
    try:
        detail = judge(sys.argv[1])
        result = {"verdict": "exists", "detail": detail}
    except Verdict as v:
        result = {"verdict": v.verdict, "detail": v.detail}
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    sys.stdout.flush()
    # No interpreter teardown: the libraries' exit hooks are not the case.
    os._exit(0)


if __name__ == "__main__":
    main()

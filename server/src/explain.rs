//! What each finding code means: `grounded explain CODE`, and the rule
//! descriptions of the SARIF output.

use crate::analysis::Code;

/// The documentation of one finding code.
pub struct CodeDoc {
    pub code: Code,
    /// One sentence: what the finding says.
    pub summary: &'static str,
    /// What it means and why Grounded is sure of it.
    pub meaning: &'static str,
    /// A line of Python that gets the finding.
    pub example: &'static str,
    /// What to do about a true finding.
    pub fix: &'static str,
}

pub fn doc(code: Code) -> CodeDoc {
    match code {
        Code::UnresolvedModule => CodeDoc {
            code,
            summary: "An imported module or package does not exist in this environment.",
            meaning: "The import names a module that is neither in the workspace, nor in the \
standard library of the interpreter in use, nor installed in its environment (site-packages, \
.pth paths, editable installs). For a submodule, the parent package was found and has no \
submodule of that name. Imports inside `try/except ImportError`, under a runtime condition, or \
for another Python version or platform are optional and never reported.",
            example: "import fastjsonx",
            fix: "Fix the module name, or install the package into the environment Grounded \
checks against (`--python`, `python` in the configuration, `VIRTUAL_ENV`, `.venv/`).",
        },
        Code::UnresolvedSymbol => CodeDoc {
            code,
            summary: "A name looked up in a module does not exist in that module.",
            meaning: "`from module import name` or `module.name` names something the module \
does not define, import or re-export, and the module is closed: all of its members are known \
(no module `__getattr__`, no unresolved star import, not compiled without stubs).",
            example: "json.parse(text)    # the function is json.loads",
            fix: "Use one of the suggested names (real names from the same module, nearest \
first), or the API the module really offers. A module that creates its members at run time in \
a way Grounded cannot see can be declared open: `open-modules = [\"pkg.plugins.*\"]` in the \
configuration.",
        },
        Code::UnknownMember => CodeDoc {
            code,
            summary: "An attribute or method is not on the class of its receiver.",
            meaning: "The receiver's class is certain (a constructor call, an annotation, a \
return type, `self`) and neither the class nor any of its bases defines the attribute, in its \
body, in any method (`self.x = ...`), as a dataclass/NamedTuple/Enum field or a property. \
Classes with dynamic members (`__getattr__`, custom metaclasses, unresolved bases) are open \
and never reported against.",
            example: "requests.Session().fetch(url)",
            fix: "Call a method the class really has (see the suggestions), or, when the \
attribute is added at run time in a way Grounded cannot see, suppress the line.",
        },
        Code::UndefinedName => CodeDoc {
            code,
            summary: "A bare name that nothing defines.",
            meaning: "The name is read, but no enclosing scope, module global, import or \
builtin of the interpreter binds it anywhere in the file. Modules that can receive names \
dynamically (`globals()[...] = ...`, star imports that cannot be resolved) are open.",
            example: "flatten(rows)    # no def, import or assignment of `flatten`",
            fix: "Import or define the name, or fix its spelling.",
        },
        Code::RemovedApi => CodeDoc {
            code,
            summary: "A module member the library removed: looking it up raises.",
            meaning: "The module answers missing names with a module-level `__getattr__` \
(PEP 562), and that function raises (AttributeError, or the exception it names) for this name on a path of its own \
(`if name in __expired_attributes__: raise AttributeError(...)`): the library removed it and \
says so. The message quotes the library's own text when it is made of literals (including a \
lookup in a literal dict of messages). Modules whose `__getattr__` cannot be read as tests on \
its parameter are open and never reported against.",
            example: "np.Inf    # NumPy 2.0: use np.inf",
            fix: "Use the replacement the library's message names (offered as the quick fix when \
it exists in the module), or pin the library version the code was written for.",
        },
    }
}

/// What the code means for Rust files.
fn rust_meaning(code: Code) -> &'static str {
    match code {
        Code::UnresolvedModule => "A crate that is not in the Cargo dependency graph (`use reqwest::Client` with no reqwest dependency), a module path that does not exist (`use crate::utils::x`), or `mod x;` without its file.",
        Code::UnresolvedSymbol => "An item that a closed module or crate does not have: `serde_json::from_string`, `use std::collections::HashMapp`, `helpers::jsonn!`.",
        Code::UnknownMember => "An associated function or method the type does not have (`Vec::with_len`; `v.push_all(x)` on a `Vec`), when the receiver's type is certain and no inherent impl, implemented trait or trait in scope provides it.",
        Code::UndefinedName => "A function called by a bare name that no item, import or local binding provides.",
        Code::RemovedApi => "Not reported for Rust: a removed item is simply missing (unresolved-symbol, unknown-member).",
    }
}

/// The known codes, for error messages.
pub fn known_codes() -> String {
    Code::ALL.map(|c| c.as_str()).join(", ")
}

/// Plain text for `grounded explain CODE`.
pub fn render(code: Code) -> String {
    let d = doc(code);
    let c = code.as_str();
    format!(
        "{headline}

{meaning}

Example:
    {example}

In Rust:
    {rust}

What to do:
    {fix}

Suppress one line (a comment on the line of the finding):
    {code_only}  # grounded: ignore[{c}]
  (in Rust: `// grounded: ignore[{c}]`)
  `# grounded: ignore` alone silences every code on the line; lines marked
  `# type: ignore` or `# pyright: ignore` are not reported either.

Configure its severity (error | warning | info | off) in grounded.toml:
    [severity]
    {c} = \"warning\"
  or in pyproject.toml:
    [tool.grounded.severity]
    {c} = \"warning\"
  Findings at error severity fail `grounded check` (exit status 1);
  `--severity LEVEL` hides findings below LEVEL.
",
        headline = wrap(&format!("{c}: {}", d.summary), 78),
        code_only = d.example.split('#').next().unwrap_or(d.example).trim_end(),
        meaning = wrap(d.meaning, 78),
        example = d.example,
        fix = wrap(d.fix, 74).replace('\n', "\n    "),
        rust = wrap(rust_meaning(code), 74).replace('\n', "\n    "),
    )
}

/// The list printed by `grounded explain` without a code.
pub fn render_index() -> String {
    let mut out = String::from("Finding codes (grounded explain CODE for details):\n");
    for code in Code::ALL {
        out.push_str(&format!("  {:<20}{}\n", code.as_str(), doc(code).summary));
    }
    out
}

/// Greedy word wrap at `width` characters.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > width {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_explains_suppression_and_configuration() {
        for code in Code::ALL {
            let text = render(code);
            let c = code.as_str();
            assert!(text.starts_with(&format!("{c}: ")), "{text}");
            assert!(text.contains(&format!("# grounded: ignore[{c}]")), "{text}");
            assert!(text.contains("[tool.grounded.severity]"), "{text}");
            assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
        }
    }

    #[test]
    fn wrap_keeps_words_whole() {
        assert_eq!(wrap("aa bb cc", 5), "aa bb\ncc");
        assert_eq!(wrap("", 5), "");
    }
}

//! Configuration: `grounded.toml` at the workspace root, or `[tool.grounded]`
//! in `pyproject.toml`.
//!
//! ```toml
//! python = ".venv/bin/python"       # interpreter or venv, relative to the root
//! include = ["src/**", "app/**"]    # only these files (globs relative to the root)
//! exclude = ["migrations/**"]
//! open-modules = ["myapp.plugins.*"] # modules whose members are dynamic
//! [severity]                         # per code: error | warning | info | off
//! undefined-name = "warning"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::analysis::{Code, Severity};

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawConfig {
    python: Option<String>,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    open_modules: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
}

#[derive(Debug, Default)]
pub struct Config {
    /// Where the configuration came from, if anywhere.
    pub source: Option<PathBuf>,
    pub python: Option<PathBuf>,
    pub include: Option<GlobSet>,
    pub exclude: Option<GlobSet>,
    pub open_modules: Option<GlobSet>,
    /// `None` for a code: turned off.
    pub severity: BTreeMap<Code, Option<Severity>>,
}

impl Config {
    pub fn severity_of(&self, code: Code) -> Option<Severity> {
        match self.severity.get(&code) {
            Some(s) => *s,
            None => Some(Severity::Error),
        }
    }

    /// Load from an explicit file, or discover at `root`. Errors are one line.
    pub fn load(root: &Path, explicit: Option<&Path>) -> Result<Config, String> {
        if let Some(path) = explicit {
            let text = crate::regular_file::read_to_string(path)
                .map_err(|e| format!("cannot read config {}: {e}", path.display()))?;
            let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
            let base = path.parent().unwrap_or(root);
            return parse(&text, path, base, is_pyproject).map(|c| Config {
                source: Some(path.to_path_buf()),
                ..c.unwrap_or_default()
            });
        }
        let grounded = root.join("grounded.toml");
        if grounded.is_file() {
            let text = crate::regular_file::read_to_string(&grounded)
                .map_err(|e| format!("cannot read config {}: {e}", grounded.display()))?;
            if let Some(c) = parse(&text, &grounded, root, false)? {
                return Ok(c);
            }
        }
        let pyproject = root.join("pyproject.toml");
        if pyproject.is_file() {
            let text = crate::regular_file::read_to_string(&pyproject)
                .map_err(|e| format!("cannot read {}: {e}", pyproject.display()))?;
            if let Some(c) = parse(&text, &pyproject, root, true)? {
                return Ok(c);
            }
        }
        Ok(Config::default())
    }
}

fn parse(text: &str, path: &Path, base: &Path, pyproject: bool) -> Result<Option<Config>, String> {
    let value: toml::Value = toml::from_str(text).map_err(|e| {
        format!(
            "{}: invalid TOML: {}",
            path.display(),
            first_line(&e.to_string())
        )
    })?;
    let table = if pyproject {
        match value.get("tool").and_then(|t| t.get("grounded")) {
            Some(t) => t.clone(),
            None => return Ok(None),
        }
    } else {
        value
    };
    let raw: RawConfig = table.try_into().map_err(|e: toml::de::Error| {
        format!("{}: {}", path.display(), first_line(&e.to_string()))
    })?;
    let mut severity = BTreeMap::new();
    for (code, level) in &raw.severity {
        let code = Code::parse(code).ok_or_else(|| {
            format!(
                "{}: unknown finding code `{code}` in [severity] (known: {})",
                path.display(),
                Code::ALL.map(|c| c.as_str()).join(", ")
            )
        })?;
        let level = match level.as_str() {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            "off" => None,
            other => {
                return Err(format!(
                    "{}: severity `{other}` for `{}` must be error, warning, info or off",
                    path.display(),
                    code.as_str()
                ))
            }
        };
        severity.insert(code, level);
    }
    Ok(Some(Config {
        source: Some(path.to_path_buf()),
        python: raw.python.map(|p| {
            let p = PathBuf::from(p);
            if p.is_absolute() {
                p
            } else {
                base.join(p)
            }
        }),
        include: globs(&raw.include, path)?,
        exclude: globs(&raw.exclude, path)?,
        open_modules: globs(&raw.open_modules, path)?,
        severity,
    }))
}

fn globs(patterns: &[String], path: &Path) -> Result<Option<GlobSet>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let glob = Glob::new(p).map_err(|e| format!("{}: bad glob `{p}`: {e}", path.display()))?;
        b.add(glob);
        // `dir` also matches everything below it.
        if !p.contains('*') {
            if let Ok(g) = Glob::new(&format!("{}/**", p.trim_end_matches('/'))) {
                b.add(g);
            }
        }
    }
    b.build()
        .map(Some)
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn first_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pyproject_table_is_read() {
        let text = r#"
[project]
name = "x"
[tool.grounded]
python = "venv"
exclude = ["build"]
open-modules = ["dyn.*"]
[tool.grounded.severity]
undefined-name = "off"
unknown-member = "warning"
"#;
        let c = parse(text, Path::new("pyproject.toml"), Path::new("/w"), true)
            .unwrap()
            .unwrap();
        assert_eq!(c.python.as_deref(), Some(Path::new("/w/venv")));
        assert!(c.exclude.as_ref().unwrap().is_match("build/x.py"));
        assert!(c.open_modules.as_ref().unwrap().is_match("dyn.plugins"));
        assert_eq!(c.severity_of(Code::UndefinedName), None);
        assert_eq!(c.severity_of(Code::UnknownMember), Some(Severity::Warning));
        assert_eq!(c.severity_of(Code::UnresolvedModule), Some(Severity::Error));
    }

    #[test]
    fn errors_are_one_line() {
        let e = parse(
            "severity = { bogus = \"off\" }",
            Path::new("g.toml"),
            Path::new("/"),
            false,
        )
        .unwrap_err();
        assert!(e.contains("unknown finding code `bogus`"), "{e}");
        assert!(!e.contains('\n'));
        let e = parse("python = [", Path::new("g.toml"), Path::new("/"), false).unwrap_err();
        assert!(!e.contains('\n'), "{e}");
        let e = parse("pyhton = 'x'", Path::new("g.toml"), Path::new("/"), false).unwrap_err();
        assert!(e.contains("pyhton"), "{e}");
    }
}

//! The client's settings, from `initializationOptions` and
//! `workspace/didChangeConfiguration` (either bare or under a `grounded`
//! key): `python`, `trusted`, `debounce` (ms), `severity` (per code:
//! error | warning | info | off). Keys not given keep their value; unknown
//! keys and values of the wrong type are logged and ignored.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::Value;

use super::folders::SessionSettings;
use super::log;
use crate::analysis::{Code, Severity};

pub const DEFAULT_DEBOUNCE_MS: u64 = 50;
const MAX_DEBOUNCE_MS: u64 = 10_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub session: SessionSettings,
    pub debounce_ms: u64,
    /// Per-code severity (`None`: off); wins over the workspace configuration.
    pub severity: HashMap<Code, Option<Severity>>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            session: SessionSettings {
                python: None,
                trusted: true,
                // (the editor says when a workspace is untrusted)
            },
            debounce_ms: DEFAULT_DEBOUNCE_MS,
            severity: HashMap::new(),
        }
    }
}

const KNOWN_KEYS: &[&str] = &[
    "python", "trusted", "debounce", "severity", "gpu", "context",
];

impl Settings {
    /// These settings with `update` applied.
    pub fn updated(&self, update: &Value) -> Settings {
        let mut next = self.clone();
        let update = update.get("grounded").unwrap_or(update);
        let Some(map) = update.as_object() else {
            if !update.is_null() {
                log::warn("ignored settings that are not an object");
            }
            return next;
        };
        for key in map.keys() {
            if !KNOWN_KEYS.contains(&key.as_str()) {
                log::debug(format!("ignored unknown setting `{key}`"));
            }
        }
        match map.get("python") {
            Some(Value::String(p)) if p.trim().is_empty() => next.session.python = None,
            Some(Value::String(p)) => next.session.python = Some(PathBuf::from(p)),
            Some(Value::Null) | None => {}
            Some(_) => log::warn("setting `python` must be a path"),
        }
        match map.get("trusted") {
            Some(Value::Bool(t)) => next.session.trusted = *t,
            Some(Value::Null) | None => {}
            Some(_) => log::warn("setting `trusted` must be true or false"),
        }
        match map.get("debounce") {
            Some(v) if v.is_u64() => {
                next.debounce_ms = v
                    .as_u64()
                    .unwrap_or(DEFAULT_DEBOUNCE_MS)
                    .min(MAX_DEBOUNCE_MS)
            }
            Some(Value::Null) | None => {}
            Some(_) => log::warn("setting `debounce` must be a number of milliseconds"),
        }
        match map.get("severity") {
            Some(Value::Object(levels)) => {
                next.severity.clear();
                for (code, level) in levels {
                    let severity = match level.as_str().unwrap_or("") {
                        "error" => Some(Severity::Error),
                        "warning" => Some(Severity::Warning),
                        "info" | "information" => Some(Severity::Info),
                        "off" | "none" => None,
                        other => {
                            log::warn(format!(
                                "severity `{other}` for `{code}`: expected error, warning, info or off"
                            ));
                            continue;
                        }
                    };
                    match Code::parse(code) {
                        Some(code) => {
                            next.severity.insert(code, severity);
                        }
                        None => log::warn(format!("severity for unknown finding code `{code}`")),
                    }
                }
            }
            Some(Value::Null) | None => {}
            Some(_) => log::warn("setting `severity` must map finding codes to levels"),
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_apply_bare_or_under_grounded_and_keep_what_is_not_given() {
        let s = Settings::default().updated(&json!({
            "grounded": {"python": "/usr/bin/python3", "debounce": 20,
                          "severity": {"unknown-member": "warning", "undefined-name": "off"}}
        }));
        assert_eq!(s.session.python, Some(PathBuf::from("/usr/bin/python3")));
        assert_eq!(s.debounce_ms, 20);
        assert!(s.session.trusted);
        assert_eq!(
            s.severity.get(&Code::UnknownMember),
            Some(&Some(Severity::Warning))
        );
        assert_eq!(s.severity.get(&Code::UndefinedName), Some(&None));
        let t = s.updated(&json!({"trusted": false, "debounce": "fast", "python": 3}));
        assert!(!t.session.trusted);
        assert_eq!(t.debounce_ms, 20, "a bad value keeps the old one");
        assert_eq!(t.session.python, s.session.python);
        assert_eq!(t.severity, s.severity);
        let u = t.updated(&json!({"debounce": 1_000_000, "python": ""}));
        assert_eq!(u.debounce_ms, MAX_DEBOUNCE_MS);
        assert_eq!(u.session.python, None);
    }
}

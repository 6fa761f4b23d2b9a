//! The client's settings, from `initializationOptions` and
//! `workspace/didChangeConfiguration` (either bare or under a `grounded`
//! key): `python`, `trusted`, `debounce` (ms), `severity` (per code:
//! error | warning | info | off), `gpu` (see [`GpuSettings`]), `context`
//! (`{budget}`: the token budget of a `grounded/context` request that gives
//! none; default [`DEFAULT_BUDGET`]), `maxDocumentSize` (bytes: a larger open
//! document gets a notice instead of an analysis; default
//! [`DEFAULT_MAX_DOCUMENT_BYTES`]). Keys not
//! given keep their value; unknown keys and values of the wrong type are
//! logged and ignored.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::Value;

use super::folders::SessionSettings;
use super::log;
use crate::analysis::{Code, Severity};
use crate::context::DEFAULT_BUDGET;

pub const DEFAULT_DEBOUNCE_MS: u64 = 50;
/// 10 MB: a larger document is not analyzed (its parse tree alone would
/// take hundreds of megabytes, and each keystroke seconds).
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;
const MAX_DEBOUNCE_MS: u64 = 10_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub session: SessionSettings,
    /// The server was started untrusted (`--untrusted`, `GROUNDED_UNTRUSTED`):
    /// `trusted: true` from the client cannot lift it.
    pub forced_untrusted: bool,
    pub debounce_ms: u64,
    /// Per-code severity (`None`: off); wins over the workspace configuration.
    pub severity: HashMap<Code, Option<Severity>>,
    pub gpu: GpuSettings,
    /// Token budget of a `grounded/context` request that names none.
    pub context_budget: usize,
    /// Open documents larger than this many bytes are not analyzed.
    pub max_document_bytes: usize,
}

/// `gpu`: `true`/`false`, or `{enabled, interval, replay, speed, threshold,
/// historyPoints}`. While enabled the server pushes `grounded/gpuStatus`.
#[derive(Debug, Clone, PartialEq)]
pub struct GpuSettings {
    pub enabled: bool,
    /// Seconds between samples; for a replay, when given, each recorded
    /// snapshot is played at this interval instead of its recorded pace.
    pub interval_s: Option<f64>,
    /// A recorded trace played instead of NVML.
    pub replay: Option<PathBuf>,
    /// A replay's recorded pace is sped up this many times.
    pub speed: f64,
    pub threshold_pct: f64,
    /// Points of history per series in each notification.
    pub history_points: usize,
}

impl Default for GpuSettings {
    fn default() -> GpuSettings {
        GpuSettings {
            enabled: false,
            interval_s: None,
            replay: None,
            speed: 1.0,
            threshold_pct: 90.0,
            history_points: 150,
        }
    }
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            session: SessionSettings {
                python: None,
                trusted: true,
                // (the editor says when a workspace is untrusted)
            },
            forced_untrusted: false,
            debounce_ms: DEFAULT_DEBOUNCE_MS,
            severity: HashMap::new(),
            gpu: GpuSettings::default(),
            context_budget: DEFAULT_BUDGET,
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
        }
    }
}

impl Settings {
    /// The defaults; every folder untrusted whatever the client says when
    /// `untrusted` (the server was started so).
    pub fn new(untrusted: bool) -> Settings {
        let mut s = Settings {
            forced_untrusted: untrusted,
            ..Settings::default()
        };
        s.session.trusted = !untrusted;
        s
    }
}

const KNOWN_KEYS: &[&str] = &[
    "python",
    "trusted",
    "debounce",
    "severity",
    "gpu",
    "context",
    "maxDocumentSize",
];

impl Settings {
    /// Both analyze documents the same way (whatever their `gpu`).
    pub fn same_analysis(&self, other: &Settings) -> bool {
        self.session == other.session
            && self.debounce_ms == other.debounce_ms
            && self.severity == other.severity
            && self.max_document_bytes == other.max_document_bytes
    }

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
            Some(Value::Bool(t)) => next.session.trusted = *t && !next.forced_untrusted,
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
        match map.get("gpu") {
            Some(Value::Bool(on)) => next.gpu.enabled = *on,
            Some(Value::Object(gpu)) => next.gpu = next.gpu.updated(gpu),
            Some(Value::Null) | None => {}
            Some(_) => log::warn("setting `gpu` must be true, false or an object"),
        }
        match map.get("maxDocumentSize") {
            Some(v) if v.as_u64().is_some_and(|n| n > 0) => {
                next.max_document_bytes = v.as_u64().map_or(DEFAULT_MAX_DOCUMENT_BYTES, |n| {
                    usize::try_from(n).unwrap_or(usize::MAX)
                })
            }
            Some(Value::Null) | None => {}
            Some(_) => log::warn("setting `maxDocumentSize` must be a positive number of bytes"),
        }
        match map.get("context") {
            Some(Value::Object(context)) => match context.get("budget") {
                Some(v) if v.as_u64().is_some_and(|n| n > 0) => {
                    next.context_budget = v.as_u64().unwrap_or(DEFAULT_BUDGET as u64) as usize
                }
                Some(Value::Null) | None => {}
                Some(_) => {
                    log::warn("setting `context.budget` must be a positive number of tokens")
                }
            },
            Some(Value::Null) | None => {}
            Some(_) => log::warn("setting `context` must be an object"),
        }
        next
    }
}

impl GpuSettings {
    fn updated(&self, map: &serde_json::Map<String, Value>) -> GpuSettings {
        let mut next = self.clone();
        let positive = |key: &str| -> Option<f64> {
            match map.get(key) {
                Some(v) if v.as_f64().is_some_and(|x| x.is_finite() && x > 0.0) => v.as_f64(),
                Some(Value::Null) | None => None,
                Some(_) => {
                    log::warn(format!("setting `gpu.{key}` must be a positive number"));
                    None
                }
            }
        };
        match map.get("enabled") {
            Some(Value::Bool(on)) => next.enabled = *on,
            Some(Value::Null) | None => {}
            Some(_) => log::warn("setting `gpu.enabled` must be true or false"),
        }
        if let Some(s) = positive("interval") {
            next.interval_s = Some(s.max(0.01));
        }
        if let Some(x) = positive("speed") {
            next.speed = x;
        }
        if let Some(p) = positive("threshold") {
            next.threshold_pct = p.min(100.0);
        }
        if let Some(n) = positive("historyPoints") {
            next.history_points = n as usize;
        }
        match map.get("replay") {
            Some(Value::String(p)) if p.trim().is_empty() => next.replay = None,
            Some(Value::String(p)) => next.replay = Some(PathBuf::from(p)),
            Some(Value::Null) => next.replay = None,
            None => {}
            Some(_) => log::warn("setting `gpu.replay` must be the path of a trace"),
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

    #[test]
    fn a_server_started_untrusted_stays_untrusted() {
        let s = Settings::new(true);
        assert!(!s.session.trusted);
        let t = s.updated(&json!({"trusted": true}));
        assert!(!t.session.trusted, "the client cannot lift it");
        assert!(
            Settings::new(false)
                .updated(&json!({"trusted": true}))
                .session
                .trusted
        );
    }

    #[test]
    fn max_document_size_is_a_positive_number_of_bytes() {
        let s = Settings::default();
        assert_eq!(s.max_document_bytes, 10 * 1024 * 1024);
        let t = s.updated(&json!({"maxDocumentSize": 1000}));
        assert_eq!(t.max_document_bytes, 1000);
        assert!(!t.same_analysis(&s), "documents are analyzed again");
        for bad in [json!(0), json!(-5), json!("big"), json!(1.5)] {
            let u = t.updated(&json!({ "maxDocumentSize": bad }));
            assert_eq!(u.max_document_bytes, 1000, "a bad value keeps the old one");
        }
    }

    #[test]
    fn context_budget_is_a_positive_number() {
        let s = Settings::default();
        assert_eq!(s.context_budget, DEFAULT_BUDGET);
        let t = s.updated(&json!({"context": {"budget": 500}}));
        assert_eq!(t.context_budget, 500);
        let u = t.updated(&json!({"context": {"budget": 0}}));
        assert_eq!(u.context_budget, 500, "a bad value keeps the old one");
        let v = u.updated(&json!({"context": "big"}));
        assert_eq!(v.context_budget, 500);
    }

    #[test]
    fn gpu_settings_take_a_switch_or_an_object() {
        let s = Settings::default().updated(&json!({"gpu": true}));
        assert!(s.gpu.enabled);
        assert!(s.same_analysis(&Settings::default()));
        let t = s.updated(&json!({"gpu": {"enabled": true, "interval": 0.5,
            "replay": "/tmp/t.jsonl", "speed": 10, "threshold": 80, "historyPoints": 20}}));
        assert_eq!(t.gpu.interval_s, Some(0.5));
        assert_eq!(t.gpu.replay, Some(PathBuf::from("/tmp/t.jsonl")));
        assert_eq!(t.gpu.speed, 10.0);
        assert_eq!(t.gpu.threshold_pct, 80.0);
        assert_eq!(t.gpu.history_points, 20);
        let u = t.updated(&json!({"gpu": {"enabled": false, "interval": -1, "replay": null}}));
        assert!(!u.gpu.enabled);
        assert_eq!(u.gpu.interval_s, Some(0.5), "a bad value keeps the old one");
        assert_eq!(u.gpu.replay, None);
    }
}

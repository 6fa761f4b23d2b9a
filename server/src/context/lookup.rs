//! Questions an assistant asks about one name: does `requests.Session.fetch`
//! exist (and if not, what does), and what are the members of `pathlib.Path`
//! — with the same certainty rules as the analysis: a name is missing only
//! from a *closed* container; an open one answers "cannot tell".

use std::sync::Arc;

use super::candidates;
use super::describe::{self, Described};
use crate::analysis::eval::{Evaluator, SharedCache};
use crate::analysis::named;
use crate::analysis::suggest::{self, NameKind, Named};
use crate::analysis::types::{ClassRef, Lookup, Ty};
use crate::index::{Index, Module};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existence {
    Exists,
    Missing,
    /// The container is open (dynamic members) or not certain.
    Unknown,
}

impl Existence {
    pub fn as_str(self) -> &'static str {
        match self {
            Existence::Exists => "exists",
            Existence::Missing => "missing",
            Existence::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone)]
pub struct SymbolLookup {
    pub symbol: String,
    pub existence: Existence,
    /// What it is, when it exists.
    pub found: Option<Described>,
    /// When missing or unknown: the longest prefix that exists, and why the
    /// rest could not be found.
    pub reason: Option<String>,
    /// Real names near the missing one, qualified, best first.
    pub suggestions: Vec<String>,
}

/// A dotted name resolved as far as it goes.
enum Resolved {
    Found(Ty, Described),
    Missing {
        container: String,
        /// The container's real names, with kinds and doc lines.
        candidates: Vec<Named>,
        name: String,
    },
    Unknown(String),
}

fn resolve(ev: &Evaluator, symbol: &str) -> Result<Resolved, String> {
    let parts: Vec<&str> = symbol.split('.').collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || !p.chars().all(|c| c.is_alphanumeric() || c == '_'))
    {
        return Err(format!(
            "`{symbol}` is not a dotted Python name (like `os.path.join` or `requests.Session.get`)"
        ));
    }
    // The longest prefix that is a module.
    let mut module: Option<(Arc<Module>, usize)> = None;
    for k in 1..=parts.len() {
        match ev.resolve_module(&parts[..k].join(".")) {
            Some(m) => module = Some((m, k)),
            None => break,
        }
    }
    let Some((m, k)) = module else {
        let top = parts[0];
        return Ok(Resolved::Missing {
            container: TOP_LEVEL.to_string(),
            candidates: ev
                .index
                .top_level_names()
                .into_iter()
                .map(|name| Named {
                    name,
                    kind: NameKind::Value,
                    doc: None,
                })
                .collect(),
            name: top.to_string(),
        });
    };
    let mut ty = Ty::Module(m.clone());
    let mut described = describe::module_itself(&m);
    let mut reached = parts[..k].join(".");
    let rest = &parts[k..];
    for (i, part) in rest.iter().enumerate() {
        let lookup = ev.member(&ty, part);
        match lookup {
            Lookup::Found(next) => {
                let d = match &ty {
                    Ty::Module(m) => describe::module_member(ev, m, part),
                    Ty::Class(c) | Ty::Instance(c) => describe::class_member(ev, c, part),
                    _ => None,
                };
                described = match (d, &next) {
                    (Some(mut d), _) => {
                        d.name = format!("{reached}.{part}");
                        d
                    }
                    (None, Ty::Class(c)) => describe::class_itself(c),
                    (None, _) => Described {
                        kind: "attribute",
                        name: format!("{reached}.{part}"),
                        signature: None,
                        doc: None,
                        source: None,
                        class: None,
                    },
                };
                reached = format!("{reached}.{part}");
                ty = next;
                if ty.is_unknown() && i + 1 < rest.len() {
                    return Ok(Resolved::Unknown(format!(
                        "`{reached}` exists, but what it holds is not known, so its members cannot be checked"
                    )));
                }
            }
            Lookup::Missing(_) => {
                let candidates = named::members(ev, &ty);
                return Ok(Resolved::Missing {
                    container: reached,
                    candidates,
                    name: part.to_string(),
                });
            }
            Lookup::Unknown => {
                return Ok(Resolved::Unknown(format!(
                    "`{reached}` is open (its members can appear at run time), so whether it has `{part}` cannot be known"
                )));
            }
        }
    }
    Ok(Resolved::Found(ty, described))
}

/// Where a missing top-level name was looked for.
const TOP_LEVEL: &str = "the workspace and its environment";

/// Does `symbol` (`os.path.join`, `requests.Session.get`) exist?
pub fn lookup(index: &Index, shared: &SharedCache, symbol: &str) -> Result<SymbolLookup, String> {
    let ev = Evaluator::new(index, shared);
    let symbol = symbol.trim();
    Ok(match resolve(&ev, symbol)? {
        Resolved::Found(_, d) => SymbolLookup {
            symbol: symbol.to_string(),
            existence: Existence::Exists,
            found: Some(d),
            reason: None,
            suggestions: Vec::new(),
        },
        Resolved::Missing {
            container,
            candidates,
            name,
        } => {
            let top = container == TOP_LEVEL;
            let suggestions = if top {
                let names = candidates.iter().map(|c| c.name.as_str());
                let mut near = suggest::suggest(&name, names.clone(), 5);
                for s in suggest::suggest_packages(&name, names, 5) {
                    if near.len() < 5 && !near.contains(&s) {
                        near.push(s);
                    }
                }
                near
            } else {
                suggest::suggest_members(&name, &candidates, false, 5)
                    .into_iter()
                    .map(|s| format!("{container}.{s}"))
                    .collect()
            };
            let reason = if top {
                format!("no module `{name}` in {container}")
            } else {
                format!("`{container}` has no member `{name}`")
            };
            SymbolLookup {
                symbol: symbol.to_string(),
                existence: Existence::Missing,
                found: None,
                reason: Some(reason),
                suggestions,
            }
        }
        Resolved::Unknown(reason) => SymbolLookup {
            symbol: symbol.to_string(),
            existence: Existence::Unknown,
            found: None,
            reason: Some(reason),
            suggestions: Vec::new(),
        },
    })
}

#[derive(Debug, Clone)]
pub struct MemberList {
    pub container: Described,
    /// All members are known: a name not listed does not exist.
    pub closed: bool,
    /// When open, why: "members can appear at run time".
    pub open_because: Option<&'static str>,
    pub members: Vec<Described>,
}

/// A name no real container has: whether a lookup of it is "missing" tells
/// whether the container is closed.
const PROBE: &str = "grounded_probe_no_such_member";

/// The members of a module or class (`pathlib.Path`, `requests`).
pub fn members(index: &Index, shared: &SharedCache, name: &str) -> Result<MemberList, String> {
    let ev = Evaluator::new(index, shared);
    let name = name.trim();
    let (ty, container) = match resolve(&ev, name)? {
        Resolved::Found(ty, d) => (ty, d),
        Resolved::Missing {
            container, name, ..
        } => return Err(format!("`{name}` does not exist in {container}")),
        Resolved::Unknown(reason) => return Err(reason),
    };
    let (closed, members) = match &ty {
        Ty::Module(m) => {
            let closed = matches!(ev.module_member(m, PROBE), Lookup::Missing(_));
            let members = candidates::public_members(&ev, m)
                .iter()
                .filter_map(|n| describe::module_member(&ev, m, n))
                .map(|mut d| {
                    d.class = None;
                    d
                })
                .collect();
            (closed, members)
        }
        Ty::Class(c) | Ty::Instance(c) => {
            // Named as asked (`webkit.Client.get`), not where defined.
            let members = class_members(&ev, c)
                .into_iter()
                .map(|mut d| {
                    let short = d.name.rsplit('.').next().unwrap_or_default().to_string();
                    d.name = format!("{}.{short}", container.name);
                    d
                })
                .collect();
            (class_closed(&ev, c), members)
        }
        _ => {
            return Err(format!(
                "`{name}` is a {}, not a module or class: it has no member list",
                container.kind
            ))
        }
    };
    Ok(MemberList {
        container,
        closed,
        open_because: (!closed).then_some("members can appear at run time"),
        members,
    })
}

fn class_closed(ev: &Evaluator, c: &ClassRef) -> bool {
    matches!(ev.class_member(c, PROBE, true), Lookup::Missing(_))
}

fn class_members(ev: &Evaluator, c: &ClassRef) -> Vec<Described> {
    ev.class_member_names(c)
        .into_iter()
        .filter(|n| !n.starts_with('_') || n == "__init__")
        .filter_map(|n| {
            let d = describe::class_member(ev, c, &n)?;
            (n != "__init__" || d.kind == "method").then_some(d)
        })
        .collect()
}

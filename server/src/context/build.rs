//! Building an [`ApiContext`]: rank the candidates, describe them lazily in
//! rank order, and keep each whole line that still fits the budget.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::candidates::{self, Candidate, Heading};
use super::describe::{self, Described};
use super::packages::{self, Package};
use super::relevance::Interest;
use super::render;
use super::*;
use crate::analysis::eval::{Ctx, Evaluator, SharedCache};
use crate::analysis::types::Lookup;
use crate::index::{Index, Module};
use crate::syntax::python::dunder;

pub struct ContextRequest<'a> {
    /// The file's current text (the words around the cursor come from it).
    pub text: &'a str,
    /// The cursor's 0-based line.
    pub line: Option<usize>,
    pub task: Option<&'a str>,
    /// In tokens (see [`estimate_tokens`]).
    pub budget: usize,
    /// The file as the output names it.
    pub display_path: String,
    /// Source paths under it are shown relative to it.
    pub root: &'a Path,
}

/// Stop looking for smaller items after this many in a row did not fit.
const MAX_MISFITS: usize = 64;

/// The ranked candidates and, once computed, what each one is (None inside:
/// it does not exist after all).
///
/// A Python plan describes its candidates on demand, through the evaluator;
/// a Rust plan comes with every candidate described.
pub(super) struct Plan<'a> {
    pub ev: Option<Evaluator<'a>>,
    pub headings: Vec<Heading>,
    pub cands: Vec<Candidate>,
    pub described: Vec<Option<Option<Described>>>,
    /// For a class candidate: whether it has member candidates.
    pub has_children: Vec<bool>,
    /// Whether each candidate exists, once asked without describing it.
    pub exists: Vec<Option<bool>>,
}

impl Plan<'_> {
    /// Whether candidate `i` really exists: named only when the index
    /// confirms it (a name of an open module it cannot confirm is left out).
    fn exists(&mut self, i: usize) -> bool {
        if let Some(d) = &self.described[i] {
            return d.is_some();
        }
        if let Some(e) = self.exists[i] {
            return e;
        }
        let c = &self.cands[i];
        let e = match (&self.ev, c.parent) {
            (None, _) => false,
            (Some(ev), None) => self.headings[c.heading]
                .module
                .as_ref()
                .is_some_and(|m| candidates::confirmed(ev, m, &c.name)),
            (Some(_), Some(p)) => {
                let name = c.name.clone();
                match self.describe(p).and_then(|d| d.class.clone()) {
                    Some(class) => self.ev.as_ref().is_some_and(|ev| {
                        matches!(ev.class_member(&class, &name, true), Lookup::Found(_))
                    }),
                    None => false,
                }
            }
        };
        self.exists[i] = Some(e);
        e
    }

    /// Not known to be missing (what is not asked yet is assumed to exist).
    fn may_exist(&self, i: usize) -> bool {
        !matches!(self.described[i], Some(None)) && self.exists[i] != Some(false)
    }

    fn describe(&mut self, i: usize) -> Option<&Described> {
        if self.described[i].is_none() {
            let c = &self.cands[i];
            let d = match (&self.ev, c.parent) {
                (None, _) => None,
                (Some(ev), None) => self.headings[c.heading]
                    .module
                    .as_ref()
                    .and_then(|m| describe::module_member(ev, m, &c.name)),
                (Some(ev), Some(p)) => {
                    let parent = self.described[p].clone().flatten();
                    parent.and_then(|pd| {
                        let class = pd.class.as_ref()?;
                        let mut d = describe::class_member(ev, class, &c.name)?;
                        // `__init__` inherited from `object` says nothing.
                        if c.name == "__init__" && d.kind != "method" {
                            return None;
                        }
                        d.name = format!("{}.{}", pd.name, c.name);
                        Some(d)
                    })
                }
            };
            self.described[i] = Some(d);
        }
        self.described[i].as_ref().and_then(Option::as_ref)
    }
}

pub fn build(
    index: &Index,
    shared: &SharedCache,
    module: Arc<Module>,
    req: &ContextRequest,
) -> ApiContext {
    let ev = Evaluator::new(index, shared);
    let ctx = Ctx {
        module: module.clone(),
    };
    let interest = Interest::new(req.task, req.text, req.line);
    let (modules, used) = candidates::imported_modules(&ev, &ctx);
    let (headings, cands, described) = candidates::plan(&ev, &ctx, &interest, &modules, &used);
    let n = cands.len();
    let mut plan = Plan {
        ev: Some(ev),
        headings,
        cands,
        described,
        has_children: vec![false; n],
        exists: vec![None; n],
    };
    // The members of the classes the file uses or the task names, and of
    // the file's own classes, are candidates too.
    // So are those of any class with a member whose name shares words with
    // the task or the code around the cursor.
    for i in 0..n {
        let c = &plan.cands[i];
        let heading = &plan.headings[c.heading];
        let wanted = c.relevance != Relevance::Other || heading.this_file || heading.classes_listed;
        if !wanted && interest.is_empty() {
            continue;
        }
        let Some(class) = plan.describe(i).and_then(|d| d.class.clone()) else {
            continue;
        };
        if !wanted {
            let Some(ev) = &plan.ev else {
                break;
            };
            let matching = ev
                .class_member_names(&class)
                .iter()
                .any(|n| !n.starts_with('_') && interest.score(n) > 0);
            if !matching {
                continue;
            }
        }
        let module_name = plan.headings[plan.cands[i].heading].name.clone();
        let Some(ev) = &plan.ev else {
            break;
        };
        let children = candidates::class_members(
            ev,
            &class,
            i,
            &plan.cands[i],
            &module_name,
            &interest,
            &used,
        );
        plan.has_children[i] = !children.is_empty();
        plan.cands.extend(children);
    }
    let total = plan.cands.len();
    plan.described.resize(total, None);
    plan.has_children.resize(total, false);

    let packages = packages::importable(index, &used.top_levels(&modules), &interest);
    let shell = Shell {
        req,
        module: module.name.clone(),
        python: index
            .env
            .as_ref()
            .map(|e| format!("{}.{}", e.version.0, e.version.1)),
        rust: None,
    };
    fit(&shell, plan, &packages)
}

/// Choose the items, names and packages that fit the budget, and render
/// them. Three tiers: the members the file uses and those related to the
/// task or cursor, whole (signature, doc line), within half of what the
/// packages leave; then every other member by name (`also:` lines), best
/// ranked first; then, with what is left, more members whole.
pub(super) fn fit(shell: &Shell, mut plan: Plan, packages: &[Package]) -> ApiContext {
    let total = plan.cands.len();
    plan.described.resize(total, None);
    plan.exists.resize(total, None);
    let mut order: Vec<usize> = (0..total).collect();
    order.sort_by(|a, b| plan.cands[*a].key.cmp(&plan.cands[*b].key));
    let req = shell.req;
    let rust = shell.rust.is_some();
    let mut chosen = Chosen {
        members: vec![false; total],
        names: vec![false; total],
        headings: vec![false; plan.headings.len()],
        packages: vec![false; packages.len()],
        log: Vec::new(),
        lines: HashMap::new(),
    };
    let budget = req.budget.saturating_mul(4);
    let measure = |plan: &mut Plan, chosen: &Chosen| {
        shell.assemble(plan, chosen, packages).text.chars().count()
    };
    let mut spent = measure(&mut plan, &chosen);

    // Packages first, within a quarter of the budget: they are short, and
    // they are what keeps an assistant from inventing one.
    let cap = budget / 4;
    let mut on_packages = 0;
    for (i, p) in packages.iter().enumerate() {
        let cost = render::package_cost(&p.name, on_packages == 0, rust);
        if spent + cost <= budget && on_packages + cost <= cap {
            chosen.packages[i] = true;
            chosen.log.push(Choice::Package(i));
            spent += cost;
            on_packages += cost;
        }
    }
    // Costs are counted high (a module's first member pays for its heading
    // while its mention among the modules not shown stays counted), so each
    // tier starts from the exact size.
    let top: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| plan.cands[i].key.0 < Relevance::Other as u8)
        .collect();
    let first_tier = spent + budget.saturating_sub(spent) / 2;
    if fill(shell, &mut plan, &mut chosen, &top, spent, first_tier) {
        spent = measure(&mut plan, &chosen);
    }
    // Names: every module's before any class's — but a builtin type the
    // task speaks of (`str` for "a string") has its members named in rank
    // order, before the unrelated names of the modules: they are what the
    // task is about to call, and no import lists them. (A type the code
    // merely names, `title: str`, waits its turn.)
    let task = Interest::new(req.task, "", None);
    let mut by_container = order.clone();
    by_container.sort_by_key(|&i| match plan.cands[i].parent {
        None => false,
        Some(p) => {
            let spoken_of = task.score(&plan.cands[p].name) > 0;
            !(spoken_of && plan.headings[plan.cands[i].heading].classes_listed)
        }
    });
    if name_all(shell, &mut plan, &mut chosen, &by_container, spent, budget) {
        spent = measure(&mut plan, &chosen);
    }
    for _ in 0..2 {
        if !fill(shell, &mut plan, &mut chosen, &order, spent, budget) {
            break;
        }
        spent = measure(&mut plan, &chosen);
    }
    // The estimates above are exact or high; this only guards the promise.
    loop {
        let ctx = shell.assemble(&mut plan, &chosen, packages);
        if ctx.text.chars().count() <= budget || !chosen.drop_last() {
            return ctx;
        }
    }
}

/// Choose, in rank order, every candidate whose line still fits; true when
/// anything was chosen.
fn fill(
    shell: &Shell,
    plan: &mut Plan,
    chosen: &mut Chosen,
    order: &[usize],
    mut spent: usize,
    budget: usize,
) -> bool {
    let mut added = false;
    let mut misfits = 0;
    for &i in order {
        if budget.saturating_sub(spent) < 8 || misfits >= MAX_MISFITS {
            break;
        }
        // A named member whose whole line would say nothing more stays named.
        if chosen.names[i]
            && plan
                .describe(i)
                .is_some_and(|d| d.signature.is_none() && d.doc.is_none())
        {
            continue;
        }
        let Some(cost) = shell.cost(plan, chosen, i) else {
            continue;
        };
        if spent + cost <= budget {
            chosen.members[i] = true;
            chosen.headings[plan.cands[i].heading] = true;
            let mut parent = None;
            if let Some(p) = plan.cands[i].parent {
                if !chosen.members[p] {
                    parent = Some(p);
                }
                chosen.members[p] = true;
            }
            chosen.log.push(Choice::Member { i, parent });
            spent += cost;
            misfits = 0;
            added = true;
        } else {
            misfits += 1;
        }
    }
    added
}

/// Name, in rank order, every member not shown whole that still fits on its
/// container's `also:` line (a class's members only under a class shown
/// whole); true when anything was named.
fn name_all(
    shell: &Shell,
    plan: &mut Plan,
    chosen: &mut Chosen,
    order: &[usize],
    mut spent: usize,
    budget: usize,
) -> bool {
    let mut added = false;
    let mut misfits = 0;
    for &i in order {
        if budget.saturating_sub(spent) < 4 || misfits >= MAX_MISFITS {
            break;
        }
        if chosen.members[i] || chosen.names[i] || dunder(&plan.cands[i].name) {
            continue;
        }
        let holder = match plan.cands[i].parent {
            Some(p) => Holder::Class(p),
            None => Holder::Module(plan.cands[i].heading),
        };
        if !plan.exists(i) {
            continue;
        }
        // A class's member names come with the class's own line.
        let mut class_cost = 0;
        if let Some(p) = plan.cands[i].parent.filter(|&p| !chosen.members[p]) {
            let Some(c) = shell.cost(plan, chosen, p) else {
                continue;
            };
            class_cost = c;
        }
        let mut line = chosen
            .lines
            .get(&holder)
            .cloned()
            .unwrap_or_else(|| render::AlsoLine::new(matches!(holder, Holder::Class(_))));
        let (_, mut cost) = line.push(&plan.cands[i].name);
        let h = plan.cands[i].heading;
        if class_cost > 0 {
            // (its heading counted with it)
            cost += class_cost;
        } else if !chosen.headings[h] {
            cost += shell.heading_cost(plan, h);
        }
        if spent + cost <= budget {
            if let Some(p) = plan.cands[i].parent.filter(|&p| !chosen.members[p]) {
                chosen.members[p] = true;
                chosen.log.push(Choice::Member { i: p, parent: None });
            }
            chosen.names[i] = true;
            chosen.headings[h] = true;
            chosen.lines.insert(holder, line);
            chosen.log.push(Choice::Name(i));
            spent += cost;
            misfits = 0;
            added = true;
        } else {
            misfits += 1;
        }
    }
    added
}

/// Whose `also:` line a name goes on: a module heading's or a class
/// candidate's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Holder {
    Module(usize),
    Class(usize),
}

/// One step of the choosing, to be undone from the end.
enum Choice {
    /// A member shown whole, and its class when it came in with it.
    Member {
        i: usize,
        parent: Option<usize>,
    },
    Name(usize),
    Package(usize),
}

struct Chosen {
    /// Shown whole.
    members: Vec<bool>,
    /// Named on an `also:` line (unless shown whole).
    names: Vec<bool>,
    /// Modules with a member shown or named: they get a heading of their own.
    headings: Vec<bool>,
    packages: Vec<bool>,
    log: Vec<Choice>,
    /// The `also:` lines as the naming tier wrote them (for its costs).
    lines: HashMap<Holder, render::AlsoLine>,
}

impl Chosen {
    /// Undo the last choice. False when nothing is left to undo.
    fn drop_last(&mut self) -> bool {
        match self.log.pop() {
            Some(Choice::Member { i, parent }) => {
                self.members[i] = false;
                // The class came in for this member: it goes with it.
                if let Some(p) = parent {
                    self.members[p] = false;
                }
                true
            }
            Some(Choice::Name(i)) => {
                self.names[i] = false;
                true
            }
            Some(Choice::Package(i)) => {
                self.packages[i] = false;
                true
            }
            None => false,
        }
    }
}

/// What every rendering shares.
pub(super) struct Shell<'a> {
    pub req: &'a ContextRequest<'a>,
    /// The module of the file, as the title names it.
    pub module: String,
    pub python: Option<String>,
    pub rust: Option<RustInfo>,
}

impl Shell<'_> {
    fn display(&self, p: &Path) -> String {
        p.strip_prefix(self.req.root)
            .unwrap_or(p)
            .to_string_lossy()
            .into_owned()
    }

    fn item(&self, plan: &mut Plan, i: usize) -> Option<ContextItem> {
        let heading = plan.cands[i].heading;
        let relevance = plan.cands[i].relevance;
        let parent = plan.cands[i].parent;
        let member_of = match parent {
            Some(p) => {
                let class = plan.describe(p)?.name.clone();
                Some(plan.headings[heading].reached_as(&class))
            }
            None => None,
        };
        let mut d = plan.describe(i)?.clone();
        let h = &plan.headings[heading];
        d.name = h.reached_as(&d.name);
        Some(ContextItem {
            section: h.section,
            kind: d.kind,
            name: d.name,
            module: h.name.clone(),
            member_of,
            signature: d.signature,
            doc: d.doc,
            source: d.source.as_deref().map(|p| self.display(p)),
            relevance,
        })
    }

    /// The characters that choosing candidate `i` adds (its class with it,
    /// and the "… more members" line a class with members brings); None
    /// when it does not exist.
    fn cost(&self, plan: &mut Plan, chosen: &Chosen, i: usize) -> Option<usize> {
        if chosen.members[i] {
            return None;
        }
        let mut cost = render::item_line(&self.item(plan, i)?).chars().count();
        let class_extra = |plan: &mut Plan, k: usize| -> Option<usize> {
            let mut extra = 0;
            if plan.has_children[k] {
                let count = plan.cands.iter().filter(|c| c.parent == Some(k)).count();
                extra += render::omission_line(&Omission {
                    what: Omitted::ClassMembers,
                    container: plan.describe(k)?.name.clone(),
                    count,
                })
                .chars()
                .count();
            }
            Some(extra)
        };
        cost += class_extra(plan, i)?;
        let h = plan.cands[i].heading;
        if !chosen.headings[h] {
            cost += self.heading_cost(plan, h);
        }
        // A member named already leaves its `also:` line.
        if chosen.names[i] {
            cost = cost.saturating_sub(plan.cands[i].name.chars().count() + 2);
        }
        if let Some(p) = plan.cands[i].parent {
            if !chosen.members[p] {
                cost += render::item_line(&self.item(plan, p)?).chars().count();
                cost += class_extra(plan, p)?;
            }
        }
        Some(cost)
    }

    /// What a module's first member brings: its heading and its "… more"
    /// line (counted high: its mention among the modules not shown stays).
    fn heading_cost(&self, plan: &Plan, h: usize) -> usize {
        let entry = self.entry(&plan.headings[h]);
        let count = plan
            .cands
            .iter()
            .filter(|c| c.heading == h && c.parent.is_none())
            .count();
        let omission = render::omission_line(&Omission {
            what: Omitted::ModuleMembers,
            container: entry.name.clone(),
            count,
        });
        render::module_line(&entry, self.rust.is_some())
            .chars()
            .count()
            + omission.chars().count()
    }

    fn entry(&self, heading: &Heading) -> ModuleEntry {
        ModuleEntry {
            section: heading.section,
            name: heading.name.clone(),
            source: heading.source.as_deref().map(|p| self.display(p)),
            this_file: heading.this_file,
            open: heading.open,
        }
    }

    fn assemble(&self, plan: &mut Plan, chosen: &Chosen, packages: &[Package]) -> ApiContext {
        let mut modules = Vec::new();
        let mut items = Vec::new();
        let mut also = Vec::new();
        let mut omitted = Vec::new();
        for h in 0..plan.headings.len() {
            let mut members: Vec<usize> = (0..plan.cands.len())
                .filter(|&i| plan.cands[i].heading == h && plan.cands[i].parent.is_none())
                .collect();
            if members.is_empty() {
                continue;
            }
            // The builtin types are no import of the file: with none of
            // them shown, they are not worth a line saying so.
            let shown = |i: &usize| chosen.members[*i] || chosen.names[*i];
            if plan.headings[h].classes_listed && !members.iter().any(shown) {
                continue;
            }
            members.sort_by(|a, b| plan.cands[*a].key.cmp(&plan.cands[*b].key));
            let heading = &plan.headings[h];
            modules.push(self.entry(heading));
            let container = heading.name.clone();
            let section = heading.section;
            let mut left_out = 0;
            let mut named = Vec::new();
            for i in members {
                if !chosen.members[i] {
                    if chosen.names[i] {
                        named.push(plan.cands[i].name.clone());
                    } else if plan.may_exist(i) {
                        left_out += 1;
                    }
                    continue;
                }
                let Some(item) = self.item(plan, i) else {
                    continue;
                };
                let class_name = item.name.clone();
                items.push(item);
                if plan.has_children[i] {
                    let mut children: Vec<usize> = (0..plan.cands.len())
                        .filter(|&j| plan.cands[j].parent == Some(i))
                        .collect();
                    children.sort_by(|a, b| plan.cands[*a].key.cmp(&plan.cands[*b].key));
                    let mut children_left = 0;
                    let mut children_named = Vec::new();
                    for j in children {
                        if !chosen.members[j] {
                            if chosen.names[j] {
                                children_named.push(plan.cands[j].name.clone());
                            } else if plan.may_exist(j) {
                                children_left += 1;
                            }
                            continue;
                        }
                        if let Some(child) = self.item(plan, j) {
                            items.push(child);
                        }
                    }
                    if !children_named.is_empty() {
                        also.push(NameList {
                            section,
                            module: container.clone(),
                            container: class_name.clone(),
                            names: children_named,
                        });
                    }
                    if children_left > 0 {
                        omitted.push(Omission {
                            what: Omitted::ClassMembers,
                            container: class_name,
                            count: children_left,
                        });
                    }
                }
            }
            if !named.is_empty() {
                also.push(NameList {
                    section,
                    module: container.clone(),
                    container: container.clone(),
                    names: named,
                });
            }
            if left_out > 0 {
                omitted.push(Omission {
                    what: Omitted::ModuleMembers,
                    container,
                    count: left_out,
                });
            }
        }
        for (p, on) in packages.iter().zip(&chosen.packages) {
            if *on {
                items.push(ContextItem {
                    section: Section::Packages,
                    kind: "package",
                    name: p.name.clone(),
                    module: String::new(),
                    member_of: None,
                    signature: None,
                    doc: None,
                    source: None,
                    relevance: p.relevance,
                });
            }
        }
        let packages_left = chosen.packages.iter().filter(|on| !**on).count();
        if packages_left > 0 {
            omitted.push(Omission {
                what: Omitted::Packages,
                container: String::new(),
                count: packages_left,
            });
        }
        let mut ctx = ApiContext {
            version: 1,
            path: self.req.display_path.clone(),
            module: self.module.clone(),
            python: self.python.clone(),
            rust: self.rust.clone(),
            budget: self.req.budget,
            tokens: 0,
            task: self.req.task.map(str::to_string),
            modules,
            items,
            also,
            omitted,
            text: String::new(),
        };
        ctx.text = render::text(&ctx);
        ctx.tokens = estimate_tokens(&ctx.text);
        ctx
    }
}

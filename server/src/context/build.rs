//! Building an [`ApiContext`]: rank the candidates, describe them lazily in
//! rank order, and keep each whole line that still fits the budget.

use std::path::Path;
use std::sync::Arc;

use super::candidates::{self, Candidate, Heading};
use super::describe::{self, Described};
use super::packages::{self, Package};
use super::relevance::Interest;
use super::render;
use super::*;
use crate::analysis::eval::{Ctx, Evaluator, SharedCache};
use crate::index::{Index, Module};

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
}

impl Plan<'_> {
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
    let (headings, cands) = candidates::plan(&ev, &ctx, &interest, &modules, &used);
    let n = cands.len();
    let mut plan = Plan {
        ev: Some(ev),
        headings,
        cands,
        described: vec![None; n],
        has_children: vec![false; n],
    };
    // The members of the classes the file uses or the task names, and of
    // the file's own classes, are candidates too.
    for i in 0..n {
        let c = &plan.cands[i];
        if c.relevance == Relevance::Other && !plan.headings[c.heading].this_file {
            continue;
        }
        let Some(class) = plan.describe(i).and_then(|d| d.class.clone()) else {
            continue;
        };
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

/// Choose, in rank order, the items and packages that fit the budget, and
/// render them.
pub(super) fn fit(shell: &Shell, mut plan: Plan, packages: &[Package]) -> ApiContext {
    let total = plan.cands.len();
    let mut order: Vec<usize> = (0..total).collect();
    order.sort_by(|a, b| plan.cands[*a].key.cmp(&plan.cands[*b].key));
    let req = shell.req;
    let rust = shell.rust.is_some();
    let mut chosen = Chosen {
        members: vec![false; total],
        headings: vec![false; plan.headings.len()],
        packages: vec![false; packages.len()],
    };
    let budget = req.budget.saturating_mul(4);
    let mut spent = shell
        .assemble(&mut plan, &chosen, packages)
        .text
        .chars()
        .count();

    // Packages first, within a quarter of the budget: they are short, and
    // they are what keeps an assistant from inventing one.
    let cap = budget / 4;
    let mut on_packages = 0;
    for (i, p) in packages.iter().enumerate() {
        let cost = render::package_cost(&p.name, on_packages == 0, rust);
        if spent + cost <= budget && on_packages + cost <= cap {
            chosen.packages[i] = true;
            spent += cost;
            on_packages += cost;
        }
    }
    // Costs are counted high (a module's first member pays for its heading
    // while its mention among the modules not shown stays counted), so a
    // second pass, from the exact size, uses what the first left over.
    for _ in 0..2 {
        if !fill(shell, &mut plan, &mut chosen, &order, spent, budget) {
            break;
        }
        spent = shell
            .assemble(&mut plan, &chosen, packages)
            .text
            .chars()
            .count();
    }
    // The estimates above are exact or high; this only guards the promise.
    loop {
        let ctx = shell.assemble(&mut plan, &chosen, packages);
        if ctx.text.chars().count() <= budget || !chosen.drop_last(&plan, &order) {
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
        let Some(cost) = shell.cost(plan, chosen, i) else {
            continue;
        };
        if spent + cost <= budget {
            chosen.members[i] = true;
            chosen.headings[plan.cands[i].heading] = true;
            if let Some(p) = plan.cands[i].parent {
                chosen.members[p] = true;
            }
            spent += cost;
            misfits = 0;
            added = true;
        } else {
            misfits += 1;
        }
    }
    added
}

struct Chosen {
    members: Vec<bool>,
    /// Modules with a member chosen: they get a heading of their own.
    headings: Vec<bool>,
    packages: Vec<bool>,
}

impl Chosen {
    /// Leave out the lowest-ranked item chosen (a class only after its
    /// members). False when nothing is left to leave out.
    fn drop_last(&mut self, plan: &Plan, order: &[usize]) -> bool {
        for &i in order.iter().rev() {
            if !self.members[i] {
                continue;
            }
            let has_chosen_child = plan
                .cands
                .iter()
                .enumerate()
                .any(|(j, c)| c.parent == Some(i) && self.members[j]);
            if !has_chosen_child {
                self.members[i] = false;
                return true;
            }
        }
        match self.packages.iter().rposition(|&p| p) {
            Some(i) => {
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
            Some(p) => Some(plan.describe(p)?.name.clone()),
            None => None,
        };
        let d = plan.describe(i)?.clone();
        let h = &plan.headings[heading];
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
        // A module's first member brings its heading and its "… more" line
        // (counted high: its mention among the modules not shown stays).
        let h = plan.cands[i].heading;
        if !chosen.headings[h] {
            let heading = &plan.headings[h];
            let entry = ModuleEntry {
                section: heading.section,
                name: heading.name.clone(),
                source: heading.source.as_deref().map(|p| self.display(p)),
                this_file: heading.this_file,
            };
            cost += render::module_line(&entry, self.rust.is_some())
                .chars()
                .count();
            let count = plan
                .cands
                .iter()
                .filter(|c| c.heading == h && c.parent.is_none())
                .count();
            cost += render::omission_line(&Omission {
                what: Omitted::ModuleMembers,
                container: entry.name,
                count,
            })
            .chars()
            .count();
        }
        if let Some(p) = plan.cands[i].parent {
            if !chosen.members[p] {
                cost += render::item_line(&self.item(plan, p)?).chars().count();
                cost += class_extra(plan, p)?;
            }
        }
        Some(cost)
    }

    fn assemble(&self, plan: &mut Plan, chosen: &Chosen, packages: &[Package]) -> ApiContext {
        let mut modules = Vec::new();
        let mut items = Vec::new();
        let mut omitted = Vec::new();
        for h in 0..plan.headings.len() {
            let mut members: Vec<usize> = (0..plan.cands.len())
                .filter(|&i| plan.cands[i].heading == h && plan.cands[i].parent.is_none())
                .collect();
            if members.is_empty() {
                continue;
            }
            members.sort_by(|a, b| plan.cands[*a].key.cmp(&plan.cands[*b].key));
            let heading = &plan.headings[h];
            modules.push(ModuleEntry {
                section: heading.section,
                name: heading.name.clone(),
                source: heading.source.as_deref().map(|p| self.display(p)),
                this_file: heading.this_file,
            });
            let container = heading.name.clone();
            let mut left_out = 0;
            for i in members {
                if !chosen.members[i] {
                    // Not described yet: assumed to exist.
                    if !matches!(plan.described[i], Some(None)) {
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
                    for j in children {
                        if !chosen.members[j] {
                            if !matches!(plan.described[j], Some(None)) {
                                children_left += 1;
                            }
                            continue;
                        }
                        if let Some(child) = self.item(plan, j) {
                            items.push(child);
                        }
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
            omitted,
            text: String::new(),
        };
        ctx.text = render::text(&ctx);
        ctx.tokens = estimate_tokens(&ctx.text);
        ctx
    }
}

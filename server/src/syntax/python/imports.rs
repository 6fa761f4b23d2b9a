//! `import` and `from … import …`: bindings and the import facts checked later.

use super::*;

impl<'s> Builder<'s> {
    pub(super) fn import_statement(&mut self, n: Node) {
        for c in named_children(n) {
            match kind(c) {
                "dotted_name" => {
                    let module = self.text(c).to_string();
                    let first = module.split('.').next().unwrap_or("").to_string();
                    self.record_import(0, &module, c, Vec::new(), false);
                    self.bind(
                        &first,
                        BindingKind::Import {
                            module: first.as_str().into(),
                        },
                        c,
                    );
                }
                "aliased_import" => {
                    let (Some(name), Some(alias)) = (field!(c, "name"), field!(c, "alias")) else {
                        continue;
                    };
                    let module = self.text(name).to_string();
                    self.record_import(0, &module, name, Vec::new(), false);
                    let alias = self.text(alias);
                    self.bind(
                        alias,
                        BindingKind::Import {
                            module: module.as_str().into(),
                        },
                        c,
                    );
                }
                "comment" => self.comment(c),
                _ => {}
            }
        }
    }

    pub(super) fn record_import(
        &mut self,
        level: u32,
        module: &str,
        at: Node,
        names: Vec<(Box<str>, Span)>,
        star: bool,
    ) {
        self.facts.imports.push(ImportFacts {
            level,
            module: module.into(),
            span: span(at),
            names,
            star,
            guard: self.current_guard,
            in_try_import: self.try_import > 0,
            in_type_checking: self.type_checking > 0,
        });
    }

    pub(super) fn import_from(&mut self, n: Node) {
        let Some(module_node) = field!(n, "module_name") else {
            return;
        };
        let (level, module) = if kind(module_node) == "relative_import" {
            let mut level = 0;
            let mut module = String::new();
            for c in named_children(module_node) {
                match kind(c) {
                    "import_prefix" => level = self.text(c).chars().filter(|&c| c == '.').count(),
                    "dotted_name" => module = self.text(c).to_string(),
                    _ => {}
                }
            }
            (level as u32, module)
        } else {
            (0, self.text(module_node).to_string())
        };
        let mut names = Vec::new();
        let mut star = false;
        let mut cursor = n.walk();
        for (i, c) in n.children(&mut cursor).enumerate() {
            let field = n.field_name_for_child(i as u32);
            match (field, kind(c)) {
                (_, "wildcard_import") => star = true,
                (Some("name"), "dotted_name") => {
                    let name = self.text(c).to_string();
                    names.push((name.as_str().into(), span(c)));
                    self.bind(
                        &name,
                        BindingKind::ImportFrom {
                            level,
                            module: module.as_str().into(),
                            name: name.as_str().into(),
                        },
                        c,
                    );
                }
                (Some("name"), "aliased_import") => {
                    let (Some(name), Some(alias)) = (field!(c, "name"), field!(c, "alias")) else {
                        continue;
                    };
                    let name_text = self.text(name).to_string();
                    names.push((name_text.as_str().into(), span(name)));
                    let alias = self.text(alias);
                    self.bind(
                        alias,
                        BindingKind::ImportFrom {
                            level,
                            module: module.as_str().into(),
                            name: name_text.as_str().into(),
                        },
                        c,
                    );
                }
                (_, "comment") => self.comment(c),
                _ => {}
            }
        }
        if star {
            let scope = self.scope;
            self.facts.scopes[scope as usize]
                .star_imports
                .push(StarImport {
                    level,
                    module: module.as_str().into(),
                    guard: self.current_guard,
                    in_try_import: self.try_import > 0,
                });
        }
        self.record_import(level, &module, module_node, names, star);
    }
}

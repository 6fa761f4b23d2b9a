//! A `__getattr__(name)` body read as tests on its parameter (PEP 562):
//! which names reach a `return` (members), which reach a `raise` (removed or
//! absent), and what the exception says. Statements that do not test the
//! parameter (imports, warnings, assignments, calls) leave every path as it
//! is; a test not on the parameter lets either branch run. The paths are
//! followed in `analysis::eval::getattr`, where collections named here are
//! resolved against the module.

use super::*;

impl<'s> Builder<'s> {
    /// The steps of a `__getattr__` body, or `None` when it cannot be read
    /// as tests on `param`.
    pub(super) fn getattr_body(&self, body: Node, param: &str) -> Option<Vec<GetattrStep>> {
        if body.has_error() {
            return None;
        }
        Some(self.getattr_steps(body, param))
    }

    fn getattr_steps(&self, block: Node, param: &str) -> Vec<GetattrStep> {
        let mut out = Vec::new();
        for s in named_children(block) {
            match kind(s) {
                "return_statement" => {
                    out.push(GetattrStep::Return);
                    return out;
                }
                "raise_statement" => {
                    let message = s
                        .named_child(0)
                        .filter(|e| kind(e) == "call")
                        .and_then(|call| self.raise_message(call, param));
                    out.push(GetattrStep::Raise { message });
                    return out;
                }
                "if_statement" => out.push(self.getattr_if(s, param)),
                "expression_statement" => {
                    for e in named_children(s) {
                        match kind(e) {
                            "call" => {
                                if let Some(f) = field!(e, "function") {
                                    if kind(f) == "identifier" {
                                        out.push(GetattrStep::Call(self.text(f).into()));
                                    }
                                }
                            }
                            "assignment" if self.stores_global_param(e, param) => {
                                out.push(GetattrStep::StoreGlobal)
                            }
                            _ => {}
                        }
                    }
                }
                "with_statement" => {
                    if let Some(b) = field!(s, "body") {
                        out.extend(self.getattr_steps(b, param));
                    }
                }
                "for_statement" | "while_statement" => {
                    // The body runs any number of times (or none), then the `else`.
                    if let Some(b) = field!(s, "body") {
                        out.push(GetattrStep::Either(vec![
                            self.getattr_steps(b, param),
                            Vec::new(),
                        ]));
                    }
                    if let Some(e) = field!(s, "alternative").and_then(|e| field!(e, "body")) {
                        out.push(GetattrStep::Either(vec![
                            self.getattr_steps(e, param),
                            Vec::new(),
                        ]));
                    }
                }
                "try_statement" => {
                    // The body (then its `else`), or any handler after part of it.
                    let mut main = Vec::new();
                    let mut branches = Vec::new();
                    let mut finally = Vec::new();
                    if let Some(b) = field!(s, "body") {
                        main = self.getattr_steps(b, param);
                    }
                    for c in named_children(s) {
                        let block = named_children(c).into_iter().find(|b| kind(b) == "block");
                        match (kind(c), block) {
                            ("except_clause" | "except_group_clause", Some(b)) => {
                                branches.push(self.getattr_steps(b, param))
                            }
                            ("else_clause", _) => {
                                if let Some(b) = field!(c, "body") {
                                    main.extend(self.getattr_steps(b, param));
                                }
                            }
                            ("finally_clause", Some(b)) => finally = self.getattr_steps(b, param),
                            _ => {}
                        }
                    }
                    branches.insert(0, main);
                    out.push(GetattrStep::Either(branches));
                    out.extend(finally);
                }
                "match_statement" => {
                    let mut branches = vec![Vec::new()];
                    if let Some(body) = field!(s, "body") {
                        for case in named_children(body) {
                            if let Some(b) = field!(case, "consequence") {
                                branches.push(self.getattr_steps(b, param));
                            }
                        }
                    }
                    out.push(GetattrStep::Either(branches));
                }
                // Definitions, imports, assignments, `pass`, `del`, `global`,
                // `assert`, `break`/`continue` (the path goes on after the
                // loop, as if the body had ended): no name leaves here.
                _ => {}
            }
        }
        out
    }

    fn getattr_if(&self, s: Node, param: &str) -> GetattrStep {
        // `elif`/`else` clauses, innermost last: fold them from the end.
        let mut otherwise: Vec<GetattrStep> = Vec::new();
        let clauses: Vec<Node> = named_children(s)
            .into_iter()
            .filter(|c| matches!(kind(c), "elif_clause" | "else_clause"))
            .collect();
        for c in clauses.iter().rev() {
            match kind(c) {
                "else_clause" => {
                    otherwise = field!(c, "body")
                        .map(|b| self.getattr_steps(b, param))
                        .unwrap_or_default();
                }
                _ => {
                    let then = field!(c, "consequence")
                        .map(|b| self.getattr_steps(b, param))
                        .unwrap_or_default();
                    let test = field!(c, "condition")
                        .map(|t| self.name_test(t, param))
                        .unwrap_or(NameTest::Unknown);
                    otherwise = vec![branch(test, then, otherwise)];
                }
            }
        }
        let then = field!(s, "consequence")
            .map(|b| self.getattr_steps(b, param))
            .unwrap_or_default();
        let test = field!(s, "condition")
            .map(|t| self.name_test(t, param))
            .unwrap_or(NameTest::Unknown);
        branch(test, then, otherwise)
    }

    /// `globals()[param] = …`
    fn stores_global_param(&self, assignment: Node, param: &str) -> bool {
        let Some(left) = field!(assignment, "left") else {
            return false;
        };
        kind(left) == "subscript"
            && field!(left, "value").is_some_and(|v| squash(self.text(v)) == "globals()")
            && field!(left, "subscript").is_some_and(|k| self.text(k) == param)
    }

    /// A condition as a test on `param`.
    pub(super) fn name_test(&self, cond: Node, param: &str) -> NameTest {
        match kind(cond) {
            "parenthesized_expression" => cond
                .named_child(0)
                .map(|c| self.name_test(c, param))
                .unwrap_or(NameTest::Unknown),
            "not_operator" => field!(cond, "argument")
                .map(|a| NameTest::Not(Box::new(self.name_test(a, param))))
                .unwrap_or(NameTest::Unknown),
            "boolean_operator" => {
                let (Some(l), Some(r)) = (field!(cond, "left"), field!(cond, "right")) else {
                    return NameTest::Unknown;
                };
                let op = field!(cond, "operator").map(|o| self.text(o));
                let parts = vec![self.name_test(l, param), self.name_test(r, param)];
                match op {
                    Some("and") => NameTest::And(parts),
                    Some("or") => NameTest::Or(parts),
                    _ => NameTest::Unknown,
                }
            }
            "comparison_operator" => self.comparison_test(cond, param),
            _ => NameTest::Unknown,
        }
    }

    fn comparison_test(&self, cond: Node, param: &str) -> NameTest {
        let parts: Vec<Node> = named_children(cond)
            .into_iter()
            .filter(|c| kind(c) != "comment")
            .collect();
        let [left, right] = parts.as_slice() else {
            return NameTest::Unknown;
        };
        let op = {
            let mut cursor = cond.walk();
            let ops: Vec<&str> = cond
                .children(&mut cursor)
                .filter(|c| !c.is_named())
                .map(|c| self.text(c))
                .collect();
            ops.join(" ")
        };
        let is_param = |n: &Node| kind(n) == "identifier" && self.text(*n) == param;
        let test = match op.as_str() {
            "==" | "!=" => {
                let other = if is_param(left) {
                    right
                } else if is_param(right) {
                    left
                } else {
                    return NameTest::Unknown;
                };
                match self.string_literal(*other) {
                    Some(s) => NameTest::In(NameCollection::Literal(vec![s.into()])),
                    None => return NameTest::Unknown,
                }
            }
            "in" | "not in" if is_param(left) => match self.name_collection(*right, param) {
                Some(c) => NameTest::In(c),
                None => return NameTest::Unknown,
            },
            _ => return NameTest::Unknown,
        };
        if op == "!=" || op == "not in" {
            NameTest::Not(Box::new(test))
        } else {
            test
        }
    }

    /// The strings an `in` test compares with: a literal, a name, a union.
    pub(super) fn name_collection(&self, n: Node, param: &str) -> Option<NameCollection> {
        match kind(n) {
            "parenthesized_expression" => self.name_collection(n.named_child(0)?, param),
            "tuple" | "list" | "set" => named_children(n)
                .into_iter()
                .filter(|c| kind(c) != "comment")
                .map(|c| self.string_literal(c).map(Box::from))
                .collect::<Option<Vec<_>>>()
                .map(NameCollection::Literal),
            "dictionary" => named_children(n)
                .into_iter()
                .filter(|c| kind(c) != "comment")
                .map(|c| {
                    (kind(c) == "pair")
                        .then(|| field!(c, "key"))
                        .flatten()
                        .and_then(|k| self.string_literal(k))
                        .map(Box::from)
                })
                .collect::<Option<Vec<_>>>()
                .map(NameCollection::Literal),
            "identifier" if self.text(n) != param => {
                Some(NameCollection::Named(self.text(n).into()))
            }
            "binary_operator" => {
                let op = field!(n, "operator").map(|o| self.text(o));
                if !matches!(op, Some("|" | "+")) {
                    return None;
                }
                Some(NameCollection::Union(vec![
                    self.name_collection(field!(n, "left")?, param)?,
                    self.name_collection(field!(n, "right")?, param)?,
                ]))
            }
            "call" => {
                // `X.keys()`, `set(X)`, `frozenset(X)`, `tuple(X)`, `list(X)`.
                let func = field!(n, "function")?;
                let args: Vec<Node> = field!(n, "arguments")
                    .map(named_children)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|c| kind(c) != "comment")
                    .collect();
                match (kind(func), args.as_slice()) {
                    ("attribute", [])
                        if field!(func, "attribute").is_some_and(|a| self.text(a) == "keys") =>
                    {
                        self.name_collection(field!(func, "object")?, param)
                    }
                    ("identifier", [one])
                        if matches!(self.text(func), "set" | "frozenset" | "tuple" | "list") =>
                    {
                        self.name_collection(*one, param)
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The message of `raise Exc(message, …)`, as pieces.
    fn raise_message(&self, call: Node, param: &str) -> Option<Vec<MessagePiece>> {
        let args = field!(call, "arguments")?;
        let first = named_children(args)
            .into_iter()
            .find(|c| kind(c) != "comment")?;
        if kind(first) == "keyword_argument" {
            return None;
        }
        self.message_pieces(first, param)
    }

    fn message_pieces(&self, n: Node, param: &str) -> Option<Vec<MessagePiece>> {
        match kind(n) {
            "parenthesized_expression" => self.message_pieces(n.named_child(0)?, param),
            "concatenated_string" => {
                let mut out = Vec::new();
                for c in named_children(n) {
                    if kind(c) != "comment" {
                        out.extend(self.message_pieces(c, param)?);
                    }
                }
                Some(out)
            }
            "string" => {
                let mut out = Vec::new();
                let mut text = String::new();
                for c in named_children(n) {
                    match kind(c) {
                        "string_start" | "string_end" => {}
                        "string_content" => text.push_str(self.text(c)),
                        "escape_sequence" => text.push_str(unescape(self.text(c))?),
                        "interpolation" => {
                            if field!(c, "format_specifier").is_some() {
                                return None;
                            }
                            let conversion = field!(c, "type_conversion").map(|t| self.text(t));
                            let expr = field!(c, "expression")?;
                            let piece = self.value_piece(expr, param, conversion)?;
                            if !text.is_empty() {
                                out.push(MessagePiece::Text(std::mem::take(&mut text).into()));
                            }
                            out.push(piece);
                        }
                        _ => return None,
                    }
                }
                if !text.is_empty() {
                    out.push(MessagePiece::Text(text.into()));
                }
                Some(out)
            }
            _ => self.value_piece(n, param, None).map(|p| vec![p]),
        }
    }

    /// `name`, `name!r`, `COLLECTION[name]` (a `str`, so `!s` changes nothing).
    fn value_piece(&self, e: Node, param: &str, conversion: Option<&str>) -> Option<MessagePiece> {
        let repr = match conversion {
            None | Some("!s") => false,
            Some("!r") => true,
            Some(_) => return None,
        };
        match kind(e) {
            "identifier" if self.text(e) == param => Some(MessagePiece::Name { repr }),
            "subscript" if !repr => {
                let key = field!(e, "subscript")?;
                if kind(key) != "identifier" || self.text(key) != param {
                    return None;
                }
                let collection = self.name_collection(field!(e, "value")?, param)?;
                Some(MessagePiece::Lookup(collection))
            }
            _ => None,
        }
    }
}

/// `if test: then else: otherwise`, or either branch for a test not on the
/// parameter.
fn branch(test: NameTest, then: Vec<GetattrStep>, otherwise: Vec<GetattrStep>) -> GetattrStep {
    if test == NameTest::Unknown {
        GetattrStep::Either(vec![then, otherwise])
    } else {
        GetattrStep::If {
            test,
            then,
            otherwise,
        }
    }
}

/// The common escapes of a message; others make it unreadable.
fn unescape(seq: &str) -> Option<&'static str> {
    Some(match seq {
        "\\n" => "\n",
        "\\t" => "\t",
        "\\\\" => "\\",
        "\\'" => "'",
        "\\\"" => "\"",
        "\\\n" => "",
        _ => return None,
    })
}

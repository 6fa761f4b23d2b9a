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
    pub(super) fn getattr_body(&mut self, body: Node, param: &str) -> Option<Vec<GetattrStep>> {
        if body.has_error() {
            return None;
        }
        let mut found: HashMap<Box<str>, Option<GetattrAlias>> = HashMap::new();
        self.scan_aliases(body, param, &mut found);
        self.getattr_aliases = found
            .into_iter()
            .filter_map(|(k, v)| Some((k, v?)))
            .collect();
        let steps = self.getattr_steps(body, param);
        self.getattr_aliases.clear();
        Some(steps)
    }

    /// The locals of a body assigned once, to a value derived from `param`
    /// (`None` for any other, or a second, assignment).
    fn scan_aliases(
        &self,
        block: Node,
        param: &str,
        found: &mut HashMap<Box<str>, Option<GetattrAlias>>,
    ) {
        for s in named_children(block) {
            match kind(s) {
                "function_definition" | "class_definition" | "decorated_definition" => {}
                "expression_statement" => {
                    for e in named_children(s) {
                        let (Some(left), Some(right)) = (field!(e, "left"), field!(e, "right"))
                        else {
                            continue;
                        };
                        if kind(e) != "assignment" || kind(left) != "identifier" {
                            continue;
                        }
                        let alias = self.alias_value(right, param);
                        found
                            .entry(self.text(left).into())
                            .and_modify(|a| *a = None)
                            .or_insert(alias);
                    }
                }
                _ => {
                    for c in named_children(s) {
                        if matches!(
                            kind(c),
                            "block"
                                | "else_clause"
                                | "elif_clause"
                                | "except_clause"
                                | "finally_clause"
                        ) {
                            if kind(c) == "block" {
                                self.scan_aliases(c, param, found);
                            } else {
                                for b in named_children(c) {
                                    if kind(b) == "block" {
                                        self.scan_aliases(b, param, found);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `D.get(name)`, `f"{prefix}{name}"`, `globals()`,
    /// `sys.modules[m].__dict__`.
    fn alias_value(&self, v: Node, param: &str) -> Option<GetattrAlias> {
        match kind(v) {
            "call" => {
                let func = field!(v, "function")?;
                let args: Vec<Node> = named_children(field!(v, "arguments")?)
                    .into_iter()
                    .filter(|c| kind(*c) != "comment")
                    .collect();
                match (kind(func), args.as_slice()) {
                    ("identifier", []) if self.text(func) == "globals" => {
                        Some(GetattrAlias::ModuleDict(None))
                    }
                    ("attribute", [one])
                        if field!(func, "attribute").is_some_and(|a| self.text(a) == "get")
                            && kind(*one) == "identifier"
                            && self.text(*one) == param =>
                    {
                        let c = self.name_collection(field!(func, "object")?, param)?;
                        Some(GetattrAlias::DictGet(c))
                    }
                    _ => None,
                }
            }
            "attribute" => {
                if field!(v, "attribute").map(|a| self.text(a)) != Some("__dict__") {
                    return None;
                }
                let object = field!(v, "object")?;
                if kind(object) != "subscript"
                    || field!(object, "value")
                        .map(|o| squash(self.text(o)))
                        .as_deref()
                        != Some("sys.modules")
                {
                    return None;
                }
                let key = field!(object, "subscript")?;
                if kind(key) != "identifier" {
                    return None;
                }
                Some(GetattrAlias::ModuleDict(match self.text(key) {
                    "__name__" => None,
                    other => Some(other.into()),
                }))
            }
            "string" => {
                let mut pieces = Vec::new();
                let mut ends_with_param = false;
                for c in named_children(v) {
                    match kind(c) {
                        "string_start" | "string_end" => {}
                        "string_content" => {
                            ends_with_param = false;
                            pieces.push(PrefixPiece::Text(self.text(c).into()))
                        }
                        "interpolation" => {
                            ends_with_param = false;
                            if field!(c, "format_specifier").is_some()
                                || field!(c, "type_conversion").is_some()
                            {
                                return None;
                            }
                            let e = field!(c, "expression")?;
                            if kind(e) != "identifier" {
                                return None;
                            }
                            if self.text(e) == param {
                                ends_with_param = true;
                            } else {
                                pieces.push(PrefixPiece::Name(self.text(e).into()));
                            }
                        }
                        _ => return None,
                    }
                }
                // The parameter once, at the end: `f"{module}:{name}"`.
                let interpolations = named_children(v)
                    .iter()
                    .filter(|c| {
                        kind(**c) == "interpolation"
                            && field!(**c, "expression").is_some_and(|e| self.text(e) == param)
                    })
                    .count();
                (ends_with_param && interpolations == 1).then_some(GetattrAlias::Prefixed(pieces))
            }
            _ => None,
        }
    }

    fn getattr_steps(&self, block: Node, param: &str) -> Vec<GetattrStep> {
        let mut out = Vec::new();
        for s in named_children(block) {
            match kind(s) {
                "return_statement" => {
                    out.push(self.delegate(s, param).unwrap_or(GetattrStep::Return));
                    return out;
                }
                "raise_statement" => {
                    let raised = s.named_child(0);
                    let message = raised
                        .filter(|e| kind(e) == "call")
                        .and_then(|call| self.raise_message(call, param));
                    let exception = raised.and_then(|e| self.exception_class(e));
                    out.push(GetattrStep::Raise { exception, message });
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

    /// `return helper(param)`: the name is what `helper` makes of it.
    fn delegate(&self, ret: Node, param: &str) -> Option<GetattrStep> {
        let call = ret.named_child(0).filter(|c| kind(*c) == "call")?;
        let func = field!(call, "function").filter(|f| kind(*f) == "identifier")?;
        let args: Vec<Node> = named_children(field!(call, "arguments")?)
            .into_iter()
            .filter(|c| kind(*c) != "comment")
            .collect();
        match args.as_slice() {
            [one] if kind(*one) == "identifier" && self.text(*one) == param => {
                Some(GetattrStep::Delegate(self.text(func).into()))
            }
            _ => None,
        }
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
            // `if value:` for `value = D.get(name)`: only keys of D.
            "identifier" => match self.getattr_aliases.get(self.text(cond)) {
                Some(GetattrAlias::DictGet(c)) => {
                    NameTest::Within(Box::new(NameTest::In(c.clone())))
                }
                _ => NameTest::Unknown,
            },
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
        let alias = |n: &Node| {
            (kind(n) == "identifier")
                .then(|| self.getattr_aliases.get(self.text(*n)))
                .flatten()
        };
        let test = match op.as_str() {
            // `value is None` for `value = D.get(name)`.
            "is" | "is not" if kind(right) == "none" => match alias(left) {
                Some(GetattrAlias::DictGet(c)) => {
                    let within = NameTest::Within(Box::new(NameTest::In(c.clone())));
                    return if op == "is" {
                        NameTest::Not(Box::new(within))
                    } else {
                        within
                    };
                }
                _ => return NameTest::Unknown,
            },
            "==" | "!=" | "in" | "not in"
                if matches!(alias(left), Some(GetattrAlias::Prefixed(_))) =>
            {
                let Some(GetattrAlias::Prefixed(prefix)) = alias(left) else {
                    return NameTest::Unknown;
                };
                let collection = if op.ends_with("in") {
                    self.name_collection(*right, param)
                } else {
                    self.string_literal(*right)
                        .map(|s| NameCollection::Literal(vec![s.into()]))
                };
                match collection {
                    Some(collection) => NameTest::Prefixed {
                        prefix: prefix.clone(),
                        collection,
                    },
                    None => return NameTest::Unknown,
                }
            }
            "in" | "not in" if is_param(left) && self.module_dict(*right).is_some() => {
                NameTest::InModuleDict(self.module_dict(*right).flatten())
            }
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

    /// `globals()`, or a local bound to a module's namespace: which one
    /// (`None`: this module's own).
    fn module_dict(&self, n: Node) -> Option<Option<Box<str>>> {
        match kind(n) {
            "call" if squash(self.text(n)) == "globals()" => Some(None),
            "identifier" => match self.getattr_aliases.get(self.text(n)) {
                Some(GetattrAlias::ModuleDict(m)) => Some(m.clone()),
                _ => None,
            },
            _ => None,
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
    /// The class a `raise` names: `AttributeError` of `raise
    /// AttributeError(…)`, `raise AttributeError` or `raise
    /// builtins.AttributeError(…)`; None for anything computed
    /// (`raise make_error(name)`).
    fn exception_class(&self, raised: Node) -> Option<Box<str>> {
        let class = match kind(raised) {
            "call" => field!(raised, "function")?,
            _ => raised,
        };
        let name = match kind(class) {
            "identifier" => self.text(class),
            "attribute" => self.text(field!(class, "attribute")?),
            _ => return None,
        };
        // A class by its CapWords name; `raise make_error(name)` raises
        // whatever its factory makes.
        name.starts_with(|c: char| c.is_ascii_uppercase())
            .then(|| name.into())
    }

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

/// A local of a `__getattr__`-like body derived from its parameter.
#[derive(Debug, Clone)]
pub(super) enum GetattrAlias {
    /// `value = D.get(name)`.
    DictGet(NameCollection),
    /// `path = f"{module}:{name}"`: the pieces before the parameter.
    Prefixed(Vec<PrefixPiece>),
    /// `g = globals()`, `g = sys.modules[m].__dict__` (`None`: `__name__`).
    ModuleDict(Option<Box<str>>),
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

//! The small type lattice the analysis evaluates expressions into. Anything
//! that is not certain is `Unknown`, and nothing is ever reported against it.

use std::sync::Arc;

use crate::index::Module;
use crate::syntax::facts::{ClassFacts, ClassId, FuncId, FunctionFacts};

#[derive(Clone, Debug)]
pub enum ClassRef {
    /// A class defined in parsed source or a stub.
    Source { module: Arc<Module>, id: ClassId },
    /// A compiled class known from the interpreter's stdlib dump.
    Dump { module: String, name: String },
}

impl ClassRef {
    pub fn same(&self, other: &ClassRef) -> bool {
        match (self, other) {
            (ClassRef::Source { module: a, id: x }, ClassRef::Source { module: b, id: y }) => {
                a.name == b.name && a.file == b.file && x == y
            }
            (ClassRef::Dump { module: a, name: x }, ClassRef::Dump { module: b, name: y }) => {
                a == b && x == y
            }
            _ => false,
        }
    }

    pub fn facts(&self) -> Option<&ClassFacts> {
        match self {
            ClassRef::Source { module, id } => module.facts.as_ref()?.classes.get(*id as usize),
            ClassRef::Dump { .. } => None,
        }
    }

    /// The facts of the file that defines the class.
    pub fn facts_file(&self) -> Option<&crate::syntax::facts::FileFacts> {
        match self {
            ClassRef::Source { module, .. } => module.facts.as_deref(),
            ClassRef::Dump { .. } => None,
        }
    }

    pub fn name(&self) -> String {
        match self {
            ClassRef::Source { module, id } => module
                .facts
                .as_ref()
                .and_then(|f| f.classes.get(*id as usize))
                .map(|c| c.name.to_string())
                .unwrap_or_default(),
            ClassRef::Dump { name, .. } => name.clone(),
        }
    }

    /// Whether this is `module.name`, without building the qualified name.
    pub fn is(&self, module: &str, name: &str) -> bool {
        match self {
            ClassRef::Source { module: m, id } => {
                m.name == module
                    && m.facts
                        .as_ref()
                        .and_then(|f| f.classes.get(*id as usize))
                        .is_some_and(|c| &*c.name == name)
            }
            ClassRef::Dump { module: m, name: n } => m == module && n == name,
        }
    }

    pub fn qualified_name(&self) -> String {
        match self {
            ClassRef::Source { module, .. } => format!("{}.{}", module.name, self.name()),
            ClassRef::Dump { module, name } => format!("{module}.{name}"),
        }
    }

    pub fn location(&self) -> String {
        match self {
            ClassRef::Source { module, .. } => module.location(),
            ClassRef::Dump { module, .. } => format!("compiled module `{module}`"),
        }
    }
}

#[derive(Clone, Debug)]
pub struct FuncRef {
    pub module: Arc<Module>,
    pub id: FuncId,
}

impl FuncRef {
    pub fn facts(&self) -> Option<&FunctionFacts> {
        self.module.facts.as_ref()?.functions.get(self.id as usize)
    }
}

#[derive(Clone, Debug)]
pub enum Ty {
    Unknown,
    Module(Arc<Module>),
    Class(ClassRef),
    Instance(ClassRef),
    Function(FuncRef),
    /// A method looked up on an instance or class; the receiver gives `Self`.
    BoundMethod(FuncRef, ClassRef),
    /// A compiled method whose return type is in the known-returns table.
    Known {
        ret: &'static str,
        receiver: ClassRef,
    },
}

impl Ty {
    pub fn same(&self, other: &Ty) -> bool {
        match (self, other) {
            (Ty::Module(a), Ty::Module(b)) => a.name == b.name,
            (Ty::Class(a), Ty::Class(b)) | (Ty::Instance(a), Ty::Instance(b)) => a.same(b),
            (Ty::Function(a), Ty::Function(b)) => a.module.name == b.module.name && a.id == b.id,
            (Ty::BoundMethod(a, r), Ty::BoundMethod(b, s)) => {
                a.module.name == b.module.name && a.id == b.id && r.same(s)
            }
            _ => false,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Ty::Unknown)
    }
}

/// The answer to "does container X have member N".
#[derive(Clone, Debug)]
pub enum Lookup {
    Found(Ty),
    /// Certainly absent from a closed container.
    Missing(Container),
    /// The container is open, or not certain: say nothing.
    Unknown,
}

/// A closed container that lacks a member, for the message and suggestions.
#[derive(Clone, Debug)]
pub enum Container {
    Module(Arc<Module>),
    Class(ClassRef),
}

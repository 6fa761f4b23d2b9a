pub mod index;
pub mod syntax;

//! Grounded: knows which APIs really exist, and flags the calls that don't.

pub mod analysis;
pub mod index;
pub mod syntax;

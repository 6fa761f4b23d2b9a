//! The fake `libnvidia-ml` of an old driver: the same library as
//! `fake-nvml` (its sources, shared), less the `_v3` process query.

#![allow(non_snake_case, clippy::missing_safety_doc)]

#[path = "../../fake-nvml/src/api.rs"]
mod api;
#[path = "../../fake-nvml/src/scenario.rs"]
mod scenario;

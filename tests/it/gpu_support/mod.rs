//! Helpers shared by the GPU tests (gpu_cli.rs, gpu_lsp.rs).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("server/ has a parent")
        .to_path_buf()
}

pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("fixtures/gpu").join(name)
}

/// The fake `libnvidia-ml` built beside this test (`cargo test` at the
/// workspace root builds it; `old` is the driver without `_v3`).
pub fn fake_nvml(old: bool) -> PathBuf {
    let name = if old {
        "libfake_nvml_old.so"
    } else {
        "libfake_nvml.so"
    };
    // The test binary is target/<profile>/deps/<test>-<hash>.
    let exe = std::env::current_exe().expect("the test binary's path");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>");
    let lib = dir.join(name);
    assert!(
        lib.exists(),
        "{} is not built: run the tests from the workspace root (`cargo test`), \
         or `cargo build -p fake-nvml -p fake-nvml-old` first",
        lib.display()
    );
    lib
}

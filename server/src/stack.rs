//! Stack sizes for the threads that build and analyse facts.
//!
//! The fact builders and the analyses over facts recurse as deep as the
//! syntax tree they walk, which `syntax::nesting` bounds at
//! [`MAX_DEPTH`](crate::syntax::nesting::MAX_DEPTH) levels. A release build
//! spends up to a few KiB of stack per level, more than the 2 MiB a Rust
//! thread gets by default allows; every thread that may parse or analyse
//! (the command's own, rayon's, the async runtimes') gets [`ANALYSIS_STACK`]
//! instead. The memory is reserved, not used: pages are touched only as
//! deep as a file nests.

/// Enough for [`MAX_DEPTH`](crate::syntax::nesting::MAX_DEPTH) levels of any
/// shape with a wide margin: measured on a release build, 16 MiB walked
/// each shape of `tests/it/deep_nesting.rs` at the bound, 4 MiB did not
/// (nested Rust blocks take the most, 2–8 KiB per level).
pub const ANALYSIS_STACK: usize = 64 << 20;

/// Configure rayon's global pool (`jobs` threads, or one per core) with
/// analysis stacks. Call once, before anything uses rayon.
pub fn init_rayon(jobs: Option<usize>) {
    let mut pool = rayon::ThreadPoolBuilder::new().stack_size(ANALYSIS_STACK);
    if let Some(n) = jobs {
        pool = pool.num_threads(n.max(1));
    }
    // Fails only when a pool was built already, which then stays.
    let _ = pool.build_global();
}

/// Run `f` on a thread with an analysis stack and return its result (a
/// panic in `f` is resumed on the caller's thread); an error when no thread
/// can be started.
pub fn on_analysis_stack<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> std::io::Result<T> {
    let handle = std::thread::Builder::new()
        .name("grounded-main".to_string())
        .stack_size(ANALYSIS_STACK)
        .spawn(f)?;
    match handle.join() {
        Ok(v) => Ok(v),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

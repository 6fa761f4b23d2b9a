//! The `grounded` command line.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// Parsing allocates many small nodes; mimalloc is markedly faster than glibc's malloc here.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use grounded::check::{self, CheckOptions};
use grounded::index::python_env;
use grounded::report::{self, Format};

#[derive(Parser)]
#[command(
    name = "grounded",
    version,
    about = "Knows which APIs really exist in your workspace, and flags the calls that don't.",
    long_about = "Grounded indexes what really exists (your code, its Python environment, the \
standard library) and reports calls to modules, functions and methods that do not exist: \
the hallucinated APIs that AI-written code is full of."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check files or directories for calls to APIs that do not exist.
    ///
    /// Exit status: 0 no error-severity findings, 1 findings at error severity,
    /// 2 usage or internal error.
    Check {
        /// Files or directories (default: the current directory). .gitignore is honoured.
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The Python interpreter (or venv directory) whose packages are the truth.
        #[arg(long, value_name = "PATH")]
        python: Option<PathBuf>,
        /// A configuration file (default: grounded.toml or [tool.grounded] in pyproject.toml).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Worker threads (default: one per core).
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
        /// Don't print notes (skipped files, environment problems) to stderr.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Run the language server on stdin/stdout (for editors).
    Lsp {
        /// Accepted for compatibility with clients that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
        /// Log lines at this level and above go to stderr and to the editor
        /// (`window/logMessage`).
        #[arg(long, value_enum, value_name = "LEVEL", default_value_t = grounded::lsp::log::Level::Info)]
        log_level: grounded::lsp::log::Level,
    },
}

/// Transparent huge pages make every fresh 2 MiB of heap cost a full clear;
/// with many short-lived parse allocations that was 15% of a cold check.
fn disable_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag on this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// tree-sitter's C code allocates through libc's malloc unless told otherwise;
/// parsing is most of a cold check, so its nodes go to mimalloc too.
fn route_tree_sitter_to_mimalloc() {
    use std::ffi::c_void;
    unsafe extern "C" fn ts_malloc(size: usize) -> *mut c_void {
        libmimalloc_sys::mi_malloc(size)
    }
    unsafe extern "C" fn ts_calloc(n: usize, size: usize) -> *mut c_void {
        libmimalloc_sys::mi_calloc(n, size)
    }
    unsafe extern "C" fn ts_realloc(p: *mut c_void, size: usize) -> *mut c_void {
        libmimalloc_sys::mi_realloc(p, size)
    }
    unsafe extern "C" fn ts_free(p: *mut c_void) {
        libmimalloc_sys::mi_free(p)
    }
    // SAFETY: called first thing in main, before any parser or tree exists,
    // so nothing allocated by one allocator is freed by the other.
    unsafe {
        tree_sitter::set_allocator(
            Some(ts_malloc),
            Some(ts_calloc),
            Some(ts_realloc),
            Some(ts_free),
        );
    }
}

fn main() -> ExitCode {
    route_tree_sitter_to_mimalloc();
    disable_huge_pages();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Lsp {
            stdio: _,
            log_level,
        } => {
            grounded::lsp::log::set_level(log_level);
            run_lsp()
        }
        Command::Check {
            paths,
            format,
            python,
            config,
            jobs,
            quiet,
        } => {
            if let Some(n) = jobs {
                let _ = rayon::ThreadPoolBuilder::new()
                    .num_threads(n.max(1))
                    .build_global();
            }
            let opts = CheckOptions {
                paths,
                python,
                config,
                trusted: true,
                cache_dir: python_env::default_cache_dir(),
                one_shot: true,
            };
            match check::run_check(&opts) {
                Ok(outcome) => {
                    if !quiet {
                        let mut err = std::io::stderr().lock();
                        for note in &outcome.notes {
                            let _ = writeln!(err, "grounded: note: {note}");
                        }
                    }
                    let mut out = std::io::stdout().lock();
                    let _ = out.write_all(report::render(format, &outcome).as_bytes());
                    let _ = out.flush();
                    if check::has_errors(&outcome) {
                        ExitCode::from(1)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(e) => {
                    eprintln!("grounded: error: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn run_lsp() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("grounded: error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(grounded::lsp::run_stdio());
    // The stdin reader may still be blocked on a pipe the client holds open:
    // leave without waiting for it (the process must end promptly on `exit`).
    let _ = std::io::stdout().flush();
    std::process::exit(0);
}

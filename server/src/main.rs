//! The `grounded` command line.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

// Parsing allocates many small nodes; mimalloc is markedly faster than glibc's malloc here.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use grounded::analysis::{Code, Severity};
use grounded::baseline::{self, Baseline};
use grounded::check::{self, CheckOptions};
use grounded::gate::{self, Gate};
use grounded::gpu::command::{GpuOutcome, UNAVAILABLE_EXIT};
use grounded::index::python_env;
use grounded::report::{self, Format};
use grounded::{explain, git_diff};

#[derive(Parser)]
#[command(
    name = "grounded",
    version,
    about = "Knows which APIs really exist in your Python and Rust workspace, and flags the calls that don't.",
    long_about = "Grounded indexes what really exists (your code; for Python, its interpreter's \
standard library and site-packages; for Rust, the Cargo workspace, its dependencies and std) \
and reports calls to modules, functions, methods and crates that do not exist: the \
hallucinated APIs that AI-written code is full of. It serves the same knowledge to AI \
assistants (context, mcp) and editors (lsp), and watches GPU memory (gpu)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Run nothing the workspace names: not its interpreters (.venv, the
    /// `python` of grounded.toml, pyvenv.cfg's base), not cargo or rustc
    /// (which obey its rust-toolchain.toml and .cargo/config.toml), not the
    /// programs its git configuration names. Python then uses a cached answer
    /// or no environment, Rust the manifests and the default toolchain's std.
    /// --python stays your own choice and runs. Also GROUNDED_UNTRUSTED=1.
    #[arg(long, global = true)]
    untrusted: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Check files or directories for calls to APIs that do not exist.
    ///
    /// Exit status: 0 no error-severity findings, 1 findings at error severity,
    /// 2 usage or internal error.
    Check(CheckArgs),
    /// Explain a finding code: what it means, why it is reported, how to
    /// suppress or configure it. Without a code, list the codes.
    Explain {
        /// A finding code, e.g. unknown-member.
        code: Option<String>,
    },
    /// Print the APIs a file may use, ranked and fitted to a token budget, for an
    /// AI assistant's prompt. For a Python file: the members of the modules it
    /// imports, its own and its workspace neighbours' functions, the packages
    /// installed. For a Rust file: the std and dependency items it uses with
    /// their members and signatures, its crate's items, the crate's dependencies.
    Context(ContextArgs),
    /// Run an MCP server on stdin/stdout, for AI assistants: tools api_context,
    /// check_code, lookup and members.
    Mcp(McpArgs),
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
    /// Show GPU status: memory per GPU and per process, with leak detection.
    ///
    /// Without options, one snapshot as a table. NVML is loaded at run time
    /// (GROUNDED_NVML_LIBRARY names another libnvidia-ml); without a driver
    /// the status says why, and a one-shot run exits with status 3 (a watch
    /// says it once and keeps retrying). --replay reads a recorded trace
    /// instead.
    Gpu(GpuArgs),
}

#[derive(Args)]
struct GpuArgs {
    /// Keep sampling and redraw the view: per-process trends, alerts.
    #[arg(long)]
    watch: bool,
    /// Print JSON: one snapshot (with --watch, one line per sample).
    #[arg(long)]
    json: bool,
    /// Seconds between samples.
    #[arg(long, value_name = "SECS", default_value_t = 2.0)]
    interval: f64,
    /// Record every sample to FILE (JSON lines, one snapshot a line).
    #[arg(long, value_name = "FILE")]
    record: Option<PathBuf>,
    /// Read a recorded trace instead of NVML, at full speed on the trace's
    /// own clock; prints the last snapshot with every alert raised along it.
    #[arg(long, value_name = "FILE")]
    replay: Option<PathBuf>,
    /// Serve the current metrics in the Prometheus text format at
    /// http://ADDR/metrics (PORT alone listens on loopback).
    #[arg(long, value_name = "ADDR")]
    prometheus: Option<String>,
    /// With --watch: run CMD (via sh -c) when a leak is suspected or the
    /// threshold is crossed; the alert is in GROUNDED_ALERT_* variables.
    #[arg(long, value_name = "CMD", requires = "watch")]
    on_alert: Option<String>,
    /// The same alert runs --on-alert at most once per this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = 300.0)]
    alert_cooldown: f64,
    /// An --on-alert command still running after this many seconds is killed.
    #[arg(long, value_name = "SECS", default_value_t = 30.0)]
    alert_timeout: f64,
    /// Alert when memory used passes this percentage of the total.
    #[arg(long, value_name = "PCT", default_value_t = 90.0)]
    threshold: f64,
    /// Minutes of history kept per GPU and per process.
    #[arg(long, value_name = "MINUTES", default_value_t = 30.0)]
    history: f64,
    /// Stop after N samples.
    #[arg(long, value_name = "N")]
    count: Option<u64>,
}

#[derive(Args)]
struct CheckArgs {
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
    /// Don't print notes (skipped files, environment problems, baseline and diff counts) to stderr.
    #[arg(long, short)]
    quiet: bool,
    /// Report only findings at or above this severity; the others neither print nor fail.
    #[arg(long, value_enum, value_name = "LEVEL")]
    severity: Option<Level>,
    /// Exit 0 even when findings at error severity are reported (2 still means an error).
    #[arg(long)]
    exit_zero: bool,
    /// Report only findings on lines changed since this git revision (the working
    /// tree against REV; untracked files count as new).
    #[arg(long, value_name = "REV")]
    diff: Option<String>,
    /// Report only findings not recorded in this baseline file.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    baseline: Option<PathBuf>,
    /// Record the reported findings in this baseline file, and exit 0.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Also say why each attribute or path on an open container (a dynamic
    /// module or class, a macro-filled Rust module, a receiver of unknown
    /// type) is silent: the construct that opened it and where.
    #[arg(long)]
    why: bool,
}

#[derive(Args)]
struct ContextArgs {
    /// The Python (.py, .pyi) or Rust (.rs) file.
    file: PathBuf,
    /// The cursor's line (1-based): names near it rank higher.
    #[arg(long, value_name = "N")]
    line: Option<usize>,
    /// The token budget (a token is estimated as 4 characters of the text output).
    #[arg(long, value_name = "TOKENS", default_value_t = grounded::context::DEFAULT_BUDGET)]
    budget: usize,
    /// What the assistant is asked to do: names that share its words rank
    /// higher, and the text output becomes a complete prompt ending with it.
    #[arg(long, value_name = "TEXT")]
    task: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ContextFormat::Text)]
    format: ContextFormat,
    /// The Python interpreter (or venv directory) whose packages are the truth.
    #[arg(long, value_name = "PATH")]
    python: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ContextFormat {
    Text,
    Json,
}

#[derive(Args)]
struct McpArgs {
    /// A workspace root the tools may read (repeatable; default: the current
    /// directory). Paths outside every root are refused.
    #[arg(long = "root", value_name = "DIR")]
    roots: Vec<PathBuf>,
    /// The Python interpreter (or venv directory) whose packages are the truth.
    #[arg(long, value_name = "PATH")]
    python: Option<PathBuf>,
}

/// A severity threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Level {
    Info,
    Warning,
    Error,
}

impl Level {
    fn severity(self) -> Severity {
        match self {
            Level::Info => Severity::Info,
            Level::Warning => Severity::Warning,
            Level::Error => Severity::Error,
        }
    }
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
    let jobs = match &cli.command {
        Command::Check(args) => args.jobs,
        _ => None,
    };
    grounded::stack::init_rayon(jobs);
    // Parsing and analysis recurse as deep as the code nests (bounded by
    // syntax::nesting): the command runs on a thread with room for that.
    match grounded::stack::on_analysis_stack(move || run_command(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("grounded: error: cannot start a thread: {e}");
            ExitCode::from(2)
        }
    }
}

fn run_command(cli: Cli) -> ExitCode {
    let trusted = !(cli.untrusted || grounded::trust::untrusted_by_env());
    match cli.command {
        Command::Lsp {
            stdio: _,
            log_level,
        } => {
            grounded::lsp::log::set_level(log_level);
            run_lsp(trusted)
        }
        Command::Explain { code } => run_explain(code.as_deref()),
        Command::Context(args) => match run_context(args, trusted) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("grounded: error: {e}");
                ExitCode::from(2)
            }
        },
        Command::Mcp(args) => match grounded::mcp::run_stdio(args.roots, args.python, trusted) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("grounded: error: {e}");
                ExitCode::from(2)
            }
        },
        Command::Gpu(args) => match run_gpu(args) {
            Ok(GpuOutcome::Shown) => ExitCode::SUCCESS,
            Ok(GpuOutcome::Unavailable) => ExitCode::from(UNAVAILABLE_EXIT),
            Err(e) => {
                eprintln!("grounded: error: {e}");
                ExitCode::from(2)
            }
        },
        Command::Check(args) => match run_check(args, trusted) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("grounded: error: {e}");
                ExitCode::from(2)
            }
        },
    }
}

fn run_gpu(args: GpuArgs) -> Result<GpuOutcome, String> {
    grounded::gpu::command::run(grounded::gpu::command::GpuCommand {
        watch: args.watch,
        json: args.json,
        interval_s: args.interval,
        record: args.record,
        replay: args.replay,
        prometheus: args.prometheus,
        on_alert: args.on_alert,
        alert_cooldown_s: args.alert_cooldown,
        alert_timeout_s: args.alert_timeout,
        threshold_pct: args.threshold,
        history_min: args.history,
        count: args.count,
    })
}

fn run_explain(code: Option<&str>) -> ExitCode {
    let Some(code) = code else {
        print!("{}", explain::render_index());
        return ExitCode::SUCCESS;
    };
    match Code::parse(code) {
        Some(c) => {
            print!("{}", explain::render(c));
            ExitCode::SUCCESS
        }
        None => {
            eprintln!(
                "grounded: error: unknown finding code `{code}` (known: {})",
                explain::known_codes()
            );
            ExitCode::from(2)
        }
    }
}

/// `grounded check`: the check, then the CI gate (severity, diff, baseline),
/// then the report. Every failure is one line for the caller to print.
fn run_check(args: CheckArgs, trusted: bool) -> Result<ExitCode, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    // Bad input is reported before the (possibly long) check runs.
    for p in &args.paths {
        if !cwd.join(p).exists() {
            return Err(format!("{}: no such file or directory", p.display()));
        }
    }
    let baseline_file = args.baseline.as_ref().or(args.write_baseline.as_ref());
    let mut gate = Gate {
        min_severity: args.severity.map(Level::severity),
        baseline_root: baseline_file.map(|f| baseline::root_of(f, &cwd)),
        ..Gate::default()
    };
    if let Some(file) = &args.baseline {
        gate.baseline = Some(Baseline::load(file)?);
    }
    if let Some(rev) = &args.diff {
        let first = args
            .paths
            .first()
            .map(|p| cwd.join(p))
            .unwrap_or(cwd.clone());
        let dir = if first.is_dir() {
            first
        } else {
            first.parent().map(PathBuf::from).unwrap_or(cwd.clone())
        };
        gate.changed = Some(git_diff::changed_since(rev, &dir, trusted)?);
    }

    let opts = CheckOptions {
        paths: args.paths,
        python: args.python,
        config: args.config,
        trusted,
        user_python: true,
        cache_dir: python_env::default_cache_dir(),
        one_shot: true,
        why: args.why,
    };
    let mut outcome = check::run_check(&opts)?;
    let filtered = gate::apply(&gate, &mut outcome, &cwd);
    if let Some(file) = &args.write_baseline {
        baseline::write(file, filtered.entries)?;
        outcome.notes.push(format!(
            "wrote {} to baseline {}",
            count(outcome.findings.len(), "finding"),
            file.display()
        ));
    }
    if let (Some(file), Some(b)) = (&args.baseline, &gate.baseline) {
        outcome.notes.push(format!(
            "baseline {}: {} matched and not reported ({} recorded)",
            file.display(),
            count(filtered.in_baseline, "finding"),
            b.len()
        ));
    }
    if let Some(changed) = &gate.changed {
        outcome.notes.push(format!(
            "--diff {}: {} on unchanged lines not reported ({} changed)",
            changed.rev,
            count(filtered.outside_diff, "finding"),
            count(changed.file_count(), "file")
        ));
    }
    if !args.quiet {
        let mut err = std::io::stderr().lock();
        for note in &outcome.notes {
            let _ = writeln!(err, "grounded: note: {note}");
        }
    }
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(report::render(args.format, &outcome).as_bytes());
    let _ = out.flush();
    let fail = check::has_errors(&outcome) && !args.exit_zero && args.write_baseline.is_none();
    Ok(if fail {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `grounded context`: one file's API context on stdout.
fn run_context(args: ContextArgs, trusted: bool) -> Result<(), String> {
    use grounded::session::{ContextQuery, Session, SessionOptions};
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let file = std::fs::canonicalize(cwd.join(&args.file))
        .map_err(|e| format!("{}: {e}", args.file.display()))?;
    let bytes =
        grounded::regular_file::read(&file).map_err(|e| format!("{}: {e}", args.file.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| format!("{}: not valid UTF-8", args.file.display()))?;
    if args.line == Some(0) {
        return Err("--line is 1-based: the first line is 1".to_string());
    }
    let root = check::workspace_root(&file);
    let session = Session::open(
        &root,
        &SessionOptions {
            python: args.python,
            trusted,
            user_python: true,
            cache_dir: python_env::default_cache_dir(),
        },
    );
    for note in &session.notes {
        eprintln!("grounded: note: {note}");
    }
    let query = ContextQuery {
        line: args.line.map(|l| l - 1),
        task: args.task,
        budget: args.budget,
    };
    let context = session.context(&file, &text, &Default::default(), &query)?;
    let out = match args.format {
        ContextFormat::Text => context.text.clone(),
        ContextFormat::Json => {
            let mut json = serde_json::to_string_pretty(&context)
                .map_err(|e| format!("cannot encode the context: {e}"))?;
            json.push('\n');
            json
        }
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    Ok(())
}

fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn run_lsp(trusted: bool) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(grounded::stack::ANALYSIS_STACK)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("grounded: error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let status = runtime.block_on(grounded::lsp::run_stdio(!trusted));
    // The stdin reader may still be blocked on a pipe the client holds open:
    // leave without waiting for it (the process must end promptly on `exit`).
    let _ = std::io::stdout().flush();
    std::process::exit(status);
}

//! The one thread that analyzes documents.
//!
//! The analysis loop runs one analysis at a time, so a single long-lived
//! thread loses nothing, and it keeps a document's memory in one place:
//! mimalloc gives a page back only from the thread that allocated it, and
//! a page freed by another thread waits on that thread's next collection.
//! With the facts of every version built here, and the ones a new version
//! replaces dropped here too (see [`discard`]), the collection that ends a
//! large document's analysis returns all of it — on tokio's blocking pool,
//! each keystroke's facts could land on a different idle thread and stay
//! resident until that thread happened to run again (a megabyte of dense
//! code grew by 10 bytes per source byte with each keystroke).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, OnceLock};

use crate::stack::ANALYSIS_STACK;

type Job = Box<dyn FnOnce() + Send>;

/// Hand `job` to the analysis thread; the job back when it cannot take it
/// (it could not be started), for the caller to run elsewhere.
fn submit(job: Job) -> Option<Job> {
    static QUEUE: OnceLock<Option<mpsc::Sender<Job>>> = OnceLock::new();
    let queue = QUEUE.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("grounded-analysis".to_string())
            .stack_size(ANALYSIS_STACK)
            .spawn(move || {
                for job in rx {
                    job();
                }
            })
            .ok()
            .map(|_| tx)
    });
    match queue {
        Some(tx) => tx.send(job).err().map(|e| e.0),
        None => Some(job),
    }
}

/// Run `f` on the analysis thread and wait for its result without blocking
/// the runtime; `Err` with the panic's message when it panicked.
pub async fn run<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, String> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = tx.send(catch_unwind(AssertUnwindSafe(f)).map_err(|p| panic_message(&*p)));
    });
    if let Some(job) = submit(job) {
        // No analysis thread: the blocking pool runs it.
        tokio::task::spawn_blocking(job)
            .await
            .map_err(|e| e.to_string())?;
    }
    rx.await
        .map_err(|_| "the analysis thread stopped".to_string())?
}

/// Drop `value` (a version's facts or tree that a newer one replaced) on
/// the analysis thread, then give the memory back when `large`.
pub fn discard<T: Send + 'static>(value: T, large: bool) {
    let job: Job = Box::new(move || {
        drop(value);
        if large {
            super::publish::return_memory();
        }
    });
    if let Some(job) = submit(job) {
        job();
    }
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_run_on_the_one_thread_and_a_panic_is_an_error() {
        let name = run(|| std::thread::current().name().map(str::to_string))
            .await
            .unwrap();
        assert_eq!(name.as_deref(), Some("grounded-analysis"));
        let again = run(|| std::thread::current().id()).await.unwrap();
        assert_eq!(again, run(|| std::thread::current().id()).await.unwrap());
        let failed = run(|| -> u32 { panic!("boom") }).await;
        assert_eq!(failed, Err("boom".to_string()));
        // The thread survives a panicking job.
        assert_eq!(run(|| 7).await, Ok(7));
    }
}

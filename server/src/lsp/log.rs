//! The server's log: each line goes to stderr and, once the client is
//! connected, to `window/logMessage`, when its level is at or above the one
//! chosen with `--log-level`. stdout carries protocol only.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

use tower_lsp_server::ls_types::MessageType;
use tower_lsp_server::Client;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Level {
    Error = 1,
    Warn = 2,
    Info = 3,
    Debug = 4,
    Trace = 5,
}

impl Level {
    fn message_type(self) -> MessageType {
        match self {
            Level::Error => MessageType::ERROR,
            Level::Warn => MessageType::WARNING,
            Level::Info => MessageType::INFO,
            Level::Debug | Level::Trace => MessageType::LOG,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warn => "warning",
            Level::Info => "info",
            Level::Debug => "debug",
            Level::Trace => "trace",
        }
    }
}

static LEVEL: AtomicU8 = AtomicU8::new(Level::Info as u8);
static CLIENT: OnceLock<Client> = OnceLock::new();

/// Set the threshold (from `--log-level`).
pub fn set_level(level: Level) {
    LEVEL.store(level as u8, Ordering::Relaxed);
}

pub fn enabled(level: Level) -> bool {
    level as u8 <= LEVEL.load(Ordering::Relaxed)
}

/// Route log lines to the client as well (from `initialize` on).
pub(super) fn connect(client: Client) {
    let _ = CLIENT.set(client);
}

/// Log one line. Never blocks: the client message is sent from a task.
pub fn log(level: Level, message: impl Into<String>) {
    if !enabled(level) {
        return;
    }
    let message = message.into();
    eprintln!("grounded: {}: {message}", level.label());
    let client = CLIENT.get().cloned();
    if let (Some(client), Ok(runtime)) = (client, tokio::runtime::Handle::try_current()) {
        runtime.spawn(async move {
            client
                .log_message(level.message_type(), format!("grounded: {message}"))
                .await;
        });
    }
}

pub fn error(message: impl Into<String>) {
    log(Level::Error, message);
}

pub fn warn(message: impl Into<String>) {
    log(Level::Warn, message);
}

pub fn info(message: impl Into<String>) {
    log(Level::Info, message);
}

pub fn debug(message: impl Into<String>) {
    log(Level::Debug, message);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_threshold_lets_through_its_level_and_the_more_severe() {
        set_level(Level::Warn);
        assert!(enabled(Level::Error) && enabled(Level::Warn));
        assert!(!enabled(Level::Info) && !enabled(Level::Debug));
        set_level(Level::Info);
    }
}

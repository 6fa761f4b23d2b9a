//! What `/proc` says about a process NVML names by pid: its name, command
//! line and start time. A pid that `/proc` does not show (a process in
//! another pid namespace, one that just ended) gives `None` for each.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProcInfo {
    pub name: Option<String>,
    pub cmdline: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub start_time: Option<u64>,
}

pub struct ProcFs {
    root: PathBuf,
    boot_time_s: Option<u64>,
    ticks_per_s: u64,
}

impl Default for ProcFs {
    fn default() -> ProcFs {
        ProcFs::at(Path::new("/proc"))
    }
}

impl ProcFs {
    pub fn at(root: &Path) -> ProcFs {
        let boot_time_s = std::fs::read_to_string(root.join("stat"))
            .ok()
            .and_then(|s| parse_boot_time(&s));
        ProcFs {
            root: root.to_path_buf(),
            boot_time_s,
            ticks_per_s: clock_ticks_per_second(),
        }
    }

    pub fn info(&self, pid: u32) -> ProcInfo {
        let dir = self.root.join(pid.to_string());
        let name = std::fs::read_to_string(dir.join("comm"))
            .ok()
            .map(|s| s.trim_end_matches('\n').to_string())
            .filter(|s| !s.is_empty());
        let cmdline = std::fs::read(dir.join("cmdline"))
            .ok()
            .map(|b| render_cmdline(&b))
            .filter(|s| !s.is_empty());
        let start_time = std::fs::read_to_string(dir.join("stat"))
            .ok()
            .and_then(|s| parse_start_ticks(&s))
            .and_then(|ticks| {
                let boot = self.boot_time_s?;
                Some(boot * 1000 + ticks * 1000 / self.ticks_per_s.max(1))
            });
        ProcInfo {
            name,
            cmdline,
            start_time,
        }
    }
}

fn clock_ticks_per_second() -> u64 {
    // SAFETY: sysconf only reads a configuration value.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if ticks > 0 {
        ticks as u64
    } else {
        100
    }
}

/// `btime` in `/proc/stat`: the boot time in seconds since the epoch.
fn parse_boot_time(stat: &str) -> Option<u64> {
    stat.lines()
        .find_map(|l| l.strip_prefix("btime "))
        .and_then(|v| v.trim().parse().ok())
}

/// Field 22 of `/proc/PID/stat`, the start time in clock ticks after boot.
/// The name (field 2) may hold spaces and parentheses: fields are counted
/// from the last `)`.
fn parse_start_ticks(stat: &str) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    // After the name come field 3 (state) onwards: field 22 is the 20th.
    rest.split_whitespace().nth(19)?.parse().ok()
}

/// NUL-separated arguments as one line.
fn render_cmdline(raw: &[u8]) -> String {
    raw.split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_time_is_counted_from_the_last_parenthesis() {
        let stat = "4242 (python (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 1 0 0 20 0 3 0 98765 1000 10 1";
        assert_eq!(parse_start_ticks(stat), Some(98765));
        assert_eq!(
            parse_boot_time("cpu 1 2\nbtime 1700000000\n"),
            Some(1_700_000_000)
        );
        assert_eq!(
            render_cmdline(b"python\0train.py\0--lr\0\0"),
            "python train.py --lr"
        );
    }

    #[test]
    fn this_process_is_found_and_a_missing_one_is_not() {
        let procfs = ProcFs::default();
        let me = procfs.info(std::process::id());
        assert!(me.name.is_some());
        assert!(me.cmdline.is_some());
        let started = me.start_time.expect("a start time");
        assert!(started <= super::super::snapshot::now_ms());
        assert_eq!(procfs.info(u32::MAX - 1), ProcInfo::default());
    }
}

//! Reading files that a workspace holds: sources, configurations
//! (`grounded.toml`, `pyproject.toml`, `Cargo.toml`, `Cargo.lock`,
//! `pyvenv.cfg`, `.python-version`), stubs, `.pth` files and cache entries.
//! Only a regular file is ever opened: a FIFO, socket or device planted under
//! a name such as `mod.py` could block a read forever (a FIFO waits for a
//! writer), so it is an error instead, of kind `InvalidInput`, naming what
//! the path is ("not a regular file (a FIFO)").
//!
//! The type is checked twice: on the path before opening, so that nothing
//! but a regular file is opened in the common case, and on the open file, so
//! that a FIFO swapped in between the two is caught too. On Unix the open is
//! non-blocking (`O_NONBLOCK`, which regular files ignore), so opening a FIFO
//! in that window returns at once.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// `path` (symbolic links followed) opened for reading, when it is a
/// regular file.
pub fn open(path: &Path) -> io::Result<File> {
    require(&std::fs::metadata(path)?)?;
    let file = open_nonblocking(path)?;
    require(&file.metadata()?)?;
    Ok(file)
}

/// The whole content of the regular file at `path`.
pub fn read(path: &Path) -> io::Result<Vec<u8>> {
    let mut file = open(path)?;
    let size = file.metadata().map(|m| m.len() as usize).unwrap_or(0);
    let mut bytes = Vec::with_capacity(size);
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The content of the regular file at `path`, which must be UTF-8.
pub fn read_to_string(path: &Path) -> io::Result<String> {
    String::from_utf8(read(path)?).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
}

/// Up to `buf.len()` bytes from the start of the regular file at `path`
/// (a shebang line, say): how many were read.
pub fn read_head(path: &Path, buf: &mut [u8]) -> io::Result<usize> {
    let mut file = open(path)?;
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Whether `path` is a regular file (symbolic links followed), as
/// [`open`] would take it.
pub fn is_regular(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// `PATH: not a regular file (a FIFO)` when something other than a regular
/// file is at `path` (nothing there is `None`): for a file that a tool we
/// run would read, which it must then not be run on.
pub fn special_file(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    require(&meta)
        .err()
        .map(|e| format!("{}: {e}", path.display()))
}

/// [`special_file`] for each of `names` (relative paths) in `dir` and every
/// directory above it, as tools look up their configuration: the first
/// found.
pub fn special_file_above(dir: &Path, names: &[&str]) -> Option<String> {
    dir.ancestors()
        .flat_map(|d| names.iter().map(move |n| d.join(n)))
        .find_map(|p| special_file(&p))
}

/// rustup's toolchain files, which a `rustc` or `cargo` proxy run from
/// the current directory reads: one that is not a regular file, if any.
pub fn special_toolchain_file() -> Option<String> {
    let cwd = std::env::current_dir().ok()?;
    special_file_above(&cwd, &["rust-toolchain", "rust-toolchain.toml"])
}

/// `Ok` for a regular file; for anything else the error [`open`] gives.
pub fn require(meta: &Metadata) -> io::Result<()> {
    if meta.is_file() {
        return Ok(());
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("not a regular file ({})", what(meta)),
    ))
}

/// What a path that is not a regular file is, in words.
fn what(meta: &Metadata) -> &'static str {
    if meta.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    "a special file"
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.py");
        std::fs::write(&p, "x = 1\n").unwrap();
        assert_eq!(read(&p).unwrap(), b"x = 1\n");
        assert_eq!(read_to_string(&p).unwrap(), "x = 1\n");
        let mut head = [0u8; 3];
        assert_eq!(read_head(&p, &mut head).unwrap(), 3);
        assert_eq!(&head, b"x =");
        assert!(is_regular(&p));
        std::fs::write(&p, b"\xff").unwrap();
        assert_eq!(
            read_to_string(&p).unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
        let missing = dir.path().join("missing.py");
        assert_eq!(read(&missing).unwrap_err().kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn directories_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let e = read(dir.path()).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(e.to_string(), "not a regular file (a directory)");
        assert!(!is_regular(dir.path()));
    }

    /// A FIFO with no writer: any blocking open or read would hang the test.
    #[cfg(unix)]
    #[test]
    fn fifos_and_devices_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("mod.py");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let e = read(&fifo).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(e.to_string(), "not a regular file (a FIFO)");
        assert!(read_to_string(&fifo).is_err());
        assert!(read_head(&fifo, &mut [0u8; 8]).is_err());
        // Through a symbolic link too.
        let link = dir.path().join("link.py");
        std::os::unix::fs::symlink(&fifo, &link).unwrap();
        assert_eq!(
            read(&link).unwrap_err().to_string(),
            "not a regular file (a FIFO)"
        );
        let e = read(Path::new("/dev/null")).unwrap_err();
        assert_eq!(e.to_string(), "not a regular file (a character device)");
        // A tool's configuration above a directory.
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(special_file_above(&deep, &["link.py"]), special_file(&link));
        assert_eq!(
            special_file(&link).unwrap(),
            format!("{}: not a regular file (a FIFO)", link.display())
        );
        assert_eq!(special_file_above(&deep, &["absent.toml"]), None);
        std::fs::write(deep.join("ok.toml"), "").unwrap();
        assert_eq!(special_file_above(&deep, &["ok.toml"]), None);
    }
}

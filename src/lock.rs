//! One run at a time per output folder, and the stamp each run leaves on
//! everything it writes.
//!
//! ```text
//!   OUT/.torikumi.lock   pid=4242            the holder, for the message a second run prints
//!                        host=analysis-01
//!                        command=ingest
//!                        run_id=20261130T103404.123456Z-4242
//!                        run_started=2026-11-30T10:34:04.123Z
//! ```
//! What counts is the OS lock on that file (`flock`), not the file: the OS
//! drops the lock when its process ends however it ends (an error, Ctrl-C, a
//! kill), so a run never waits on a dead one. A lock file that still names a
//! holder while its OS lock is free was left by a run that did not finish;
//! the next run takes it over and says so. The file itself stays: deleting it
//! would let a run that opened it just before lock a file no one else sees.
//!
//! `ingest` takes the lock exclusively for the whole run (the cache, the
//! tables, the workbook); `render` takes it shared while it reads the tables,
//! so it never reads a folder half-replaced by an ingest. `ingest --shard K/N`
//! takes it shared too (the shards of one folder run at once, each writing
//! only its own parts) and its own folder's (`OUT/.torikumi-shard-K-of-N/`)
//! exclusively; `merge` takes it exclusively, so it never reads a shard
//! half-written.

use std::fs::{File, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The lock file inside an output folder.
pub const LOCK_FILE: &str = ".torikumi.lock";

pub use crate::model::RunStamp;

/// Who holds (or last held) an output folder, as its lock file says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Holder {
    pub pid: Option<u32>,
    pub host: String,
    /// The subcommand (`ingest`).
    pub command: String,
    pub run_id: String,
    pub run_started: String,
}

impl Holder {
    fn of(run: &RunStamp, command: &str) -> Holder {
        Holder {
            pid: Some(std::process::id()),
            host: host_name(),
            command: command.to_string(),
            run_id: run.id.clone(),
            run_started: run.started.clone(),
        }
    }

    /// Reads the `key=value` lines of a lock file; `None` when it names no one.
    fn parse(text: &str) -> Option<Holder> {
        let mut h = Holder::default();
        for line in text.lines() {
            let Some((k, v)) = line.split_once('=') else { continue };
            let v = v.trim().to_string();
            match k.trim() {
                "pid" => h.pid = v.parse().ok(),
                "host" => h.host = v,
                "command" => h.command = v,
                "run_id" => h.run_id = v,
                "run_started" => h.run_started = v,
                _ => {}
            }
        }
        (h != Holder::default()).then_some(h)
    }

    fn to_text(&self) -> String {
        format!(
            "pid={}\nhost={}\ncommand={}\nrun_id={}\nrun_started={}\n",
            self.pid.map(|p| p.to_string()).unwrap_or_default(),
            self.host,
            self.command,
            self.run_id,
            self.run_started
        )
    }
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let command = if self.command.is_empty() { "run" } else { &self.command };
        write!(f, "torikumi {command}")?;
        if let Some(pid) = self.pid {
            write!(f, " (pid {pid}")?;
        } else {
            write!(f, " (pid unknown")?;
        }
        if !self.host.is_empty() {
            write!(f, " on host {}", self.host)?;
        }
        if !self.run_id.is_empty() {
            write!(f, ", run {}", self.run_id)?;
        }
        if !self.run_started.is_empty() {
            write!(f, " started {}", self.run_started)?;
        }
        write!(f, ")")
    }
}

/// This machine's host name, as the lock file records it.
fn host_name() -> String {
    gethostname::gethostname().to_string_lossy().into_owned()
}

/// Why an output folder could not be locked.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another run holds the folder and the caller would not wait.
    #[error("output folder {dir} is in use by {}; wait for it to finish, or pass --wait to queue behind it", in_use_by(.holder.as_deref()))]
    Busy { dir: PathBuf, holder: Option<Box<Holder>> },
    /// The lock file cannot be created, read, written or locked.
    #[error("cannot lock output folder {dir} ({path}): {source}")]
    Io {
        dir: PathBuf,
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Who holds a folder, for messages: the holder, or another run when the
/// lock file names no one.
pub fn in_use_by(h: Option<&Holder>) -> String {
    match h {
        Some(h) => h.to_string(),
        // A reader (render) holds it shared, or a writer has locked and not yet signed.
        None => "another torikumi run".into(),
    }
}

/// How a lock was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One writer: no other writer or reader.
    Exclusive,
    /// Readers: any number, no writer.
    Shared,
}

/// A held lock on an output folder, released when dropped (and by the OS
/// when the process ends without dropping it).
#[derive(Debug)]
pub struct OutputLock {
    file: File,
    mode: Mode,
    /// What the lock file said when it was taken over: a run that did not finish.
    pub stale: Option<Holder>,
}

impl OutputLock {
    /// Locks `dir` (created if missing) for the run `run` of `command`.
    /// Without `wait`, fails at once when another run holds it; with `wait`,
    /// calls `waiting` with the holder and blocks until it is released.
    ///
    /// # Errors
    /// [`LockError::Busy`] when held and not waiting; [`LockError::Io`] when
    /// the folder or the lock file cannot be made or locked.
    pub fn exclusive(
        dir: &Path,
        run: &RunStamp,
        command: &str,
        wait: bool,
        waiting: impl FnOnce(Option<&Holder>),
    ) -> Result<OutputLock, LockError> {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let file = open(dir).map_err(io(dir))?;
        let mut lock = acquire(file, Mode::Exclusive, dir, wait, waiting)?;
        let text = Holder::of(run, command).to_text();
        sign(&mut lock.file, text.as_bytes()).map_err(io(dir))?;
        Ok(lock)
    }

    /// Locks `dir` shared, for reading its tables; `None` when it has no lock
    /// file and none can be made (a read-only folder: nothing there can write).
    ///
    /// # Errors
    /// As [`OutputLock::exclusive`].
    pub fn shared(dir: &Path, wait: bool, waiting: impl FnOnce(Option<&Holder>)) -> Result<Option<OutputLock>, LockError> {
        let file = match open(dir) {
            Ok(f) => f,
            Err(_) => match File::open(dir.join(LOCK_FILE)) {
                Ok(f) => f,
                Err(_) => return Ok(None),
            },
        };
        acquire(file, Mode::Shared, dir, wait, waiting).map(Some)
    }

    /// How this lock is held.
    pub fn mode(&self) -> Mode {
        self.mode
    }
}

/// `dir`'s lock file, created if missing; never truncated on open, as it may
/// be another run's, held.
fn open(dir: &Path) -> std::io::Result<File> {
    File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.join(LOCK_FILE))
}

fn io(dir: &Path) -> impl Fn(std::io::Error) -> LockError + '_ {
    move |source| LockError::Io {
        dir: dir.to_path_buf(),
        path: dir.join(LOCK_FILE),
        source,
    }
}

/// Takes the OS lock on `file`, and reads what a holder that did not finish left in it.
fn acquire(mut file: File, mode: Mode, dir: &Path, wait: bool, waiting: impl FnOnce(Option<&Holder>)) -> Result<OutputLock, LockError> {
    let attempt = match mode {
        Mode::Exclusive => file.try_lock(),
        Mode::Shared => file.try_lock_shared(),
    };
    match attempt {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let holder = read_holder(&mut file);
            if !wait {
                return Err(LockError::Busy {
                    dir: dir.to_path_buf(),
                    holder: holder.map(Box::new),
                });
            }
            waiting(holder.as_ref());
            match mode {
                Mode::Exclusive => file.lock(),
                Mode::Shared => file.lock_shared(),
            }
            .map_err(io(dir))?;
        }
        Err(TryLockError::Error(e)) => return Err(io(dir)(e)),
    }
    // The lock is ours: whoever the file still names did not release it.
    let stale = read_holder(&mut file);
    if stale.is_some() && mode == Mode::Shared {
        // Cleared so a writer refused later does not name a dead run; a
        // writer overwrites it anyway. A read-only file stays as it is.
        let _ = file.set_len(0);
    }
    Ok(OutputLock { file, mode, stale })
}

fn read_holder(file: &mut File) -> Option<Holder> {
    let mut text = String::new();
    file.rewind().ok()?;
    // Bounded: the file is ours, but a stray large file must not be read whole.
    file.take(4096).read_to_string(&mut text).ok()?;
    Holder::parse(&text)
}

fn sign(file: &mut File, text: &[u8]) -> std::io::Result<()> {
    file.set_len(0)?;
    file.rewind()?;
    file.write_all(text)?;
    file.flush()
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // An emptied file tells the next run this one finished; closing the
        // file releases the OS lock.
        if self.mode == Mode::Exclusive {
            let _ = self.file.set_len(0);
        }
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_exclusive_lock_is_refused_and_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let run = RunStamp::now();
        let first = OutputLock::exclusive(dir.path(), &run, "ingest", false, |_| {}).unwrap();
        assert_eq!(first.stale, None);
        let text = std::fs::read_to_string(dir.path().join(LOCK_FILE)).unwrap();
        assert!(text.contains(&format!("pid={}\n", std::process::id())), "{text}");
        assert!(text.contains(&format!("run_id={}\n", run.id)), "{text}");
        let err = OutputLock::exclusive(dir.path(), &RunStamp::now(), "ingest", false, |_| {}).unwrap_err();
        match &err {
            LockError::Busy { holder: Some(h), .. } => {
                assert_eq!(h.pid, Some(std::process::id()));
                assert_eq!(h.run_id, run.id);
                assert_eq!(h.command, "ingest");
            }
            other => panic!("{other:?}"),
        }
        let message = err.to_string();
        assert!(message.contains(&format!("pid {}", std::process::id())), "{message}");
        assert!(message.contains("--wait"), "{message}");
        // Readers are refused too while a writer holds it.
        assert!(matches!(OutputLock::shared(dir.path(), false, |_| {}), Err(LockError::Busy { .. })));
        drop(first);
        assert_eq!(std::fs::read_to_string(dir.path().join(LOCK_FILE)).unwrap(), "");
        let again = OutputLock::exclusive(dir.path(), &RunStamp::now(), "ingest", false, |_| {}).unwrap();
        assert_eq!(again.stale, None, "a released lock is not stale");
    }

    #[test]
    fn a_lock_file_whose_os_lock_is_free_is_stale_and_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(LOCK_FILE),
            "pid=999999\nhost=gone\ncommand=ingest\nrun_id=R-1\nrun_started=2026-01-01T00:00:00.000Z\n",
        )
        .unwrap();
        let lock = OutputLock::exclusive(dir.path(), &RunStamp::now(), "ingest", false, |_| {}).unwrap();
        let stale = lock.stale.clone().unwrap();
        assert_eq!(
            (stale.pid, stale.host.as_str(), stale.run_id.as_str()),
            (Some(999999), "gone", "R-1")
        );
        let text = std::fs::read_to_string(dir.path().join(LOCK_FILE)).unwrap();
        assert!(
            !text.contains("999999") && text.contains(&format!("pid={}", std::process::id())),
            "{text}"
        );
    }

    #[test]
    fn readers_share_and_keep_writers_out() {
        let dir = tempfile::tempdir().unwrap();
        let a = OutputLock::shared(dir.path(), false, |_| {}).unwrap().unwrap();
        let b = OutputLock::shared(dir.path(), false, |_| {}).unwrap().unwrap();
        assert_eq!((a.mode(), b.mode()), (Mode::Shared, Mode::Shared));
        let err = OutputLock::exclusive(dir.path(), &RunStamp::now(), "ingest", false, |_| {}).unwrap_err();
        assert!(err.to_string().contains("in use by another torikumi run"), "{err}");
        drop((a, b));
        assert!(OutputLock::exclusive(dir.path(), &RunStamp::now(), "ingest", false, |_| {}).is_ok());
    }

    #[test]
    fn run_ids_carry_time_and_pid() {
        let r = RunStamp::now();
        assert!(r.id.ends_with(&format!("Z-{}", std::process::id())), "{}", r.id);
        assert_eq!(r.started.len(), "2026-11-30T10:34:04.123Z".len(), "{}", r.started);
        assert!(r.started.ends_with('Z') && r.started[..4].parse::<i32>().unwrap() >= 2024);
    }
}

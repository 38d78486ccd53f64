//! One prompt at a time: parallel agent commands wait for each other's prompt to finish.

use nix::fcntl::{Flock, FlockArg};
use std::fs::{File, OpenOptions};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Held while a prompt is on the terminal; released when dropped.
pub struct PromptLock {
    _lock: Flock<File>,
}

impl PromptLock {
    /// Wait for the lock until `deadline`; `None` if it could not be had in time.
    pub fn acquire(deadline: Instant) -> Option<PromptLock> {
        let path = lock_path();
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .ok()?;
        loop {
            match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
                Ok(lock) => return Some(PromptLock { _lock: lock }),
                Err((f, _)) => {
                    if Instant::now() >= deadline {
                        return None;
                    }
                    file = f;
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
        }
    }
}

/// `$XDG_RUNTIME_DIR/shellgate-prompt.lock`, else a per-user file in the temp directory.
fn lock_path() -> PathBuf {
    match std::env::var_os("XDG_RUNTIME_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir).join("shellgate-prompt.lock"),
        _ => std::env::temp_dir().join(format!("shellgate-prompt-{}.lock", nix::unistd::getuid())),
    }
}

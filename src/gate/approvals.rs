//! Out-of-band approval, for agents that run their shell with no terminal.
//!
//! A refused line leaves a pending request; a human, in their own terminal, runs
//! `shellgate pending` and `shellgate approve ID` (same prompt and challenge as at the terminal).
//! An approval is bound to the working directory and to the exact commands that were flagged
//! (rule and command as parsed), is valid once and expires. It is not bound to the whole line:
//! agents wrap each line in temporary file names that change on every retry.
//!
//! The store is `$XDG_STATE_HOME/shellgate` (else `~/.local/state/shellgate`), mode 0700, which
//! the self-protection rules forbid guarded commands to touch.

use crate::error::{Error, Result};
use crate::rules::Finding;
use serde::{Deserialize, Serialize};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long an approval stays valid.
pub const APPROVAL_TTL: Duration = Duration::from_secs(10 * 60);
/// How long an unanswered request is listed.
pub const PENDING_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// A request waiting for a human, or an approval waiting to be used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub id: String,
    /// What the approval is bound to: working directory + flagged commands.
    pub key: String,
    pub line: String,
    pub cwd: String,
    pub findings: Vec<Finding>,
    /// Seconds since the epoch.
    pub created: u64,
    /// The process that asked (the agent's shell) and its parent (the agent).
    pub pid: u32,
    pub ppid: u32,
    /// For approvals: when it stops being valid (seconds since the epoch).
    #[serde(default)]
    pub expires: u64,
}

/// The approval store.
pub struct Store {
    root: PathBuf,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// What an approval is bound to.
pub fn binding_key(findings: &[Finding], cwd: &Path) -> String {
    let mut parts: Vec<String> = findings
        .iter()
        .map(|f| format!("{}\u{0}{}", f.rule_id, f.command))
        .collect();
    parts.sort();
    parts.dedup();
    format!("{}\u{1}{}", cwd.display(), parts.join("\u{1}"))
}

fn short_id(key: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut h);
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
        .hash(&mut h);
    std::process::id().hash(&mut h);
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut n = h.finish();
    (0..6)
        .map(|_| {
            let c = ALPHABET[(n % ALPHABET.len() as u64) as usize] as char;
            n /= ALPHABET.len() as u64;
            c
        })
        .collect()
}

impl Store {
    /// The user's store (created on first write).
    pub fn open() -> Store {
        let root = match std::env::var_os("XDG_STATE_HOME") {
            Some(dir) if Path::new(&dir).is_absolute() => PathBuf::from(dir).join("shellgate"),
            _ => {
                let home = std::env::var_os("HOME")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| PathBuf::from("/"));
                home.join(".local/state/shellgate")
            }
        };
        Store { root }
    }

    fn dir(&self, which: &str) -> Result<PathBuf> {
        let dir = self.root.join(which);
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(|source| Error::Io {
                path: dir.clone(),
                source,
            })?;
        Ok(dir)
    }

    fn read_all(&self, which: &str) -> Vec<(PathBuf, Request)> {
        let Ok(entries) = std::fs::read_dir(self.root.join(which)) else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|e| {
                let path = e.path();
                let text = std::fs::read_to_string(&path).ok()?;
                serde_json::from_str(&text).ok().map(|r| (path, r))
            })
            .collect()
    }

    fn write(&self, which: &str, request: &Request) -> Result<()> {
        let dir = self.dir(which)?;
        let path = dir.join(format!("{}.json", request.id));
        let text =
            serde_json::to_string_pretty(request).map_err(|e| Error::Internal(e.to_string()))?;
        let tmp = dir.join(format!(".{}.tmp", request.id));
        std::fs::write(&tmp, text)
            .and_then(|_| std::fs::rename(&tmp, &path))
            .map_err(|source| Error::Io { path, source })
    }

    /// Record (or find again) the pending request for these findings; returns its id.
    pub fn record_pending(&self, findings: &[Finding], line: &str, cwd: &Path) -> Result<String> {
        let key = binding_key(findings, cwd);
        if let Some((_, r)) = self
            .read_all("pending")
            .into_iter()
            .find(|(_, r)| r.key == key)
        {
            return Ok(r.id);
        }
        let request = Request {
            id: short_id(&key),
            key,
            line: line.to_string(),
            cwd: cwd.display().to_string(),
            findings: findings.to_vec(),
            created: now(),
            pid: std::process::id(),
            ppid: nix::unistd::getppid().as_raw() as u32,
            expires: 0,
        };
        self.write("pending", &request)?;
        Ok(request.id)
    }

    /// Use up a valid approval for these findings, if there is one; returns its id.
    pub fn take_approval(&self, findings: &[Finding], cwd: &Path) -> Option<String> {
        let key = binding_key(findings, cwd);
        let t = now();
        for (path, r) in self.read_all("approved") {
            if r.expires <= t {
                let _ = std::fs::remove_file(&path);
            } else if r.key == key {
                // Valid once: whoever removes the file first uses it.
                return std::fs::remove_file(&path).is_ok().then_some(r.id);
            }
        }
        None
    }

    /// Requests waiting for a human, oldest first (expired ones are dropped).
    pub fn pending(&self) -> Vec<Request> {
        let t = now();
        let mut list: Vec<Request> = self
            .read_all("pending")
            .into_iter()
            .filter_map(|(path, r)| {
                if r.created + PENDING_TTL.as_secs() < t {
                    let _ = std::fs::remove_file(path);
                    None
                } else {
                    Some(r)
                }
            })
            .collect();
        list.sort_by_key(|r| r.created);
        list
    }

    /// The pending request with this id.
    pub fn find_pending(&self, id: &str) -> Option<Request> {
        self.pending().into_iter().find(|r| r.id == id)
    }

    /// Turn a pending request into an approval valid for [`APPROVAL_TTL`].
    pub fn approve(&self, mut request: Request) -> Result<()> {
        request.expires = now() + APPROVAL_TTL.as_secs();
        self.write("approved", &request)?;
        self.remove_pending(&request.id);
        Ok(())
    }

    /// Drop a pending request.
    pub fn remove_pending(&self, id: &str) {
        let _ = std::fs::remove_file(self.root.join("pending").join(format!("{id}.json")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Severity;

    fn finding(command: &str) -> Finding {
        Finding {
            rule_id: "git-push-force".into(),
            pack: "git".into(),
            severity: Severity::High,
            why: "w".into(),
            safer: "s".into(),
            command: command.into(),
            origin: "git".into(),
        }
    }

    #[test]
    fn approval_is_bound_used_once_and_per_directory() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store {
            root: dir.path().to_path_buf(),
        };
        let f = [finding("git push --force origin main")];
        let cwd = Path::new("/work/repo");
        let id = store.record_pending(&f, "line", cwd).unwrap();
        assert_eq!(
            store.record_pending(&f, "line again", cwd).unwrap(),
            id,
            "same request reuses its id"
        );
        assert_eq!(store.pending().len(), 1);
        assert_eq!(
            store.take_approval(&f, cwd),
            None,
            "pending is not approved"
        );
        store.approve(store.find_pending(&id).unwrap()).unwrap();
        assert!(store.pending().is_empty());
        assert_eq!(store.take_approval(&f, Path::new("/elsewhere")), None);
        assert_eq!(
            store.take_approval(&[finding("git push --force origin dev")], cwd),
            None
        );
        assert_eq!(store.take_approval(&f, cwd), Some(id));
        assert_eq!(store.take_approval(&f, cwd), None, "valid once");
    }

    #[test]
    fn expired_approvals_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store {
            root: dir.path().to_path_buf(),
        };
        let f = [finding("git push -f")];
        let cwd = Path::new("/r");
        let id = store.record_pending(&f, "l", cwd).unwrap();
        let mut r = store.find_pending(&id).unwrap();
        r.expires = now() - 1;
        store.write("approved", &r).unwrap();
        assert_eq!(store.take_approval(&f, cwd), None);
    }
}

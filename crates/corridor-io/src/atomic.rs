//! All-or-nothing outputs: every file and folder Corridor writes is built
//! beside its target under a recognisable temporary name and renamed into
//! place only once everything a command writes has been written, so a
//! crash, a full disk or a bad second path never leaves a half-written
//! result, nor the first of two outputs without the second. Temporaries
//! that a killed run left behind are recognised by their name and removed
//! by the next run that writes into the same folder. It creates the parent
//! of a folder output but not of a file output, and does not fsync
//! directories.

use crate::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Marks a temporary in a file name: `.NAME.corridor-tmp-PID-N`.
const TMP_MARK: &str = ".corridor-tmp-";
/// Marks a replaced folder while the new one is renamed in.
const OLD_MARK: &str = ".corridor-old-";
/// The mark of earlier versions (`.NAME.tmp-PID`), cleaned up too.
const LEGACY_MARK: &str = ".tmp-";

/// The outputs of one command, staged until [`Outputs::commit`]. Dropping
/// it without committing removes what was staged.
#[derive(Debug, Default)]
pub struct Outputs {
    staged: Vec<Staged>,
}

#[derive(Debug)]
struct Staged {
    tmp: PathBuf,
    target: PathBuf,
    dir: bool,
}

impl Outputs {
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes `bytes` to a temporary file beside `target` (synced to disk).
    pub fn file(&mut self, target: &Path, bytes: &[u8]) -> Result<()> {
        self.file_with(target, |w| w.write_all(bytes))
    }

    /// Stages a file that `write` fills through a buffer, so that outputs
    /// which grow with the network (maps, flows) stream to the temporary
    /// file instead of being built in memory first. A failed `write`
    /// leaves nothing behind.
    pub fn file_with(
        &mut self,
        target: &Path,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let tmp = self.temporary(target)?;
        let run = || -> std::io::Result<()> {
            let mut w = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(&tmp)?);
            write(&mut w)?;
            w.into_inner().map_err(|e| e.into_error())?.sync_all()
        };
        if let Err(e) = run() {
            let _ = std::fs::remove_file(&tmp);
            return Err(Error::io(target, e));
        }
        self.staged.push(Staged {
            tmp,
            target: target.to_path_buf(),
            dir: false,
        });
        Ok(())
    }

    /// Creates an empty temporary folder beside `target` (making `target`'s
    /// parent if needed) for the caller to fill; on commit it replaces
    /// `target`. An existing `target` must be
    /// a folder holding only files named in `ours` (what the command
    /// writes), so that replacing it loses nothing the user put there.
    pub fn dir(&mut self, target: &Path, ours: &[&str]) -> Result<PathBuf> {
        if target.exists() {
            if !target.is_dir() {
                return Err(Error::io(
                    target,
                    std::io::Error::other("exists and is not a folder"),
                ));
            }
            let entries = std::fs::read_dir(target).map_err(|e| Error::io(target, e))?;
            for entry in entries {
                let name = entry
                    .map_err(|e| Error::io(target, e))?
                    .file_name()
                    .to_string_lossy()
                    .into_owned();
                if !ours.contains(&name.as_str()) && !is_temporary(&name) {
                    return Err(Error::io(
                        target,
                        std::io::Error::other(format!(
                            "holds \"{name}\", which this command does not write; give a new or empty folder"
                        )),
                    ));
                }
            }
        }
        // A bundle may go into a folder not made yet (`--out out/sea`).
        std::fs::create_dir_all(parent(target)).map_err(|e| Error::io(target, e))?;
        let tmp = self.temporary(target)?;
        std::fs::create_dir(&tmp).map_err(|e| Error::io(target, e))?;
        self.staged.push(Staged {
            tmp: tmp.clone(),
            target: target.to_path_buf(),
            dir: true,
        });
        Ok(tmp)
    }

    /// Renames everything staged into place, in the order staged.
    pub fn commit(mut self) -> Result<()> {
        for s in std::mem::take(&mut self.staged) {
            let done = if s.dir && s.target.exists() {
                replace_dir(&s.tmp, &s.target)
            } else {
                std::fs::rename(&s.tmp, &s.target)
            };
            if let Err(e) = done {
                remove(&s.tmp, s.dir);
                return Err(Error::io(&s.target, e));
            }
        }
        Ok(())
    }

    /// A fresh temporary path beside `target`; removes leftovers of killed
    /// runs in that folder first.
    fn temporary(&self, target: &Path) -> Result<PathBuf> {
        let dir = parent(target);
        clean_leftovers(dir);
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".to_string());
        Ok(dir.join(format!(
            ".{name}{TMP_MARK}{}-{}",
            std::process::id(),
            self.staged.len()
        )))
    }
}

impl Drop for Outputs {
    fn drop(&mut self) {
        for s in &self.staged {
            remove(&s.tmp, s.dir);
        }
    }
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

fn remove(path: &Path, dir: bool) {
    let _ = if dir {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
}

/// Moves the old folder aside, the new one in, then deletes the old; puts
/// the old one back if the new one cannot be moved in.
fn replace_dir(new: &Path, target: &Path) -> std::io::Result<()> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let old = parent(target).join(format!(".{name}{OLD_MARK}{}", std::process::id()));
    std::fs::rename(target, &old)?;
    if let Err(e) = std::fs::rename(new, target) {
        let _ = std::fs::rename(&old, target);
        return Err(e);
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

/// The process id in a temporary's name, if the name is one of ours.
fn temporary_pid(name: &str) -> Option<u32> {
    if !name.starts_with('.') {
        return None;
    }
    for mark in [TMP_MARK, OLD_MARK, LEGACY_MARK] {
        if let Some(i) = name.rfind(mark) {
            let rest = &name[i + mark.len()..];
            let pid = rest.split('-').next().unwrap_or("");
            if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) {
                return pid.parse().ok();
            }
        }
    }
    None
}

fn is_temporary(name: &str) -> bool {
    temporary_pid(name).is_some()
}

/// Whether process `pid` runs, where the system tells (`/proc`); `None`
/// where it cannot be told.
fn alive(pid: u32) -> Option<bool> {
    Path::new("/proc/self")
        .exists()
        .then(|| Path::new(&format!("/proc/{pid}")).exists())
}

/// Removes the temporaries in `dir` that runs no longer alive left behind
/// (where liveness cannot be told: those older than a day).
pub fn clean_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let me = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = temporary_pid(&name) else {
            continue;
        };
        let stale = match alive(pid) {
            Some(running) => pid != me && !running,
            None => entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 24 * 3600),
        };
        if stale {
            let path = entry.path();
            remove(&path, path.is_dir());
        }
    }
}

/// Writes one file atomically: [`Outputs::file`] then commit. The rename
/// is atomic on one filesystem, which is why the temporary lives in the
/// same folder rather than in `/tmp`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut out = Outputs::new();
    out.file(path, bytes)?;
    out.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.json");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(names(dir.path()), ["out.json"]);
    }

    #[test]
    fn a_streamed_file_lands_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("map.geojson");
        let mut out = Outputs::new();
        out.file_with(&p, |w| {
            for i in 0..100_000 {
                write!(w, "{i},")?;
            }
            Ok(())
        })
        .unwrap();
        assert!(!p.exists(), "nothing in place before the commit");
        out.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap().len(), 588_890);
        // A writer that fails halfway leaves the old file and no temporary.
        let mut out = Outputs::new();
        let e = out
            .file_with(&p, |w| {
                w.write_all(b"partial")?;
                Err(std::io::Error::other("disk full"))
            })
            .unwrap_err();
        assert!(e.to_string().contains("map.geojson"), "{e}");
        drop(out);
        assert_eq!(std::fs::read_to_string(&p).unwrap().len(), 588_890);
        assert_eq!(names(dir.path()), ["map.geojson"]);
    }

    #[test]
    fn a_missing_directory_is_an_io_error_naming_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("no/such/dir/out.json");
        let e = write_atomic(&p, b"x").unwrap_err();
        assert!(e.to_string().contains("out.json"), "{e}");
    }

    #[test]
    fn nothing_lands_unless_every_output_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("flows.csv");
        std::fs::write(&a, "old").unwrap();
        let mut out = Outputs::new();
        out.file(&a, b"new").unwrap();
        assert!(out.file(&dir.path().join("no/plot.svg"), b"x").is_err());
        drop(out);
        assert_eq!(std::fs::read(&a).unwrap(), b"old");
        assert_eq!(names(dir.path()), ["flows.csv"]);
    }

    #[test]
    fn a_folder_is_built_beside_and_replaces_only_our_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("bundle");
        let mut out = Outputs::new();
        let tmp = out.dir(&target, &["nodes.csv"]).unwrap();
        std::fs::write(tmp.join("nodes.csv"), "1").unwrap();
        assert!(!target.exists(), "nothing in place before the commit");
        out.commit().unwrap();
        assert_eq!(names(&target), ["nodes.csv"]);
        // Again over it: replaced whole.
        let mut out = Outputs::new();
        let tmp = out.dir(&target, &["nodes.csv"]).unwrap();
        std::fs::write(tmp.join("nodes.csv"), "2").unwrap();
        out.commit().unwrap();
        assert_eq!(std::fs::read(target.join("nodes.csv")).unwrap(), b"2");
        assert_eq!(names(dir.path()), ["bundle"]);
        // A folder with someone else's file is not replaced.
        std::fs::write(target.join("notes.txt"), "mine").unwrap();
        let e = Outputs::new().dir(&target, &["nodes.csv"]).unwrap_err();
        assert!(e.to_string().contains("notes.txt"), "{e}");
    }

    #[test]
    fn leftovers_of_dead_runs_are_cleaned_by_the_next_run() {
        let dir = tempfile::tempdir().unwrap();
        // No process has a pid this high on Linux (pid_max <= 2^22).
        let dead = 4_000_000_000u32;
        for name in [
            format!(".out.csv{TMP_MARK}{dead}-0"),
            format!(".big.csv{LEGACY_MARK}{dead}"),
        ] {
            std::fs::write(dir.path().join(name), "partial").unwrap();
        }
        std::fs::create_dir(dir.path().join(format!(".b{TMP_MARK}{dead}-1"))).unwrap();
        let mine = format!(".keep{TMP_MARK}{}-0", std::process::id());
        std::fs::write(dir.path().join(&mine), "in use").unwrap();
        std::fs::write(dir.path().join(".hidden-file"), "not ours").unwrap();
        write_atomic(&dir.path().join("out.csv"), b"x").unwrap();
        if alive(1).is_some() {
            assert_eq!(names(dir.path()), [".hidden-file", &mine, "out.csv"]);
        }
    }
}

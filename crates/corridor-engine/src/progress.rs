//! How far a long question (criticality, sweep, invest) has got, and a
//! way to stop it: one handle the asker keeps (a server's job, a progress
//! bar) while the engine's worker threads count their units of work on
//! it. A unit is an element closed, a sweep row, a set of projects
//! evaluated; each costs one relaxed atomic add, nothing beside the
//! capacity solve it stands for.
//!
//! Cancelling is cooperative: units already running finish, units not yet
//! started are skipped, and the question returns [`Error::Cancelled`]
//! instead of a partial answer.

use crate::{Error, Result};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// A shared counter of units done out of units in all, with a cancel
/// flag. Clones are the same handle; `default()` is a new one that no one
/// watches.
#[derive(Clone, Debug, Default)]
pub struct Progress(Arc<Counters>);

#[derive(Debug)]
struct Counters {
    done: AtomicUsize,
    /// `UNKNOWN` until the question knows how many units it has.
    total: AtomicUsize,
    cancelled: AtomicBool,
}

const UNKNOWN: usize = usize::MAX;

impl Default for Counters {
    fn default() -> Self {
        Self {
            done: AtomicUsize::new(0),
            total: AtomicUsize::new(UNKNOWN),
            cancelled: AtomicBool::new(false),
        }
    }
}

/// Two handles are equal when they are the same handle.
impl PartialEq for Progress {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Progress {
    /// Units done, and units in all when the question knows (invest's
    /// search does not know how many sets it will evaluate).
    pub fn done(&self) -> (usize, Option<usize>) {
        let total = self.0.total.load(Ordering::Relaxed);
        (
            self.0.done.load(Ordering::Relaxed),
            (total != UNKNOWN).then_some(total),
        )
    }

    /// Asks the question to stop (see the module doc).
    pub fn cancel(&self) {
        self.0.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.load(Ordering::Relaxed)
    }

    pub(crate) fn set_total(&self, total: usize) {
        self.0.total.store(total, Ordering::Relaxed);
    }

    /// One unit done.
    pub(crate) fn step(&self) {
        self.0.done.fetch_add(1, Ordering::Relaxed);
    }

    /// `Err(Cancelled)` once cancelled: called before each unit starts.
    pub(crate) fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_shared_by_clones_and_cancel_stops_the_next_unit() {
        let p = Progress::default();
        assert_eq!(p.done(), (0, None));
        let worker = p.clone();
        worker.set_total(3);
        worker.step();
        assert_eq!(p.done(), (1, Some(3)));
        assert!(worker.check().is_ok());
        p.cancel();
        assert!(matches!(worker.check(), Err(Error::Cancelled)));
        assert_eq!(p, worker);
        assert_ne!(p, Progress::default());
    }
}

//! Runs a computation on the number of threads a query asks for: one rule
//! for every command that fans out over rayon (assign, sweep, invest,
//! criticality), so `--threads N` means the same everywhere.

use crate::{Error, Result};

/// Runs `run` on a rayon pool of `threads` threads, or on the current pool
/// when `threads` is `None`. When the caller already is a worker of a pool
/// of that size (the CLI makes the calling thread rayon's whole global pool
/// for `--threads 1`), it runs in place: no thread is started, and the
/// allocator keeps serving from its main arena.
pub fn on_threads<R: Send>(threads: Option<usize>, run: impl FnOnce() -> R + Send) -> Result<R> {
    match threads {
        Some(t) if rayon::current_thread_index().is_some() && rayon::current_num_threads() == t => {
            Ok(run())
        }
        Some(t) => Ok(rayon::ThreadPoolBuilder::new()
            .num_threads(t.max(1))
            .build()
            .map_err(|e| Error::InvalidRequest(format!("cannot start {t} threads: {e}")))?
            .install(run)),
        None => Ok(run()),
    }
}

#[cfg(test)]
mod tests {
    use super::on_threads;

    /// A pool of the asked size is reused in place; any other size gets a
    /// pool of its own, so the work sees the number of threads asked for.
    #[test]
    fn reuses_a_pool_of_the_asked_size_only() {
        let pool = |n: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .unwrap()
        };
        let seen = |asked: usize, pool_size: usize| {
            pool(pool_size).install(|| {
                let outer = std::thread::current().id();
                on_threads(Some(asked), || {
                    (
                        std::thread::current().id() == outer,
                        rayon::current_num_threads(),
                    )
                })
                .unwrap()
            })
        };
        assert_eq!(seen(1, 1), (true, 1));
        let (same_thread, n) = seen(1, 2);
        assert!(!same_thread);
        assert_eq!(n, 1);
        assert_eq!(seen(3, 2).1, 3);
        assert_eq!(
            on_threads(None, rayon::current_num_threads).unwrap(),
            rayon::current_num_threads()
        );
    }
}

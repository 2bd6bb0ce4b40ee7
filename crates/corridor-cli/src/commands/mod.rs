//! One module per `corridor` subcommand.

pub mod assign;
pub mod build;
pub mod capacity;
pub mod check;
pub mod compare;
pub mod criticality;
pub mod export;
pub mod import;
pub mod import_tntp;
pub mod info;
pub mod invest;
pub mod merge;
pub mod optimise;
pub mod route;
pub mod serve;
pub mod skim;
pub mod sweep;

/// With `--threads 1` (assign, sweep, invest, criticality), makes this (the
/// main) thread rayon's whole global pool, so the reading, the lowering and
/// the computation all run here: no worker thread is started, and the
/// allocator serves everything from its main arena instead of growing a
/// second one page by page (144 `mprotect` calls on Anaheim). Fails
/// harmlessly when a pool already exists.
pub fn one_thread_here(threads: Option<usize>) {
    if threads == Some(1) {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .use_current_thread()
            .build_global();
    }
}

//! Progress on the terminal, and ctrl-c for the long questions. Every
//! spinner and bar of the binary is made here and drawn on stderr only
//! when stderr is a terminal, so piped output (and the tests, which pipe)
//! sees nothing of them.
//!
//! `import` and `assign` call back with what they have done ([`spinner`]).
//! `criticality`, `sweep` and `invest` count their units on the engine's
//! [`Progress`] instead ([`counted`]): a thread watches the counters ten
//! times a second and draws a bar (units done of all, or a count when the
//! total is unknown, as in invest's search), so the engine knows nothing of
//! terminals. The same thread turns ctrl-c into the engine's cancel: units
//! already running finish, the question returns no partial answer, and
//! the command exits 130 saying so. A second ctrl-c kills at once.

use anyhow::Result;
use corridor_engine::Progress;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// A spinner with `template` (indicatif's keys: `{spinner}`, `{elapsed}`,
/// `{msg}`, `{pos}`), or `None` when stderr is not a terminal.
pub fn spinner(template: &'static str) -> Option<ProgressBar> {
    std::io::stderr().is_terminal().then(|| {
        let b = ProgressBar::new_spinner();
        b.set_style(ProgressStyle::with_template(template).expect("static template"));
        b
    })
}

/// The command was stopped by ctrl-c (`main` exits 130 for it); holds
/// the question's name.
#[derive(Debug)]
pub struct Interrupted(pub &'static str);

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "interrupted (ctrl-c): the {} stopped once the work already running had finished, and gives no partial answer",
            self.0
        )
    }
}

impl std::error::Error for Interrupted {}

/// How often the watcher reads the counters and the ctrl-c flag.
const POLL: Duration = Duration::from_millis(100);

/// Asks `question` (a long question, `what` in messages: "criticality")
/// with a fresh [`Progress`], drawing a bar of its `unit`s ("elements
/// closed") on a terminal and cancelling it on ctrl-c.
pub fn counted<T>(
    what: &'static str,
    unit: &'static str,
    question: impl FnOnce(&Progress) -> corridor_engine::Result<T>,
) -> Result<T> {
    let bar = std::io::stderr().is_terminal().then(|| ProgressBar::new(0));
    counted_on(bar, what, unit, question)
}

/// [`counted`] drawing on `bar` (`None`: nothing drawn); the bar is
/// given so that tests can watch a hidden one.
fn counted_on<T>(
    bar: Option<ProgressBar>,
    what: &'static str,
    unit: &'static str,
    question: impl FnOnce(&Progress) -> corridor_engine::Result<T>,
) -> Result<T> {
    let progress = Progress::default();
    let _ctrl_c = interrupt::Watch::start();
    let finished = std::sync::atomic::AtomicBool::new(false);
    let result = std::thread::scope(|s| {
        let watcher = s.spawn(|| {
            let mut shown = None;
            loop {
                if interrupt::happened() && !progress.is_cancelled() {
                    progress.cancel();
                    if let Some(b) = &bar {
                        b.set_message("cancelling (ctrl-c again: kill)");
                    }
                }
                if let Some(b) = &bar {
                    draw(b, progress.done(), unit, &mut shown);
                }
                if finished.load(std::sync::atomic::Ordering::Acquire) {
                    break;
                }
                std::thread::park_timeout(POLL);
            }
        });
        let result = question(&progress);
        finished.store(true, std::sync::atomic::Ordering::Release);
        watcher.thread().unpark();
        result
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    match result {
        Err(corridor_engine::Error::Cancelled) if interrupt::happened() => {
            Err(Interrupted(what).into())
        }
        r => Ok(r?),
    }
}

/// Shows `done` of `total` on `bar`: a bar once the total is known, a
/// count until then; `shown` remembers which style is set.
fn draw(
    bar: &ProgressBar,
    (done, total): (usize, Option<usize>),
    unit: &str,
    shown: &mut Option<bool>,
) {
    let known = total.is_some();
    if *shown != Some(known) {
        let template = if known {
            format!("{{elapsed:>4}} [{{bar:30}}] {{pos}}/{{len}} {unit}, {{eta}} left {{msg}}")
        } else {
            format!("{{spinner}} {{elapsed:>4}} {{pos}} {unit} {{msg}}")
        };
        let style = ProgressStyle::with_template(&template)
            .expect("the templates above are valid")
            .progress_chars("=> ");
        bar.set_style(style);
        *shown = Some(known);
    }
    bar.set_position(done as u64);
    match total {
        Some(total) => bar.set_length(total as u64),
        // The spinner turns only on ticks.
        None => bar.tick(),
    }
}

/// Ctrl-c as a flag: a SIGINT handler, set while a long question runs,
/// that only stores `true` (all a handler may safely do) and then gives
/// SIGINT back its default, so a second ctrl-c ends the process at once.
/// One `sigaction` rather than signal-hook or ctrlc: neither gives back
/// the previous disposition when its handler is removed (signal-hook's
/// `unregister` leaves SIGINT ignored), and this handler must only live
/// while the question runs.
#[cfg(unix)]
mod interrupt {
    use std::sync::atomic::{AtomicBool, Ordering};

    static HAPPENED: AtomicBool = AtomicBool::new(false);

    extern "C" fn on_sigint(_: libc::c_int) {
        HAPPENED.store(true, Ordering::Relaxed);
    }

    pub fn happened() -> bool {
        HAPPENED.load(Ordering::Relaxed)
    }

    /// The handler, from `start` until dropped (then SIGINT's previous
    /// disposition again).
    pub struct Watch {
        previous: Option<libc::sigaction>,
    }

    impl Watch {
        pub fn start() -> Self {
            HAPPENED.store(false, Ordering::Relaxed);
            // SAFETY: a zeroed `sigaction` is a valid value to fill in;
            // the handler only touches an atomic; SA_RESETHAND restores
            // the default after the first signal.
            let previous = unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_sigint as extern "C" fn(libc::c_int) as usize;
                action.sa_flags = libc::SA_RESETHAND;
                libc::sigemptyset(&mut action.sa_mask);
                let mut previous: libc::sigaction = std::mem::zeroed();
                (libc::sigaction(libc::SIGINT, &action, &mut previous) == 0).then_some(previous)
            };
            Self { previous }
        }
    }

    impl Drop for Watch {
        fn drop(&mut self) {
            if let Some(previous) = &self.previous {
                // SAFETY: puts back the disposition `start` read.
                unsafe {
                    libc::sigaction(libc::SIGINT, previous, std::ptr::null_mut());
                }
            }
        }
    }
}

/// Elsewhere ctrl-c keeps its default (the process ends).
#[cfg(not(unix))]
mod interrupt {
    pub fn happened() -> bool {
        false
    }

    pub struct Watch;

    impl Watch {
        pub fn start() -> Self {
            Watch
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// The bar shows the counters: a count while the total is unknown,
    /// then a bar of it.
    #[test]
    fn the_bar_shows_done_of_total() {
        let bar = ProgressBar::hidden();
        let mut shown = None;
        draw(&bar, (4, None), "sets", &mut shown);
        assert_eq!(
            (bar.position(), bar.length(), shown),
            (4, None, Some(false))
        );
        draw(&bar, (3, Some(10)), "rows", &mut shown);
        assert_eq!(
            (bar.position(), bar.length(), shown),
            (3, Some(10), Some(true))
        );
    }

    /// Ctrl-c (a real SIGINT to this process) reaches the question as a
    /// cancel and comes back as `Interrupted`, not as the engine's plain
    /// `Cancelled`. The only test that sets the SIGINT handler: two at
    /// once would undo each other's.
    #[test]
    fn ctrl_c_cancels() {
        let bar = ProgressBar::hidden();
        let answer = counted_on(Some(bar.clone()), "test", "units", |_| Ok(7)).unwrap();
        assert_eq!(answer, 7);
        assert!(bar.is_finished());

        let e = counted_on(
            None,
            "criticality",
            "elements closed",
            |p| -> corridor_engine::Result<()> {
                // SAFETY: raise only sends SIGINT to this process, whose
                // handler `counted_on` has set.
                assert_eq!(unsafe { libc::raise(libc::SIGINT) }, 0);
                let deadline = std::time::Instant::now() + Duration::from_secs(10);
                while !p.is_cancelled() {
                    assert!(std::time::Instant::now() < deadline, "never cancelled");
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(corridor_engine::Error::Cancelled)
            },
        )
        .unwrap_err();
        assert!(e.is::<Interrupted>(), "{e:#}");
        assert!(
            e.to_string()
                .starts_with("interrupted (ctrl-c): the criticality stopped")
        );

        // Cancelled without ctrl-c stays the engine's error.
        let e = counted_on(None, "sweep", "rows", |_| -> corridor_engine::Result<()> {
            Err(corridor_engine::Error::Cancelled)
        })
        .unwrap_err();
        assert!(!e.is::<Interrupted>(), "{e:#}");
    }
}

//! What the build tells the user besides the network: warnings about
//! tagging and counts of what each phase left out, by reason. Every phase
//! writes to the one log, so the summary lists every reason once whatever
//! phase found it.

use corridor_model::Diagnostic;
use std::collections::BTreeMap;

pub(super) struct Log {
    pub(super) diagnostics: Vec<Diagnostic>,
    /// Ways and features left out, by reason (starts with the reader's).
    pub(super) skipped: BTreeMap<String, usize>,
    /// Rail ways without a readable `gauge` tag, by the gauge they took.
    pub(super) untagged_gauge: BTreeMap<u16, usize>,
}

impl Log {
    pub(super) fn new(skipped: BTreeMap<String, usize>) -> Self {
        Self {
            diagnostics: Vec::new(),
            skipped,
            untagged_gauge: BTreeMap::new(),
        }
    }

    /// Counts `n` things left out for `reason`; nothing for zero, so a
    /// reason that never happened does not show in the summary.
    pub(super) fn skip(&mut self, reason: &str, n: usize) {
        if n > 0 {
            *self.skipped.entry(reason.to_string()).or_default() += n;
        }
    }
}

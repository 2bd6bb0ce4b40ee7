//! Validating an edited network like a loaded one, and naming the edit
//! behind each error it has: a terminal left claiming a layer whose links
//! an edit removed is reported at that edit's file, line and number, not
//! as a bare network error the user must trace back.
//!
//! Attribution replays the edits from the base, validating after each, and
//! blames an error on the edit after which it appeared and stayed. That
//! costs one validation per edit, so it runs only when the finished network
//! has errors; a valid edit costs one validation, as before.

use super::apply::apply_edit;
use super::{EditPlace, EditedError, Scenario};
use crate::diagnostic::Diagnostic;
use crate::network::Network;
use crate::{Error, Result};

/// `edited` when it has no error; else every error, each at its edit.
pub(super) fn validated(
    base: &Network,
    scenarios: &[Scenario],
    edited: Network,
) -> Result<Network> {
    let errors = errors_of(&edited);
    if errors.is_empty() {
        return Ok(edited);
    }
    Err(Error::EditedNetwork(blame(base, scenarios, errors)))
}

fn errors_of(net: &Network) -> Vec<Diagnostic> {
    net.validate()
        .into_iter()
        .filter(|d| d.is_error())
        .collect()
}

/// Where an error of the finished network started, as the edits replay.
#[derive(Clone)]
enum Since {
    /// Not present at this point of the replay.
    Absent,
    /// Present in the base already.
    Base,
    Edit(EditPlace),
}

fn blame(base: &Network, scenarios: &[Scenario], errors: Vec<Diagnostic>) -> Vec<EditedError> {
    let before = errors_of(base);
    let mut since: Vec<Since> = errors
        .iter()
        .map(|d| {
            if before.contains(d) {
                Since::Base
            } else {
                Since::Absent
            }
        })
        .collect();
    let mut net = base.clone();
    for s in scenarios {
        for (i, e) in s.edits.iter().enumerate() {
            // Every edit applied once already, so it applies again; one
            // that did not would leave nothing new to blame on it.
            if apply_edit(&mut net, &e.edit).is_err() {
                continue;
            }
            let now = errors_of(&net);
            for (d, from) in errors.iter().zip(since.iter_mut()) {
                if !now.contains(d) {
                    *from = Since::Absent;
                } else if matches!(from, Since::Absent) {
                    *from = Since::Edit(s.place(i, None));
                }
            }
        }
    }
    errors
        .into_iter()
        .zip(since)
        .map(|(diagnostic, from)| EditedError {
            place: match from {
                Since::Edit(place) => Some(place),
                Since::Base | Since::Absent => None,
            },
            diagnostic,
        })
        .collect()
}

//! `criticality` in users' words: places resolved to node ids, the kinds
//! of element by the words the CLI takes (`links`, `terminals`, ...),
//! threads and part checked, then [`crate::criticality()`]. And
//! [`merge_criticality`], which puts the parts of one question (asked of
//! several workers, e.g. Ray tasks) back into the report one worker would
//! have given.

use super::flows::resolved;
use crate::criticality::CriticalityConfig;
use crate::{Error, Progress, Result};
use corridor_model::results::{CriticalElement, CriticalityReport};
use corridor_model::scenario::ElementKind;
use corridor_model::{CapacityQuery, CriticalityQuery, Network, Part};

/// The words `elements` takes, for help texts.
pub const ELEMENT_KINDS: &str = "links, terminals, borders, nodes";

/// The kinds `words` name (plural or singular, any case); every kind when
/// empty.
pub fn element_kinds(words: &[String]) -> Result<Vec<ElementKind>> {
    if words.iter().all(|w| w.trim().is_empty()) {
        return Ok(vec![
            ElementKind::Link,
            ElementKind::Terminal,
            ElementKind::Border,
            ElementKind::Node,
        ]);
    }
    let mut out = Vec::new();
    for w in words.iter().filter(|w| !w.trim().is_empty()) {
        let t = w.trim();
        let k = ElementKind::parse(t.strip_suffix('s').unwrap_or(t)).ok_or_else(|| {
            Error::InvalidQuery {
                field: "elements".into(),
                message: format!("unknown kind of element \"{t}\" (expected {ELEMENT_KINDS})"),
            }
        })?;
        if !out.contains(&k) {
            out.push(k);
        }
    }
    Ok(out)
}

/// Refuses a thread count out of range (as `assign` does).
pub(super) fn check_threads(threads: Option<usize>) -> Result<()> {
    if let Some(t) = threads
        && !(1..=crate::assign::MAX_THREADS).contains(&t)
    {
        return Err(Error::InvalidQuery {
            field: "threads".into(),
            message: format!(
                "--threads {t} must be between 1 and {}",
                crate::assign::MAX_THREADS
            ),
        });
    }
    Ok(())
}

/// Refuses a part that cannot exist.
pub(super) fn check_part(part: Option<Part>) -> Result<()> {
    if let Some(p) = part
        && (p.of == 0 || p.index >= p.of)
    {
        return Err(Error::InvalidQuery {
            field: "part".into(),
            message: format!(
                "part {} of {} does not exist (parts are numbered 0 to of - 1, of at least 1)",
                p.index, p.of
            ),
        });
    }
    Ok(())
}

/// Refuses what [`criticality`] would refuse before closing anything
/// (threads, part, kinds of element, places on `net`), so a face that
/// answers later (a server's job) can refuse the query at once.
pub fn check_criticality(net: &Network, query: &CriticalityQuery) -> Result<()> {
    plan(net, query).map(|_| ())
}

/// Closes each element of the asked kinds in turn on `net` (the network
/// with the query's scenarios already applied, see
/// [`super::with_scenarios`]) and ranks them, most critical first;
/// `progress` counts the elements closed and can cancel.
pub fn criticality(
    net: &Network,
    query: &CriticalityQuery,
    progress: &Progress,
) -> Result<CriticalityReport> {
    let (config, q) = plan(net, query)?;
    let config = CriticalityConfig {
        progress: progress.clone(),
        ..config
    };
    let mut report = crate::criticality(net, &q, &config)?;
    report.scenarios = query.scenarios.clone();
    Ok(report)
}

/// The engine's configuration and the capacity question with places as
/// node ids.
fn plan(net: &Network, query: &CriticalityQuery) -> Result<(CriticalityConfig, CapacityQuery)> {
    check_threads(query.threads)?;
    check_part(query.part)?;
    let config = CriticalityConfig {
        kinds: element_kinds(&query.elements)?,
        threads: query.threads,
        part: query.part,
        ..CriticalityConfig::default()
    };
    let q = resolved(net, &query.capacity())?;
    // What the solve would refuse first, refused before it starts.
    super::place::resolve_commodity(net, q.commodity.as_deref())?;
    Ok((config, q))
}

/// The whole report from the reports of every part of one question (in
/// any order): the same bytes as asking without parts. Refuses parts of
/// different questions, a part twice, or a missing part.
pub fn merge_criticality(parts: Vec<CriticalityReport>) -> Result<CriticalityReport> {
    let refuse = |m: String| Error::InvalidRequest(format!("cannot merge criticality parts: {m}"));
    let Some(first) = parts.first() else {
        return Err(refuse("no parts".into()));
    };
    let of = first.part.map_or(1, |p| p.of);
    let mut seen = vec![false; of];
    let shell = |r: &CriticalityReport| CriticalityReport {
        elements: Vec::new(),
        part: None,
        ..r.clone()
    };
    let expected = shell(first);
    let mut elements: Vec<CriticalElement> = Vec::new();
    for r in &parts {
        let index = match (r.part, first.part) {
            (Some(p), Some(_)) if p.of == of && p.index < of => p.index,
            (None, None) => 0,
            _ => return Err(refuse("the parts split the elements differently".into())),
        };
        if std::mem::replace(&mut seen[index], true) {
            return Err(refuse(format!("part {index} is given twice")));
        }
        if shell(r) != expected {
            return Err(refuse(format!("part {index} answers another question")));
        }
        elements.extend(r.elements.iter().cloned());
    }
    if let Some(missing) = seen.iter().position(|s| !s) {
        return Err(refuse(format!("part {missing} of {of} is missing")));
    }
    elements.sort_by(CriticalElement::rank);
    Ok(CriticalityReport {
        elements,
        ..expected
    })
}

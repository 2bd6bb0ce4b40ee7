//! The projects file of `corridor invest`: candidate investments, each a
//! scenario file with a cost.
//!
//! ```toml
//! unit = "million EUR"              # optional: what costs are counted in
//!
//! [[projects]]
//! name = "odesa-berths"
//! scenario = "projects/odesa.toml"  # relative to this file's folder
//! cost = 120
//! note = "Reopen the grain berths"  # optional
//! ```
//!
//! Every problem is an error at its line (unknown keys included: a typo
//! must not silently drop a project's cost). It reads no scenario file:
//! the caller reads each with [`crate::read_scenario`].

use crate::{Error, Result};
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};

/// A projects file as read.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectsFile {
    /// What costs are counted in (`unit = ...`), if the file says.
    pub cost_unit: Option<String>,
    pub projects: Vec<ProjectFileEntry>,
}

/// One `[[projects]]` table.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectFileEntry {
    pub name: String,
    /// The scenario file, joined to the projects file's folder when
    /// written relative.
    pub scenario: PathBuf,
    pub cost: f64,
    pub note: Option<String>,
    /// The line of the `[[projects]]` header.
    pub line: u64,
}

/// Reads a projects file.
pub fn read_projects(path: &Path) -> Result<ProjectsFile> {
    let text = crate::error::read_utf8(path)?;
    let dir = path.parent().unwrap_or(Path::new(""));
    parse_projects(&text, &path.display().to_string(), dir)
}

/// Parses projects text; `file` is how errors name it, `dir` the folder
/// relative scenario paths start from.
pub fn parse_projects(text: &str, file: &str, dir: &Path) -> Result<ProjectsFile> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| starts.partition_point(|&s| s <= offset) as u64;
    let err = |line: u64, message: String| Error::Projects {
        file: file.to_string(),
        line,
        message,
    };
    let doc = DeTable::parse(text).map_err(|e| Error::Syntax {
        file: file.to_string(),
        line: e.span().map_or(1, |s| line_of(s.start)),
        message: e.message().trim().to_string(),
    })?;
    let mut out = ProjectsFile {
        cost_unit: None,
        projects: Vec::new(),
    };
    for (key, value) in doc.get_ref().iter() {
        let line = line_of(key.span().start);
        match (key.get_ref().as_ref(), value.get_ref()) {
            ("unit", DeValue::String(s)) => out.cost_unit = Some(s.to_string()),
            ("projects", DeValue::Array(items)) => {
                for item in items.iter() {
                    let at = line_of(item.span().start);
                    let DeValue::Table(t) = item.get_ref() else {
                        return Err(err(at, "a project must be a [[projects]] table".into()));
                    };
                    let p = project(t, at, dir, &line_of).map_err(|(l, m)| err(l, m))?;
                    if out.projects.iter().any(|q| q.name == p.name) {
                        return Err(err(at, format!("a second project named \"{}\"", p.name)));
                    }
                    out.projects.push(p);
                }
            }
            (other, _) => {
                return Err(err(
                    line,
                    format!(
                        "unknown key \"{other}\" (expected unit = \"...\" and [[projects]] tables)"
                    ),
                ));
            }
        }
    }
    if out.projects.is_empty() {
        return Err(err(1, "no [[projects]]".into()));
    }
    Ok(out)
}

/// One project's keys; errors carry the line of the key at fault.
fn project(
    t: &DeTable<'_>,
    at: u64,
    dir: &Path,
    line_of: &impl Fn(usize) -> u64,
) -> std::result::Result<ProjectFileEntry, (u64, String)> {
    let (mut name, mut scenario, mut cost, mut note) = (None, None, None, None);
    for (k, v) in t.iter() {
        let l = line_of(k.span().start);
        match (k.get_ref().as_ref(), v.get_ref()) {
            ("name", DeValue::String(s)) => name = Some(s.to_string()),
            ("scenario", DeValue::String(s)) => scenario = Some(dir.join(s.as_ref())),
            ("note", DeValue::String(s)) => note = Some(s.to_string()),
            ("cost", DeValue::Integer(i)) => cost = i.as_str().replace('_', "").parse::<f64>().ok(),
            ("cost", DeValue::Float(f)) => cost = f.as_str().replace('_', "").parse::<f64>().ok(),
            (key @ ("name" | "scenario" | "note"), _) => {
                return Err((l, format!("{key} must be text")));
            }
            ("cost", _) => return Err((l, "cost must be a number".into())),
            (other, _) => {
                return Err((
                    l,
                    format!("unknown key \"{other}\" (a project has name, scenario, cost, note)"),
                ));
            }
        }
        if let Some(c) = cost
            && !(c.is_finite() && c >= 0.0)
        {
            return Err((l, format!("cost {c} must be a non-negative number")));
        }
    }
    let missing = |key: &str| (at, format!("the project lacks {key}"));
    Ok(ProjectFileEntry {
        name: name.ok_or_else(|| missing("name"))?,
        scenario: scenario.ok_or_else(|| missing("scenario (a scenario file)"))?,
        cost: cost.ok_or_else(|| missing("cost"))?,
        note,
        line: at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ProjectsFile> {
        parse_projects(text, "p.toml", Path::new("ex"))
    }

    #[test]
    fn projects_read_with_paths_beside_the_file() {
        let p = parse(
            "unit = \"million EUR\"\n\n[[projects]]\nname = \"a\"\nscenario = \"s/a.toml\"\ncost = 12.5\nnote = \"n\"\n\n[[projects]]\nname = \"b\"\nscenario = \"b.toml\"\ncost = 3\n",
        )
        .unwrap();
        assert_eq!(p.cost_unit.as_deref(), Some("million EUR"));
        assert_eq!(p.projects.len(), 2);
        assert_eq!(p.projects[0].scenario, Path::new("ex/s/a.toml"));
        assert_eq!((p.projects[0].cost, p.projects[1].cost), (12.5, 3.0));
        assert_eq!(p.projects[1].line, 9);
        assert_eq!(p.projects[1].note, None);
    }

    #[test]
    fn every_problem_names_its_line() {
        let e = |t: &str| parse(t).unwrap_err().to_string();
        assert_eq!(
            e("[[projects]]\nname = \"a\"\nscenario = \"a.toml\"\ncots = 3\n"),
            "p.toml:4: unknown key \"cots\" (a project has name, scenario, cost, note)"
        );
        assert_eq!(
            e("[[projects]]\nname = \"a\"\nscenario = \"a.toml\"\ncost = -1\n"),
            "p.toml:4: cost -1 must be a non-negative number"
        );
        assert_eq!(
            e("[[projects]]\nname = \"a\"\ncost = 1\n"),
            "p.toml:1: the project lacks scenario (a scenario file)"
        );
        assert_eq!(
            e("[[projects]]\nname = \"a\"\nscenario = \"a.toml\"\ncost = \"1\"\n"),
            "p.toml:4: cost must be a number"
        );
        assert_eq!(
            e(
                "[[projects]]\nname = \"a\"\nscenario = \"a.toml\"\ncost = 1\n[[projects]]\nname = \"a\"\nscenario = \"b.toml\"\ncost = 2\n"
            ),
            "p.toml:5: a second project named \"a\""
        );
        assert_eq!(e("unit = \"EUR\"\n"), "p.toml:1: no [[projects]]");
        assert_eq!(
            e("budget = 3\n"),
            "p.toml:1: unknown key \"budget\" (expected unit = \"...\" and [[projects]] tables)"
        );
    }
}

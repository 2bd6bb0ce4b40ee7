//! TOML text to format-neutral records: the parse of a whole document or
//! of a piece of one (`toml_pieces`), keeping toml's spans so that every
//! record and field knows its line in the file. What each key means lives
//! in `build.rs`.

use crate::build::Sources;
use crate::record::{Field, Raw, Record};
use crate::{Error, Result};
use corridor_model::{Diagnostic, SourceRef};
use std::collections::BTreeMap;
use toml::de::{DeTable, DeValue};

/// Byte offset (in a piece of text) to 1-based line (in the file).
pub(crate) struct Lines {
    starts: Vec<usize>,
    /// Lines of the file above the piece.
    above: u64,
}

impl Lines {
    pub(crate) fn below(text: &str, above: u64) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts, above }
    }
    fn line(&self, offset: usize) -> u64 {
        self.above + self.starts.partition_point(|&s| s <= offset) as u64
    }
}

pub(crate) const HEADER_TABLES: [&str; 3] = ["network", "defaults", "vehicles"];
pub(crate) const RECORD_ARRAYS: [&str; 5] =
    ["commodities", "nodes", "links", "terminals", "borders"];

/// Parses TOML text into records; only a syntax error is an `Err`.
pub(crate) fn toml_sources(text: &str, file: &str) -> Result<Sources> {
    let file: std::sync::Arc<str> = file.into();
    let lines = Lines::below(text, 0);
    let doc = parse(text, &file, &lines)?;
    let mut src = Sources::default();
    add_document(doc.get_ref(), &lines, &file, &mut src);
    Ok(src)
}

/// TOML text (the whole file or a piece of it) as a table, a syntax error
/// located by `lines`.
pub(crate) fn parse<'t>(
    text: &'t str,
    file: &str,
    lines: &Lines,
) -> Result<toml::Spanned<DeTable<'t>>> {
    DeTable::parse(text).map_err(|e| Error::Syntax {
        file: file.to_string(),
        line: e.span().map_or(1, |s| lines.line(s.start)),
        message: e.message().trim().to_string(),
    })
}

/// Records of a parsed document (or piece) into `src`: its header tables
/// as one header record (line 1), each array of tables as records, each
/// other top-level key a diagnostic.
pub(crate) fn add_document(
    doc: &DeTable<'_>,
    lines: &Lines,
    file: &std::sync::Arc<str>,
    src: &mut Sources,
) {
    let mut header = Record {
        file: file.clone(),
        line: 1,
        fields: BTreeMap::new(),
    };
    for (key, value) in doc.iter() {
        let name = key.get_ref().as_ref();
        let line = lines.line(key.span().start);
        let at = Some(SourceRef {
            file: file.clone(),
            line,
        });
        if HEADER_TABLES.contains(&name) {
            match value.get_ref() {
                DeValue::Table(t) => flatten(name, t, lines, &mut header.fields),
                _ => src.diagnostics.push(
                    Diagnostic::error("network", Some(name), format!("[{name}] must be a table"))
                        .at(at),
                ),
            }
        } else if RECORD_ARRAYS.contains(&name) {
            let DeValue::Array(items) = value.get_ref() else {
                src.diagnostics.push(
                    Diagnostic::error(
                        "network",
                        Some(name),
                        format!("expected an array of tables, written [[{name}]]"),
                    )
                    .at(at),
                );
                continue;
            };
            for item in items.iter() {
                let item_line = lines.line(item.span().start);
                let DeValue::Table(t) = item.get_ref() else {
                    src.diagnostics.push(
                        Diagnostic::error("network", Some(name), "expected a table").at(Some(
                            SourceRef {
                                file: file.clone(),
                                line: item_line,
                            },
                        )),
                    );
                    continue;
                };
                let mut rec = Record {
                    file: file.clone(),
                    line: item_line,
                    fields: BTreeMap::new(),
                };
                flatten("", t, lines, &mut rec.fields);
                let list = match name {
                    "commodities" => &mut src.commodities,
                    "nodes" => &mut src.nodes,
                    "links" => &mut src.links,
                    "terminals" => &mut src.terminals,
                    _ => &mut src.borders,
                };
                list.push(rec);
            }
        } else {
            src.diagnostics.push(
                Diagnostic::warning(
                    "network",
                    Some(name),
                    format!(
                        "unknown section (ignored; expected one of {}, {})",
                        HEADER_TABLES.join(", "),
                        RECORD_ARRAYS.join(", ")
                    ),
                )
                .at(at),
            );
        }
    }
    src.header.push(header);
}

fn flatten(
    prefix: &str,
    table: &DeTable<'_>,
    lines: &Lines,
    out: &mut BTreeMap<std::sync::Arc<str>, Field>,
) {
    for (k, v) in table.iter() {
        let key = if prefix.is_empty() {
            k.get_ref().to_string()
        } else {
            format!("{prefix}.{}", k.get_ref())
        };
        match v.get_ref() {
            DeValue::Table(t) => flatten(&key, t, lines, out),
            other => {
                out.insert(
                    key.into(),
                    Field {
                        value: raw(other),
                        line: lines.line(k.span().start),
                    },
                );
            }
        }
    }
}

pub(crate) fn raw(v: &DeValue<'_>) -> Raw {
    match v {
        DeValue::String(s) => Raw::Str(s.to_string()),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            match i64::from_str_radix(&digits, i.radix()) {
                Ok(x) => Raw::Num(x as f64),
                Err(_) => Raw::Str(i.as_str().to_string()),
            }
        }
        DeValue::Float(f) => match f.as_str().replace('_', "").parse::<f64>() {
            Ok(x) => Raw::Num(x),
            Err(_) => Raw::Str(f.as_str().to_string()),
        },
        DeValue::Boolean(b) => Raw::Bool(*b),
        DeValue::Datetime(d) => Raw::Str(d.to_string()),
        DeValue::Array(a) => Raw::List(a.iter().map(|x| raw(x.get_ref())).collect()),
        DeValue::Table(_) => Raw::Str("{table}".to_string()),
    }
}

//! The rows of a bundle's CSV files as records: the reader settings, the
//! header's columns, one row copied into a reused record, and CSV syntax
//! errors as located diagnostics. Shared by the row-by-row reader
//! (`network_csv`) and the parallel node and link reader (`rows_parallel`), so
//! both read a file the same way.

use crate::build::Builder;
use crate::record::{Field, Raw, Record};
use corridor_model::{Diagnostic, SourceRef};
use std::sync::Arc;

/// The reader every bundle file is parsed with: commas, cells trimmed,
/// rows of any width (a wrong width is a located diagnostic, not a stop).
/// Records end at `\n` only, the `\r` of a CRLF line end being trimmed
/// with the last cell: with the crate's default terminator the line of
/// every record after the first CRLF was one too low.
pub(crate) fn csv_reader(has_headers: bool) -> csv::ReaderBuilder {
    let mut r = csv::ReaderBuilder::new();
    r.flexible(true)
        .trim(csv::Trim::All)
        .terminator(csv::Terminator::Any(b'\n'))
        .has_headers(has_headers);
    r
}

/// The header's column names, lowercase; a repeated column is an error
/// (a record keeps one value per name, so all but the last would be lost).
pub(crate) fn header_columns(
    raw: &csv::StringRecord,
    file: &Arc<str>,
    b: &mut Builder,
) -> Vec<Arc<str>> {
    let headers: Vec<Arc<str>> = raw
        .iter()
        .map(|h| h.trim().to_ascii_lowercase().into())
        .collect();
    for (j, h) in headers.iter().enumerate() {
        if let Some(first) = headers[..j].iter().position(|g| g == h) {
            b.diagnostic(
                Diagnostic::error(
                    "",
                    None,
                    format!(
                        "column \"{h}\" appears twice in the header (columns {} and {})",
                        first + 1,
                        j + 1
                    ),
                )
                .at(Some(SourceRef {
                    file: file.clone(),
                    line: 1,
                })),
            );
        }
    }
    headers
}

/// A record with one empty field per column, for [`fill_record`].
pub(crate) fn empty_record(file: &Arc<str>, headers: &[Arc<str>]) -> Record {
    Record {
        file: file.clone(),
        line: 0,
        fields: headers
            .iter()
            .map(|h| {
                let empty = Field {
                    value: Raw::Str(String::new()),
                    line: 0,
                };
                (h.clone(), empty)
            })
            .collect(),
    }
}

/// Copies a row's cells into `rec` (a repeated column keeps its last
/// cell); a row of the wrong width is a diagnostic instead.
pub(crate) fn fill_record(
    rec: &mut Record,
    headers: &[Arc<str>],
    row: &csv::StringRecord,
    line: u64,
) -> std::result::Result<(), Diagnostic> {
    if row.len() != headers.len() {
        return Err(Diagnostic::error(
            "",
            None,
            format!(
                "record has {} fields but the header has {} (a stray comma, or a list not separated by ';'?)",
                row.len(),
                headers.len()
            ),
        )
        .at(Some(SourceRef {
            file: rec.file.clone(),
            line,
        })));
    }
    rec.line = line;
    for (h, v) in headers.iter().zip(row.iter()) {
        if let Some(f) = rec.fields.get_mut(h) {
            f.line = line;
            match &mut f.value {
                Raw::Str(s) => {
                    s.clear();
                    s.push_str(v);
                }
                other => *other = Raw::Str(v.to_string()),
            }
        }
    }
    Ok(())
}

/// A CSV syntax error (not I/O) as a diagnostic on its line, moved down by
/// `lines_before` for a reader that started inside the file.
pub(crate) fn csv_diagnostic(file: &Arc<str>, e: &csv::Error, lines_before: u64) -> Diagnostic {
    let line = e.position().map_or(0, |p| p.line()) + lines_before;
    Diagnostic::error("", None, crate::error::csv_message(e.kind())).at(Some(SourceRef {
        file: file.clone(),
        line,
    }))
}

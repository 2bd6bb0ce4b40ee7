//! Reading the small hand-written CSV tables the example and data folders
//! ship (`sources.csv`, `published-split.csv`) without a CSV dependency:
//! fields may be quoted, with `""` for a quote inside quotes.

use std::collections::HashMap;

/// Fields of a CSV line, with `"..."` quoting (`""` inside quotes is `"`).
pub fn fields(line: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// The rows of a CSV file as maps from header to value.
pub fn records(path: &std::path::Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header = fields(lines.next().unwrap());
    lines
        .map(|l| header.iter().cloned().zip(fields(l)).collect())
        .collect()
}

//! What the CLI tests share: masking what differs between runs (timings,
//! temporary paths) before outputs are compared.

use std::path::Path;

/// Replaces the number after each occurrence of `key` (e.g. `"seconds":`)
/// with `0`.
fn mask_number_after(text: &str, key: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(key) {
        out.push_str(&rest[..i + key.len()]);
        rest = &rest[i + key.len()..];
        let ws = rest.len() - rest.trim_start().len();
        out.push_str(&rest[..ws]);
        rest = &rest[ws..];
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
            .unwrap_or(rest.len());
        if n > 0 {
            out.push('0');
        }
        rest = &rest[n..];
    }
    out.push_str(rest);
    out
}

/// Replaces the number before each occurrence of `suffix` (e.g.
/// ` s in total`) with `X`.
fn mask_number_before(text: &str, suffix: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(suffix) {
        let head = &rest[..i];
        let start = head
            .rfind(|c: char| !(c.is_ascii_digit() || c == '.'))
            .map_or(0, |j| j + 1);
        out.push_str(&head[..start]);
        out.push('X');
        out.push_str(suffix);
        rest = &rest[i + suffix.len()..];
    }
    out.push_str(rest);
    out
}

/// `text` with `tmp` as `$TMP` and timings masked.
pub fn mask(text: &str, tmp: &Path) -> String {
    let mut t = text.replace(&tmp.display().to_string(), "$TMP");
    t = mask_number_after(&t, "\"seconds\":");
    for s in [" s in total", " s per iteration"] {
        t = mask_number_before(&t, s);
    }
    t
}

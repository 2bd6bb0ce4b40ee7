//! Format-neutral records: what the TOML and CSV readers hand to the
//! network builder. A record is a bag of named fields, each with the line it
//! came from, so that every diagnostic can name file, line and field no
//! matter which format the user wrote. Typed getters turn a field into a
//! model value or a diagnostic; keys nobody asked for become "unknown key"
//! warnings, which is how typos are caught. This module knows no format
//! syntax and builds no model elements.

use corridor_model::{Diagnostic, Quantity, SourceRef};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A field value before interpretation. CSV cells are always `Str`; TOML
/// keeps its own types so `capacity = 1200` and `capacity = "1200"` agree.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Raw {
    Str(String),
    Num(f64),
    Bool(bool),
    List(Vec<Raw>),
}

impl Raw {
    /// How the value looked in the file, for messages.
    pub(crate) fn shown(&self) -> String {
        match self {
            Raw::Str(s) => format!("\"{s}\""),
            Raw::Num(x) => x.to_string(),
            Raw::Bool(b) => b.to_string(),
            Raw::List(items) => {
                let inner: Vec<String> = items.iter().map(Raw::shown).collect();
                format!("[{}]", inner.join(", "))
            }
        }
    }
}

/// A flag written as text: `true`/`false`, `yes`/`no`, `1`/`0`,
/// `open`/`closed`, any case (compared in place: no copy per cell).
pub(crate) fn parse_flag(s: &str) -> Option<bool> {
    let s = s.trim();
    let any = |words: &[&str]| words.iter().any(|w| s.eq_ignore_ascii_case(w));
    if any(&["true", "yes", "y", "1", "open"]) {
        Some(true)
    } else if any(&["false", "no", "n", "0", "closed"]) {
        Some(false)
    } else {
        None
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Field {
    pub value: Raw,
    pub line: u64,
}

/// One element as written: a TOML table or a CSV row.
#[derive(Clone, Debug, Default)]
pub(crate) struct Record {
    pub file: Arc<str>,
    pub line: u64,
    /// Nested TOML tables are flattened with dots (`dwell.road`). Keys are
    /// shared: every row of a CSV file points at its header's names.
    pub fields: BTreeMap<Arc<str>, Field>,
}

impl Record {
    pub(crate) fn source(&self) -> SourceRef {
        SourceRef {
            file: self.file.clone(),
            line: self.line,
        }
    }
}

/// Reads the fields of one record, collecting diagnostics, and remembers
/// which keys were used so the rest can be reported as unknown.
pub(crate) struct Reader<'a> {
    rec: &'a Record,
    pub subject: String,
    pub diags: &'a mut Vec<Diagnostic>,
    /// Keys of this record that a getter consumed (borrowed from the
    /// record, so looking fields up allocates nothing).
    used: Vec<&'a str>,
    /// Becomes false as soon as a field fails, so builders can tell.
    pub ok: bool,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(rec: &'a Record, subject: String, diags: &'a mut Vec<Diagnostic>) -> Self {
        Self {
            rec,
            subject,
            diags,
            // One allocation: every key is consumed at most once or twice.
            used: Vec::with_capacity(rec.fields.len()),
            ok: true,
        }
    }

    fn at(&self, line: u64) -> Option<SourceRef> {
        Some(SourceRef {
            file: self.rec.file.clone(),
            line,
        })
    }

    /// An error on `key` at the field's line (or the record's when absent).
    pub(crate) fn error(&mut self, key: &str, message: impl Into<String>) {
        let line = self.rec.fields.get(key).map_or(self.rec.line, |f| f.line);
        let d = Diagnostic::error(&self.subject, Some(key), message).at(self.at(line));
        self.diags.push(d);
        self.ok = false;
    }

    pub(crate) fn warning(&mut self, key: &str, message: impl Into<String>) {
        let line = self.rec.fields.get(key).map_or(self.rec.line, |f| f.line);
        let d = Diagnostic::warning(&self.subject, Some(key), message).at(self.at(line));
        self.diags.push(d);
    }

    /// The first present key among `keys` (aliases), marking all as used.
    fn field(&mut self, keys: &[&str]) -> Option<(&'a str, &'a Field)> {
        let rec = self.rec;
        let mut found = None;
        for k in keys {
            if let Some((key, f)) = rec.fields.get_key_value(*k) {
                self.used.push(key);
                // An empty CSV cell means "not given".
                let empty = matches!(&f.value, Raw::Str(s) if s.trim().is_empty());
                if found.is_none() && !empty {
                    found = Some((&**key, f));
                }
            }
        }
        found
    }

    /// A text field parsed with `FromStr` (modes, kinds, classes, layers).
    pub(crate) fn parsed<T: std::str::FromStr<Err = String>>(
        &mut self,
        keys: &[&str],
    ) -> Option<T> {
        let key = keys[0];
        let text = self.text_ref(keys)?;
        match text.parse::<T>() {
            Ok(v) => Some(v),
            Err(e) => {
                let k = self.present_key(keys).unwrap_or(key).to_string();
                self.error(&k, e);
                None
            }
        }
    }

    fn present_key<'k>(&self, keys: &[&'k str]) -> Option<&'k str> {
        keys.iter()
            .copied()
            .find(|k| self.rec.fields.contains_key(*k))
    }

    /// A text field; numbers are accepted and printed (ids like `id = 7`).
    pub(crate) fn text(&mut self, keys: &[&str]) -> Option<String> {
        self.text_ref(keys).map(Cow::into_owned)
    }

    /// [`Self::text`] borrowed from the record where it can be, for values
    /// that are only looked at (node references, modes), not kept.
    pub(crate) fn text_ref(&mut self, keys: &[&str]) -> Option<Cow<'a, str>> {
        let (k, f) = self.field(keys)?;
        match &f.value {
            Raw::Str(s) => Some(Cow::Borrowed(s.trim())),
            Raw::Num(x) => Some(Cow::Owned(x.to_string())),
            other => {
                let shown = other.shown();
                self.error(k, format!("{shown}: expected text"));
                None
            }
        }
    }

    pub(crate) fn required_text(&mut self, keys: &[&str]) -> Option<String> {
        self.required_text_ref(keys).map(Cow::into_owned)
    }

    pub(crate) fn required_text_ref(&mut self, keys: &[&str]) -> Option<Cow<'a, str>> {
        let v = self.text_ref(keys);
        if v.is_none() && !self.has(keys) {
            self.error(keys[0], "missing required field");
        }
        v
    }

    /// True when one of `keys` has a non-empty value.
    pub(crate) fn has(&self, keys: &[&str]) -> bool {
        keys.iter().any(|k| {
            self.rec
                .fields
                .get(*k)
                .is_some_and(|f| !matches!(&f.value, Raw::Str(s) if s.trim().is_empty()))
        })
    }

    /// A number parsed by `parse` (one of the [`crate::units`] parsers).
    /// TOML numbers go through the same parser so that checks such as
    /// "not negative" apply alike.
    pub(crate) fn number(
        &mut self,
        keys: &[&str],
        parse: impl Fn(&str) -> Result<f64, String>,
    ) -> Option<f64> {
        let (k, f) = self.field(keys)?;
        let printed;
        let text: &str = match &f.value {
            Raw::Str(s) => s,
            Raw::Num(x) => {
                printed = x.to_string();
                &printed
            }
            other => {
                let shown = other.shown();
                self.error(k, format!("{shown}: expected a number"));
                return None;
            }
        };
        match parse(text) {
            Ok(x) => Some(x),
            Err(e) => {
                let shown = f.value.shown();
                // Range errors start with the value itself (`-2 must be
                // positive`); repeating it in quotes would only add noise.
                let names_value = e.contains(&shown) || e.starts_with(&format!("{} ", text.trim()));
                if names_value {
                    self.error(k, e);
                } else {
                    self.error(k, format!("{shown}: {e}"));
                }
                None
            }
        }
    }

    pub(crate) fn required_number(
        &mut self,
        keys: &[&str],
        parse: impl Fn(&str) -> Result<f64, String>,
    ) -> Option<f64> {
        let v = self.number(keys, parse);
        if v.is_none() && !self.has(keys) {
            self.error(keys[0], "missing required field");
        }
        v
    }

    /// `true`/`false`, also `yes`/`no`, `1`/`0`, `open`/`closed` in text.
    pub(crate) fn flag(&mut self, keys: &[&str]) -> Option<bool> {
        let (k, f) = self.field(keys)?;
        let parsed = match &f.value {
            Raw::Bool(b) => Some(*b),
            Raw::Num(x) if *x == 1.0 => Some(true),
            Raw::Num(x) if *x == 0.0 => Some(false),
            Raw::Str(s) => parse_flag(s),
            _ => None,
        };
        if parsed.is_none() {
            let shown = f.value.shown();
            self.error(k, format!("{shown}: expected true or false"));
        }
        parsed
    }

    /// A list of words: a TOML array of strings, or text separated by `;`.
    pub(crate) fn list(&mut self, keys: &[&str]) -> Vec<String> {
        let Some((k, f)) = self.field(keys) else {
            return Vec::new();
        };
        let split = |s: &str| -> Vec<String> {
            s.split(';')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect()
        };
        match &f.value {
            Raw::Str(s) => split(s),
            Raw::Num(x) => vec![x.to_string()],
            Raw::List(items) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Raw::Str(s) => out.extend(split(s)),
                        Raw::Num(x) => out.push(x.to_string()),
                        other => {
                            let shown = other.shown();
                            self.error(k, format!("{shown}: expected text in the list"));
                        }
                    }
                }
                out
            }
            Raw::Bool(b) => {
                self.error(k, format!("{b}: expected a list of names"));
                Vec::new()
            }
        }
    }

    /// Line geometry: a TOML array of `[lon, lat]` pairs, or text
    /// `lon lat; lon lat; ...`.
    pub(crate) fn geometry(&mut self, keys: &[&str]) -> Vec<[f64; 2]> {
        let Some((k, f)) = self.field(keys) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut bad = None;
        match &f.value {
            Raw::Str(s) => {
                for pair in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                    let xy: Vec<Option<f64>> = pair
                        .split_whitespace()
                        .map(|t| t.parse::<f64>().ok())
                        .collect();
                    match xy.as_slice() {
                        [Some(x), Some(y)] => out.push([*x, *y]),
                        _ => {
                            bad = Some(format!("\"{pair}\": expected \"lon lat\""));
                            break;
                        }
                    }
                }
            }
            Raw::List(items) => {
                for item in items {
                    match item {
                        Raw::List(xy) => match xy.as_slice() {
                            [Raw::Num(x), Raw::Num(y)] => out.push([*x, *y]),
                            _ => {
                                bad = Some(format!("{}: expected [lon, lat]", item.shown()));
                                break;
                            }
                        },
                        _ => {
                            bad = Some(format!("{}: expected [lon, lat]", item.shown()));
                            break;
                        }
                    }
                }
            }
            other => bad = Some(format!("{}: expected a list of [lon, lat]", other.shown())),
        }
        for [x, y] in &out {
            if Quantity::Longitude.check(*x).is_err() || Quantity::Latitude.check(*y).is_err() {
                bad = Some(format!(
                    "point ({x}, {y}) is outside lon -180..180, lat -90..90 (is it lat, lon?)"
                ));
            }
        }
        if let Some(msg) = bad {
            self.error(k, msg);
            return Vec::new();
        }
        out
    }

    /// Reports every field nobody asked for, so a typo such as `capcity`
    /// cannot pass silently.
    pub(crate) fn finish(self) -> bool {
        let unknown: Vec<(&Arc<str>, &Field)> = self
            .rec
            .fields
            .iter()
            .filter(|(k, f)| {
                !self.used.contains(&&***k)
                    && !matches!(&f.value, Raw::Str(s) if s.trim().is_empty())
            })
            .collect();
        for (k, f) in unknown {
            let d = Diagnostic::warning(
                &self.subject,
                Some(k),
                "unknown key (ignored; check the spelling against docs/formats.md)",
            )
            .at(Some(SourceRef {
                file: self.rec.file.clone(),
                line: f.line,
            }));
            self.diags.push(d);
        }
        self.ok
    }
}

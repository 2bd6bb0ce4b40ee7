//! Validation findings. Bad data is a diagnostic with a place, not a panic.

use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// Where an element came from: file and line (TOML) or record (CSV, 1-based
/// line of the record including the header). The file name is shared by
/// every element of a file (one allocation, not one per link).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    pub file: Arc<str>,
    pub line: u64,
}

impl fmt::Display for SourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One problem found in a network: `grain.toml:42: link "L7": capacity: ...`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub source: Option<SourceRef>,
    /// The element, e.g. `link "L7"`.
    pub subject: String,
    /// The field at fault, e.g. `capacity`.
    pub field: Option<String>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(
        subject: impl Into<String>,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            source: None,
            subject: subject.into(),
            field: field.map(str::to_string),
            message: message.into(),
        }
    }
    pub fn warning(
        subject: impl Into<String>,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(subject, field, message)
        }
    }
    pub fn at(mut self, source: Option<SourceRef>) -> Self {
        self.source = source;
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(s) = &self.source {
            write!(f, "{s}: ")?;
        }
        if self.severity == Severity::Warning {
            f.write_str("warning: ")?;
        }
        if !self.subject.is_empty() {
            write!(f, "{}: ", self.subject)?;
        }
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)
    }
}

//! What `check` finds in a network: counts by layer and every diagnostic
//! with its place.
//!
//! Fields are declared in alphabetical order because the JSON of `check`
//! has always listed its keys sorted (`serde` writes declaration order).

use crate::{Diagnostic, Network, Severity};
use serde::Serialize;

/// Links and km of one layer (mode and gauge).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerCount {
    pub km: f64,
    /// `road`, `rail:1520`, ...
    pub layer: String,
    pub links: usize,
}

/// One diagnostic with its place spelled out, and the line `check` prints.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DiagnosticRecord {
    pub field: Option<String>,
    pub file: Option<String>,
    pub line: Option<u64>,
    pub message: String,
    pub severity: Severity,
    /// The element, e.g. `link "L7"`.
    pub subject: String,
    /// `file:line: subject: field: message`, as the text output prints it.
    pub text: String,
}

impl From<&Diagnostic> for DiagnosticRecord {
    fn from(d: &Diagnostic) -> Self {
        Self {
            field: d.field.clone(),
            file: d.source.as_ref().map(|s| s.file.to_string()),
            line: d.source.as_ref().map(|s| s.line),
            message: d.message.clone(),
            severity: d.severity,
            subject: d.subject.clone(),
            text: d.to_string(),
        }
    }
}

/// The answer of `check`: what was read and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckReport {
    pub borders: usize,
    pub commodities: usize,
    /// In the order the reader found them.
    pub diagnostics: Vec<DiagnosticRecord>,
    pub errors: usize,
    pub links: usize,
    pub links_by_layer: Vec<LayerCount>,
    /// The network as the user named it (a path for the CLI).
    pub network: String,
    pub nodes: usize,
    pub terminals: usize,
    pub warnings: usize,
}

impl CheckReport {
    /// Counts `net` and lists `diagnostics`; `label` names the network.
    pub fn new(label: &str, net: &Network, diagnostics: &[Diagnostic]) -> Self {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        Self {
            borders: net.borders.len(),
            commodities: net.commodities.len(),
            diagnostics: diagnostics.iter().map(DiagnosticRecord::from).collect(),
            errors,
            links: net.links.len(),
            links_by_layer: net
                .links_by_layer()
                .iter()
                .map(|(l, (n, km))| LayerCount {
                    km: *km,
                    layer: l.to_string(),
                    links: *n,
                })
                .collect(),
            network: label.to_string(),
            nodes: net.nodes.len(),
            terminals: net.terminals.len(),
            warnings: diagnostics.len() - errors,
        }
    }

    /// The diagnostics of one severity, in reading order.
    pub fn with_severity(&self, s: Severity) -> impl Iterator<Item = &DiagnosticRecord> {
        self.diagnostics.iter().filter(move |d| d.severity == s)
    }
}

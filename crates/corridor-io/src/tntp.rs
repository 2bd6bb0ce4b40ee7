//! TNTP files (Transportation Networks for Research,
//! <https://github.com/bstabler/TransportationNetworks>): `_net.tntp`,
//! `_trips.tntp`, `_node.tntp` and `_flow.tntp`, read exactly as the format
//! defines them, and a TNTP network mapped onto the Corridor model.
//!
//! The traps handled here: `<KEY> value` metadata up to `<END OF METADATA>`,
//! `~` comment lines (the last one before the data names the columns, which
//! is how Sydney's `speed critical_speed lanes` in columns 8–10 are told
//! apart from the usual `speed toll link_type`), optional `;` line ends,
//! several `dest : flow;` pairs per trips line, zero free-flow times,
//! `b = 0, power = 0` constant-cost links and parallel links (kept as
//! separate links). A malformed file is an [`Error::Syntax`] naming file and
//! line. This module does no assignment and no unit conversion: TNTP values
//! keep their file's units (see [`tntp_network`]).

use crate::{Error, Loaded, Result};
use corridor_model::{
    Diagnostic, FlowUnit, Link, Mode, Network, Node, NodeId, NodeKind, SourceRef,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The metadata block of a TNTP file, keys upper-case without brackets.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metadata {
    pub entries: BTreeMap<String, String>,
}

impl Metadata {
    fn number(&self, key: &str, file: &str, line: u64) -> Result<Option<f64>> {
        match self.entries.get(key) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse::<f64>()
                .map(Some)
                .map_err(|_| syntax(file, line, format!("<{key}>: \"{v}\" is not a number"))),
        }
    }
}

/// One link of a `_net.tntp` file.
#[derive(Clone, Debug, PartialEq)]
pub struct TntpLink {
    pub init_node: u32,
    pub term_node: u32,
    pub capacity: f64,
    pub length: f64,
    pub free_flow_time: f64,
    pub b: f64,
    pub power: f64,
    pub toll: f64,
    /// 1-based line in the file.
    pub line: u64,
}

/// A `_net.tntp` file.
#[derive(Clone, Debug, PartialEq)]
pub struct TntpNet {
    pub path: PathBuf,
    pub n_zones: u32,
    pub n_nodes: u32,
    /// Zones numbered below this may not be passed through.
    pub first_thru_node: u32,
    pub links: Vec<TntpLink>,
}

/// A `_trips.tntp` file: per origin, `(destination, flow)` as written
/// (intrazonal entries included; assignment ignores them).
#[derive(Clone, Debug, PartialEq)]
pub struct TntpTrips {
    pub n_zones: u32,
    pub origins: Vec<(u32, Vec<(u32, f64)>)>,
}

impl TntpTrips {
    pub fn total(&self) -> f64 {
        self.origins
            .iter()
            .flat_map(|(_, d)| d.iter().map(|x| x.1))
            .sum()
    }
}

/// One row of a `_flow.tntp` file (a best-known solution).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TntpFlow {
    pub from: u32,
    pub to: u32,
    pub volume: f64,
    pub cost: f64,
}

fn syntax(file: &str, line: u64, message: impl Into<String>) -> Error {
    Error::Syntax {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

/// Whitespace as `char::is_whitespace` has it within ASCII (VT included,
/// unlike `u8::is_ascii_whitespace`).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// `str::trim`, on bytes while the ends are ASCII: the same result (the
/// Unicode trim finishes where a non-ASCII character is at an end), without
/// decoding characters (a trips line has a trim per pair and per field).
fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let start = b.iter().position(|&c| !is_space(c)).unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|&c| !is_space(c))
        .map_or(start, |e| e + 1);
    let t = &s[start..end];
    match (t.as_bytes().first(), t.as_bytes().last()) {
        (Some(&f), Some(&l)) if f >= 0x80 || l >= 0x80 => t.trim(),
        _ => t,
    }
}

/// A line's whitespace-separated fields, as `str::split_whitespace` gives
/// them: on bytes when the line is ASCII (every published file), by the
/// Unicode rule otherwise.
enum Fields<'t> {
    Ascii { text: &'t str, at: usize },
    Unicode(std::str::SplitWhitespace<'t>),
}

fn fields(text: &str) -> Fields<'_> {
    if text.is_ascii() {
        Fields::Ascii { text, at: 0 }
    } else {
        Fields::Unicode(text.split_whitespace())
    }
}

/// The first `cols.len()` fields of `text` into `cols` (as [`fields`]
/// gives them); how many there were. One pass over the bytes of an ASCII
/// line: this split was a third of reading a link line.
fn first_fields<'t, const N: usize>(text: &'t str, cols: &mut [&'t str; N]) -> usize {
    if !text.is_ascii() {
        let mut n = 0;
        for (slot, c) in cols.iter_mut().zip(fields(text)) {
            *slot = c;
            n += 1;
        }
        return n;
    }
    let b = text.as_bytes();
    let (mut n, mut start) = (0, None);
    for (i, &c) in b.iter().enumerate() {
        match (is_space(c), start) {
            (true, Some(s)) => {
                cols[n] = &text[s..i];
                n += 1;
                start = None;
                if n == N {
                    return n;
                }
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        cols[n] = &text[s..];
        n += 1;
    }
    n
}

impl<'t> Iterator for Fields<'t> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        match self {
            Fields::Ascii { text, at } => {
                let b = text.as_bytes();
                let start = *at + b[*at..].iter().position(|&c| !is_space(c))?;
                let end = b[start..]
                    .iter()
                    .position(|&c| is_space(c))
                    .map_or(b.len(), |e| start + e);
                *at = end;
                Some(&text[start..end])
            }
            Fields::Unicode(split) => split.next(),
        }
    }
}

/// The file's lines after the metadata block, with 1-based line numbers,
/// comments kept (the caller may want the column header) and `;` and
/// surrounding blanks stripped. The lines borrow from [`Text`]: reading a
/// file allocates its bytes once and a small record per line, never a
/// string per line or field.
struct Body<'t> {
    file: String,
    metadata: Metadata,
    /// Data and comment lines after the metadata.
    lines: Vec<BodyLine<'t>>,
}

/// One line after the metadata block.
struct BodyLine<'t> {
    /// 1-based line number in the file.
    number: u64,
    /// The text, trimmed, without trailing `;`.
    text: &'t str,
    comment: bool,
    /// Whether the line ended with `;` (a trips file cut in the middle of
    /// a pair loses it).
    terminated: bool,
}

/// A TNTP file's text, read once. Invalid UTF-8 is replaced (as before)
/// only when there is some; a valid file is borrowed as it was read.
struct Text {
    file: String,
    text: String,
}

impl Text {
    fn read(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        Ok(Self {
            file: path.display().to_string(),
            text,
        })
    }

    fn body(&self) -> Result<Body<'_>> {
        let file = self.file.clone();
        let text = self.text.as_str();
        let mut metadata = Metadata::default();
        // About 50 bytes a line in published files: one reservation, sized
        // from what was read (never from a header).
        let mut lines = Vec::with_capacity(text.len() / 48 + 1);
        // Files without any metadata (some flow files) start with data at once.
        let mut in_metadata = text.contains("<END OF METADATA>");
        for (i, raw) in text.lines().enumerate() {
            let line_no = i as u64 + 1;
            let t = trim(raw);
            if t.is_empty() {
                continue;
            }
            if in_metadata {
                in_metadata = metadata_line(&mut metadata, t, &file, line_no)?;
                continue;
            }
            let comment = t.starts_with('~');
            let body = trim_end_semicolons(t);
            lines.push(BodyLine {
                number: line_no,
                text: body,
                comment,
                terminated: t.ends_with(';'),
            });
        }
        Ok(Body {
            file,
            metadata,
            lines,
        })
    }
}

/// `t` without its trailing `;` and whitespace (as
/// `trim_end_matches(|c| c == ';' || c.is_whitespace())`, on bytes until
/// a non-ASCII character ends what is left).
fn trim_end_semicolons(t: &str) -> &str {
    let b = t.as_bytes();
    let end = b
        .iter()
        .rposition(|&c| c != b';' && !is_space(c))
        .map_or(0, |e| e + 1);
    let body = &t[..end];
    if body.as_bytes().last().is_some_and(|&l| l >= 0x80) {
        body.trim_end_matches(|c: char| c == ';' || c.is_whitespace())
    } else {
        body
    }
}

/// One non-empty trimmed line of the metadata block into `metadata`;
/// whether the block goes on.
fn metadata_line(metadata: &mut Metadata, t: &str, file: &str, line_no: u64) -> Result<bool> {
    if t.starts_with("<END OF METADATA>") {
        return Ok(false);
    }
    if t.starts_with('~') {
        return Ok(true);
    }
    let Some(rest) = t.strip_prefix('<') else {
        return Err(syntax(
            file,
            line_no,
            format!("expected a metadata line like \"<NUMBER OF NODES> 24\", found \"{t}\""),
        ));
    };
    let Some((key, value)) = rest.split_once('>') else {
        return Err(syntax(file, line_no, "metadata key without closing '>'"));
    };
    metadata
        .entries
        .insert(key.trim().to_ascii_uppercase(), value.trim().to_string());
    Ok(true)
}

/// Powers of ten that `f64` holds exactly (10^22 is the largest).
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The value of a plain decimal number (`-12.5`, `1.090458488`, `3e-4`)
/// when it can be computed exactly with one rounding, else `None` (the
/// caller then asks `str::parse`). Clinger's fast path: when the digits,
/// without the point, make an integer `m < 2^53` and the decimal exponent
/// `e` is at most 22 in size, `m` and `10^|e|` are both exact `f64`s, so
/// `m · 10^e` or `m / 10^-e` is one correctly rounded operation: the same
/// bits `str::parse` returns. It saves the general parser's checks on the
/// seven numbers of every link line (TNTP readers are most of a small
/// assignment's start-up).
fn fast_f64(s: &[u8]) -> Option<f64> {
    let (neg, digits) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, s),
    };
    let mut m: u64 = 0;
    let (mut n_digits, mut frac_digits, mut seen_point) = (0u32, 0i32, false);
    let mut i = 0;
    while i < digits.len() {
        match digits[i] {
            d @ b'0'..=b'9' => {
                // 19 digits cannot overflow a u64.
                if n_digits == 19 {
                    return None;
                }
                m = m * 10 + u64::from(d - b'0');
                n_digits += 1;
                frac_digits += i32::from(seen_point);
            }
            b'.' if !seen_point => seen_point = true,
            b'e' | b'E' => break,
            _ => return None,
        }
        i += 1;
    }
    if n_digits == 0 {
        return None;
    }
    let mut exp = 0i32;
    if i < digits.len() {
        // `e`, an optional sign, then one to three digits.
        let rest = &digits[i + 1..];
        let (sign, ds) = match rest.split_first() {
            Some((b'-', r)) => (-1, r),
            Some((b'+', r)) => (1, r),
            _ => (1, rest),
        };
        if ds.is_empty() || ds.len() > 3 || !ds.iter().all(u8::is_ascii_digit) {
            return None;
        }
        exp = sign * ds.iter().fold(0, |e, &d| e * 10 + i32::from(d - b'0'));
    }
    let e = exp - frac_digits;
    if m > 1 << 53 || !(-22..=22).contains(&e) {
        return None;
    }
    let v = m as f64;
    let v = if e >= 0 {
        v * EXACT_POWERS_OF_TEN[e as usize]
    } else {
        v / EXACT_POWERS_OF_TEN[(-e) as usize]
    };
    Some(if neg { -v } else { v })
}

fn parse_f64(file: &str, line: u64, field: &str, s: &str) -> Result<f64> {
    let v: f64 = match fast_f64(s.as_bytes()) {
        Some(v) => v,
        None => s
            .parse()
            .map_err(|_| syntax(file, line, format!("{field}: \"{s}\" is not a number")))?,
    };
    if !v.is_finite() {
        return Err(syntax(
            file,
            line,
            format!("{field}: \"{s}\" is not finite"),
        ));
    }
    Ok(v)
}

fn parse_node(file: &str, line: u64, field: &str, s: &str) -> Result<u32> {
    // Nearly every node number is plain digits: read them without the
    // float parser (the same value, checked for overflow).
    if !s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit()) {
        let v = s.bytes().fold(0u32, |v, b| v * 10 + u32::from(b - b'0'));
        if v >= 1 {
            return Ok(v);
        }
    }
    // Some files write node numbers as `1.0`.
    let v = parse_f64(file, line, field, s)?;
    if v < 1.0 || v.fract() != 0.0 || v > u32::MAX as f64 {
        return Err(syntax(
            file,
            line,
            format!("{field}: \"{s}\" is not a node number (1, 2, ...)"),
        ));
    }
    Ok(v as u32)
}

fn required(meta: &Metadata, key: &str, file: &str) -> Result<u32> {
    let v = meta
        .number(key, file, 1)?
        .ok_or_else(|| syntax(file, 1, format!("metadata <{key}> is missing")))?;
    if v < 0.0 || v.fract() != 0.0 {
        return Err(syntax(file, 1, format!("<{key}> {v} is not a count")));
    }
    Ok(v as u32)
}

/// The counts a `_net.tntp` header states, checked against what is read
/// rather than trusted (see [`NetCounts::check`]).
struct NetCounts {
    n_zones: u32,
    n_nodes: u32,
    first_thru_node: u32,
    n_links: u32,
}

impl NetCounts {
    fn read(meta: &Metadata, file: &str) -> Result<Self> {
        Ok(Self {
            n_zones: required(meta, "NUMBER OF ZONES", file)?,
            n_nodes: required(meta, "NUMBER OF NODES", file)?,
            first_thru_node: required(meta, "FIRST THRU NODE", file)?,
            n_links: required(meta, "NUMBER OF LINKS", file)?,
        })
    }

    /// The header against the links read: the link count must match, and
    /// every node becomes a model node, so a node count far above what the
    /// links use would build millions of empty nodes from one corrupt header.
    fn check(&self, links: &[TntpLink], file: &str) -> Result<()> {
        let (n_zones, n_nodes, n_links) = (self.n_zones, self.n_nodes, self.n_links);
        if links.len() != n_links as usize {
            return Err(syntax(
                file,
                1,
                format!(
                    "<NUMBER OF LINKS> says {n_links} but the file has {} link lines",
                    links.len()
                ),
            ));
        }
        if n_nodes == 0 {
            return Err(syntax(
                file,
                1,
                "<NUMBER OF NODES> is 0: the network is empty",
            ));
        }
        if n_zones > n_nodes {
            return Err(syntax(
                file,
                1,
                format!("<NUMBER OF ZONES> {n_zones} exceeds <NUMBER OF NODES> {n_nodes}"),
            ));
        }
        let highest = links
            .iter()
            .map(|l| l.init_node.max(l.term_node))
            .max()
            .unwrap_or(0)
            .max(n_zones);
        if n_nodes > highest {
            return Err(syntax(
                file,
                1,
                format!(
                    "<NUMBER OF NODES> says {n_nodes} but no link uses a node above {highest} (and there are {n_zones} zones)"
                ),
            ));
        }
        Ok(())
    }
}

/// Reads a `_net.tntp` file.
pub fn read_net_file(path: &Path) -> Result<TntpNet> {
    let text = Text::read(path)?;
    let body = text.body()?;
    let file = body.file.as_str();
    let counts = NetCounts::read(&body.metadata, file)?;
    // Column of the toll, from the last header comment; standard layout
    // (`... speed toll link_type`) when there is none.
    let mut toll_col: Option<usize> = Some(8);
    // Never sized from the header (a corrupt count must not allocate):
    // from the lines read.
    let mut links = Vec::with_capacity(body.lines.len());
    for l in &body.lines {
        if l.comment {
            let names: Vec<String> = l
                .text
                .trim_start_matches('~')
                .split_whitespace()
                .map(|s| s.to_ascii_lowercase())
                .collect();
            if names.iter().any(|n| n == "init_node" || n == "term_node") {
                toll_col = names.iter().position(|n| n == "toll");
            }
            continue;
        }
        links.push(parse_link(file, l, toll_col, counts.n_nodes)?);
    }
    counts.check(&links, file)?;
    Ok(TntpNet {
        path: path.to_path_buf(),
        n_zones: counts.n_zones,
        n_nodes: counts.n_nodes,
        first_thru_node: counts.first_thru_node,
        links,
    })
}

/// One link line: `init_node term_node capacity length free_flow_time b
/// power` and the toll in column `toll_col` when the file has one.
fn parse_link(file: &str, l: &BodyLine, toll_col: Option<usize>, n_nodes: u32) -> Result<TntpLink> {
    let line = l.number;
    // The first 11 columns in place (no vector per line); a toll further
    // right is looked up on its own.
    let mut cols = [""; 11];
    let n_cols = first_fields(l.text, &mut cols);
    if n_cols < 7 {
        return Err(syntax(
            file,
            line,
            format!(
                "a link needs at least 7 columns (init_node term_node capacity length free_flow_time b power), found {n_cols}"
            ),
        ));
    }
    let init_node = parse_node(file, line, "init_node", cols[0])?;
    let term_node = parse_node(file, line, "term_node", cols[1])?;
    for (field, n) in [("init_node", init_node), ("term_node", term_node)] {
        if n > n_nodes {
            return Err(syntax(
                file,
                line,
                format!("{field}: node {n} is above <NUMBER OF NODES> {n_nodes}"),
            ));
        }
    }
    let capacity = parse_f64(file, line, "capacity", cols[2])?;
    let length = parse_f64(file, line, "length", cols[3])?;
    let free_flow_time = parse_f64(file, line, "free_flow_time", cols[4])?;
    let b = parse_f64(file, line, "b", cols[5])?;
    let power = parse_f64(file, line, "power", cols[6])?;
    let toll_text = match toll_col {
        Some(c) if c < n_cols => Some(cols[c]),
        Some(c) if c >= cols.len() => fields(l.text).nth(c),
        _ => None,
    };
    let toll = match toll_text {
        Some(s) => parse_f64(file, line, "toll", s)?,
        None => 0.0,
    };
    for (field, v) in [
        ("capacity", capacity),
        ("length", length),
        ("free_flow_time", free_flow_time),
        ("b", b),
        ("power", power),
        ("toll", toll),
    ] {
        if v < 0.0 {
            return Err(syntax(file, line, format!("{field}: {v} is negative")));
        }
    }
    if b > 0.0 && power > 0.0 && free_flow_time > 0.0 && capacity <= 0.0 {
        return Err(syntax(
            file,
            line,
            "capacity: must be positive on a link whose time grows with flow (b > 0)",
        ));
    }
    Ok(TntpLink {
        init_node,
        term_node,
        capacity,
        length,
        free_flow_time,
        b,
        power,
        toll,
        line,
    })
}

/// Reads a `_trips.tntp` file: `Origin o` blocks of `dest : flow;` pairs.
///
/// A file cut short is refused rather than read as less demand: when its
/// pairs end with `;`, every pair must (a cut in `3 :    1234.5;` leaves
/// `3 :    1`), and `<TOTAL OD FLOW>`, when given, must equal the sum of
/// the flows read, with or without intrazonal entries (to a relative 1e-6,
/// the rounding published files show).
pub fn read_trips_file(path: &Path) -> Result<TntpTrips> {
    let text = Text::read(path)?;
    let body = text.body()?;
    let file = body.file.as_str();
    let n_zones = required(&body.metadata, "NUMBER OF ZONES", file)?;
    let semicolons = body
        .lines
        .iter()
        .any(|l| !l.comment && (l.terminated || l.text.contains(';')));
    let mut origins: Vec<(u32, Vec<(u32, f64)>)> = Vec::new();
    let mut last_line = 1;
    for l in body.lines.iter().filter(|l| !l.comment) {
        let (line, text) = (l.number, l.text);
        last_line = line;
        if let Some(rest) = text.strip_prefix("Origin") {
            let o = parse_node(file, line, "origin", rest.trim())?;
            if o > n_zones {
                return Err(syntax(
                    file,
                    line,
                    format!("origin {o} is above <NUMBER OF ZONES> {n_zones}"),
                ));
            }
            origins.push((o, Vec::new()));
            continue;
        }
        let Some((_, dests)) = origins.last_mut() else {
            return Err(syntax(
                file,
                line,
                "destination entries before the first \"Origin\" line",
            ));
        };
        let mut pairs = text.split(';').map(trim).peekable();
        while let Some(pair) = pairs.next() {
            if pair.is_empty() {
                continue;
            }
            if semicolons && pairs.peek().is_none() && !l.terminated {
                return Err(syntax(
                    file,
                    line,
                    format!(
                        "\"{pair}\" does not end with ';' as every other pair does: is the file cut short?"
                    ),
                ));
            }
            dests.push(parse_pair(file, line, pair, n_zones)?);
        }
    }
    let trips = TntpTrips { n_zones, origins };
    if let Some(stated) = body.metadata.number("TOTAL OD FLOW", file, 1)? {
        // Files differ on whether the total counts intrazonal entries.
        let sum = trips.total();
        let interzonal: f64 = trips
            .origins
            .iter()
            .flat_map(|(o, d)| d.iter().filter(move |x| x.0 != *o).map(|x| x.1))
            .sum();
        let off = |x: f64| (x - stated).abs() > 1e-6 * stated.abs().max(1.0);
        if off(sum) && off(interzonal) {
            return Err(syntax(
                file,
                last_line,
                format!(
                    "the flows add up to {sum} but <TOTAL OD FLOW> says {stated}: is the file cut short?"
                ),
            ));
        }
    }
    Ok(trips)
}

/// One `destination : flow` pair of a trips file.
fn parse_pair(file: &str, line: u64, pair: &str, n_zones: u32) -> Result<(u32, f64)> {
    let Some((d, f)) = pair.split_once(':') else {
        return Err(syntax(
            file,
            line,
            format!("expected \"destination : flow\", found \"{pair}\""),
        ));
    };
    let d = parse_node(file, line, "destination", trim(d))?;
    if d > n_zones {
        return Err(syntax(
            file,
            line,
            format!("destination {d} is above <NUMBER OF ZONES> {n_zones}"),
        ));
    }
    let f = parse_f64(file, line, "flow", trim(f))?;
    if f < 0.0 {
        return Err(syntax(file, line, format!("flow: {f} is negative")));
    }
    Ok((d, f))
}

/// Reads a `_node.tntp` file: `(node, x, y)` rows after a header line.
pub fn read_node_file(path: &Path) -> Result<Vec<(u32, f64, f64)>> {
    let text = Text::read(path)?;
    let body = text.body()?;
    let file = body.file.as_str();
    let mut out = Vec::new();
    for BodyLine {
        number: line,
        text,
        comment,
        ..
    } in &body.lines
    {
        if *comment {
            continue;
        }
        let cols: Vec<&str> = text.split_whitespace().collect();
        if cols.first().is_some_and(|c| c.parse::<f64>().is_err()) {
            continue; // the `Node X Y` header
        }
        if cols.len() < 3 {
            return Err(syntax(file, *line, "a node needs three columns: node x y"));
        }
        out.push((
            parse_node(file, *line, "node", cols[0])?,
            parse_f64(file, *line, "x", cols[1])?,
            parse_f64(file, *line, "y", cols[2])?,
        ));
    }
    Ok(out)
}

/// Reads a `_flow.tntp` file: `from to volume cost` rows after a header.
pub fn read_flow_file(path: &Path) -> Result<Vec<TntpFlow>> {
    let text = Text::read(path)?;
    let body = text.body()?;
    let file = body.file.as_str();
    let mut out = Vec::new();
    for BodyLine {
        number: line,
        text,
        comment,
        ..
    } in &body.lines
    {
        if *comment {
            continue;
        }
        let cols: Vec<&str> = text.split_whitespace().collect();
        if cols.first().is_some_and(|c| c.parse::<f64>().is_err()) {
            continue; // the `From To Volume Cost` header
        }
        if cols.len() < 4 {
            return Err(syntax(
                file,
                *line,
                "a flow row needs four columns: from to volume cost",
            ));
        }
        out.push(TntpFlow {
            from: parse_node(file, *line, "from", cols[0])?,
            to: parse_node(file, *line, "to", cols[1])?,
            volume: parse_f64(file, *line, "volume", cols[2])?,
            cost: parse_f64(file, *line, "cost", cols[3])?,
        });
    }
    Ok(out)
}

/// The sibling file of a `_net.tntp` with another suffix (`node`, `trips`,
/// `flow`), if the net file's name follows the convention.
pub fn sibling(net_path: &Path, suffix: &str) -> Option<PathBuf> {
    let name = net_path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    let stem_len = lower.rfind("_net.tntp")?;
    Some(net_path.with_file_name(format!("{}_{suffix}.tntp", &name[..stem_len])))
}

/// Maps a TNTP network onto the model.
///
/// Nodes are named by their TNTP numbers (`"1"`, `"2"`, ...); nodes up to
/// `<NUMBER OF ZONES>` are [`NodeKind::Zone`], the rest
/// [`NodeKind::Junction`]; zones below `<FIRST THRU NODE>` get
/// `no_through`. Links are one-way road links named by their 1-based order
/// in the file (parallel links stay separate) with, **in the file's own
/// units**: `capacity_t_per_day` = capacity (the network's flow unit is
/// [`FlowUnit::VehiclesPerHour`]), `length_km` = length (feet for Anaheim,
/// miles or km elsewhere), `hours` = free-flow time (minutes in most TNTP
/// networks), `bpr_alpha` = b, `bpr_beta` = power, `toll`. Coordinates come
/// from `nodes` (`_node.tntp`) when given, else 0.
pub fn tntp_network(net: &TntpNet, nodes: Option<&[(u32, f64, f64)]>) -> Result<Network> {
    check_node_numbers(net)?;
    let file = net.path.display().to_string();
    let name = net
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .map(|n| {
            let l = n.to_ascii_lowercase();
            n[..l.rfind("_net.tntp").unwrap_or(n.len())].to_string()
        })
        .unwrap_or_else(|| "tntp".to_string());
    let mut network = Network::new(&name);
    network.flow_unit = FlowUnit::VehiclesPerHour;
    // Both counts are backed by the file by now (links read, node count
    // checked against them above).
    network.reserve(net.n_nodes as usize, net.links.len());
    // One shared name for every link's source (a reference count each,
    // not a copy of the path per link).
    let source_file: std::sync::Arc<str> = file.as_str().into();
    let mut xy = vec![(0.0, 0.0); net.n_nodes as usize + 1];
    for &(n, x, y) in nodes.unwrap_or(&[]) {
        if let Some(slot) = xy.get_mut(n as usize) {
            *slot = (x, y);
        }
    }
    let model_err = |e: corridor_model::Error, line: u64| syntax(&file, line, e.to_string());
    for n in 1..=net.n_nodes {
        let zone = n <= net.n_zones;
        let kind = if zone {
            NodeKind::Zone
        } else {
            NodeKind::Junction
        };
        let (x, y) = xy[n as usize];
        let mut node = Node::new(&n.to_string(), kind, x, y, "");
        node.no_through = zone && n < net.first_thru_node;
        network.add_node(node).map_err(|e| model_err(e, 1))?;
    }
    for (i, l) in net.links.iter().enumerate() {
        let mut link = Link::new(
            &(i + 1).to_string(),
            NodeId(l.init_node - 1),
            NodeId(l.term_node - 1),
            Mode::Road,
            None,
            l.length,
        );
        link.oneway = true;
        link.hours = Some(l.free_flow_time);
        link.capacity_t_per_day = Some(l.capacity);
        link.bpr_alpha = Some(l.b);
        link.bpr_beta = Some(l.power);
        link.toll = l.toll;
        link.source = Some(SourceRef {
            file: source_file.clone(),
            line: l.line,
        });
        network.add_link(link).map_err(|e| model_err(e, l.line))?;
    }
    Ok(network)
}

/// Reads a `_net.tntp` file (and its `_node.tntp` sibling when present) as
/// a model network. This is what [`crate::read_network`] calls for `.tntp`.
pub fn read_net(path: &Path) -> Result<Loaded> {
    let net = read_net_file(path)?;
    let mut diagnostics = Vec::new();
    let nodes = match sibling(path, "node") {
        Some(p) if p.is_file() => {
            let nodes = read_node_file(&p)?;
            let planar = nodes
                .iter()
                .any(|&(_, x, y)| !((-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y)));
            if planar {
                // Chicago's are in feet: kept as lon/lat they made the
                // bundle `import tntp` writes unreadable.
                diagnostics.push(
                    Diagnostic::warning(
                        "nodes",
                        Some("x"),
                        "the node coordinates are not longitude and latitude (planar units?); nodes get none",
                    )
                    .at(Some(SourceRef {
                        file: p.display().to_string().into(),
                        line: 1,
                    })),
                );
                None
            } else {
                Some(nodes)
            }
        }
        _ => None,
    };
    let network = tntp_network(&net, nodes.as_deref())?;
    Ok(Loaded::new(network, diagnostics))
}

/// Every node number up to `<NUMBER OF NODES>` becomes a model node, so
/// the count must be backed by the file: one link from node 1 to node
/// 300000000 passes the "no link above" check but would still build 300
/// million nodes. Published networks use (as zone or link end) all but a
/// handful of their nodes; unused ones may not outnumber the used ones
/// by more than 1000.
fn check_node_numbers(net: &TntpNet) -> Result<()> {
    let mut used: Vec<u32> = net
        .links
        .iter()
        .flat_map(|l| [l.init_node, l.term_node])
        .filter(|&n| n > net.n_zones)
        .collect();
    used.sort_unstable();
    used.dedup();
    let used = used.len() as u64 + u64::from(net.n_zones);
    let unused = u64::from(net.n_nodes).saturating_sub(used);
    if unused > used.max(1000) {
        return Err(syntax(
            &net.path.display().to_string(),
            1,
            format!(
                "<NUMBER OF NODES> says {} but zones and links use only {used} distinct nodes: is the header wrong?",
                net.n_nodes
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The fast number path gives `str::parse`'s bits, and nothing
        /// where `str::parse` refuses.
        #[test]
        fn fast_numbers_are_the_parsers_bits(
            s in "[+-]?[0-9]{0,20}(\\.[0-9]{0,20})?([eE][+-]?[0-9]{0,4})?",
            x in any::<f64>(),
        ) {
            for s in [s, x.to_string(), format!("{x:e}"), format!("{x:.3}")] {
                if let Some(v) = fast_f64(s.as_bytes()) {
                    let want: f64 = s.parse().unwrap();
                    prop_assert_eq!(v.to_bits(), want.to_bits(), "{}", s);
                }
            }
        }

        /// The byte-level trims and field split are the Unicode ones.
        #[test]
        fn byte_trims_and_fields_are_the_unicode_ones(
            s in "[ \t\u{b}\u{c}\r;a1.\u{a0}\u{85}\u{2003}é]{0,24}",
        ) {
            prop_assert_eq!(trim(&s), s.trim());
            prop_assert_eq!(
                trim_end_semicolons(&s),
                s.trim_end_matches(|c: char| c == ';' || c.is_whitespace())
            );
            let want: Vec<&str> = s.split_whitespace().collect();
            prop_assert_eq!(fields(&s).collect::<Vec<_>>(), want.clone());
            let mut cols = [""; 3];
            let n = first_fields(&s, &mut cols);
            prop_assert_eq!(&cols[..n], &want[..want.len().min(3)]);
        }
    }

    #[test]
    fn fast_numbers_cover_the_published_forms() {
        for (s, v) in [
            ("1.090458488", 1.090458488_f64),
            ("0.15", 0.15),
            ("9000", 9000.0),
            ("-0", -0.0),
            (".5", 0.5),
            ("5.", 5.0),
            ("3e-4", 3e-4),
            ("1365.90", 1365.9),
        ] {
            let got = fast_f64(s.as_bytes());
            assert_eq!(got.map(f64::to_bits), Some(v.to_bits()), "{s}");
        }
        for s in [
            "",
            ".",
            "-",
            "1e",
            "1e+",
            "1.2.3",
            "inf",
            "NaN",
            "1e400",
            "12345678901234567890",
        ] {
            assert_eq!(fast_f64(s.as_bytes()), None, "{s}");
        }
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    const NET: &str = "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 4\n<FIRST THRU NODE> 3\n<NUMBER OF LINKS> 4\n<ORIGINAL HEADER>~ a b ;\n<END OF METADATA>\n\n\n~\tinit_node\tterm_node\tcapacity\tlength\tfree_flow_time\tb\tpower\tspeed\ttoll\tlink_type\t;\n\t1\t3\t100\t1.5\t2\t0.15\t4\t0\t0.5\t1\t;\n\t3\t4\t100\t1\t0\t0\t0\t0\t0\t1\t;\n\t3\t4\t50\t1\t1\t0.15\t4\t0\t0\t1\t;\n4 2 100 2 3 0.15 4\n";

    #[test]
    fn reads_metadata_columns_parallel_links_and_zones() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "tiny_net.tntp", NET);
        let net = read_net_file(&p).unwrap();
        assert_eq!((net.n_zones, net.n_nodes, net.first_thru_node), (2, 4, 3));
        assert_eq!(net.links.len(), 4);
        assert_eq!(net.links[0].toll, 0.5);
        assert_eq!(net.links[1].free_flow_time, 0.0);
        assert_eq!((net.links[2].init_node, net.links[2].term_node), (3, 4));
        assert_eq!(net.links[3].line, 13);
        let loaded = read_net(&p).unwrap();
        let n = loaded.into_network().unwrap();
        assert_eq!(n.flow_unit, FlowUnit::VehiclesPerHour);
        assert!(n.nodes[0].no_through && n.nodes[1].no_through);
        assert_eq!(n.nodes[0].kind, NodeKind::Zone);
        assert!(!n.nodes[2].no_through);
        assert_eq!(n.links.len(), 4);
        assert_eq!(n.links[0].hours, Some(2.0));
        assert_eq!(n.links[0].bpr_beta, Some(4.0));
    }

    #[test]
    fn planar_node_coordinates_are_dropped_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "tiny_net.tntp", NET);
        // Feet, as Chicago's node file has them.
        write(
            dir.path(),
            "tiny_node.tntp",
            "node x y ;\n1 712475 1855780 ;\n2 713275 1850580 ;\n",
        );
        let loaded = read_net(&p).unwrap();
        assert!(!loaded.has_errors());
        let w: Vec<String> = loaded.warnings().map(|d| d.to_string()).collect();
        assert!(
            w.iter()
                .any(|w| w.contains("tiny_node.tntp:1:") && w.contains("not longitude")),
            "{w:?}"
        );
        assert_eq!(
            (loaded.network.nodes[0].lon, loaded.network.nodes[0].lat),
            (0.0, 0.0)
        );
    }

    #[test]
    fn sydney_columns_are_not_a_toll() {
        let dir = tempfile::tempdir().unwrap();
        let text = "<NUMBER OF ZONES> 1\n<NUMBER OF NODES> 2\n<FIRST THRU NODE> 2\n<NUMBER OF LINKS> 1\n<END OF METADATA>\n~\tinit_node\tterm_node\tcapacity\tlength\tfree_flow_time\tb\tpower\tspeed\tcritical_speed\tlanes\t;\n\t1\t2\t2880\t0.9\t2.26\t0.25\t4\t24\t19.2\t2\t\n";
        let p = write(dir.path(), "s_net.tntp", text);
        let net = read_net_file(&p).unwrap();
        assert_eq!(net.links[0].toll, 0.0);
    }

    #[test]
    fn malformed_files_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let bad = NET.replace("\t3\t4\t50\t1\t1", "\t3\t4\tfifty\t1\t1");
        let p = write(dir.path(), "bad_net.tntp", &bad);
        let msg = read_net_file(&p).unwrap_err().to_string();
        assert!(msg.contains("bad_net.tntp:12:"), "{msg}");
        assert!(msg.contains("capacity: \"fifty\""), "{msg}");
        let short = NET.replace("<NUMBER OF LINKS> 4", "<NUMBER OF LINKS> 5");
        let p = write(dir.path(), "short_net.tntp", &short);
        assert!(
            read_net_file(&p)
                .unwrap_err()
                .to_string()
                .contains("says 5")
        );
        let node = NET.replace("4 2 100", "9 2 100");
        let p = write(dir.path(), "node_net.tntp", &node);
        let msg = read_net_file(&p).unwrap_err().to_string();
        assert!(msg.contains(":13:") && msg.contains("node 9"), "{msg}");
        let trips = "<NUMBER OF ZONES> 2\n<END OF METADATA>\n1 : 5.0;\n";
        let p = write(dir.path(), "t_trips.tntp", trips);
        assert!(read_trips_file(&p).unwrap_err().to_string().contains(":3:"));
    }

    #[test]
    fn headers_are_checked_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        // A count near u32::MAX used to size an allocation and abort.
        let huge = NET.replace("<NUMBER OF LINKS> 4", "<NUMBER OF LINKS> 4294967295");
        let p = write(dir.path(), "huge_net.tntp", &huge);
        let msg = read_net_file(&p).unwrap_err().to_string();
        assert!(msg.contains("says 4294967295"), "{msg}");
        // 300 million nodes for one link used to build them all.
        let nodes = NET.replace("<NUMBER OF NODES> 4", "<NUMBER OF NODES> 300000000");
        let p = write(dir.path(), "nodes_net.tntp", &nodes);
        let msg = read_net_file(&p).unwrap_err().to_string();
        assert!(
            msg.contains("nodes_net.tntp:1:") && msg.contains("no link uses a node above 4"),
            "{msg}"
        );
    }

    #[test]
    fn a_trips_file_cut_short_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let whole = "<NUMBER OF ZONES> 3\n<TOTAL OD FLOW> 1239.5\n<END OF METADATA>\nOrigin 1\n  2 :    5.0;    3 :    1234.5;\n";
        let p = write(dir.path(), "whole_trips.tntp", whole);
        assert_eq!(read_trips_file(&p).unwrap().total(), 1239.5);
        // Cut in the middle of the last number: `3 :    1` with no `;`.
        let cut = &whole[..whole.len() - "234.5;\n".len()];
        let p = write(dir.path(), "cut_trips.tntp", cut);
        let msg = read_trips_file(&p).unwrap_err().to_string();
        assert!(
            msg.contains("cut_trips.tntp:5:") && msg.contains("\"3 :    1\" does not end with ';'"),
            "{msg}"
        );
        // Cut at a line end: every pair whole, but the total disagrees.
        let short = "<NUMBER OF ZONES> 3\n<TOTAL OD FLOW> 1239.5\n<END OF METADATA>\nOrigin 1\n  2 :    5.0;\n";
        let p = write(dir.path(), "short_trips.tntp", short);
        let msg = read_trips_file(&p).unwrap_err().to_string();
        assert!(
            msg.contains("short_trips.tntp:5:")
                && msg.contains("add up to 5 but <TOTAL OD FLOW> says 1239.5"),
            "{msg}"
        );
        // Files without `;` at all are read as before.
        let bare = "<NUMBER OF ZONES> 2\n<END OF METADATA>\nOrigin 1\n 2 : 3.5\n";
        let p = write(dir.path(), "bare_trips.tntp", bare);
        assert_eq!(read_trips_file(&p).unwrap().total(), 3.5);
    }

    #[test]
    fn reads_trips_with_several_pairs_per_line() {
        let dir = tempfile::tempdir().unwrap();
        let text = "<NUMBER OF ZONES> 3\n<TOTAL OD FLOW> 7.5\n<END OF METADATA>\n\n\nOrigin 1 \n    1 :       0.0;    2 :     4.5;\n3 \t: \t1.000000; \t\n\nOrigin 3\n 1 : 2.0;\n";
        let p = write(dir.path(), "x_trips.tntp", text);
        let t = read_trips_file(&p).unwrap();
        assert_eq!(t.origins.len(), 2);
        assert_eq!(t.origins[0], (1, vec![(1, 0.0), (2, 4.5), (3, 1.0)]));
        assert_eq!(t.total(), 7.5);
    }

    #[test]
    fn reads_flow_and_node_files_with_headers() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "x_flow.tntp",
            "From \tTo \tVolume \tCost \n1 \t2 \t4494.6 \t6.0 \n",
        );
        let f = read_flow_file(&p).unwrap();
        assert_eq!(f[0].from, 1);
        assert_eq!(f[0].volume, 4494.6);
        let p = write(
            dir.path(),
            "x_node.tntp",
            "Node\tX\tY\t;\n1\t-96.7\t43.6\t;\n",
        );
        assert_eq!(read_node_file(&p).unwrap(), vec![(1, -96.7, 43.6)]);
        assert_eq!(
            sibling(Path::new("/a/SiouxFalls_net.tntp"), "trips"),
            Some(PathBuf::from("/a/SiouxFalls_trips.tntp"))
        );
    }
}

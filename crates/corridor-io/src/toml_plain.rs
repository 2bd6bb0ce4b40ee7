//! The short way from a TOML `[[nodes]]` / `[[links]]` record to a node or
//! link, for the records of a large file read in pieces (`toml_pieces`),
//! as `rows_plain.rs` is for CSV rows: a record made only of `key = value`
//! lines (bare keys; strings without escapes, integers, floats, booleans,
//! one-line arrays of strings; blank lines and comments) whose values all
//! read cleanly is built straight from its text, without the `toml`
//! crate's table, a [`crate::record::Record`] or a copy of each value.
//! Anything else — an escape, a dotted or quoted key, an inline table, a
//! multi-line array, a date, a key given twice, an unknown key, a value
//! that does not read — returns `None`, and the record goes the general
//! way (`toml` and `build.rs`), which reports it: so the network and every
//! diagnostic (file, line, field) are the general reader's. The reader is
//! strict: it accepts only text that TOML accepts and means the same (a
//! property test checks it against the `toml` crate). Values mean what
//! `build.rs` says: a TOML number `x` reaches the unit parsers as
//! `x.to_string()`, which they read back as `x` with no unit, so only the
//! range check of its quantity is applied here.

use crate::build::Built;
use crate::record::parse_flag;
use crate::rows_plain::{Col, PlainLink, PlainNode, gauge_of, link_col, node_col, split_list};
use crate::units;
use corridor_model::quantity::gauge_mm;
use corridor_model::{Link, LinkDetails, Mode, Network, Node, NodeKind, Quantity};
use std::sync::Arc;

/// A value as this reader takes it.
#[derive(Debug, PartialEq)]
pub(crate) enum Value<'a> {
    /// A basic string without escapes, or a literal string.
    Str(&'a str),
    /// An integer or float, as `toml_doc::raw` reads it.
    Num(f64),
    Bool(bool),
    /// A one-line array of such strings.
    List(Vec<&'a str>),
}

/// What one line of a record is.
#[derive(Debug, PartialEq)]
pub(crate) enum Line<'a> {
    /// Blank, or only a comment.
    Blank,
    KeyValue(&'a str, Value<'a>),
}

/// TOML whitespace: space and tab only.
fn skip_ws(s: &str) -> &str {
    s.trim_start_matches([' ', '\t'])
}

/// Whether `c` may stand in a comment or a string: TOML refuses the
/// control characters but tab.
fn allowed(c: u8) -> bool {
    c == b'\t' || (c >= 0x20 && c != 0x7f)
}

/// The end of a line after its value: whitespace and an optional comment.
fn rest_ok(rest: &str) -> bool {
    let rest = skip_ws(rest);
    rest.is_empty() || (rest.starts_with('#') && rest.bytes().all(allowed))
}

/// A string at the start of `s` (which begins with its quote) and the
/// text after it; `None` for an escape, a control character or no end.
fn string(s: &str) -> Option<(&str, &str)> {
    let quote = s.as_bytes()[0];
    let body = &s[1..];
    let end = body.bytes().position(|c| c == quote)?;
    let text = &body[..end];
    let clean = text.bytes().all(|c| allowed(c) && c != b'\\');
    clean.then_some((text, &body[end + 1..]))
}

/// A decimal integer or float as TOML writes it (no `_`, no `inf`/`nan`,
/// no leading zero), read as `toml_doc::raw` reads it.
fn number(v: &str) -> Option<f64> {
    let b = v.as_bytes();
    let digits = |mut i: usize| {
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        (i > start).then_some(i)
    };
    let sign = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let mut i = digits(sign)?;
    if i - sign > 1 && b[sign] == b'0' {
        return None;
    }
    let int_len = i - sign;
    let mut float = false;
    if b.get(i) == Some(&b'.') {
        i = digits(i + 1)?;
        float = true;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        i = digits(i)?;
        float = true;
    }
    if i != b.len() {
        return None;
    }
    if float {
        v.parse::<f64>().ok().filter(|x| x.is_finite())
    } else if int_len <= 18 {
        v.parse::<i64>().ok().map(|x| x as f64)
    } else {
        None
    }
}

/// A one-line array of strings at the start of `s` (after its `[`) and
/// the text after it.
fn list(mut s: &str) -> Option<(Vec<&str>, &str)> {
    let mut items = Vec::new();
    loop {
        s = skip_ws(s);
        if let Some(after) = s.strip_prefix(']') {
            return Some((items, after));
        }
        if !s.starts_with(['"', '\'']) {
            return None;
        }
        let (item, after) = string(s)?;
        items.push(item);
        s = skip_ws(after);
        if let Some(after) = s.strip_prefix(',') {
            s = after;
        } else if !s.starts_with(']') {
            return None;
        }
    }
}

/// One line of a record (without its line break); `None` when it is not
/// a plain `key = value` line this reader takes.
pub(crate) fn line(l: &str) -> Option<Line<'_>> {
    let s = skip_ws(l);
    if s.is_empty() || s.starts_with('#') {
        return rest_ok(s).then_some(Line::Blank);
    }
    let key_len = s
        .bytes()
        .position(|c| !(c.is_ascii_alphanumeric() || c == b'_' || c == b'-'))
        .unwrap_or(s.len());
    if key_len == 0 {
        return None;
    }
    let (key, s) = s.split_at(key_len);
    let s = skip_ws(skip_ws(s).strip_prefix('=')?);
    let (value, rest) = match s.as_bytes().first()? {
        b'"' | b'\'' => {
            let (text, rest) = string(s)?;
            (Value::Str(text), rest)
        }
        b'[' => {
            let (items, rest) = list(&s[1..])?;
            (Value::List(items), rest)
        }
        _ => {
            let end = s.find([' ', '\t', '#']).unwrap_or(s.len());
            let (token, rest) = s.split_at(end);
            let value = match token {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::Num(number(token)?),
            };
            (value, rest)
        }
    };
    rest_ok(rest).then_some(Line::KeyValue(key, value))
}

/// The `key = value` lines of a record that starts with its header line
/// `[[name]]`, each with its index in the record (the header is 0), given
/// to `each` until it returns `None`; `None` when a line is not plain.
fn each_line<'a>(
    rec: &'a str,
    name: &str,
    mut each: impl FnMut(u64, &'a str, Value<'a>) -> Option<()>,
) -> Option<()> {
    let mut lines = rec.split_inclusive('\n');
    let header = lines.next()?;
    let header = header
        .strip_suffix('\n')
        .map_or(header, |h| h.strip_suffix('\r').unwrap_or(h));
    let header = skip_ws(header).strip_prefix("[[")?.strip_prefix(name)?;
    if !rest_ok(header.strip_prefix("]]")?) {
        return None;
    }
    for (i, raw) in lines.enumerate() {
        // A line break is `\n` or `\r\n`; a lone `\r` is refused below.
        let l = match raw.strip_suffix('\n') {
            Some(l) => l.strip_suffix('\r').unwrap_or(l),
            None => raw,
        };
        if let Line::KeyValue(key, value) = line(l)? {
            each(i as u64 + 1, key, value)?;
        }
    }
    Some(())
}

/// Text as `Reader::text_ref` gives it: trimmed; `None` (the general way)
/// for a number, a flag or a list.
fn text<'a>(v: &Value<'a>) -> Option<&'a str> {
    match v {
        Value::Str(s) => Some(s.trim()),
        _ => None,
    }
}

/// A number as `Reader::number` reads it with a `units` parser: a TOML
/// number is checked against its quantity, text goes through `parse`.
fn quantity(
    v: &Value<'_>,
    q: Quantity,
    parse: impl Fn(&str) -> Result<f64, String>,
) -> Option<f64> {
    match v {
        Value::Num(x) => q.check(*x).ok(),
        Value::Str(s) => parse(s).ok(),
        _ => None,
    }
}

/// A flag as `Reader::flag` reads it.
fn flag(v: &Value<'_>) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Num(x) if *x == 1.0 => Some(true),
        Value::Num(x) if *x == 0.0 => Some(false),
        Value::Str(s) => parse_flag(s),
        _ => None,
    }
}

/// Tags as `Reader::list` reads them (text split at `;`).
fn tags(v: &Value<'_>) -> Option<Vec<String>> {
    match v {
        Value::Str(s) => Some(split_list(s)),
        Value::List(items) => Some(items.iter().flat_map(|s| split_list(s)).collect()),
        _ => None,
    }
}

/// Whether `v` is text that is empty once trimmed: "not given" to
/// `Reader`.
fn blank(v: &Value<'_>) -> bool {
    matches!(v, Value::Str(s) if s.trim().is_empty())
}

/// Marks `col` as given; `false` when it was already (a key given twice,
/// or two of its aliases), which only the general way sorts out.
fn first_time(seen: &mut u32, col: Col) -> bool {
    let bit = 1 << col as u32;
    let first = *seen & bit == 0;
    *seen |= bit;
    first
}

/// The link of a plain `[[links]]` record whose header is at `line` of
/// `file`, or `None` when it needs the general way (see the module doc).
pub(crate) fn link(
    rec: &str,
    (file, line): (&Arc<str>, u64),
    net: &Network,
) -> Option<Built<Link>> {
    let (mut id, mut from, mut to, mut mode, mut gauge) = (None, None, None, None, None);
    let mut d = LinkDetails::default();
    let (mut length, mut capacity, mut oneway, mut open) = (None, None, false, true);
    let (mut seen, mut id_line) = (0u32, line);
    each_line(rec, "links", |i, key, v| {
        let col = link_col(key);
        if !first_time(&mut seen, col) || col == Col::Other {
            return None;
        }
        if blank(&v) {
            return Some(());
        }
        match col {
            Col::Id => {
                id = Some(text(&v)?);
                id_line = line + i;
            }
            Col::From => from = Some(net.node_id(text(&v)?)?),
            Col::To => to = Some(net.node_id(text(&v)?)?),
            Col::Mode => mode = Some(text(&v)?.parse::<Mode>().ok()?),
            Col::Gauge => {
                gauge = Some(match v {
                    Value::Num(x) => gauge_mm(x).ok()?,
                    _ => gauge_of(text(&v)?)?,
                });
            }
            Col::Length => length = Some(quantity(&v, Quantity::Length, units::parse_km)?),
            Col::Speed => d.speed_kmh = Some(quantity(&v, Quantity::Speed, units::parse_speed)?),
            Col::Hours => d.hours = Some(quantity(&v, Quantity::Hours, units::parse_hours)?),
            Col::Cost => d.cost_per_tkm = Some(amount(&v)?),
            Col::Co2 => d.co2_kg_per_tkm = Some(amount(&v)?),
            Col::Capacity => {
                let parse = |s: &str| units::parse_capacity(s, &net.vehicles);
                capacity = Some(quantity(&v, Quantity::Capacity, parse)?);
            }
            Col::Oneway => oneway = flag(&v)?,
            Col::Open => open = flag(&v)?,
            Col::Toll => d.toll = amount(&v)?,
            Col::BprAlpha => d.bpr_alpha = Some(amount(&v)?),
            Col::BprBeta => d.bpr_beta = Some(amount(&v)?),
            Col::Tags => d.tags = tags(&v)?,
            _ => return None,
        }
        Some(())
    })?;
    let (id, from, to, mode) = (id?, from?, to?, mode?);
    let (oneway_open, details) = ((oneway, open), d);
    let link = PlainLink {
        id,
        from,
        to,
        mode,
        gauge,
        length,
        capacity,
        oneway_open,
        details,
    };
    Some(link.build(net, (file, line), id_line))
}

/// A cost, CO2 factor, toll or BPR parameter: zero or more.
fn amount(v: &Value<'_>) -> Option<f64> {
    quantity(v, Quantity::Amount, units::parse_non_negative)
}

/// The node of a plain `[[nodes]]` record whose header is at `line` of
/// `file`, or `None` when it needs the general way.
pub(crate) fn node(
    rec: &str,
    (file, line): (&Arc<str>, u64),
    net: &Network,
) -> Option<Built<Node>> {
    let (mut id, mut name, mut kind, mut lon, mut lat) = (None, None, None, None, None);
    let (mut country, mut capacity, mut open) = ("", None, true);
    let (mut tag_list, mut no_through) = (Vec::new(), false);
    let (mut seen, mut id_line) = (0u32, line);
    let degrees = |v: &Value<'_>, q: Quantity| {
        quantity(v, q, |s| units::parse_number(s).and_then(|x| q.check(x)))
    };
    each_line(rec, "nodes", |i, key, v| {
        let col = node_col(key);
        if !first_time(&mut seen, col) || col == Col::Other {
            return None;
        }
        if blank(&v) {
            return Some(());
        }
        match col {
            Col::Id => {
                id = Some(text(&v)?);
                id_line = line + i;
            }
            Col::Name => name = Some(text(&v)?),
            Col::Kind => kind = Some(text(&v)?.parse::<NodeKind>().ok()?),
            Col::Lon => lon = Some(degrees(&v, Quantity::Longitude)?),
            Col::Lat => lat = Some(degrees(&v, Quantity::Latitude)?),
            Col::Country => country = text(&v)?,
            Col::Capacity => {
                let parse = |s: &str| units::parse_capacity(s, &net.vehicles);
                capacity = Some(quantity(&v, Quantity::Capacity, parse)?);
            }
            Col::Open => open = flag(&v)?,
            Col::Tags => tag_list = tags(&v)?,
            Col::NoThrough => no_through = flag(&v)?,
            _ => return None,
        }
        Some(())
    })?;
    let (id, lon, lat) = (id?, lon?, lat?);
    let tags = tag_list;
    let node = PlainNode {
        id,
        name,
        kind,
        lon,
        lat,
        country,
        capacity,
        open,
        tags,
        no_through,
    };
    Some(node.build((file, line), id_line))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{Sources, link_element, node_element};
    use crate::record::Raw;
    use crate::toml_doc::{Lines, add_document, parse, raw};
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    /// What `toml` makes of one line as a document: its one key and value
    /// (`None` for an empty document), or `Err` when it refuses it.
    fn toml_line(l: &str) -> Result<Option<(String, Raw)>, ()> {
        let doc = toml::de::DeTable::parse(l).map_err(|_| ())?;
        let mut kv = doc.get_ref().iter();
        let Some((k, v)) = kv.next() else {
            return Ok(None);
        };
        assert!(kv.next().is_none(), "{l:?}");
        Ok(Some((k.get_ref().to_string(), raw(v.get_ref()))))
    }

    /// A value of this reader as `toml_doc::raw` gives it.
    fn as_raw(v: &Value<'_>) -> Raw {
        match v {
            Value::Str(s) => Raw::Str(s.to_string()),
            Value::Num(x) => Raw::Num(*x),
            Value::Bool(b) => Raw::Bool(*b),
            Value::List(items) => {
                Raw::List(items.iter().map(|s| Raw::Str(s.to_string())).collect())
            }
        }
    }

    /// Every line this reader takes, `toml` takes too and reads as the
    /// same key and value (numbers to the bit).
    fn agrees_with_toml(l: &str) {
        let Some(mine) = line(l) else { return };
        let theirs = toml_line(l).unwrap_or_else(|_| panic!("toml refuses {l:?}"));
        match (mine, theirs) {
            (Line::Blank, None) => {}
            (Line::KeyValue(k, v), Some((tk, tv))) => {
                assert_eq!(k, tk, "{l:?}");
                match (as_raw(&v), tv) {
                    (Raw::Num(a), Raw::Num(b)) => assert_eq!(a.to_bits(), b.to_bits(), "{l:?}"),
                    (a, b) => assert_eq!(a, b, "{l:?}"),
                }
            }
            (m, t) => panic!("{l:?}: {m:?} against {t:?}"),
        }
    }

    const KEYS: &[&str] = &[
        "id",
        "from",
        "to",
        "mode",
        "gauge",
        "gauge_mm",
        "length",
        "length_km",
        "speed",
        "hours",
        "time",
        "cost_per_tkm",
        "co2_per_tkm",
        "capacity",
        "oneway",
        "open",
        "toll",
        "bpr_alpha",
        "bpr_beta",
        "tags",
        "allow",
        "geometry",
        "name",
        "kind",
        "lon",
        "lat",
        "lng",
        "x",
        "country",
        "no_through",
        "unknown",
        "a.b",
        "\"id\"",
        "'id'",
        "id-2",
        "",
    ];

    /// Values as a person or a program might write them, good and bad.
    fn value() -> impl Strategy<Value = String> {
        let text = "[ a-zA-Z0-9_.;:/éł\\t\\\\\"'\\x01\\x7f\\u{85}#=\\[\\],{}-]{0,8}";
        prop_oneof![
            4 => prop::sample::select(vec![
                "\"a\"", "\"b\"", "\"zz\"", "\"rail\"", "\"road\"", "\"station\"", "\"port\"",
                "\" a \"", "\"\"", "' b '", "\"12 km\"", "\"500 m\"", "\"40 trains/day\"",
                "\"3 h\"", "\"1435 mm\"", "\"yes\"", "\"closed\"", "\"x;y; \"", "\"-3\"",
                "\"1_000\"", "\"1e3\"", "\"nan\"", "'a\\b'", "\"a\\\\b\"", "\"a\\\"b\"",
                "\"\\u00e9\"", "\"a\\tb\"",
            ]).prop_map(String::from),
            4 => prop::sample::select(vec![
                "0", "1", "-1", "+2", "1435", "1520", "1435.0", "1435.5", "3.5", "-0.0", "+0",
                "-0", "01", "1.", ".5", "1e3", "1E-3", "1e+3", "1.5e2", "1e05", "1_000",
                "1__0", "0x10", "0o7", "0b1", "inf", "-inf", "nan", "1e400", "9223372036854775807",
                "99999999999999999999", "1979-05-27", "07:32:00", "1979-05-27 07:32:00", "1.2.3",
                "200", "-200", "95", "45.5", "true", "false", "True", "tru", "1 2", "-", "+",
            ]).prop_map(String::from),
            2 => prop::sample::select(vec![
                "[]", "[ ]", "[\"a\"]", "[\"a\", \"b\"]", "[\"a\",]", "[ 'a' , \"b;c\" ]",
                "[,]", "[\"a\" \"b\"]", "[1, 2]", "[[1, 2]]", "[\"a\", 1]", "[\"a\"", "{ a = 1 }",
                "{}", "[\"a\\\"\"]",
            ]).prop_map(String::from),
            1 => text.prop_map(|t| format!("\"{t}\"")),
            1 => text.prop_map(|t| format!("'{t}'")),
            1 => text,
        ]
    }

    /// `key = value` with whitespace, maybe a comment, and a line break
    /// (now and then one that TOML refuses).
    fn key_line(
        key: impl Strategy<Value = String>,
        value: impl Strategy<Value = String>,
    ) -> impl Strategy<Value = String> {
        let ws = || prop::sample::select(vec!["", " ", " ", " ", "  ", "\t", " \t"]);
        let mut comments = vec![""; 24];
        comments.extend([
            "# c",
            "#",
            "# é \t ok",
            "## [[links]]",
            "# \x01",
            "# \x7f",
            "#\r",
        ]);
        let comment = prop::sample::select(comments);
        let mut eqs = vec!["="; 30];
        eqs.extend(["==", ":"]);
        let eq = prop::sample::select(eqs);
        let mut ends = vec!["\n"; 20];
        ends.extend(["\r\n"; 6]);
        ends.push("\r");
        let end = prop::sample::select(ends);
        (ws(), key, ws(), eq, ws(), value, ws(), comment, end).prop_map(
            |(a, k, b, eq, c, v, d, com, end)| format!("{a}{k}{b}{eq}{c}{v}{d}{com}{end}"),
        )
    }

    /// One line of any sort: a key and a value, a comment alone, nothing.
    fn record_line() -> impl Strategy<Value = String> {
        let key = prop::sample::select(KEYS).prop_map(String::from);
        prop_oneof![
            8 => key_line(key, value()),
            1 => prop::sample::select(vec!["# c\n", "#\x01\n", "\t\n", "\r\n", "\n"])
                .prop_map(String::from),
        ]
    }

    /// A line of one of `pairs`: a key and a value that mostly reads.
    fn pair_line(pairs: &[(&'static str, &'static [&'static str])]) -> BoxedStrategy<String> {
        let lines: Vec<_> = pairs
            .iter()
            .map(|&(k, vs)| {
                key_line(
                    Just(k.to_string()),
                    prop::sample::select(vs).prop_map(String::from),
                )
                .boxed()
            })
            .collect();
        prop::strategy::Union::new(lines).boxed()
    }

    /// A record with a line for each of `required`, some lines of
    /// `optional` and a few of any sort, in any order.
    fn record(
        head: &'static str,
        required: &[(&'static str, &'static [&'static str])],
        optional: &[(&'static str, &'static [&'static str])],
    ) -> impl Strategy<Value = String> {
        let needed: Vec<_> = required
            .iter()
            .map(|p| pair_line(std::slice::from_ref(p)))
            .collect();
        let more = prop::collection::vec(pair_line(optional), 0..5);
        let any = prop::collection::vec(record_line(), 0..2);
        (needed, more, any)
            .prop_map(|(mut a, b, c)| {
                a.extend(b);
                a.extend(c);
                a
            })
            .prop_shuffle()
            .prop_map(move |lines| format!("{head}{}", lines.concat()))
    }

    /// A network with nodes `a` and `b` to link.
    fn net() -> Network {
        let mut net = Network::new("t");
        for (id, lon) in [("a", 1.0), ("b", 2.0)] {
            net.add_node(Node::new(id, NodeKind::City, lon, 50.0, "DE"))
                .unwrap();
        }
        net
    }

    /// The record built the general way: `None` when `toml` refuses it
    /// or its reading says anything.
    fn general<T>(
        rec: &str,
        name: &str,
        net: &Network,
        build: crate::build::BuildFn<T>,
    ) -> Result<Option<Built<T>>, ()> {
        let file: Arc<str> = "n.toml".into();
        let lines = Lines::below(rec, 6);
        let doc = parse(rec, &file, &lines).map_err(|_| ())?;
        let mut src = Sources::default();
        add_document(doc.get_ref(), &lines, &file, &mut src);
        let recs = if name == "nodes" {
            &src.nodes
        } else {
            &src.links
        };
        assert_eq!(recs.len(), usize::from(doc.get_ref().contains_key(name)));
        let mut diags = src.diagnostics;
        let built = recs
            .first()
            .and_then(|r| build(r, net, &BTreeSet::new(), &mut diags));
        Ok(built.filter(|_| diags.is_empty()))
    }

    /// Whatever the short way builds, the general way builds alike, at
    /// the same lines, and says nothing about it.
    fn same_as_general<T: std::fmt::Debug>(
        rec: &str,
        name: &str,
        plain: PlainFn<T>,
        build: crate::build::BuildFn<T>,
    ) -> bool {
        let net = net();
        let file: Arc<str> = "n.toml".into();
        let Some(short) = plain(rec, (&file, 7), &net) else {
            return false;
        };
        let long = general(rec, name, &net, build)
            .unwrap_or_else(|_| panic!("toml refuses {rec:?}"))
            .unwrap_or_else(|| panic!("the general way refuses {rec:?}"));
        assert_eq!(
            format!("{:?}", short.element),
            format!("{:?}", long.element),
            "{rec:?}"
        );
        assert_eq!(short.id_line, long.id_line, "{rec:?}");
        true
    }

    type PlainFn<T> = fn(&str, (&Arc<str>, u64), &Network) -> Option<Built<T>>;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// Lines of every sort: what the short way takes, `toml` reads
        /// the same.
        #[test]
        fn lines_read_as_toml_reads_them(l in record_line()) {
            let l = l.trim_end_matches('\n').trim_end_matches('\r');
            agrees_with_toml(l);
        }

    }

    /// Records from `records`: any the short way builds, the general way
    /// builds the same; and the short way builds a good share of them (a
    /// test that compared nothing would pass).
    fn compare<T: std::fmt::Debug>(
        records: impl Strategy<Value = String>,
        name: &str,
        plain: PlainFn<T>,
        build: crate::build::BuildFn<T>,
    ) {
        use proptest::test_runner::{Config, TestRunner};
        let cases = 3000;
        let mut runner = TestRunner::new(Config::with_cases(cases));
        let short = std::sync::atomic::AtomicU32::new(0);
        let result = runner.run(&records, |rec| {
            if same_as_general(&rec, name, plain, build) {
                short.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            Ok(())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
        let short = short.into_inner();
        assert!(
            short >= cases / 50,
            "{short} of {cases} built the short way"
        );
    }

    /// Link records with what they need, more, and lines of any sort.
    #[test]
    fn links_built_the_short_way_are_the_general_links() {
        const REQUIRED: &[(&str, &[&str])] = &[
            ("id", &["\"e\"", "'e'", "\" e \"", "\"e\"", "\"\"", "7"]),
            ("from", &["\"a\"", "'b'", "\"a\"", "\"zz\""]),
            ("to", &["\"b\"", "\"a\"", "\"b\""]),
            (
                "mode",
                &["\"rail\"", "'road'", "\"sea \"", "\"river\"", "\"air\""],
            ),
        ];
        const OPTIONAL: &[(&str, &[&str])] = &[
            ("gauge", &["1435", "\"1520 mm\"", "1435.0", "1435.5", "0"]),
            ("gauge_mm", &["1000", "\"1067\""]),
            ("length", &["1.5", "\"500 m\"", "0", "-1", "1e3"]),
            ("length_km", &["2", "\"3 km\""]),
            ("speed", &["80", "\"10 kn\"", "0", "+5"]),
            ("hours", &["2", "\"90 min\"", "\"1 d\""]),
            ("time", &["3"]),
            (
                "capacity",
                &[
                    "55000",
                    "\"40 trains/day\"",
                    "\"3 Mt/year\"",
                    "-0.0",
                    "1e308",
                ],
            ),
            ("oneway", &["true", "false", "1", "\"yes\"", "2"]),
            ("open", &["false", "\"closed\"", "0", "\"maybe\""]),
            ("toll", &["2.5e1", "0", "\"3\""]),
            ("bpr_alpha", &["0.15"]),
            ("bpr_beta", &["4", "-4"]),
            (
                "tags",
                &[
                    "[\"x\", 'y;z', ]",
                    "\"p; q\"",
                    "[]",
                    "[\"a\", 1]",
                    "\" ; \"",
                ],
            ),
            ("cost_per_tkm", &["0.02", "\"0.5 EUR\""]),
            ("co2_per_tkm", &["0.01"]),
            ("co2_kg_per_tkm", &["0.03"]),
        ];
        let heads = prop::sample::select(vec!["[[links]]\n", "[[links]]\r\n", "  [[links]] # l\n"]);
        let records = heads.prop_flat_map(|head| record(head, REQUIRED, OPTIONAL));
        compare(records, "links", link, link_element);
    }

    /// Node records likewise.
    #[test]
    fn nodes_built_the_short_way_are_the_general_nodes() {
        const REQUIRED: &[(&str, &[&str])] = &[
            ("id", &["\"n\"", "'n'", "\" n \"", "\"n\"", "\"\""]),
            ("lon", &["5", "5.01", "-180", "\"7\"", "181", "1e2"]),
            ("lat", &["40.0000", "-90", "\"45\"", "91", "0"]),
        ];
        const OPTIONAL: &[(&str, &[&str])] = &[
            ("name", &["\"Kraków Główny\"", "\" \"", "'x'"]),
            ("kind", &["\"port\"", "\"station\"", "\"city\"", "\"moon\""]),
            ("country", &["\"PL\"", "\" DE \""]),
            ("capacity", &["1000", "\"3 Mt/year\"", "-1"]),
            ("open", &["true", "0", "\"closed\""]),
            ("tags", &["[\"x\"]", "\"a;b\""]),
            ("no_through", &["true", "\"no\""]),
            ("lng", &["6"]),
            ("y", &["\"41\""]),
        ];
        compare(
            record("[[nodes]]\n", REQUIRED, OPTIONAL),
            "nodes",
            node,
            node_element,
        );
    }

    /// Well-formed records of many spellings: most are built the short
    /// way (so the property tests above compare something), each the same
    /// as the general way.
    #[test]
    fn plain_records_take_the_short_way() {
        let links = [
            "[[links]]\nid = \"e\"\nfrom = \"a\"\nto = \"b\"\nmode = \"rail\"\ngauge = 1435\nlength = 1.135\ncapacity = 55000\n",
            "[[links]]\r\nid = \"e\"\r\nfrom = 'a'\r\nto = \"b\"  # to b\r\n\r\n# a comment\r\nmode = \"road\"\r\n",
            "[[links]]\nid = \" e \"\nfrom = \"a\"\nto = \"b\"\nmode = \"rail\"\ngauge = \"1520 mm\"\nlength = \"500 m\"\nspeed = 80\nhours = \"90 min\"\ncapacity = \"40 trains/day\"\n",
            "[[links]]\nid = \"e\"\nfrom = \"a\"\nto = \"b\"\nmode = \"sea\"\noneway = true\nopen = 0\ntoll = 2.5e1\nbpr_alpha = 0.15\nbpr_beta = 4\ncost_per_tkm = 0.02\nco2_per_tkm = 0.01\ntags = [\"x\", 'y;z', ]\n",
            "[[links]]\nid = \"é\"\nfrom = \"a\"\nto = \"b\"\nmode = \"river\"\ntags = \"p; q\"\nlength_km = -0\n",
        ];
        for rec in links {
            assert!(same_as_general(rec, "links", link, link_element), "{rec:?}");
        }
        let nodes = [
            "[[nodes]]\nid = \"n\"\nkind = \"station\"\nlon = 5.0100\nlat = 40.0000\ncountry = \"DE\"\n",
            "[[nodes]]\nid = \"n\"\nname = \"Kraków Główny\"\nlng = -180\ny = \"90\"\ncapacity = \"3 Mt/year\"\nopen = \"closed\"\nno_through = 1\ntags = []\n",
        ];
        for rec in nodes {
            assert!(same_as_general(rec, "nodes", node, node_element), "{rec:?}");
        }
    }

    /// What the short way leaves to the general one: escapes, dotted and
    /// quoted keys, inline tables, multi-line arrays, sub-tables, keys
    /// given twice, unknown keys, commodity lists, geometry, values that
    /// do not read, a lone carriage return.
    #[test]
    fn the_rest_is_left_to_the_general_way() {
        let base = "[[links]]\nid = \"e\"\nfrom = \"a\"\nto = \"b\"\nmode = \"rail\"\n";
        let file: Arc<str> = "n.toml".into();
        assert!(link(base, (&file, 1), &net()).is_some());
        for extra in [
            "name = \"a\\\"b\"\n",
            "x.y = 1\n",
            "\"length\" = 1\n",
            "dwell = { road = 1 }\n",
            "tags = [\n  \"a\",\n]\n",
            "[links.extra]\nx = 1\n",
            "id = \"f\"\n",
            "length = 1\nlength_km = 2\n",
            "colour = \"red\"\n",
            "allow = [\"grain\"]\n",
            "geometry = [[1.0, 50.0], [2.0, 50.0]]\n",
            "length = -1\n",
            "length = \"1 parsec\"\n",
            "gauge = 1435.5\n",
            "capacity = 1_000\n",
            "speed = inf\n",
            "open = 2\n",
            "from = \"nowhere\"\n",
            "mode = \"air\"\n",
            "length = 1\r",
            "length = 1 # \u{1}\n",
            "id = 7\n",
        ] {
            let rec = format!("{base}{extra}");
            assert!(link(&rec, (&file, 1), &net()).is_none(), "{extra:?}");
        }
    }

    /// Every `[[nodes]]` / `[[links]]` record of the shipped networks (the
    /// examples, the test networks, the fuzz corpus, and the grain bundle
    /// written as TOML) that the short way builds, the general way builds
    /// the same, in the network of its own file.
    #[test]
    fn shipped_networks_agree_record_by_record() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut paths = vec![
            root.join("examples/triangle.toml"),
            root.join("crates/corridor-cli/tests/data/broken.toml"),
            root.join("crates/corridor-server/tests/browser/networks/pacific.toml"),
        ];
        let corpus = std::fs::read_dir(root.join("fuzz/corpus/toml_network")).unwrap();
        paths.extend(corpus.map(|e| e.unwrap().path()));
        let mut texts: Vec<String> = paths
            .iter()
            .filter_map(|p| String::from_utf8(std::fs::read(p).unwrap()).ok())
            .collect();
        let grain = crate::read_csv_bundle(&root.join("examples/grain-corridors")).unwrap();
        texts.push(crate::network_toml_string(&grain.network));
        let mut short = 0;
        for text in &texts {
            let Ok(src) = crate::toml_doc::toml_sources(text, "n.toml") else {
                continue;
            };
            let (net, _) = crate::build::build(src);
            let mut starts: Vec<usize> = Vec::new();
            let mut at = 0;
            for l in text.split_inclusive('\n') {
                if l.trim_start().starts_with('[') {
                    starts.push(at);
                }
                at += l.len();
            }
            starts.push(text.len());
            for w in starts.windows(2) {
                let rec = &text[w[0]..w[1]];
                let line = 1 + text[..w[0]].matches('\n').count() as u64;
                let file: Arc<str> = "n.toml".into();
                let pair = if rec.trim_start().starts_with("[[nodes]]") {
                    node(rec, (&file, line), &net).map(|b| (format!("{:?}", b.element), b.id_line))
                } else if rec.trim_start().starts_with("[[links]]") {
                    link(rec, (&file, line), &net).map(|b| (format!("{:?}", b.element), b.id_line))
                } else {
                    None
                };
                let Some((mine, id_line)) = pair else {
                    continue;
                };
                let above = line - 1;
                let lines = Lines::below(rec, above);
                let doc = parse(rec, &file, &lines).unwrap();
                let mut src = Sources::default();
                add_document(doc.get_ref(), &lines, &file, &mut src);
                let mut diags = src.diagnostics;
                let names = BTreeSet::new();
                let theirs = if let Some(r) = src.nodes.first() {
                    node_element(r, &net, &names, &mut diags)
                        .map(|b| (format!("{:?}", b.element), b.id_line))
                } else {
                    link_element(&src.links[0], &net, &names, &mut diags)
                        .map(|b| (format!("{:?}", b.element), b.id_line))
                };
                assert!(diags.is_empty(), "{rec}: {diags:?}");
                assert_eq!(Some((mine, id_line)), theirs, "{rec}");
                short += 1;
            }
        }
        assert!(short >= 40, "{short} records built the short way");
    }
}

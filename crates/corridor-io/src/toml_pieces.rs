//! A large TOML network read in pieces on every core (issue 14): the text
//! is read in blocks of whole lines, each block cut at its `[[nodes]]` /
//! `[[links]]` header lines into pieces, each piece parsed and built into
//! nodes or links by its own thread (reading the network only: each plain
//! record straight from its text by `toml_plain`, each run of the others
//! by `toml` and `build.rs`), and the
//! elements added in file order, so memory holds one block's records, not
//! the whole document's value tree. The lines before the first record
//! (header tables, commodities) and from the first other table after the
//! records (terminals, borders) are parsed whole. Lines are offset so that
//! every diagnostic names the line the whole-document parse names.
//!
//! Cutting is only safe when the pieces mean what the whole document
//! means, so any doubt gives up (`None`) and the caller parses the whole
//! document instead: a multi-line string anywhere (a header line inside
//! one would be cut), text that is not UTF-8, a piece that does not parse
//! (the whole parse then reports the error, at its line), a piece with
//! any top-level key but its own array, nodes after links, a key both
//! before and after the records, or header tables or commodities after
//! them (they change how earlier records are built).

use crate::build::{
    AddFn, BuildFn, Builder, Built, Sources, add_link, add_node, link_element, node_element,
};
use crate::toml_doc::{HEADER_TABLES, Lines, add_document, parse};
use crate::toml_plain;
use crate::{Error, Result};
use corridor_model::{Diagnostic, Network};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::Arc;

/// Bytes of records read before the threads parse them: large enough to
/// keep every core busy, small enough that the records in flight (some
/// 30 bytes of memory per byte of TOML) stay about a hundred MB.
const BLOCK_BYTES: usize = 4 << 20;

/// Files smaller than this are parsed whole: one parse is as quick, and
/// the network is small anyway.
const MIN_BYTES: u64 = 1 << 20;

/// A network built and the diagnostics found, as `build` returns them.
pub(crate) type BuiltNetwork = (Network, Vec<Diagnostic>);

/// Reads the TOML network at `path` in pieces, or `None` when it is
/// small or cannot safely be cut (the caller then parses it whole).
pub(crate) fn read_file(path: &Path, file: &str) -> Result<Option<BuiltNetwork>> {
    let io = |e| Error::io(path, e);
    let f = std::fs::File::open(path).map_err(io)?;
    if f.metadata().map_err(io)?.len() < MIN_BYTES {
        return Ok(None);
    }
    read(BufReader::with_capacity(1 << 16, f), file, BLOCK_BYTES).map_err(io)
}

/// What a line means for cutting.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    /// `[[nodes]]`: a node record starts here.
    Nodes,
    /// `[[links]]`: a link record starts here.
    Links,
    /// A table of another known name (`[network]`, `[[terminals]]`, …):
    /// the run of records ends here.
    Tail,
    /// Anything else: a key, a comment, a sub-table of a record.
    Other,
}

impl Kind {
    fn name(self) -> &'static str {
        if self == Kind::Nodes {
            "nodes"
        } else {
            "links"
        }
    }
}

/// The kind of a line: a table header with a known name (spaces and a
/// trailing comment allowed; a quoted name is `Other`, and then the piece
/// holding it has a second key and is refused).
fn kind(line: &[u8]) -> Kind {
    let blank = |c: &u8| *c == b' ' || *c == b'\t';
    let trim = |s: &[u8]| -> usize { s.iter().take_while(|c| blank(c)).count() };
    let s = &line[trim(line)..];
    let Some(inner) = s.strip_prefix(b"[") else {
        return Kind::Other;
    };
    let array = inner.first() == Some(&b'[');
    let inner = if array { &inner[1..] } else { inner };
    let inner = &inner[trim(inner)..];
    let len = inner
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c == b'-')
        .count();
    let (name, rest) = inner.split_at(len);
    let rest = &rest[trim(rest)..];
    let known = ["commodities", "terminals", "borders"]
        .iter()
        .chain(HEADER_TABLES.iter())
        .any(|n| n.as_bytes() == name);
    if known && (rest.starts_with(b"]") || rest.starts_with(b".")) {
        return Kind::Tail;
    }
    let record = match name {
        b"nodes" if array => Kind::Nodes,
        b"links" if array => Kind::Links,
        _ => return Kind::Other,
    };
    let Some(after) = rest.strip_prefix(b"]]") else {
        return Kind::Other;
    };
    let after = &after[trim(after)..];
    match after.first() {
        None | Some(b'\r' | b'\n' | b'#') => record,
        _ => Kind::Other,
    }
}

fn newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&c| c == b'\n').count() as u64
}

/// Text the pieces may be cut from: UTF-8 without a multi-line string.
fn plain_text(bytes: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(bytes).ok()?;
    (!text.contains("\"\"\"") && !text.contains("'''")).then_some(text)
}

/// The lines before the records or after them, parsed whole: their
/// records and their top-level keys.
fn parse_part(bytes: &[u8], file: &Arc<str>, above: u64) -> Option<(Sources, Vec<String>)> {
    let text = plain_text(bytes)?;
    let lines = Lines::below(text, above);
    let doc = parse(text, file, &lines).ok()?;
    let keys = doc.get_ref().iter().map(|(k, _)| k.get_ref().to_string());
    let keys = keys.collect();
    let mut src = Sources::default();
    add_document(doc.get_ref(), &lines, file, &mut src);
    Some((src, keys))
}

/// Reads a TOML network from `input` in blocks of about `block_bytes`;
/// `None` when it cannot safely be cut (see the module doc), `Err` only
/// for an I/O error.
pub(crate) fn read(
    mut input: impl BufRead,
    file: &str,
    block_bytes: usize,
) -> std::io::Result<Option<BuiltNetwork>> {
    let file: Arc<str> = file.into();
    let mut line = Vec::new();
    let mut prefix = Vec::new();
    let first = loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        match kind(&line) {
            k @ (Kind::Nodes | Kind::Links) => break k,
            _ => prefix.extend_from_slice(&line),
        }
    };
    let Some((src, prefix_keys)) = parse_part(&prefix, &file, 0) else {
        return Ok(None);
    };
    if prefix_keys.iter().any(|k| k == "nodes" || k == "links") {
        return Ok(None);
    }
    let mut b = Builder::new(src.diagnostics);
    src.header.iter().for_each(|r| b.header(r));
    src.commodities.iter().for_each(|r| b.commodity(r));
    let (mut terminals, mut borders) = (src.terminals, src.borders);
    let mut above = newlines(&prefix);
    drop(prefix);
    let mut run = Run {
        block: std::mem::take(&mut line),
        cuts: vec![(0, first)],
        links_begun: false,
    };
    let tail = loop {
        let mut next = None;
        let mut tail = None;
        loop {
            line.clear();
            if input.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            match kind(&line) {
                Kind::Tail => {
                    tail = Some(std::mem::take(&mut line));
                    break;
                }
                k @ (Kind::Nodes | Kind::Links) if run.block.len() >= block_bytes => {
                    next = Some(k);
                    break;
                }
                k @ (Kind::Nodes | Kind::Links) => run.cuts.push((run.block.len(), k)),
                Kind::Other => {}
            }
            run.block.extend_from_slice(&line);
        }
        if !run.add(above, &file, &mut b) {
            return Ok(None);
        }
        above += newlines(&run.block);
        let Some(k) = next else { break tail };
        run.block.clear();
        run.block.extend_from_slice(&line);
        run.cuts = vec![(0, k)];
    };
    if let Some(mut tail) = tail {
        input.read_to_end(&mut tail)?;
        let Some((src, keys)) = parse_part(&tail, &file, above) else {
            return Ok(None);
        };
        // Only terminals, borders and unknown sections may follow the
        // records, each under a key of its own.
        let early = |k: &String| {
            ["nodes", "links", "commodities"].contains(&k.as_str())
                || HEADER_TABLES.contains(&k.as_str())
                || prefix_keys.contains(k)
        };
        if keys.iter().any(early) {
            return Ok(None);
        }
        src.diagnostics.into_iter().for_each(|d| b.diagnostic(d));
        terminals.extend(src.terminals);
        borders.extend(src.borders);
    }
    terminals.iter().for_each(|r| b.terminal(r));
    borders.iter().for_each(|r| b.border(r));
    Ok(Some(b.finish()))
}

/// One block of whole lines of records and where its records start.
struct Run {
    block: Vec<u8>,
    /// Offsets of the `[[nodes]]` / `[[links]]` lines in the block.
    cuts: Vec<(usize, Kind)>,
    /// Whether links came already: nodes after links would be built
    /// before them by the whole parse (and are refused here).
    links_begun: bool,
}

/// A piece of a block: bytes, the array its records are in, lines of the
/// file above it, and which of the block's cuts (its records) it holds.
type Piece = (std::ops::Range<usize>, Kind, u64, std::ops::Range<usize>);

impl Run {
    /// Builds the block's records on every core and adds them in order;
    /// `false` when a piece cannot be read this way.
    fn add(&mut self, above: u64, file: &Arc<str>, b: &mut Builder) -> bool {
        let Some(text) = plain_text(&self.block) else {
            return false;
        };
        let pieces = self.pieces(text, above);
        let nodes = pieces.partition_point(|p| p.1 == Kind::Nodes);
        let (node_pieces, link_pieces) = pieces.split_at(nodes);
        if link_pieces.iter().any(|p| p.1 == Kind::Nodes)
            || (self.links_begun && !node_pieces.is_empty())
        {
            return false;
        }
        self.links_begun |= !link_pieces.is_empty();
        let cuts = &self.cuts;
        let nodes = (toml_plain::node as PlainFn<_>, node_element as BuildFn<_>);
        let links = (toml_plain::link as PlainFn<_>, link_element as BuildFn<_>);
        add_pieces(b, (text, cuts), node_pieces, file, nodes, add_node)
            && add_pieces(b, (text, cuts), link_pieces, file, links, add_link)
    }

    /// About four pieces per core, each of one kind of record.
    fn pieces(&self, text: &str, mut above: u64) -> Vec<Piece> {
        let step = text.len() / (rayon::current_num_threads() * 4) + 1;
        let mut pieces: Vec<Piece> = Vec::new();
        let (mut start, mut first_cut) = (0, 0);
        for (i, &(at, k)) in self.cuts.iter().enumerate() {
            let end = self.cuts.get(i + 1).map_or(text.len(), |c| c.0);
            let next_kind = self.cuts.get(i + 1).map(|c| c.1);
            if end - start >= step || end == text.len() || next_kind != Some(k) {
                debug_assert!(at >= start);
                pieces.push((start..end, k, above, first_cut..i + 1));
                above += newlines(&text.as_bytes()[start..end]);
                (start, first_cut) = (end, i + 1);
            }
        }
        pieces
    }
}

/// Builds `pieces` of `text` on every core and adds their elements in
/// order; `false` (nothing added) when one cannot be read.
fn add_pieces<T: Send>(
    b: &mut Builder,
    (text, cuts): (&str, &[(usize, Kind)]),
    pieces: &[Piece],
    file: &Arc<str>,
    ways: (PlainFn<T>, BuildFn<T>),
    add: AddFn<T>,
) -> bool {
    if pieces.is_empty() {
        return true;
    }
    let mut ok = true;
    b.add_built_with(
        |net, names| {
            let built: Option<Vec<_>> = pieces
                .par_iter()
                .map(|(range, k, above, records)| {
                    let starts = cuts[records.clone()].iter().map(|c| c.0 - range.start);
                    let piece = (&text[range.clone()], k.name(), *above);
                    piece_elements(piece, starts, file, (net, names), ways)
                })
                .collect();
            built.unwrap_or_else(|| {
                ok = false;
                Vec::new()
            })
        },
        add,
    );
    ok
}

/// The short way from a record to an element (`toml_plain`): the
/// record's text, its file and the line of its header.
type PlainFn<T> = fn(&str, (&Arc<str>, u64), &Network) -> Option<Built<T>>;

/// One piece's records built, each plain one the short way and each run
/// of the others through `toml` and `build` (`general`); `None` when such
/// a run cannot be read that way.
fn piece_elements<T>(
    (piece, name, above): (&str, &str, u64),
    starts: impl Iterator<Item = usize>,
    file: &Arc<str>,
    (net, names): (&Network, &BTreeSet<String>),
    (plain, build): (PlainFn<T>, BuildFn<T>),
) -> Option<(Vec<Built<T>>, Vec<Diagnostic>)> {
    // A name per piece: one shared by every thread would have its count
    // bounced between the cores per record.
    let file: Arc<str> = Arc::from(&**file);
    let mut built = Vec::new();
    let mut diags = Vec::new();
    // The start of the run of records left to the general way, and the
    // lines of the file above it.
    let mut pending: Option<(usize, u64)> = None;
    let mut above_rec = above;
    let mut starts = starts.peekable();
    while let Some(start) = starts.next() {
        let end = starts.peek().copied().unwrap_or(piece.len());
        let rec = &piece[start..end];
        match plain(rec, (&file, above_rec + 1), net) {
            Some(x) => {
                if let Some((from, lines)) = pending.take() {
                    let run = (&piece[from..start], name, lines);
                    general(run, &file, (net, names), build, (&mut built, &mut diags))?;
                }
                built.push(x);
            }
            None => {
                pending.get_or_insert((start, above_rec));
            }
        }
        above_rec += newlines(rec.as_bytes());
    }
    if let Some((from, lines)) = pending {
        let run = (&piece[from..], name, lines);
        general(run, &file, (net, names), build, (&mut built, &mut diags))?;
    }
    Some((built, diags))
}

/// Records parsed by `toml` and built by `build` into `out`; `None` unless
/// they parse to exactly one array of tables named `name`, read without a
/// diagnostic of its own.
fn general<T>(
    (text, name, above): (&str, &str, u64),
    file: &Arc<str>,
    (net, names): (&Network, &BTreeSet<String>),
    build: BuildFn<T>,
    (built, diags): (&mut Vec<Built<T>>, &mut Vec<Diagnostic>),
) -> Option<()> {
    let lines = Lines::below(text, above);
    let mut src = Sources::default();
    {
        let doc = parse(text, file, &lines).ok()?;
        let mut keys = doc.get_ref().iter().map(|(k, _)| k.get_ref().as_ref());
        if keys.next() != Some(name) || keys.next().is_some() {
            return None;
        }
        add_document(doc.get_ref(), &lines, file, &mut src);
    }
    if !src.diagnostics.is_empty() {
        return None;
    }
    let recs = if name == "nodes" {
        src.nodes
    } else {
        src.links
    };
    built.extend(recs.iter().filter_map(|r| build(r, net, names, diags)));
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Loaded;
    use crate::build::build;
    use crate::toml_doc::toml_sources;

    /// The 6,000-link TOML grid with broken records (a negative capacity,
    /// an unknown node, duplicate node and link ids), a commodity, and a
    /// terminal and an unknown section after the records.
    fn broken_grid() -> String {
        let cfg = corridor_fixtures::grid::GridConfig::square_with_links(6_000);
        let mut bytes = Vec::new();
        corridor_fixtures::grid::write_toml(&cfg, &mut bytes).unwrap();
        String::from_utf8(bytes)
            .unwrap()
            .replacen("\ncapacity = ", "\ncapacity = -", 1)
            .replacen("to = \"n1_0\"", "to = \"nowhere\"", 1)
            .replacen("id = \"e5_1\"", "id = \"e5_0\"", 1)
            .replacen("id = \"n0_1\"\n", "id = \"n0_0\"\n", 1)
            .replacen("lat = 40.0000\n", "lat = 400\n", 1)
            .replacen(
                "[[nodes]]",
                "[[commodities]]\nname = \"grain\"\nclass = \"bulk\"\n\n[[nodes]]",
                1,
            )
            + "[[terminals]]\nid = \"t\"\nnode = \"n0_0\"\nconnects = [\"rail:1435 <-> road\"]\n\
               accepts = [\"coal\"]\n\n[extra]\nx = 1\n"
    }

    fn whole(text: &str) -> Loaded {
        let (net, diags) = build(toml_sources(text, "grid.toml").unwrap());
        Loaded::new(net, diags)
    }

    fn pieces(text: &str, block_bytes: usize) -> Option<Loaded> {
        let (net, diags) = read(text.as_bytes(), "grid.toml", block_bytes).unwrap()?;
        Some(Loaded::new(net, diags))
    }

    /// Read both ways, in blocks of several sizes (so that a block ends
    /// between nodes and links, and nodes and links share a block), the
    /// broken grid gives the same network and the same diagnostics, at
    /// the same lines.
    #[test]
    fn pieces_give_the_network_and_diagnostics_of_the_whole_document() {
        let text = broken_grid();
        let all = whole(&text);
        let said: Vec<String> = all.diagnostics.iter().map(|d| d.to_string()).collect();
        for what in [
            "capacity",
            "unknown node \"nowhere\"",
            "duplicate id \"e5_0\"",
            "duplicate id \"n0_0\"",
            "lat",
            "\"coal\" is neither",
            "unknown section",
        ] {
            assert!(said.iter().any(|d| d.contains(what)), "{what}: {said:?}");
        }
        for block in [1, 10_000, 100_000, 1 << 20, 1 << 30] {
            let cut = pieces(&text, block).expect("cut");
            let net = (&cut.network, &all.network);
            assert_eq!(net.0.name, net.1.name);
            assert_eq!(net.0.commodities, net.1.commodities);
            assert_eq!(net.0.nodes, net.1.nodes);
            assert_eq!(net.0.links.len(), net.1.links.len());
            for (a, b) in net.0.links.iter().zip(&net.1.links) {
                assert_eq!(a, b);
            }
            assert_eq!(net.0.terminals, net.1.terminals);
            assert_eq!(cut.diagnostics, all.diagnostics, "block {block}");
        }
    }

    /// Records the short way (`toml_plain`) leaves to `toml` among the
    /// plain ones — escapes, dotted keys, inline tables, a multi-line
    /// array, comments, literal strings, unknown keys, units — and the
    /// whole file with CRLF line breaks: read in pieces, they give the
    /// network and diagnostics of the whole parse, at the same lines.
    #[test]
    fn records_of_every_spelling_read_as_the_whole_document_reads_them() {
        let edits = [
            ("id = \"n0_2\"\n", "name = \"Gda\\u0144sk \\\"G\\\"\\t\"\n"),
            (
                "id = \"n0_3\"\n",
                "# a comment line\nname = 'literal'  # and one after\n",
            ),
            (
                "id = \"n0_4\"\n",
                "tags = [\"a\", 'b;c', ]\nopen = \"closed\"\n",
            ),
            ("id = \"e0_1\"\n", "speed.x = 3\n"),
            ("id = \"e0_2\"\n", "tags = { a = 1 }\n"),
            (
                "id = \"e0_3\"\n",
                "tags = [\n  \"a\",  # first\n  \"b;c\",\n]\n",
            ),
            ("id = \"e0_4\"\n", "colour = \"red\"\n"),
            ("id = \"e0_5\"\n", "speed = \"60 kn\"\nhours = \"90 min\"\n"),
            ("id = \"e0_6\"\n", "\"oneway\" = true\n"),
            ("id = \"e0_7\"\n", "speed = 0\n"),
            ("id = \"e0_8\"\n", "allow = [\"grain\", \"gravel\"]\n"),
        ];
        let mut text = broken_grid();
        for (id, extra) in edits {
            assert!(text.contains(id), "{id}");
            text = text.replacen(id, &format!("{id}{extra}"), 1);
        }
        for text in [text.clone(), text.replace('\n', "\r\n")] {
            let all = whole(&text);
            let said: Vec<String> = all.diagnostics.iter().map(|d| d.to_string()).collect();
            for what in [
                "speed.x",
                "tags.a",
                "colour",
                "speed",
                "\"gravel\" is neither",
            ] {
                assert!(said.iter().any(|d| d.contains(what)), "{what}: {said:?}");
            }
            let named = |id: &str| {
                all.network
                    .nodes
                    .iter()
                    .find(|n| n.source_id == id)
                    .unwrap()
            };
            // Text is trimmed, the escaped tab too.
            assert_eq!(named("n0_2").name, "Gdańsk \"G\"");
            assert!(!named("n0_4").open);
            for block in [1, 10_000, 1 << 30] {
                let cut = pieces(&text, block).expect("cut");
                assert_eq!(cut.network.nodes, all.network.nodes);
                assert!(cut.network.links == all.network.links, "block {block}");
                assert_eq!(cut.diagnostics, all.diagnostics, "block {block}");
            }
        }
    }

    /// What the pieces cannot prove to mean the same is left to the whole
    /// parse; a syntax error is one (reported by the whole parse).
    #[test]
    fn doubtful_text_is_left_to_the_whole_parse() {
        let text = broken_grid();
        let doubtful = [
            text.replacen("name = \"grid\"", "name = \"\"\"grid\"\"\"", 1),
            text.replacen("kind = \"station\"", "kind = '''station'''", 1),
            text.replacen("mode = \"rail\"\n", "mode = \"rail\n", 1),
            text.replacen("[[links]]", "[[links]]\n[network]\nname = \"x\"", 1),
            text.clone() + "[[nodes]]\nid = \"late\"\nlon = 1\nlat = 1\n",
            text.clone() + "[[commodities]]\nname = \"late\"\nclass = \"bulk\"\n",
            text.clone() + "[network]\ncurrency = \"USD\"\n",
            text.replacen("[[links]]", "[[links]]\nfrom.x = 1\n", 1),
            format!("nodes = 1\n{text}"),
            "[network]\nname = \"no records\"\n".to_string(),
        ];
        for (i, t) in doubtful.iter().enumerate() {
            assert!(pieces(t, 10_000).is_none(), "case {i}");
        }
        let broken = &doubtful[2];
        let e = toml_sources(broken, "grid.toml").err().unwrap().to_string();
        let line = 1 + broken[..broken.find("\"rail\n").unwrap()]
            .matches('\n')
            .count();
        assert!(e.contains(&format!("grid.toml:{line}")), "{e}");
    }

    /// `read_toml` cuts a file of a few MB (the CLI's path) and gets what
    /// the whole parse gets.
    #[test]
    fn read_toml_cuts_a_large_file() {
        let cfg = corridor_fixtures::grid::GridConfig::square_with_links(12_000);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("grid.toml");
        let mut f = std::fs::File::create(&path).unwrap();
        corridor_fixtures::grid::write_toml(&cfg, &mut f).unwrap();
        drop(f);
        assert!(std::fs::metadata(&path).unwrap().len() >= MIN_BYTES);
        let file = path.display().to_string();
        assert!(read_file(&path, &file).unwrap().is_some());
        let read = crate::read_toml(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let (net, diags) = build(toml_sources(&text, &file).unwrap());
        let all = Loaded::new(net, diags);
        assert_eq!(read.network.nodes, all.network.nodes);
        assert!(read.network.links.len() >= 12_000);
        assert!(read.network.links == all.network.links);
        assert_eq!(read.diagnostics, all.diagnostics);
    }

    #[test]
    fn header_lines_are_told_apart() {
        assert_eq!(kind(b"[[nodes]]\n"), Kind::Nodes);
        assert_eq!(kind(b"  [[ links ]]  # the roads\r\n"), Kind::Links);
        assert_eq!(kind(b"[[links]]"), Kind::Links);
        assert_eq!(kind(b"[[links.tags]]\n"), Kind::Other);
        assert_eq!(kind(b"[nodes]\n"), Kind::Other);
        assert_eq!(kind(b"[[\"links\"]]\n"), Kind::Other);
        assert_eq!(kind(b"[[linksx]]\n"), Kind::Other);
        assert_eq!(kind(b"[[terminals]]\n"), Kind::Tail);
        assert_eq!(kind(b"[defaults.rail]\n"), Kind::Tail);
        assert_eq!(kind(b"[network]\n"), Kind::Tail);
        assert_eq!(kind(b"  [30.5, 50.4],\n"), Kind::Other);
        assert_eq!(kind(b"id = \"[[nodes]]\"\n"), Kind::Other);
    }
}

//! Compiled networks (`corridor build`): a network as read, with its
//! warnings, in one versioned and checksummed binary file that loads many
//! times faster than the CSV or TOML it came from. The layout is documented
//! in `docs/compiled-networks.md`; this module owns the header, the section
//! table and the refusal of foreign, stale, truncated and damaged files
//! (each with a message naming the file). Element rows are in `elements`,
//! numbers and strings in `codec`.
//!
//! The file is memory-mapped (read whole where mapping fails) and decoded
//! section by section, node and link rows in parallel (each row has its
//! own offset). Once the checksum has been checked, and again after each
//! section is decoded, the kernel is told it may take those pages back
//! (`MADV_DONTNEED`: they are clean page cache, read again if touched), so
//! resident memory holds the model built so far plus the section being
//! decoded, never the whole file beside the whole model. The file is not
//! copied into an anonymous buffer, so its pages need no zeroing either.
//!
//! A file may also carry the engine's routing lowering of the network
//! (section `LOWR`), opaque bytes here: `corridor build` stores them and
//! `route` reads them back ([`read_with_lowering`]) instead of lowering
//! millions of links again; and a nested-dissection order of that lowering
//! (section `CCHO`, `corridor build --cch`) for the contraction hierarchy
//! ([`read_with_stored`]).

mod codec;
mod elements;

use crate::{Error, Loaded, Result};
use codec::{Corrupt, Dec, DecResult, Enc};
use corridor_model::{Detached, Diagnostic, Link, Mode, Network, Node, NodeId, NodeKind};
use rayon::prelude::*;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The first bytes of every compiled network: a non-ASCII byte (so no text
/// file starts this way), the name, and line-ending bytes that a text-mode
/// transfer would mangle (as PNG does).
pub const MAGIC: [u8; 12] = *b"\x89CORRIDOR\r\n\x1a";
/// The layout's version; a file of another version is refused as stale.
/// Bump it whenever the bytes written for any element change.
pub const FORMAT_VERSION: u32 = 3;
/// The file extension `corridor build` writes and readers recognise.
pub const EXTENSION: &str = "corridor";
/// Header bytes before the section table.
const HEADER_LEN: usize = 64;
/// Bytes of one section table entry.
const ENTRY_LEN: usize = 24;
/// The section table: (tag, start, end) per section.
type Sections = Vec<([u8; 4], usize, usize)>;

/// The optional section holding the engine's routing lowering.
const LOWERING: &[u8; 4] = b"LOWR";
/// The optional section holding a nested-dissection order of that
/// lowering, for the contraction hierarchy (`corridor build --cch`).
const CCH_ORDER: &[u8; 4] = b"CCHO";

/// The optional sections of a compiled file, as opaque bytes: the engine
/// writes and checks them (`corridor_engine::lower::stored_routing_lowering`,
/// `corridor_engine::hierarchy::stored_order_bytes`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Stored<'a> {
    /// Section `LOWR`: the routing lowering.
    pub lowering: Option<&'a [u8]>,
    /// Section `CCHO`: a nested-dissection order of that lowering.
    pub cch_order: Option<&'a [u8]>,
}
/// The sections every file has, in the order they are written.
const TAGS: [&[u8; 4]; 8] = [
    b"HEAD", b"COMM", b"NODE", b"LINK", b"TERM", b"BORD", b"DIAG", b"FILE",
];

/// The bytes of a compiled network: `net` with the `diagnostics` found when
/// it was read (warnings, since `corridor build` refuses networks with
/// errors, but any are kept as given).
pub fn to_bytes(net: &Network, diagnostics: &[Diagnostic]) -> Vec<u8> {
    to_bytes_with_lowering(net, diagnostics, None)
}

/// [`to_bytes`] plus, when given, the engine's routing lowering of `net`
/// (`corridor_engine::stored_routing_lowering`), stored as section `LOWR`
/// after the others.
pub fn to_bytes_with_lowering(
    net: &Network,
    diagnostics: &[Diagnostic],
    lowering: Option<&[u8]>,
) -> Vec<u8> {
    to_bytes_with_stored(
        net,
        diagnostics,
        Stored {
            lowering,
            cch_order: None,
        },
    )
}

/// [`to_bytes`] plus the optional sections given in `stored` (`LOWR`,
/// then `CCHO`), after the others.
pub fn to_bytes_with_stored(
    net: &Network,
    diagnostics: &[Diagnostic],
    stored: Stored<'_>,
) -> Vec<u8> {
    let mut e = Enc::default();
    let mut bounds = Vec::with_capacity(TAGS.len() + 1);
    let mut section = |e: &mut Enc, put: &dyn Fn(&mut Enc)| {
        let start = e.buf.len();
        put(e);
        bounds.push((start, e.buf.len()));
    };
    section(&mut e, &|e| elements::put_header(e, net));
    section(&mut e, &|e| {
        list(e, &net.commodities, elements::put_commodity)
    });
    section(&mut e, &|e| rows(e, &net.nodes, elements::put_node));
    section(&mut e, &|e| rows(e, &net.links, elements::put_link));
    section(&mut e, &|e| list(e, &net.terminals, elements::put_terminal));
    section(&mut e, &|e| list(e, &net.borders, elements::put_border));
    section(&mut e, &|e| list(e, diagnostics, elements::put_diagnostic));
    // Files last: the other sections name them as they are met.
    let files: Vec<String> = e.files.iter().map(|f| f.to_string()).collect();
    section(&mut e, &|e| e.strs(&files));
    let mut tags: Vec<&[u8; 4]> = TAGS.to_vec();
    for (tag, bytes) in [(LOWERING, stored.lowering), (CCH_ORDER, stored.cch_order)] {
        if let Some(b) = bytes {
            section(&mut e, &|e| e.buf.extend_from_slice(b));
            tags.push(tag);
        }
    }

    let table_len = tags.len() * ENTRY_LEN;
    let mut out = Vec::with_capacity(HEADER_LEN + table_len + e.buf.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    let mut version = [0u8; 32];
    let ours = env!("CARGO_PKG_VERSION").as_bytes();
    version[..ours.len().min(32)].copy_from_slice(&ours[..ours.len().min(32)]);
    out.extend_from_slice(&version);
    out.extend_from_slice(&[0; 12]); // length and checksum: `seal`
    out.extend_from_slice(&(tags.len() as u32).to_le_bytes());
    debug_assert_eq!(out.len(), HEADER_LEN);
    for (tag, (start, end)) in tags.iter().zip(&bounds) {
        out.extend_from_slice(&tag[..]);
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&((HEADER_LEN + table_len + start) as u64).to_le_bytes());
        out.extend_from_slice(&((end - start) as u64).to_le_bytes());
    }
    out.extend_from_slice(&e.buf);
    seal(&mut out);
    out
}

/// Writes the length and checksum fields of a file's header from its
/// bytes (for the writer, and for fuzzing the decoder behind them).
pub(crate) fn seal(bytes: &mut [u8]) {
    if bytes.len() < HEADER_LEN {
        return;
    }
    let total = bytes.len() as u64;
    bytes[48..56].copy_from_slice(&total.to_le_bytes());
    let crc = checksum(bytes);
    bytes[56..60].copy_from_slice(&crc.to_le_bytes());
}

/// A count then each element.
fn list<T>(e: &mut Enc, items: &[T], put: fn(&mut Enc, &T)) {
    e.len(items.len());
    for x in items {
        put(e, x);
    }
}

/// A count, one u64 offset per row (from the section's start), then the
/// rows: what lets the reader decode rows in parallel.
fn rows<T>(e: &mut Enc, items: &[T], put: fn(&mut Enc, &T)) {
    let start = e.buf.len();
    e.len(items.len());
    let offsets = e.buf.len();
    e.buf.resize(offsets + 8 * items.len(), 0);
    for (i, x) in items.iter().enumerate() {
        let at = ((e.buf.len() - start) as u64).to_le_bytes();
        e.buf[offsets + 8 * i..offsets + 8 * i + 8].copy_from_slice(&at);
        put(e, x);
    }
}

/// Bytes of the pieces [`checksum`] hashes on separate cores.
const CHECKSUM_PIECE: usize = 8 << 20;

/// CRC-32 of the whole file except the checksum field itself. Pieces are
/// hashed on every core and combined in order (the same number as one
/// pass): on a country-scale file this pass, and the page faults of
/// mapping the file's pages for it, were the longest part of a load done
/// on one core.
fn checksum(bytes: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(&bytes[..56]);
    let pieces: Vec<(u32, u64)> = bytes[60..]
        .par_chunks(CHECKSUM_PIECE)
        .map(|p| (crc32fast::hash(p), p.len() as u64))
        .collect();
    for (crc, len) in pieces {
        h.combine(&crc32fast::Hasher::new_with_initial_len(crc, len));
    }
    h.finalize()
}

/// Reads a compiled network written by [`to_bytes`].
pub fn read(path: &Path) -> Result<Loaded> {
    read_with_lowering(path, |_, _| ()).map(|(loaded, ())| loaded)
}

/// The bytes of a compiled file: mapped, or read whole where the file
/// cannot be mapped (an empty file, a file system without mmap).
enum FileBytes {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl FileBytes {
    fn open(path: &Path) -> Result<FileBytes> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        // SAFETY: the map is read-only and private to this call. Changing
        // the file while it is mapped would change these bytes under us;
        // `corridor build` never does that (it writes a new file and renames
        // it over the old one, so a map keeps the old file's pages), and
        // every byte is checked (checksum, then each index) before use.
        match unsafe { memmap2::Mmap::map(&file) } {
            Ok(m) => {
                // Read ahead: the checksum reads every byte in order.
                let _ = m.advise(memmap2::Advice::Sequential);
                Ok(FileBytes::Mapped(m))
            }
            Err(_) => std::fs::read(path)
                .map(FileBytes::Read)
                .map_err(|e| Error::io(path, e)),
        }
    }

    fn bytes(&self) -> &[u8] {
        match self {
            FileBytes::Mapped(m) => m,
            FileBytes::Read(v) => v,
        }
    }

    /// Lets the kernel take back the resident pages of `start..end` (what
    /// was just checked or decoded); they are read from the file again if
    /// touched. A no-op for a buffer read whole.
    fn release(&self, start: usize, end: usize) {
        if let FileBytes::Mapped(m) = self
            && end > start
        {
            let _ = m.advise_range(memmap2::Advice::DontNeed, start, end - start);
        }
    }
}

/// [`read`], handing the stored routing lowering's bytes (when the file
/// has them) with the decoded network to `lowering`, whose answer comes
/// back beside the network: the engine decodes them
/// (`corridor_engine::Lowered::from_stored`) straight from the file's
/// buffer, so the largest section is never copied.
pub fn read_with_lowering<T>(
    path: &Path,
    lowering: impl FnOnce(&Network, Option<&[u8]>) -> T,
) -> Result<(Loaded, T)> {
    read_with_stored(path, |net, stored| lowering(net, stored.lowering))
}

/// [`from_bytes`] with the stored lowering ([`read_with_lowering`]).
pub fn from_bytes_with_lowering<T>(
    bytes: &[u8],
    path: &Path,
    lowering: impl FnOnce(&Network, Option<&[u8]>) -> T,
) -> Result<(Loaded, T)> {
    from_bytes_with_stored(bytes, path, |net, stored| lowering(net, stored.lowering))
}

/// [`read_with_lowering`] for every optional section ([`Stored`]).
pub fn read_with_stored<T>(
    path: &Path,
    use_stored: impl FnOnce(&Network, Stored<'_>) -> T,
) -> Result<(Loaded, T)> {
    let file = FileBytes::open(path)?;
    let release = |start, end| file.release(start, end);
    decode_sections(file.bytes(), path, use_stored, &release)
}

/// [`from_bytes`] with every optional section ([`read_with_stored`]).
pub fn from_bytes_with_stored<T>(
    bytes: &[u8],
    path: &Path,
    use_stored: impl FnOnce(&Network, Stored<'_>) -> T,
) -> Result<(Loaded, T)> {
    decode_sections(bytes, path, use_stored, &|_, _| {})
}

/// Checks and decodes `bytes`, calling `release(start, end)` on each range
/// of them once it is no longer needed (the whole file after the
/// checksum, then each section after it is decoded).
fn decode_sections<T>(
    bytes: &[u8],
    path: &Path,
    use_stored: impl FnOnce(&Network, Stored<'_>) -> T,
    release: &dyn Fn(usize, usize),
) -> Result<(Loaded, T)> {
    let (loaded, sections) = decode_checked(bytes, path, release)?;
    let find = |tag: &[u8; 4]| {
        sections
            .iter()
            .find(|(t, _, _)| t == tag)
            .map(|&(_, s, e)| (s, e))
    };
    let (lowering, order) = (find(LOWERING), find(CCH_ORDER));
    let stored = Stored {
        lowering: lowering.map(|(s, e)| &bytes[s..e]),
        cch_order: order.map(|(s, e)| &bytes[s..e]),
    };
    let t = use_stored(&loaded.network, stored);
    for (s, e) in lowering.into_iter().chain(order) {
        release(s, e);
    }
    Ok((loaded, t))
}

/// Whether `path` is a file that starts like a compiled network (so a
/// compiled file is recognised whatever it is called).
pub fn looks_compiled(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; MAGIC.len()];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| head == MAGIC)
}

fn refuse(path: &Path, problem: impl Into<String>) -> Error {
    Error::Compiled {
        path: path.to_path_buf(),
        problem: problem.into(),
    }
}

/// Decodes a compiled network; `path` only names the file in errors.
pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Loaded> {
    decode_checked(bytes, path, &|_, _| {}).map(|(loaded, _)| loaded)
}

/// The network and the section table (so callers find other sections
/// without checking the header again).
fn decode_checked(
    bytes: &[u8],
    path: &Path,
    release: &dyn Fn(usize, usize),
) -> Result<(Loaded, Sections)> {
    let sections = check_header(bytes, path)?;
    release(0, bytes.len());
    let loaded = decode(bytes, &sections, release).map_err(|Corrupt(what)| {
        refuse(
            path,
            format!("damaged compiled network ({what}); build it again with `corridor build`"),
        )
    })?;
    Ok((loaded, sections))
}

/// Refuses foreign, stale, truncated and damaged files; returns the
/// section table as (tag, start, end).
fn check_header(bytes: &[u8], path: &Path) -> Result<Sections> {
    let again = "build it again with `corridor build`";
    if !bytes.starts_with(&MAGIC) {
        let partial = !bytes.is_empty() && MAGIC.starts_with(bytes);
        return Err(refuse(
            path,
            if partial {
                format!(
                    "truncated compiled network ({} bytes); {again}",
                    bytes.len()
                )
            } else {
                "not a compiled Corridor network (it does not start with Corridor's marker); \
                 networks are .toml files, CSV folders, *_net.tntp files or files written by \
                 `corridor build`"
                    .to_string()
            },
        ));
    }
    if bytes.len() < HEADER_LEN {
        return Err(refuse(
            path,
            format!(
                "truncated compiled network ({} bytes); {again}",
                bytes.len()
            ),
        ));
    }
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes"));
    let u64_at = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
    let version = u32_at(12);
    let built_by = String::from_utf8_lossy(&bytes[16..48])
        .trim_end_matches('\0')
        .to_string();
    if version != FORMAT_VERSION {
        return Err(refuse(
            path,
            format!(
                "stale compiled network: written by Corridor {built_by} in format version \
                 {version}, this Corridor {} reads version {FORMAT_VERSION}; build it again \
                 from its source network with `corridor build`",
                env!("CARGO_PKG_VERSION")
            ),
        ));
    }
    let total = u64_at(48);
    if total != bytes.len() as u64 {
        let what = if (bytes.len() as u64) < total {
            "truncated"
        } else {
            "damaged"
        };
        return Err(refuse(
            path,
            format!(
                "{what} compiled network ({} bytes, its header says {total}); {again}",
                bytes.len()
            ),
        ));
    }
    let (stored, actual) = (u32_at(56), checksum(bytes));
    if stored != actual {
        return Err(refuse(
            path,
            format!(
                "damaged compiled network (checksum {actual:08x}, its header says \
                 {stored:08x}); {again}"
            ),
        ));
    }
    section_table(bytes, u32_at(60) as usize).map_err(|Corrupt(what)| {
        refuse(path, format!("damaged compiled network ({what}); {again}"))
    })
}

fn section_table(bytes: &[u8], n: usize) -> DecResult<Sections> {
    let mut d = Dec::at(bytes, HEADER_LEN, &[]);
    if n > 1024 {
        return Err(Corrupt(format!("{n} sections")));
    }
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let tag: [u8; 4] = d.take(4)?.try_into().expect("4 bytes");
        d.u32()?;
        let (start, len) = (d.u64()?, d.u64()?);
        let end = start.checked_add(len).filter(|&e| e <= bytes.len() as u64);
        let Some(end) = end else {
            return Err(Corrupt(format!(
                "section {} ends past the file",
                String::from_utf8_lossy(&tag)
            )));
        };
        out.push((tag, start as usize, end as usize));
    }
    Ok(out)
}

/// Decodes every section (unknown ones are skipped).
fn decode(
    bytes: &[u8],
    sections: &[([u8; 4], usize, usize)],
    release: &dyn Fn(usize, usize),
) -> DecResult<Loaded> {
    // The section of `tag`, the one before released (each is decoded
    // before the next is asked for).
    let last = std::cell::Cell::new((0, 0));
    let get = |tag: &[u8; 4]| -> DecResult<&[u8]> {
        let (s, e) = last.get();
        release(s, e);
        let (s, e) = sections
            .iter()
            .find(|(t, _, _)| t == tag)
            .map(|&(_, s, e)| (s, e))
            .ok_or_else(|| Corrupt(format!("no {} section", String::from_utf8_lossy(tag))))?;
        last.set((s, e));
        Ok(&bytes[s..e])
    };
    let files: Vec<Arc<str>> = Dec::new(get(b"FILE")?, &[])
        .strs()?
        .into_iter()
        .map(Arc::from)
        .collect();
    let mut net = elements::get_header(&mut Dec::new(get(b"HEAD")?, &files))?;
    net.commodities = decode_list(get(b"COMM")?, &files, elements::get_commodity)?;
    let nodes = decode_rows(get(b"NODE")?, &files, &elements::get_node, || {
        Node::new("", NodeKind::City, 0.0, 0.0, "")
    })?;
    let n_nodes = nodes.len();
    let link = |d: &mut Dec<'_>| elements::get_link(d, n_nodes);
    let links = get(b"LINK")?;
    // The node table (one thread's work) is built while the links decode
    // on the other cores, instead of after them with one core idle.
    let (nodes, links) = rayon::join(
        || Detached::<Node>::indexed(nodes),
        || {
            decode_rows(links, &files, &link, || {
                Link::new("", NodeId(0), NodeId(0), Mode::Road, None, 0.0)
            })
        },
    );
    net.links = links?;
    let nodes = nodes.map_err(|e| Corrupt(e.to_string()))?;
    net.terminals = decode_list(get(b"TERM")?, &files, |d| {
        elements::get_terminal(d, n_nodes)
    })?;
    net.borders = decode_list(get(b"BORD")?, &files, |d| elements::get_border(d, n_nodes))?;
    let diagnostics = decode_list(get(b"DIAG")?, &files, elements::get_diagnostic)?;
    let (s, e) = last.get();
    release(s, e);
    net.reindex_compiled(nodes)
        .map_err(|e| Corrupt(e.to_string()))?;
    Ok(Loaded {
        network: net,
        diagnostics,
    })
}

fn decode_list<T>(
    section: &[u8],
    files: &[Arc<str>],
    mut get: impl FnMut(&mut Dec<'_>) -> DecResult<T>,
) -> DecResult<Vec<T>> {
    let mut d = Dec::new(section, files);
    let n = d.count(1)?;
    (0..n).map(|_| get(&mut d)).collect()
}

/// Rows decoded in parallel, each from its own offset, straight into the
/// result vector; the first problem found is reported.
/// Rows from which a section is decoded on every core. Below, one thread
/// decodes it: a small network (the world's sea lanes, about 10,000 links
/// with geometry) gained nothing from threads, and the allocations of
/// their rows grew a heap per thread (thousands of `mprotect` calls, a
/// `route` 40 % slower than decoding on one).
const PARALLEL_ROWS: usize = 1 << 16;

fn decode_rows<T: Send>(
    section: &[u8],
    files: &[Arc<str>],
    get: &(dyn Fn(&mut Dec<'_>) -> DecResult<T> + Sync),
    placeholder: fn() -> T,
) -> DecResult<Vec<T>> {
    let mut d = Dec::new(section, files);
    let n = d.count(8)?;
    let offsets = d.take(8 * n)?;
    let failed: Mutex<Option<Corrupt>> = Mutex::new(None);
    let row = |(i, at): (usize, &[u8])| {
        let at = u64::from_le_bytes(at.try_into().expect("8 bytes"));
        let mut d = Dec::at(section, usize::try_from(at).unwrap_or(usize::MAX), files);
        if d.pos > section.len() {
            d.pos = section.len();
        }
        get(&mut d).unwrap_or_else(|Corrupt(what)| {
            let mut f = failed.lock().unwrap_or_else(|p| p.into_inner());
            f.get_or_insert(Corrupt(format!("row {}: {what}", i + 1)));
            placeholder()
        })
    };
    let mut out = Vec::with_capacity(n);
    if n >= PARALLEL_ROWS {
        offsets
            .par_chunks_exact(8)
            .with_min_len(4096)
            .enumerate()
            .map(row)
            .collect_into_vec(&mut out);
    } else {
        out.extend(offsets.chunks_exact(8).enumerate().map(row));
    }
    match failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
        Some(c) => Err(c),
        None => Ok(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checksum hashed in pieces on several cores is the one pass's,
    /// across piece boundaries and for a file smaller than a piece.
    #[test]
    fn checksum_in_pieces_is_one_pass() {
        let one_pass = |b: &[u8]| {
            let mut h = crc32fast::Hasher::new();
            h.update(&b[..56]);
            h.update(&b[60..]);
            h.finalize()
        };
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let bytes: Vec<u8> = (0..2 * CHECKSUM_PIECE + 12_345)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        for len in [64, 4096, CHECKSUM_PIECE + 60, bytes.len()] {
            assert_eq!(checksum(&bytes[..len]), one_pass(&bytes[..len]), "{len}");
        }
    }
}

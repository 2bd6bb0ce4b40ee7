//! `nodes.csv` and `links.csv` of a large CSV bundle read on every core: the file is read
//! in blocks of whole lines, each block cut into pieces at line breaks,
//! each piece parsed and built into nodes or links by its own thread
//! (reading the network only), and the elements added in file order by a
//! thread of their own while the next block is parsed, so the
//! network and its diagnostics are those of the one-row-at-a-time reader
//! (`network_csv::each_row`). Only files without a double quote come
//! here: a quoted cell may hold a line break, which would make a cut at a
//! line break land inside a record. Rows that read cleanly are built the
//! short way (`rows_plain`), the others through a record as `each_row`
//! builds them.

use crate::build::{BuildFn, Builder, Built, Pieces, Side};
use crate::csv_rows::{csv_diagnostic, csv_reader, empty_record, fill_record, header_columns};
use crate::rows_plain::Plain;
use crate::{Error, Result};
use corridor_model::Network;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

/// Bytes read before the threads parse them: large enough to keep every
/// core busy, small enough that the rows in flight stay a few tens of MB.
const BLOCK_BYTES: usize = 4 << 20;

/// How the rows of one file become elements: the short way for rows that
/// read cleanly, `build` (through a record) for the rest, and `side` to
/// put them into the network in file order.
pub(crate) struct RowsTo<T: 'static> {
    pub plain: PlainFn<T>,
    pub build: BuildFn<T>,
    pub side: &'static Side<T>,
}

/// [`Plain::node`] or [`Plain::link`].
pub(crate) type PlainFn<T> =
    fn(&Plain, &csv::StringRecord, (&Arc<str>, u64), &Network) -> Option<Built<T>>;

/// Reads the rows of `nodes.csv` or `links.csv` at `path` into `b`;
/// returns how many records were built (as `each_row` counts them).
pub(crate) fn read_rows<T: Send + 'static>(
    path: &Path,
    b: &mut Builder,
    links: bool,
    to: RowsTo<T>,
) -> Result<usize> {
    let file: Arc<str> = path.display().to_string().into();
    let io = |e| Error::io(path, e);
    let mut input = BufReader::with_capacity(1 << 16, std::fs::File::open(path).map_err(io)?);
    let mut first = Vec::new();
    input.read_until(b'\n', &mut first).map_err(io)?;
    let mut rdr = csv_reader(false).from_reader(first.as_slice());
    let mut raw = csv::StringRecord::new();
    // A header that is not CSV stops the reader, as it does `each_row`.
    rdr.read_record(&mut raw)
        .map_err(|e| crate::error::from_csv(path, e))?;
    let headers = header_columns(&raw, &file, b);
    let plain = Plain::new(&headers, links);
    let columns = (&file, &headers[..], plain.as_ref());
    b.add_built_alongside(to.side, |net, names, add| {
        // Line 1 is the header; `lines_before` counts the lines above a block.
        let mut lines_before = 1u64;
        let mut rows = 0;
        let mut block = Vec::with_capacity(BLOCK_BYTES + (1 << 16));
        loop {
            block.clear();
            (&mut input)
                .take(BLOCK_BYTES as u64)
                .read_to_end(&mut block)
                .map_err(io)?;
            if block.is_empty() {
                return Ok(rows);
            }
            // Finish the last line.
            input.read_until(b'\n', &mut block).map_err(io)?;
            let (pieces, n) = block_rows(&block, lines_before, columns, (net, names), &to);
            rows += n;
            add(pieces);
            lines_before += block.iter().filter(|&&c| c == b'\n').count() as u64;
        }
    })
}

/// One block of whole lines parsed in parallel: the pieces in order, and
/// how many records were built.
fn block_rows<T: Send>(
    block: &[u8],
    lines_before: u64,
    (file, headers, plain): (&Arc<str>, &[Arc<str>], Option<&Plain>),
    (net, names): (&Network, &BTreeSet<String>),
    to: &RowsTo<T>,
) -> (Pieces<T>, usize) {
    let pieces = cut(block, rayon::current_num_threads() * 4);
    let built: Vec<_> = pieces
        .par_iter()
        .map(|&(start, end, lines)| {
            let mut diags = Vec::new();
            let mut links = Vec::new();
            let mut rdr = csv_reader(false).from_reader(&block[start..end]);
            let mut row = csv::StringRecord::new();
            // A name per piece: one shared by every thread would
            // have its count bounced between the cores per row.
            let file: Arc<str> = Arc::from(&**file);
            let file = &file;
            let mut rec = empty_record(file, headers);
            let above = lines_before + lines;
            let mut n = 0;
            loop {
                match rdr.read_record(&mut row) {
                    Ok(false) => break,
                    Ok(true) => {
                        let line = row.position().map_or(0, |p| p.line()) + above;
                        let short = plain
                            .filter(|_| row.len() == headers.len())
                            .and_then(|p| (to.plain)(p, &row, (file, line), net));
                        if let Some(x) = short {
                            n += 1;
                            links.push(x);
                            continue;
                        }
                        match fill_record(&mut rec, headers, &row, line) {
                            Ok(()) => {
                                n += 1;
                                links.extend((to.build)(&rec, net, names, &mut diags));
                            }
                            Err(d) => diags.push(d),
                        }
                    }
                    // A slice has no I/O errors; syntax errors are
                    // located and reading goes on, as in `each_row`.
                    Err(e) => diags.push(csv_diagnostic(file, &e, above)),
                }
            }
            (links, diags, n)
        })
        .collect();
    let mut rows = 0;
    let pieces = built
        .into_iter()
        .map(|(links, diags, n)| {
            rows += n;
            (links, diags)
        })
        .collect();
    (pieces, rows)
}

/// About `n` pieces of `block`, each ending at a line break (or the
/// block's end), as (start, end, lines above the piece in the block).
fn cut(block: &[u8], n: usize) -> Vec<(usize, usize, u64)> {
    let step = block.len().div_ceil(n.max(1)).max(1);
    let mut pieces = Vec::with_capacity(n + 1);
    let (mut start, mut lines) = (0, 0u64);
    while start < block.len() {
        let mut end = (start + step).min(block.len());
        while end < block.len() && block[end - 1] != b'\n' {
            end += 1;
        }
        pieces.push((start, end, lines));
        lines += block[start..end].iter().filter(|&&c| c == b'\n').count() as u64;
        start = end;
    }
    pieces
}

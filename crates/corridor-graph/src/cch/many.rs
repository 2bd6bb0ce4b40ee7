//! Many-to-many on a customized CCH: a whole origin–destination matrix of
//! distances, plus per-arc extra quantities summed along each pair's
//! shortest path, without unpacking any path.
//!
//! Bucket many-to-many (Knopp et al. 2007) on the elimination tree: one
//! backward upward search per target leaves `(target, distance)` in a
//! bucket at every rank of its chain; one forward upward search per source
//! then scans the buckets of its chain, and a pair's distance is the least
//! forward plus backward distance over the ranks both chains share (what
//! [`super::CchQuery::run`] computes, with the same meeting rank on ties).
//! The work per pair is the length of the shared top of the two chains,
//! so the searches (one per source and per target, not per pair) and the
//! bucket scans replace `|sources| × |targets|` queries.
//!
//! The extra quantities (e.g. hours, km and CO₂ when the weight is money)
//! are summed per shortcut, not per pair: the search-tree edges of all
//! searches are marked, their halves marked down the hierarchy (a
//! shortcut's halves have lower tails, so lower edge ids), and each marked
//! edge's sums computed bottom-up from its halves, only for the edges the
//! matrix uses. A pair's sums are its forward tree path's plus its
//! backward tree path's. They are added in another order than along the
//! path, so they are carried as [`CompensatedSum`]s: the exact sum, rounded
//! once, whatever the order (to within about 2⁻¹⁰⁰ relative), which a
//! caller summing along a path with the same type gets too.

use super::contract::NONE;
use super::customize::{CchMetric, SHORTCUT};
use super::query::{CchQuery, Upward};
use crate::csr::VertexIdx;
use rayon::prelude::*;

/// One pair of a [`many_to_many`] matrix: the distance and the extra
/// quantities summed along the path, `None` where no target is reachable.
pub type PairSums<const K: usize> = Option<(f64, [f64; K])>;

/// The distance from every entry of `sources` to every entry of
/// `targets`, row-major (`sources.len() × targets.len()`), each source or
/// target a set of vertices with initial distances as
/// [`super::CchQuery::run`] takes, and the per-arc `arc_extra` (one entry
/// per input arc, CSR order) summed along each pair's path. Sources and
/// targets run in parallel (rayon).
///
/// Panics if `arc_extra` has not one entry per input arc of the hierarchy.
///
/// # Complexity
/// One upward search per source and per target, O(|chain| · degree), then
/// per pair the ranks its two chains share; plus the marked shortcuts,
/// at most all edges of the hierarchy.
///
/// # Example
/// ```
/// use corridor_graph::{Csr, VertexIdx as V};
/// use corridor_graph::cch::{Cch, many_to_many, nested_dissection_order};
/// let (g, order) = Csr::from_arcs(3, &[(V(0), V(1)), (V(1), V(2)), (V(0), V(2))]);
/// let w: Vec<f64> = order.iter().map(|&i| [1.0, 1.0, 5.0][i as usize]).collect();
/// let km: Vec<[f64; 1]> = order.iter().map(|&i| [[10.0], [20.0], [7.0]][i as usize]).collect();
/// let cch = Cch::new(&g, &nested_dissection_order(&g, None));
/// let metric = cch.customize(&w);
/// let m = many_to_many(&metric, &[vec![(V(0), 0.0)]], &[vec![(V(2), 0.0)], vec![(V(0), 0.0)]], &km);
/// assert_eq!(m, vec![Some((2.0, [30.0])), Some((0.0, [0.0]))]);
/// ```
pub fn many_to_many<const K: usize>(
    metric: &CchMetric<'_>,
    sources: &[Vec<(VertexIdx, f64)>],
    targets: &[Vec<(VertexIdx, f64)>],
    arc_extra: &[[f64; K]],
) -> Vec<PairSums<K>> {
    let c = metric.cch();
    assert_eq!(arc_extra.len(), c.n_arcs(), "one extra entry per input arc");
    let n = c.n_vertices();
    let search = |list: &[Vec<(VertexIdx, f64)>], forward: bool| -> Vec<Upward> {
        list.par_iter()
            .map_init(
                || CchQuery::new(n),
                |q, starts| q.upward(metric, forward, starts),
            )
            .collect()
    };
    let fwd = search(sources, true);
    let bwd = search(targets, false);
    let sums = EdgeSums::new(metric, &fwd, &bwd, arc_extra);
    let fwd_sums: Vec<Vec<Sums<K>>> = fwd.par_iter().map(|u| sums.chain(u, true)).collect();
    let buckets = Buckets::new(n, &bwd, &sums);
    fwd.par_iter()
        .zip(&fwd_sums)
        .flat_map_iter(|(up, up_sums)| buckets.row(targets.len(), up, up_sums))
        .collect()
}

/// A set of edge ids with a dense index for its members (rank by counting
/// bits), so that per-member values take one slot per member.
struct EdgeSet {
    bits: Vec<u64>,
    /// Members in the words before each word.
    before: Vec<u32>,
}

impl EdgeSet {
    fn new(m: usize) -> Self {
        Self {
            bits: vec![0; m.div_ceil(64)],
            before: Vec::new(),
        }
    }
    fn insert(&mut self, e: u32) {
        self.bits[e as usize / 64] |= 1 << (e % 64);
    }
    fn contains(&self, e: u32) -> bool {
        self.bits[e as usize / 64] & (1 << (e % 64)) != 0
    }
    /// Fixes the members and returns how many there are.
    fn finish(&mut self) -> usize {
        let mut total = 0u32;
        self.before = self
            .bits
            .iter()
            .map(|w| {
                let b = total;
                total += w.count_ones();
                b
            })
            .collect();
        total as usize
    }
    /// The dense index of member `e` (after [`finish`](Self::finish)).
    fn index(&self, e: u32) -> usize {
        let w = self.bits[e as usize / 64] & ((1u64 << (e % 64)) - 1);
        (self.before[e as usize / 64] + w.count_ones()) as usize
    }
}

/// The extra sums of every edge some search tree uses, per direction
/// (0: upward, `lo → hi`; 1: downward).
struct EdgeSums<'a, const K: usize> {
    metric: &'a CchMetric<'a>,
    set: [EdgeSet; 2],
    sums: [Vec<Sums<K>>; 2],
}

impl<'a, const K: usize> EdgeSums<'a, K> {
    fn new(
        metric: &'a CchMetric<'a>,
        fwd: &[Upward],
        bwd: &[Upward],
        arc_extra: &[[f64; K]],
    ) -> Self {
        let c = metric.cch();
        let m = c.n_edges();
        let mut set = [EdgeSet::new(m), EdgeSet::new(m)];
        // Forward searches go up their edges, backward ones down them.
        for (ups, dir) in [(fwd, 0), (bwd, 1)] {
            for up in ups {
                for &e in up.pred.iter().filter(|&&e| e != NONE) {
                    set[dir].insert(e);
                }
            }
        }
        // Halves have lower tails, so lower ids: one descending sweep.
        for e in (0..m as u32).rev() {
            for dir in 0..2 {
                if set[dir].contains(e)
                    && let Some((first, second)) = halves(metric, e, dir == 0)
                {
                    set[1].insert(first);
                    set[0].insert(second);
                }
            }
        }
        let counts = [set[0].finish(), set[1].finish()];
        let mut sums = [
            vec![[CompensatedSum::default(); K]; counts[0]],
            vec![[CompensatedSum::default(); K]; counts[1]],
        ];
        for e in 0..m as u32 {
            for dir in 0..2 {
                if !set[dir].contains(e) {
                    continue;
                }
                let value = match halves(metric, e, dir == 0) {
                    Some((first, second)) => add(
                        &sums[1][set[1].index(first)],
                        &sums[0][set[0].index(second)],
                    ),
                    None => {
                        let via = if dir == 0 {
                            metric.fwd_via[e as usize]
                        } else {
                            metric.bwd_via[e as usize]
                        };
                        debug_assert_ne!(via, NONE, "a finite path uses only weighted edges");
                        let x = arc_extra.get(via as usize).copied().unwrap_or([0.0; K]);
                        x.map(CompensatedSum::from)
                    }
                };
                let i = set[dir].index(e);
                sums[dir][i] = value;
            }
        }
        Self { metric, set, sums }
    }

    fn get(&self, e: u32, dir: usize) -> &Sums<K> {
        &self.sums[dir][self.set[dir].index(e)]
    }

    /// Per reached rank of `up`, the sums along its search-tree path.
    fn chain(&self, up: &Upward, forward: bool) -> Vec<Sums<K>> {
        let tail = &self.metric.cch().up_tail;
        let dir = usize::from(!forward);
        let mut out: Vec<Sums<K>> = Vec::with_capacity(up.rank.len());
        for &e in &up.pred {
            let s = if e == NONE {
                [CompensatedSum::default(); K]
            } else {
                // The tail is a reached rank below this one.
                let at = up.rank.partition_point(|&r| r < tail[e as usize]);
                add(&out[at], self.get(e, dir))
            };
            out.push(s);
        }
        out
    }
}

/// The two halves of shortcut `e` traversed upward or downward: the edge
/// `{v, from}` traversed down and `{v, to}` traversed up, where `v` is the
/// lower vertex customization recorded; `None` for an input arc.
fn halves(metric: &CchMetric<'_>, e: u32, upward: bool) -> Option<(u32, u32)> {
    let c = metric.cch();
    let via = if upward {
        metric.fwd_via[e as usize]
    } else {
        metric.bwd_via[e as usize]
    };
    if via == NONE || via & SHORTCUT == 0 {
        return None;
    }
    let v = via & !SHORTCUT;
    let (lo, hi) = (c.up_tail[e as usize], c.up_head[e as usize]);
    let (from, to) = if upward { (lo, hi) } else { (hi, lo) };
    Some((c.edge(v, from), c.edge(v, to)))
}

fn add<const K: usize>(a: &Sums<K>, b: &Sums<K>) -> Sums<K> {
    std::array::from_fn(|i| a[i].merge(b[i]))
}

/// Extra quantities being summed.
type Sums<const K: usize> = [CompensatedSum; K];

/// A sum of `f64`s kept as an unevaluated pair `hi + lo` (Knuth's
/// TwoSum): the rounding error of each addition is carried in `lo`, so
/// the [`value`](Self::value) is the exact sum rounded once, whatever the
/// order of the additions, except within about 2⁻¹⁰⁰ (relative) of a
/// rounding boundary. Two engines summing the same arcs in different
/// orders thus print the same digits.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CompensatedSum {
    hi: f64,
    lo: f64,
}

impl CompensatedSum {
    /// Adds `x`.
    pub fn plus(self, x: f64) -> Self {
        let s = self.hi + x;
        if !s.is_finite() {
            return Self { hi: s, lo: 0.0 };
        }
        let b = s - self.hi;
        let err = (self.hi - (s - b)) + (x - b);
        Self {
            hi: s,
            lo: self.lo + err,
        }
    }
    /// Adds another sum.
    pub fn merge(self, other: Self) -> Self {
        let s = self.plus(other.hi);
        Self {
            hi: s.hi,
            lo: s.lo + other.lo,
        }
    }
    /// The sum, rounded once.
    pub fn value(self) -> f64 {
        self.hi + self.lo
    }
}

impl From<f64> for CompensatedSum {
    fn from(x: f64) -> Self {
        Self { hi: x, lo: 0.0 }
    }
}

/// The backward searches' chains regrouped by rank: for each rank, the
/// targets whose chain reaches it (ascending), with distance and sums.
struct Buckets<const K: usize> {
    first: Vec<u32>,
    target: Vec<u32>,
    dist: Vec<f64>,
    sums: Vec<Sums<K>>,
}

impl<const K: usize> Buckets<K> {
    fn new(n: usize, bwd: &[Upward], edge_sums: &EdgeSums<'_, K>) -> Self {
        let mut first = vec![0u32; n + 1];
        for up in bwd {
            for &r in &up.rank {
                first[r as usize + 1] += 1;
            }
        }
        for r in 0..n {
            first[r + 1] += first[r];
        }
        let total = first[n] as usize;
        let mut next = first.clone();
        let mut b = Self {
            first,
            target: vec![0; total],
            dist: vec![0.0; total],
            sums: vec![[CompensatedSum::default(); K]; total],
        };
        let chains: Vec<Vec<Sums<K>>> = bwd.par_iter().map(|u| edge_sums.chain(u, false)).collect();
        for (t, (up, sums)) in bwd.iter().zip(chains).enumerate() {
            for ((&r, &d), s) in up.rank.iter().zip(&up.dist).zip(sums) {
                let k = next[r as usize] as usize;
                next[r as usize] += 1;
                b.target[k] = t as u32;
                b.dist[k] = d;
                b.sums[k] = s;
            }
        }
        b
    }

    /// One source's row: per target the least distance over the shared
    /// ranks (the lowest such rank on ties, as a one-to-one query).
    fn row(&self, n_targets: usize, up: &Upward, up_sums: &[Sums<K>]) -> Vec<PairSums<K>> {
        let mut best = vec![(f64::INFINITY, NONE, 0u32); n_targets];
        for (i, (&r, &d)) in up.rank.iter().zip(&up.dist).enumerate() {
            let (lo, hi) = (
                self.first[r as usize] as usize,
                self.first[r as usize + 1] as usize,
            );
            for (k, (&t, &bd)) in (lo..hi).zip(self.target[lo..hi].iter().zip(&self.dist[lo..hi])) {
                let x = &mut best[t as usize];
                let nd = d + bd;
                if nd < x.0 {
                    *x = (nd, i as u32, k as u32);
                }
            }
        }
        best.into_iter()
            .map(|(d, i, k)| {
                (i != NONE).then(|| {
                    let sums = add(&up_sums[i as usize], &self.sums[k as usize]);
                    (d, sums.map(CompensatedSum::value))
                })
            })
            .collect()
    }
}

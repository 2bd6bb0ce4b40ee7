//! The routing lowering (the network part, [`LowerConfig::default`]) as
//! bytes, so a compiled network file can carry it and a route on a large
//! network skips lowering: its topology depends only on the network's
//! shape (see [`same_topology`]), never on the commodity, the objective or
//! what is open, which only change weights computed per question.
//!
//! The bytes are the engine's, opaque to `corridor-io`, which stores them
//! as one section (`LOWR`, layout in `docs/compiled-networks.md`). They
//! begin with [`LOWERING_VERSION`]: a file whose lowering was made by other
//! lowering rules is not refused (its model is still good) but lowered
//! again, by [`Lowered::from_stored`] returning `None`.

use super::{LowerConfig, Lowered, VertexRole, Zones};
use crate::arc_origin::{ArcOrigin, LayerIdx};
use corridor_graph::{Csr, VertexIdx};
use corridor_model::{BorderId, Layer, LinkId, Mode, Network, NodeId, TerminalId};
use rayon::prelude::*;

/// The rules of [`super::lower`] the stored bytes follow. Bump it whenever
/// lowering numbers vertices or arcs differently, so files written before
/// are lowered again instead of answering on a stale graph.
pub const LOWERING_VERSION: u32 = 1;

/// Whether `a` and `b` lower to the same routing graph: the same nodes (and
/// which of them are no-through zones), links (ends, layer, one-way),
/// borders and terminal transfers. Names, lengths, costs, closures and
/// commodity rules only change weights, so a scenario that edits only them
/// can still use a stored lowering.
pub fn same_topology(a: &Network, b: &Network) -> bool {
    if std::ptr::eq(a, b) {
        return true;
    }
    a.nodes.len() == b.nodes.len()
        && a.links.len() == b.links.len()
        && a.nodes
            .iter()
            .zip(&b.nodes)
            .all(|(x, y)| x.no_through == y.no_through)
        && a.links.iter().zip(&b.links).all(|(x, y)| {
            (x.from, x.to, x.mode, x.gauge_mm, x.oneway)
                == (y.from, y.to, y.mode, y.gauge_mm, y.oneway)
        })
        && a.borders.len() == b.borders.len()
        && a.borders
            .iter()
            .zip(&b.borders)
            .all(|(x, y)| x.node == y.node)
        && a.terminals.len() == b.terminals.len()
        && a.terminals
            .iter()
            .zip(&b.terminals)
            .all(|(x, y)| x.node == y.node && x.transfers == y.transfers)
}

const LINK_FORWARD: u8 = 0;
const LINK_BACKWARD: u8 = 1;
const TRANSFER: u8 = 2;
const BORDER: u8 = 3;

impl Lowered {
    /// The bytes of this lowering, or `None` when it is not the routing
    /// lowering alone (helpers, element rows or zones asked for) or has
    /// more layers than the format holds: then nothing is stored and
    /// routes lower as before.
    pub fn to_stored(&self) -> Option<Vec<u8>> {
        let plain = self.source_sink.is_none()
            && self.elements.is_empty()
            && self.zones.origin.is_empty()
            && self.zones.destination.is_empty()
            && self.vertex_node.len() == self.n_vertices()
            && self.layers.len() <= usize::from(u16::MAX);
        if !plain {
            return None;
        }
        let mut out = Vec::with_capacity(32 + 13 * self.n_arcs() + 11 * self.n_vertices());
        let u32s = |out: &mut Vec<u8>, xs: &mut dyn Iterator<Item = u32>| {
            for x in xs {
                out.extend_from_slice(&x.to_le_bytes());
            }
        };
        let head = [
            LOWERING_VERSION,
            self.vertex_node.len() as u32,
            self.n_arcs() as u32,
            self.node_first_vertex.len() as u32,
            self.first_arrival,
            self.layers.len() as u32,
        ];
        u32s(&mut out, &mut head.into_iter());
        for l in &self.layers {
            out.push(mode_byte(l.mode));
            out.push(u8::from(l.gauge_mm.is_some()));
            out.extend_from_slice(&l.gauge_mm.unwrap_or(0).to_le_bytes());
        }
        u32s(&mut out, &mut self.csr.first_out().iter().copied());
        u32s(&mut out, &mut self.csr.heads().iter().map(|h| h.0));
        for o in &self.arc_origin {
            let (tag, id, a, b) = match *o {
                ArcOrigin::Link { link, forward } => {
                    let tag = if forward { LINK_FORWARD } else { LINK_BACKWARD };
                    (tag, link.0, 0, 0)
                }
                ArcOrigin::Transfer { terminal, from, to } => (TRANSFER, terminal.0, from.0, to.0),
                ArcOrigin::Border { border, layer } => (BORDER, border.0, layer.0, 0),
                _ => return None,
            };
            out.push(tag);
            out.extend_from_slice(&id.to_le_bytes());
            out.extend_from_slice(&a.to_le_bytes());
            out.extend_from_slice(&b.to_le_bytes());
        }
        u32s(&mut out, &mut self.vertex_node.iter().map(|n| n.0));
        for l in &self.vertex_layer {
            out.extend_from_slice(&l.0.to_le_bytes());
        }
        out.extend(self.vertex_role.iter().map(|r| match r {
            VertexRole::Plain => 0,
            VertexRole::In => 1,
            VertexRole::Out => 2,
        }));
        u32s(&mut out, &mut self.node_first_vertex.iter().copied());
        Some(out)
    }

    /// The routing lowering of `net` read back from [`Lowered::to_stored`]'s
    /// bytes: `Ok(None)` when they follow other lowering rules (lower
    /// again), an error saying what is wrong when they do not fit `net` or
    /// are damaged. Every index is checked, so damaged bytes cannot make a
    /// later question panic; values that fit are trusted, as the model's
    /// are (the file's checksum guards against accidents).
    pub fn from_stored(bytes: &[u8], net: &Network) -> Result<Option<Lowered>, String> {
        let mut r = Reader { bytes, pos: 0 };
        if r.u32()? != LOWERING_VERSION {
            return Ok(None);
        }
        let [n_vertices, n_arcs, n_first, first_arrival, n_layers] =
            [r.u32()?, r.u32()?, r.u32()?, r.u32()?, r.u32()?].map(|x| x as usize);
        if n_first != net.nodes.len() + 1 || first_arrival > n_vertices {
            return Err(format!(
                "lowering of {} nodes, the network has {}",
                n_first.saturating_sub(1),
                net.nodes.len()
            ));
        }
        // Sizes are checked against the bytes left before anything is
        // reserved, so a damaged count cannot ask for gigabytes.
        let need = n_layers * 4 + (n_vertices + 1) * 4 + n_arcs * 13 + n_vertices * 7 + n_first * 4;
        if need > bytes.len() - r.pos {
            return Err(format!("{} bytes of lowering, {need} wanted", bytes.len()));
        }
        let layers = (0..n_layers)
            .map(|_| {
                let (mode, has_gauge, gauge) = (r.take(1)?[0], r.take(1)?[0], r.u16()?);
                Ok(Layer::new(
                    mode_of(mode)?,
                    (has_gauge == 1).then_some(gauge),
                ))
            })
            .collect::<Result<Vec<_>, String>>()?;
        let first_out = r.u32s(n_vertices + 1)?;
        let head = r.u32s(n_arcs)?.into_iter().map(VertexIdx).collect();
        let csr = Csr::from_parts(first_out, head)?;
        let arc_origin = r.origins(n_arcs, net, n_layers)?;
        let vertex_node: Vec<NodeId> = r.u32s(n_vertices)?.into_iter().map(NodeId).collect();
        if vertex_node.iter().any(|n| n.index() >= net.nodes.len()) {
            return Err("a vertex of a node the network does not have".into());
        }
        let mut vertex_layer = Vec::new();
        r.take(n_vertices.checked_mul(2).ok_or("too many vertices")?)?
            .par_chunks_exact(2)
            .with_min_len(PAR_MIN)
            .map(|c| LayerIdx(u16::from_le_bytes([c[0], c[1]])))
            .collect_into_vec(&mut vertex_layer);
        if vertex_layer.iter().any(|l| l.index() >= n_layers) {
            return Err("a vertex in a layer the lowering does not have".into());
        }
        let vertex_role = r
            .take(n_vertices)?
            .iter()
            .map(|&b| match b {
                0 => Ok(VertexRole::Plain),
                1 => Ok(VertexRole::In),
                2 => Ok(VertexRole::Out),
                x => Err(format!("vertex role {x}")),
            })
            .collect::<Result<Vec<_>, String>>()?;
        let node_first_vertex = r.u32s(n_first)?;
        if node_first_vertex.windows(2).any(|w| w[0] > w[1])
            || node_first_vertex
                .last()
                .is_some_and(|&l| l > first_arrival as u32)
        {
            return Err("vertices of nodes out of order".into());
        }
        let vessels = super::VesselArcs::of(net, &arc_origin);
        Ok(Some(Lowered {
            csr,
            arc_origin,
            vessels,
            vertex_node,
            vertex_layer,
            vertex_role,
            layers,
            elements: Default::default(),
            source_sink: None,
            node_first_vertex,
            first_arrival: first_arrival as u32,
            zones: Zones::default(),
        }))
    }

    /// Whether this is the lowering [`super::lower`] makes for routes
    /// (what [`Lowered::to_stored`] keeps): a cheap guard for callers
    /// handed a lowering they did not make.
    pub fn is_routing_lowering(&self) -> bool {
        self.source_sink.is_none() && self.elements.is_empty() && self.zones.origin.is_empty()
    }
}

/// The routing lowering of `net` ([`super::lower`] with
/// [`LowerConfig::default`]), ready to store.
pub fn stored_routing_lowering(net: &Network) -> Option<Vec<u8>> {
    super::lower(net, &LowerConfig::default()).to_stored()
}

fn mode_byte(m: Mode) -> u8 {
    match m {
        Mode::Road => 0,
        Mode::Rail => 1,
        Mode::Sea => 2,
        Mode::River => 3,
    }
}

fn mode_of(b: u8) -> Result<Mode, String> {
    Mode::ALL
        .into_iter()
        .find(|&m| mode_byte(m) == b)
        .ok_or_else(|| format!("mode {b}"))
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| format!("lowering ends at byte {}", self.bytes.len()))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u16(&mut self) -> Result<u16, String> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    /// `n` numbers in one go (the bulk of the section), on every core: on
    /// a country-scale network these are tens of megabytes.
    fn u32s(&mut self, n: usize) -> Result<Vec<u32>, String> {
        let b = self.take(n.checked_mul(4).ok_or("too many numbers")?)?;
        let mut out = Vec::new();
        b.par_chunks_exact(4)
            .with_min_len(PAR_MIN)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect_into_vec(&mut out);
        Ok(out)
    }
    /// `n` arc origins (fixed-width rows, so decoded on every core; of
    /// several bad rows, any one may be the one reported).
    fn origins(
        &mut self,
        n: usize,
        net: &Network,
        n_layers: usize,
    ) -> Result<Vec<ArcOrigin>, String> {
        let b = self.take(n.checked_mul(ORIGIN_LEN).ok_or("too many arcs")?)?;
        // Straight into one vector (collecting `Result`s would gather
        // pieces and copy them): a bad row leaves a placeholder and its
        // message, and the whole is refused after.
        let failed = std::sync::Mutex::new(None);
        let mut out = Vec::new();
        b.par_chunks_exact(ORIGIN_LEN)
            .with_min_len(PAR_MIN)
            .map(|row| {
                origin(row, net, n_layers).unwrap_or_else(|e| {
                    let mut f = failed.lock().unwrap_or_else(|p| p.into_inner());
                    f.get_or_insert(e);
                    ArcOrigin::Link {
                        link: LinkId(0),
                        forward: true,
                    }
                })
            })
            .collect_into_vec(&mut out);
        match failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
            Some(e) => Err(e),
            None => Ok(out),
        }
    }
}

/// Bytes of one stored arc origin: tag, id (u32), two layers (u16).
const ORIGIN_LEN: usize = 9;
/// Items below which a thread's share is not split further.
const PAR_MIN: usize = 1 << 14;

/// One arc origin from its [`ORIGIN_LEN`] bytes, checked against `net`.
fn origin(row: &[u8], net: &Network, n_layers: usize) -> Result<ArcOrigin, String> {
    let tag = row[0];
    let id = u32::from_le_bytes([row[1], row[2], row[3], row[4]]);
    let (a, b) = (
        LayerIdx(u16::from_le_bytes([row[5], row[6]])),
        LayerIdx(u16::from_le_bytes([row[7], row[8]])),
    );
    let check = |n: usize, what: &str| {
        if (id as usize) < n {
            Ok(())
        } else {
            Err(format!("arc of {what} {id}, the network has {n}"))
        }
    };
    let layer_ok = |l: LayerIdx| {
        if l.index() < n_layers {
            Ok(l)
        } else {
            Err(format!("arc in layer {}", l.0))
        }
    };
    match tag {
        LINK_FORWARD | LINK_BACKWARD => {
            check(net.links.len(), "link")?;
            Ok(ArcOrigin::Link {
                link: LinkId(id),
                forward: tag == LINK_FORWARD,
            })
        }
        TRANSFER => {
            check(net.terminals.len(), "terminal")?;
            Ok(ArcOrigin::Transfer {
                terminal: TerminalId(id),
                from: layer_ok(a)?,
                to: layer_ok(b)?,
            })
        }
        BORDER => {
            check(net.borders.len(), "border")?;
            Ok(ArcOrigin::Border {
                border: BorderId(id),
                layer: layer_ok(a)?,
            })
        }
        x => Err(format!("arc origin {x}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::lower;
    use corridor_fixtures::networks::gauge_break;

    fn same(a: &Lowered, b: &Lowered) {
        assert_eq!(a.csr, b.csr);
        assert_eq!(a.arc_origin, b.arc_origin);
        assert_eq!(a.vertex_node, b.vertex_node);
        assert_eq!(a.vertex_layer, b.vertex_layer);
        assert_eq!(a.vertex_role, b.vertex_role);
        assert_eq!(a.layers, b.layers);
        assert_eq!(a.node_first_vertex, b.node_first_vertex);
        assert_eq!(a.first_arrival, b.first_arrival);
    }

    #[test]
    fn the_routing_lowering_reads_back_equal() {
        let net = gauge_break();
        let l = lower(&net, &LowerConfig::default());
        let bytes = l.to_stored().unwrap();
        same(&Lowered::from_stored(&bytes, &net).unwrap().unwrap(), &l);
    }

    #[test]
    fn other_lowerings_are_not_stored_and_other_rules_lower_again() {
        let net = gauge_break();
        let cfg = LowerConfig {
            elements: true,
            ..LowerConfig::default()
        };
        assert!(lower(&net, &cfg).to_stored().is_none());
        let mut bytes = stored_routing_lowering(&net).unwrap();
        bytes[0] = bytes[0].wrapping_add(1);
        assert!(Lowered::from_stored(&bytes, &net).unwrap().is_none());
    }

    #[test]
    fn damaged_or_foreign_bytes_are_refused_without_panic() {
        let net = gauge_break();
        let bytes = stored_routing_lowering(&net).unwrap();
        for cut in 4..bytes.len() {
            assert!(
                Lowered::from_stored(&bytes[..cut], &net).is_err(),
                "cut {cut}"
            );
        }
        for i in 4..bytes.len() {
            for x in [0x01, 0x80, 0xff] {
                let mut b = bytes.clone();
                b[i] ^= x;
                let _ = Lowered::from_stored(&b, &net);
            }
        }
        let mut smaller = net.clone();
        smaller.nodes.pop();
        assert!(Lowered::from_stored(&bytes, &smaller).is_err());
    }

    #[test]
    fn topology_ignores_weights_but_not_shape() {
        let net = gauge_break();
        let mut closed = net.clone();
        closed.links[0].open = false;
        closed.links[0].length_km *= 2.0;
        assert!(same_topology(&net, &closed));
        let mut oneway = net.clone();
        oneway.links[0].oneway = !oneway.links[0].oneway;
        assert!(!same_topology(&net, &oneway));
        let mut fewer = net.clone();
        fewer.links.pop();
        assert!(!same_topology(&net, &fewer));
    }
}

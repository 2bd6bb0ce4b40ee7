//! The customizable contraction hierarchy (CCH) of a routing lowering, and
//! the customizations answered on it, kept.
//!
//! The order and the contraction depend on the lowered topology only, so a
//! [`Hierarchy`] is built once per network (from an order stored in a
//! compiled file when there is one, see [`stored_order`]). A customization
//! depends on the arc weights: the commodity, the objective, the vessel
//! class, the avoid list and the scenarios. Rather than naming all of them
//! in a key, the cache is keyed by the weight vector itself (compared bit
//! for bit, far cheaper than a customization), so a customization is
//! reused exactly when it would come out the same.

use crate::lower::Lowered;
/// The vertex ids of an order, for faces that do not depend on the graph crate.
pub use corridor_graph::VertexIdx;
use corridor_graph::cch::{
    Cch, CchMetric, nested_dissection_order, order_from_bytes, order_to_bytes,
};
use corridor_model::Network;
use std::sync::{Arc, Mutex};

/// Customizations kept per hierarchy, most recent first. Each takes about
/// 190 bytes per lowered arc (0.44 GB on the generated 1.2M-link network),
/// so a handful of commodity and objective pairs stay warm.
pub const METRICS_KEPT: usize = 4;

/// A metric with the weights it was customized for.
type Kept = (Vec<u64>, Arc<CchMetric<'static>>);

/// A contracted lowering with its recent customizations.
#[derive(Debug)]
pub struct Hierarchy {
    cch: Arc<Cch>,
    metrics: Mutex<Vec<Kept>>,
}

impl Hierarchy {
    /// Contracts `lowered` in `order`, or in a fresh [`order`] when `None`.
    pub fn new(net: &Network, lowered: &Lowered, order: Option<Vec<VertexIdx>>) -> Self {
        let order = order.unwrap_or_else(|| self::order(net, lowered));
        Self {
            cch: Arc::new(Cch::new(&lowered.csr, &order)),
            metrics: Mutex::new(Vec::new()),
        }
    }

    pub fn cch(&self) -> &Cch {
        &self.cch
    }

    /// The customization for `weight` (one per lowered arc), made now or
    /// kept from an earlier call with the same weights.
    pub fn metric(&self, weight: &[f64]) -> Arc<CchMetric<'static>> {
        let key: Vec<u64> = weight.iter().map(|w| w.to_bits()).collect();
        {
            let mut kept = self.metrics.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(i) = kept.iter().position(|(k, _)| *k == key) {
                let hit = kept.remove(i);
                let metric = Arc::clone(&hit.1);
                kept.insert(0, hit);
                return metric;
            }
        }
        // Customized outside the lock: other weights stay answerable.
        let metric = Arc::new(Cch::customize_shared(&self.cch, weight));
        let mut kept = self.metrics.lock().unwrap_or_else(|p| p.into_inner());
        kept.insert(0, (key, Arc::clone(&metric)));
        kept.truncate(METRICS_KEPT);
        metric
    }

    /// Customizations kept now (for tests and logs).
    pub fn n_kept(&self) -> usize {
        self.metrics.lock().map_or(0, |k| k.len())
    }
}

/// The nested-dissection order of a lowered network, its vertices placed
/// at their node's longitude and latitude.
pub fn order(net: &Network, lowered: &Lowered) -> Vec<VertexIdx> {
    let coords: Vec<(f64, f64)> = lowered
        .vertex_node
        .iter()
        .map(|&n| (net.node(n).lon, net.node(n).lat))
        .collect();
    nested_dissection_order(&lowered.csr, Some(&coords))
}

/// The bytes of section `CCHO` of a compiled network: the [`order`] of
/// `lowered` with the fingerprint of its topology
/// ([`corridor_graph::cch::order_to_bytes`]).
pub fn stored_order_bytes(net: &Network, lowered: &Lowered) -> Vec<u8> {
    order_to_bytes(&lowered.csr, &order(net, lowered))
}

/// An order read back from section `CCHO`, if it was computed for
/// `lowered`'s topology; else what does not fit.
pub fn stored_order(bytes: &[u8], lowered: &Lowered) -> Result<Vec<VertexIdx>, String> {
    order_from_bytes(&lowered.csr, bytes)
}

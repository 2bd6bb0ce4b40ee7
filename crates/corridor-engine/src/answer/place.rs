//! Places and commodities as users write them, resolved against a network:
//! a node id, a `lat,lon` point or a UN/LOCODE (snapped by
//! [`crate::snap::resolve_place`]), a node id or name ignoring case; and a
//! commodity by id. Errors say what was asked and suggest near misses.

use crate::{Error, Result};
use corridor_model::{Commodity, CommodityClass, CommodityId, Network, NodeId};

/// How many near misses an unknown place suggests.
const MAX_SUGGESTIONS: usize = 8;

/// Finds a node by id; then a `lat,lon` point or UN/LOCODE (snapped); then
/// by id or name ignoring case. `field` names the query field for errors
/// (`from`, `to`, `via`, ...).
pub fn resolve_node(net: &Network, s: &str, field: &str) -> Result<NodeId> {
    if let Some(n) = net.node_id(s) {
        return Ok(n);
    }
    if let Some((n, _)) = snapped(net, s) {
        return Ok(n);
    }
    let hits: Vec<NodeId> = (0..net.nodes.len())
        .map(NodeId::from_index)
        .filter(|&n| {
            let node = net.node(n);
            node.source_id.eq_ignore_ascii_case(s) || node.name.eq_ignore_ascii_case(s)
        })
        .collect();
    let message = match hits.as_slice() {
        [one] => return Ok(*one),
        [] => {
            let lower = s.to_lowercase();
            let mut near: Vec<&str> = net
                .nodes
                .iter()
                .filter(|n| {
                    n.source_id.to_lowercase().contains(&lower)
                        || n.name.to_lowercase().contains(&lower)
                })
                .map(|n| n.source_id.as_str())
                .take(MAX_SUGGESTIONS)
                .collect();
            near.sort_unstable();
            if near.is_empty() {
                format!("unknown node \"{s}\"")
            } else {
                format!("unknown node \"{s}\" (did you mean {}?)", near.join(", "))
            }
        }
        many => {
            let ids: Vec<&str> = many
                .iter()
                .map(|&n| net.node(n).source_id.as_str())
                .collect();
            format!(
                "\"{s}\" names several nodes ({}); give a node id",
                ids.join(", ")
            )
        }
    };
    Err(Error::InvalidQuery {
        field: field.to_string(),
        message,
    })
}

/// A place that only snapping resolves (`lat,lon`, a UN/LOCODE carried as
/// a tag), with the snap distance in km; `None` for node ids and names.
pub fn snapped(net: &Network, s: &str) -> Option<(NodeId, f64)> {
    if net.node_id(s).is_some() {
        return None;
    }
    let by_name = net
        .nodes
        .iter()
        .any(|n| n.source_id.eq_ignore_ascii_case(s) || n.name.eq_ignore_ascii_case(s));
    if by_name {
        return None;
    }
    crate::snap::resolve_place(net, s).ok()
}

/// The named commodity, or the network's first; an unknown name lists the
/// network's commodities.
pub fn resolve_commodity(net: &Network, name: Option<&str>) -> Result<CommodityId> {
    let Some(c) = name else {
        return Ok(CommodityId(0));
    };
    net.commodity_id(c).ok_or_else(|| {
        let known: Vec<&str> = net
            .commodities
            .iter()
            .map(|c| c.source_id.as_str())
            .collect();
        Error::InvalidQuery {
            field: "commodity".into(),
            message: format!(
                "unknown commodity \"{c}\" (this network has {})",
                known.join(", ")
            ),
        }
    })
}

/// The vessel class a query forces (`--vessel`), by id in any case.
pub fn resolve_vessel(name: Option<&str>) -> Result<Option<&'static corridor_model::VesselClass>> {
    let Some(v) = name else { return Ok(None) };
    corridor_model::VesselClass::by_id(v)
        .map(Some)
        .ok_or_else(|| Error::InvalidQuery {
            field: "vessel".into(),
            message: format!(
                "unknown vessel class \"{v}\" (expected {})",
                corridor_model::VESSEL_CLASSES
                    .iter()
                    .map(|c| c.id)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
}

/// Gives a network without commodities one, `general`, so that routes and
/// flows still run on it (e.g. a network imported from OpenStreetMap).
/// Faces call it once when they load a network for routes and flows.
pub fn ensure_commodity(net: &mut Network) -> Result<()> {
    if net.commodities.is_empty() {
        net.add_commodity(Commodity::new("general", CommodityClass::General, 0.0))
            .map_err(|e| Error::InvalidRequest(e.to_string()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor_fixtures::networks::gauge_break;

    #[test]
    fn places_resolve_by_id_name_and_point_and_misses_suggest() {
        let mut net = gauge_break();
        net.nodes[0].name = "Eastern Yard".into();
        net.nodes[2].name = "Western Yard".into();
        net.reindex().unwrap();
        assert_eq!(resolve_node(&net, "east", "from").unwrap().index(), 0);
        assert_eq!(resolve_node(&net, "WESTERN yard", "to").unwrap().index(), 2);
        assert_eq!(resolve_node(&net, "50.0,22.1", "to").unwrap().index(), 2);
        assert!(snapped(&net, "50.0,22.1").is_some());
        assert!(snapped(&net, "west").is_none());
        let e = resolve_node(&net, "yard", "via").unwrap_err().to_string();
        assert_eq!(e, "unknown node \"yard\" (did you mean east, west?)");
        let e = resolve_node(&net, "atlantis", "via")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "unknown node \"atlantis\"");
    }

    #[test]
    fn commodities_default_to_the_first_and_unknown_ones_list_the_known() {
        let mut net = gauge_break();
        assert_eq!(resolve_commodity(&net, None).unwrap(), CommodityId(0));
        let e = resolve_commodity(&net, Some("gold"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "unknown commodity \"gold\" (this network has grain, fuel)"
        );
        net.commodities.clear();
        net.reindex().unwrap();
        ensure_commodity(&mut net).unwrap();
        assert_eq!(net.commodities[0].source_id, "general");
    }
}

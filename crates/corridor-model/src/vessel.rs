//! Vessel classes: which ship sails a sea leg, what it costs, how fast it
//! goes and which canals and straits it fits. The classes are a fixed,
//! documented table (`docs/defaults.md`, "Vessel classes"); a commodity
//! lists the classes that may carry it (by default those of its commodity
//! class), and routing picks the best of them per shipment.
//!
//! Only links tagged [`SEA_LANE_TAG`] (every lane `corridor import sea`
//! writes) are sailed "by a vessel class": their speed, cost and CO2 per
//! tonne-km are the class's unless the link sets its own, and a passage's
//! limits (link tags `max_draught_m=…`, `max_beam_m=…`, `max_length_m=…`,
//! `max_dwt_t=…`) keep out the classes that do not fit. Hand-written sea
//! links (the grain example's) keep the `sea` mode defaults.
//!
//! A port node may carry [`PORT_DRAUGHT_TAG`] (`max_draught_m=…`, from the
//! World Port Index at `import ports`): a class whose draught exceeds it
//! may not call there, so no sea link into or out of that node is open to
//! it ([`VesselClass::calls_at`]).

use crate::{Commodity, CommodityClass, Link, Mode, Node};

/// The tag that makes a sea link priced by the vessel class sailing it.
pub const SEA_LANE_TAG: &str = "sea-lane";

/// The node tag of a port's deepest draught, metres: `max_draught_m=9.4`.
pub const PORT_DRAUGHT_TAG: &str = "max_draught_m";

/// Kilometres per nautical mile.
const KM_PER_NM: f64 = 1.852;

/// A kind of ship with typical figures (round, see `docs/defaults.md`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VesselClass {
    /// The name files and answers use, e.g. `large-container`.
    pub id: &'static str,
    /// Service speed, knots.
    pub speed_knots: f64,
    /// Money (EUR) per tonne-km of cargo, all running and capital costs.
    pub cost_per_tkm: f64,
    /// kg CO2 per tonne-km of cargo (tank to wake, typical load factor).
    pub co2_kg_per_tkm: f64,
    /// Cargo per voyage, tonnes: turns a per-vessel fee into a per-tonne one.
    pub payload_t: f64,
    pub dwt_t: f64,
    pub draught_m: f64,
    pub beam_m: f64,
    pub length_m: f64,
    /// Commodity classes it carries when a commodity names no classes.
    pub carries: &'static [CommodityClass],
}

use CommodityClass::{Bulk, Container, Dangerous, General};

/// The shipped classes, smallest bulk carrier first.
pub const VESSEL_CLASSES: [VesselClass; 7] = [
    VesselClass {
        id: "handysize",
        speed_knots: 13.0,
        cost_per_tkm: 0.0030,
        co2_kg_per_tkm: 0.0080,
        payload_t: 32_000.0,
        dwt_t: 35_000.0,
        draught_m: 10.0,
        beam_m: 28.0,
        length_m: 180.0,
        carries: &[Bulk, General, Dangerous],
    },
    VesselClass {
        id: "supramax",
        speed_knots: 13.0,
        cost_per_tkm: 0.0022,
        co2_kg_per_tkm: 0.0060,
        payload_t: 54_000.0,
        dwt_t: 58_000.0,
        draught_m: 12.8,
        beam_m: 32.3,
        length_m: 190.0,
        carries: &[Bulk, General],
    },
    VesselClass {
        id: "panamax",
        speed_knots: 13.0,
        cost_per_tkm: 0.0017,
        co2_kg_per_tkm: 0.0045,
        payload_t: 75_000.0,
        dwt_t: 80_000.0,
        draught_m: 14.5,
        beam_m: 32.2,
        length_m: 229.0,
        carries: &[Bulk],
    },
    VesselClass {
        id: "capesize",
        speed_knots: 12.5,
        cost_per_tkm: 0.0012,
        co2_kg_per_tkm: 0.0030,
        payload_t: 170_000.0,
        dwt_t: 180_000.0,
        draught_m: 18.2,
        beam_m: 45.0,
        length_m: 292.0,
        carries: &[Bulk],
    },
    VesselClass {
        id: "feeder-container",
        speed_knots: 15.0,
        cost_per_tkm: 0.0080,
        co2_kg_per_tkm: 0.0250,
        payload_t: 10_000.0,
        dwt_t: 14_000.0,
        draught_m: 8.5,
        beam_m: 23.0,
        length_m: 150.0,
        carries: &[Container, General],
    },
    VesselClass {
        id: "large-container",
        speed_knots: 16.0,
        cost_per_tkm: 0.0020,
        co2_kg_per_tkm: 0.0080,
        payload_t: 150_000.0,
        dwt_t: 190_000.0,
        draught_m: 16.0,
        beam_m: 59.0,
        length_m: 400.0,
        carries: &[Container],
    },
    VesselClass {
        id: "river-sea",
        speed_knots: 10.0,
        cost_per_tkm: 0.0100,
        co2_kg_per_tkm: 0.0150,
        payload_t: 4_500.0,
        dwt_t: 5_000.0,
        draught_m: 4.5,
        beam_m: 16.5,
        length_m: 110.0,
        carries: &[Bulk, General, Dangerous],
    },
];

impl VesselClass {
    /// The shipped class with this id (any case).
    pub fn by_id(id: &str) -> Option<&'static VesselClass> {
        VESSEL_CLASSES
            .iter()
            .find(|v| v.id.eq_ignore_ascii_case(id.trim()))
    }

    pub fn speed_kmh(&self) -> f64 {
        self.speed_knots * KM_PER_NM
    }

    /// Whether the class fits every limit the link's tags set (a link
    /// without limit tags fits every class).
    pub fn fits(&self, link: &Link) -> bool {
        link.tags.iter().all(|t| match limit_tag(t) {
            Some(("max_draught_m", m)) => self.draught_m <= m,
            Some(("max_beam_m", m)) => self.beam_m <= m,
            Some(("max_length_m", m)) => self.length_m <= m,
            Some(("max_dwt_t", m)) => self.dwt_t <= m,
            _ => true,
        })
    }

    /// Whether the class may call at `node`: its draught is within the
    /// node's [`PORT_DRAUGHT_TAG`] (a node without one takes every class).
    pub fn calls_at(&self, node: &Node) -> bool {
        port_draught_m(node).is_none_or(|m| self.draught_m <= m)
    }

    /// Money, hours and kg CO2 per tonne on a sea-lane link: the link's
    /// own figures where it sets them, else the class's; the toll plus the
    /// link's share of a per-vessel fee over the class's payload.
    pub fn link_per_t(&self, link: &Link) -> (f64, f64, f64) {
        let fee_per_vessel: f64 = link
            .tags
            .iter()
            .filter_map(|t| match limit_tag(t) {
                Some(("fee_per_vessel", f)) => Some(f),
                _ => None,
            })
            .sum();
        let money = link.cost_per_tkm.unwrap_or(self.cost_per_tkm) * link.length_km
            + link.toll
            + fee_per_vessel / self.payload_t;
        let hours = link
            .hours
            .unwrap_or_else(|| link.length_km / link.speed_kmh.unwrap_or_else(|| self.speed_kmh()));
        let co2 = link.co2_kg_per_tkm.unwrap_or(self.co2_kg_per_tkm) * link.length_km;
        (money, hours, co2)
    }
}

/// `key=number` of the limit and fee tags.
fn limit_tag(t: &str) -> Option<(&str, f64)> {
    let (k, v) = t.split_once('=')?;
    if !(k.starts_with("max_") || k == "fee_per_vessel") {
        return None;
    }
    v.parse().ok().map(|x| (k, x))
}

/// The deepest draught a port takes, metres ([`PORT_DRAUGHT_TAG`]).
pub fn port_draught_m(node: &Node) -> Option<f64> {
    node.tags.iter().find_map(|t| match limit_tag(t) {
        Some((k, m)) if k == PORT_DRAUGHT_TAG => Some(m),
        _ => None,
    })
}

/// Whether a link is sailed by a vessel class.
pub fn is_sea_lane(link: &Link) -> bool {
    link.mode == Mode::Sea && link.tags.iter().any(|t| t == SEA_LANE_TAG)
}

/// The classes that may carry a commodity: those it names, else those
/// whose `carries` has its commodity class. They matter only on a network
/// with sea lanes, which the engine's lowering records (so no route scans
/// the links for them).
pub fn vessels_for(c: &Commodity) -> Vec<&'static VesselClass> {
    if c.vessels.is_empty() {
        VESSEL_CLASSES
            .iter()
            .filter(|v| v.carries.contains(&c.class))
            .collect()
    } else {
        c.vessels
            .iter()
            .filter_map(|v| VesselClass::by_id(v))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NodeId;

    fn lane(tags: &[&str]) -> Link {
        let mut l = Link::new("l", NodeId(0), NodeId(1), Mode::Sea, None, 100.0);
        l.tags = tags.iter().map(|t| t.to_string()).collect();
        l
    }

    #[test]
    fn limits_keep_out_the_classes_that_do_not_fit() {
        let panama = lane(&[
            "sea-lane",
            "passage=panama",
            "max_beam_m=51.25",
            "max_draught_m=15.24",
        ]);
        let big = VesselClass::by_id("large-container").unwrap();
        let cape = VesselClass::by_id("Capesize").unwrap();
        let pmax = VesselClass::by_id("panamax").unwrap();
        assert!(!big.fits(&panama), "59 m beam > 51.25");
        assert!(!cape.fits(&panama), "18.2 m draught > 15.24");
        assert!(pmax.fits(&panama));
        assert!(big.fits(&lane(&["sea-lane"])));
    }

    #[test]
    fn a_per_vessel_fee_is_shared_by_the_payload() {
        let l = lane(&["sea-lane", "fee_per_vessel=15000"]);
        let h = VesselClass::by_id("handysize").unwrap();
        let (money, hours, co2) = h.link_per_t(&l);
        assert!((money - (0.003 * 100.0 + 15000.0 / 32000.0)).abs() < 1e-9);
        assert!((hours - 100.0 / (13.0 * 1.852)).abs() < 1e-9);
        assert!((co2 - 0.8).abs() < 1e-9);
    }

    #[test]
    fn commodities_default_to_the_classes_of_their_kind() {
        let grain = Commodity::new("grain", CommodityClass::Bulk, 0.1);
        let ids: Vec<_> = vessels_for(&grain).iter().map(|v| v.id).collect();
        assert_eq!(
            ids,
            ["handysize", "supramax", "panamax", "capesize", "river-sea"]
        );
        let boxes = Commodity::new("boxes", CommodityClass::Container, 1.0);
        let ids: Vec<_> = vessels_for(&boxes).iter().map(|v| v.id).collect();
        assert_eq!(ids, ["feeder-container", "large-container"]);
        let mut only = grain.clone();
        only.vessels = vec!["capesize".into()];
        assert_eq!(vessels_for(&only)[0].id, "capesize");
    }

    #[test]
    fn a_shallow_port_keeps_out_the_deep_classes() {
        let mut odesa = crate::Node::new("UAODS", crate::NodeKind::Port, 30.7, 46.5, "UA");
        let cape = VesselClass::by_id("capesize").unwrap();
        let handy = VesselClass::by_id("handysize").unwrap();
        assert!(cape.calls_at(&odesa), "no figure, no limit");
        odesa.tags = vec!["size=large".into(), "max_draught_m=9.4".into()];
        assert_eq!(port_draught_m(&odesa), Some(9.4));
        assert!(!cape.calls_at(&odesa));
        assert!(!handy.calls_at(&odesa), "10 m > 9.4 m");
        assert!(VesselClass::by_id("river-sea").unwrap().calls_at(&odesa));
    }
}

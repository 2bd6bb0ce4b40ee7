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

use crate::{Commodity, CommodityClass, Link, Mode, Network};

/// The tag that makes a sea link priced by the vessel class sailing it.
pub const SEA_LANE_TAG: &str = "sea-lane";

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

/// Whether a link is sailed by a vessel class.
pub fn is_sea_lane(link: &Link) -> bool {
    link.mode == Mode::Sea && link.tags.iter().any(|t| t == SEA_LANE_TAG)
}

/// The classes that may carry a commodity: those it names, else those
/// whose `carries` has its commodity class. Empty when the network has no
/// sea-lane links (nothing for a class to sail).
pub fn vessels_for(net: &Network, c: &Commodity) -> Vec<&'static VesselClass> {
    if !net.links.iter().any(is_sea_lane) {
        return Vec::new();
    }
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
        let mut net = Network::new("t");
        let a = net
            .add_node(crate::Node::new("a", crate::NodeKind::Port, 0.0, 0.0, ""))
            .unwrap();
        let b = net
            .add_node(crate::Node::new("b", crate::NodeKind::Port, 1.0, 0.0, ""))
            .unwrap();
        let grain = Commodity::new("grain", CommodityClass::Bulk, 0.1);
        let mut l = Link::new("s", a, b, Mode::Sea, None, 100.0);
        net.add_link(l.clone()).unwrap();
        assert!(vessels_for(&net, &grain).is_empty(), "no sea lanes");
        l.source_id = "s2".into();
        l.tags = vec![SEA_LANE_TAG.into()];
        net.add_link(l).unwrap();
        let ids: Vec<_> = vessels_for(&net, &grain).iter().map(|v| v.id).collect();
        assert_eq!(
            ids,
            ["handysize", "supramax", "panamax", "capesize", "river-sea"]
        );
        let boxes = Commodity::new("boxes", CommodityClass::Container, 1.0);
        let ids: Vec<_> = vessels_for(&net, &boxes).iter().map(|v| v.id).collect();
        assert_eq!(ids, ["feeder-container", "large-container"]);
        let mut only = grain.clone();
        only.vessels = vec!["capesize".into()];
        assert_eq!(vessels_for(&net, &only)[0].id, "capesize");
    }
}

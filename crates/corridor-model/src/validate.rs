//! What a whole network must satisfy before a question is asked of it:
//! every number in its range (the same [`Quantity`] checks the readers and
//! scenario edits apply, so a network built in code or edited is held to
//! what a loaded one is), gauges where rail needs them, terminals that only
//! claim layers present at their node, borders reached by a link. Errors
//! make the network unusable; warnings do not.
//!
//! Coordinates are only required to be finite here: TNTP node files may be
//! planar (Chicago's are in feet), so the lon/lat ranges are checked where
//! coordinates come in as lon/lat (the TOML and CSV readers, scenario edits).

use crate::diagnostic::{Diagnostic, SourceRef};
use crate::mode::{Mode, ModeDefaults};
use crate::network::{Network, Vehicles};
use crate::quantity::Quantity;

impl Network {
    /// Model-level checks: every number's range and what needs the whole
    /// network. Readers report a broken field themselves and leave it out,
    /// so a loaded network adds nothing here for it.
    pub fn validate(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        check_numbers(self, &mut out);
        check_links(self, &mut out);
        check_terminals(self, &mut out);
        check_borders(self, &mut out);
        out
    }
}

/// Collects range errors; the subject is formatted only for a failure so
/// that a clean million-link network allocates nothing here.
struct Ranges<'a> {
    out: &'a mut Vec<Diagnostic>,
}

impl Ranges<'_> {
    fn check(
        &mut self,
        subject: impl FnOnce() -> String,
        source: Option<&SourceRef>,
        key: &str,
        quantity: Quantity,
        x: Option<f64>,
    ) {
        let Some(Err(message)) = x.map(|x| quantity.check(x)) else {
            return;
        };
        self.out
            .push(Diagnostic::error(subject(), Some(key), message).at(source.cloned()));
    }
}

/// Per-mode keys in the order of [`Mode::ALL`], spelled out so that a
/// clean network formats no key.
const DWELL_KEYS: [&str; 4] = ["dwell.road", "dwell.rail", "dwell.sea", "dwell.river"];
const FACTOR_KEYS: [&str; 4] = [
    "capacity_factor.road",
    "capacity_factor.rail",
    "capacity_factor.sea",
    "capacity_factor.river",
];

fn check_numbers(net: &Network, out: &mut Vec<Diagnostic>) {
    let mut r = Ranges { out };
    check_header(net, &mut r);
    for n in &net.nodes {
        let subject = || format!("node \"{}\"", n.source_id);
        let at = n.source.as_ref();
        for (key, quantity, x) in [
            ("lon", Quantity::Longitude, n.lon),
            ("lat", Quantity::Latitude, n.lat),
        ] {
            // Finite only, not the range: see the module comment.
            let broken = (!x.is_finite()).then_some(x);
            r.check(subject, at, key, quantity, broken);
        }
        r.check(
            subject,
            at,
            "capacity",
            Quantity::Capacity,
            n.capacity_t_per_day,
        );
    }
    for l in &net.links {
        let subject = || format!("link \"{}\"", l.source_id);
        let at = l.source.as_ref();
        for (key, quantity, x) in [
            ("length", Quantity::Length, Some(l.length_km)),
            ("speed", Quantity::Speed, l.speed_kmh),
            ("hours", Quantity::Hours, l.hours),
            ("cost_per_tkm", Quantity::Amount, l.cost_per_tkm),
            ("co2_per_tkm", Quantity::Amount, l.co2_kg_per_tkm),
            ("capacity", Quantity::Capacity, l.capacity_t_per_day),
            ("bpr_alpha", Quantity::Amount, l.bpr_alpha),
            ("bpr_beta", Quantity::Amount, l.bpr_beta),
            ("toll", Quantity::Amount, Some(l.toll)),
        ] {
            r.check(subject, at, key, quantity, x);
        }
    }
    for t in &net.terminals {
        let subject = || format!("terminal \"{}\"", t.source_id);
        let at = t.source.as_ref();
        for (key, quantity, x) in [
            (
                "handling_cost",
                Quantity::Amount,
                Some(t.handling_cost_per_t),
            ),
            ("hours", Quantity::Hours, Some(t.hours)),
            ("co2_per_t", Quantity::Amount, Some(t.co2_kg_per_t)),
            ("capacity", Quantity::Capacity, t.capacity_t_per_day),
        ] {
            r.check(subject, at, key, quantity, x);
        }
    }
    for b in &net.borders {
        let subject = || format!("border \"{}\"", b.source_id);
        let at = b.source.as_ref();
        for (mode, key) in Mode::ALL.into_iter().zip(DWELL_KEYS) {
            r.check(
                subject,
                at,
                key,
                Quantity::Hours,
                Some(*b.dwell_hours.get(mode)),
            );
        }
        r.check(
            subject,
            at,
            "fee_per_t",
            Quantity::Amount,
            Some(b.fee_per_t),
        );
        r.check(
            subject,
            at,
            "capacity",
            Quantity::Capacity,
            b.capacity_t_per_day,
        );
    }
}

/// The header's numbers and every commodity's, by their keys in files.
fn check_header(net: &Network, r: &mut Ranges<'_>) {
    let network = || "network".to_string();
    let price = Some(net.carbon_price_per_t);
    r.check(
        network,
        None,
        "network.carbon_price",
        Quantity::Amount,
        price,
    );
    for f in &Vehicles::FIELDS {
        let key = format!("vehicles.{}", f.key);
        r.check(
            network,
            None,
            &key,
            f.quantity,
            Some((f.get)(&net.vehicles)),
        );
    }
    for mode in Mode::ALL {
        for f in &ModeDefaults::FIELDS {
            let key = format!("defaults.{mode}.{}", f.key);
            let x = Some((f.get)(net.defaults.get(mode)));
            r.check(network, None, &key, f.quantity, x);
        }
    }
    for c in &net.commodities {
        let subject = || format!("commodity \"{}\"", c.source_id);
        let at = c.source.as_ref();
        let vot = Some(c.value_of_time_per_t_h);
        r.check(subject, at, "value_of_time", Quantity::Amount, vot);
        for (mode, key) in Mode::ALL.into_iter().zip(FACTOR_KEYS) {
            let x = Some(*c.capacity_factor.get(mode));
            r.check(subject, at, key, Quantity::Ratio, x);
        }
    }
}

fn check_links(net: &Network, out: &mut Vec<Diagnostic>) {
    for l in &net.links {
        let subject = || format!("link \"{}\"", l.source_id);
        let mut push = |d: Diagnostic| out.push(d.at(l.source.clone()));
        if l.mode == Mode::Rail && l.gauge_mm.is_none() {
            push(Diagnostic::error(
                subject(),
                Some("gauge"),
                "rail link without a gauge (give gauge in mm, e.g. 1435 or 1520)",
            ));
        }
        if l.mode != Mode::Rail && l.gauge_mm.is_some() {
            push(Diagnostic::error(
                subject(),
                Some("gauge"),
                format!("a {} link has no gauge", l.mode),
            ));
        }
        if l.from == l.to {
            push(Diagnostic::warning(
                subject(),
                Some("to"),
                "link starts and ends at the same node",
            ));
        }
        let hours = net.link_hours(l);
        // The link's own numbers are checked above; this catches a default
        // speed or a length too long for its speed.
        if !(hours.is_finite() && hours >= 0.0) {
            push(Diagnostic::error(
                subject(),
                Some("speed"),
                "travel time is not a non-negative number of hours",
            ));
        }
    }
}

fn check_terminals(net: &Network, out: &mut Vec<Diagnostic>) {
    let layers = net.layers_at_nodes();
    for t in &net.terminals {
        let subject = || format!("terminal \"{}\"", t.source_id);
        let here = &layers[t.node.index()];
        for (a, b) in &t.transfers {
            for layer in [a, b] {
                if here.iter().any(|h| layer.matches(h)) {
                    continue;
                }
                let node = &net.nodes[t.node.index()];
                let present: Vec<String> = here.iter().map(|l| l.to_string()).collect();
                let present = if present.is_empty() {
                    "none".to_string()
                } else {
                    present.join(", ")
                };
                out.push(
                    Diagnostic::error(
                        subject(),
                        Some("connects"),
                        format!(
                            "claims layer {layer} but node \"{}\" has no {layer} link (layers there: {present})",
                            node.source_id
                        ),
                    )
                    .at(t.source.clone()),
                );
            }
            if a == b {
                out.push(
                    Diagnostic::warning(
                        subject(),
                        Some("connects"),
                        format!("transfer {a} <-> {b} connects a layer to itself"),
                    )
                    .at(t.source.clone()),
                );
            }
        }
    }
}

fn check_borders(net: &Network, out: &mut Vec<Diagnostic>) {
    let mut reached = vec![false; net.nodes.len()];
    for l in &net.links {
        reached[l.from.index()] = true;
        reached[l.to.index()] = true;
    }
    for b in &net.borders {
        let subject = || format!("border \"{}\"", b.source_id);
        if b.countries[0] == b.countries[1] {
            out.push(
                Diagnostic::warning(
                    subject(),
                    Some("countries"),
                    format!("both sides are {}", b.countries[0]),
                )
                .at(b.source.clone()),
            );
        }
        if !reached[b.node.index()] {
            out.push(
                Diagnostic::warning(
                    subject(),
                    Some("node"),
                    "no link reaches this border crossing",
                )
                .at(b.source.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Link, Mode, Network, Node, NodeKind};

    fn two_nodes() -> Network {
        let mut n = Network::new("t");
        n.add_node(Node::new("a", NodeKind::City, 0.0, 0.0, "UA"))
            .unwrap();
        n.add_node(Node::new("b", NodeKind::City, 1.0, 0.0, "UA"))
            .unwrap();
        n
    }

    #[test]
    fn numbers_out_of_range_are_errors_naming_element_and_key() {
        let mut n = two_nodes();
        let (a, b) = (n.node_id("a").unwrap(), n.node_id("b").unwrap());
        let mut l = Link::new("ab", a, b, Mode::Road, None, 10.0);
        l.capacity_t_per_day = Some(-5.0);
        l.speed_kmh = Some(f64::NAN);
        n.add_link(l).unwrap();
        n.nodes[0].lat = f64::INFINITY;
        n.vehicles.days_per_year = 0.0;
        n.defaults.rail.waiting_cost_per_t_h = -0.04;
        n.defaults.sea.waiting_cost_per_t_h = f64::INFINITY;
        let errors: Vec<String> = n
            .validate()
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.to_string())
            .collect();
        for want in [
            "network: vehicles.days_per_year: 0 must be positive",
            "network: defaults.rail.waiting_cost: -0.04 must not be negative",
            "network: defaults.sea.waiting_cost: inf is not a finite number",
            "node \"a\": lat: inf is not a finite number",
            "link \"ab\": speed: NaN is not a finite number",
            "link \"ab\": capacity: -5 must not be negative",
        ] {
            assert!(errors.iter().any(|e| e == want), "{want} not in {errors:?}");
        }
    }

    #[test]
    fn planar_coordinates_pass_as_tntp_node_files_give_them() {
        let mut n = two_nodes();
        n.nodes[0].lon = 712_475.0;
        n.nodes[0].lat = 1_855_780.0;
        assert!(n.validate().iter().all(|d| !d.is_error()));
    }
}

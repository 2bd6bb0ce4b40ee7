//! Criticality against brute force on random multimodal networks with
//! capacities on links, terminals, borders and nodes: every element is
//! closed by a real scenario edit and the capacity question asked again
//! (`capacity_query`), the maximum checked against an LP written straight
//! from the model, and connectivity against routes; the shortcut's answers
//! equal those of solving every element again; the warm re-solves equal
//! solving from scratch; parts merge into the whole and threads change
//! nothing.

use corridor_engine::answer;
use corridor_engine::{
    CapacityQuery, CriticalityConfig, LowerConfig, Objective, RouteConfig, Shipment,
    capacity_query, criticality, criticality_with_stats, lower, route,
};
use corridor_fixtures::lp::network_max_flow;
use corridor_model::results::{CriticalElement, CriticalityReport};
use corridor_model::scenario::{Edit, EditAt, ElementKind, Selection};
use corridor_model::{CriticalityQuery, Endpoint, Network, NodeId, Part, Scenario};
use proptest::prelude::*;

fn with_capacities(seed: u64) -> Network {
    corridor_fixtures::with_capacities(seed, 0xC817)
}

/// Reports round to 9 significant digits; solvers scale to integers.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * (1.0 + a.abs().max(b.abs()))
}

fn kind_of(word: &str) -> ElementKind {
    ElementKind::parse(word).unwrap()
}

fn closing(kind: &str, id: &str) -> Scenario {
    Scenario {
        name: format!("close-{id}"),
        description: String::new(),
        edits: vec![EditAt {
            edit: Edit::Close(Selection {
                ids: vec![(Some(kind_of(kind)), id.to_string())],
                ..Selection::default()
            }),
            source: None,
        }],
    }
}

/// Whether a capacity report divided a shared capacity.
fn divided(notes: &[String]) -> bool {
    notes.iter().any(|n| n.contains("has one capacity"))
}

/// A question with one or two origins and destinations, or `None` when
/// the draw picks a node twice or a closed one.
fn question(net: &Network, pick: (u16, u16, u16, u16, u8)) -> Option<CapacityQuery> {
    let n = net.nodes.len();
    let mut from = vec![pick.0 as usize % n];
    let mut to = vec![pick.1 as usize % n];
    if pick.2.is_multiple_of(3) {
        from.push(pick.2 as usize % n);
    }
    if pick.3.is_multiple_of(3) {
        to.push(pick.3 as usize % n);
    }
    from.dedup();
    to.dedup();
    let all: Vec<usize> = from.iter().chain(&to).copied().collect();
    if from.iter().any(|f| to.contains(f)) || all.iter().any(|&x| !net.nodes[x].open) {
        return None;
    }
    let ids = |v: &[usize]| {
        v.iter()
            .map(|&x| Endpoint::new(net.nodes[x].source_id.clone()))
            .collect()
    };
    Some(CapacityQuery {
        from: ids(&from),
        to: ids(&to),
        commodity: Some(
            net.commodities[pick.4 as usize % net.commodities.len()]
                .source_id
                .clone(),
        ),
        minimize: Objective::Cost,
        scenarios: Vec::new(),
    })
}

fn endpoint_node(q: &CapacityQuery, e: &CriticalElement) -> bool {
    e.kind == "node" && q.from.iter().chain(&q.to).any(|p| p.place == e.id)
}

/// Which ends still reach the other side on `net`, by routes (which
/// ignore capacities): the origins with a route to some destination and
/// the destinations with a route from some origin.
fn reachable_ends(net: &Network, q: &CapacityQuery) -> (Vec<String>, bool) {
    let lowered = lower(net, &LowerConfig::default());
    let commodity = net.commodity_id(q.commodity.as_deref().unwrap()).unwrap();
    let node = |p: &Endpoint| net.node_id(&p.place).unwrap();
    let open = |n: NodeId| net.node(n).open;
    let routes = |a: NodeId, b: NodeId| {
        open(a)
            && open(b)
            && route(
                net,
                &lowered,
                &Shipment {
                    from: a,
                    to: b,
                    commodity,
                    tonnes: 1.0,
                },
                &RouteConfig::default(),
            )
            .is_ok()
    };
    let mut reached = Vec::new();
    let mut any = false;
    for o in &q.from {
        if q.to.iter().any(|d| routes(node(o), node(d))) {
            reached.push(o.place.clone());
            any = true;
        }
    }
    for d in &q.to {
        if q.from.iter().any(|o| routes(node(o), node(d))) {
            reached.push(d.place.clone());
        }
    }
    (reached, any)
}

/// Every element of `fast` against closing it for real.
fn check_against_closed_networks(net: &Network, q: &CapacityQuery, fast: &CriticalityReport) {
    let base = capacity_query(net, q).unwrap();
    let base_divided = divided(&base.notes);
    let (base_reached, _) = reachable_ends(net, q);
    let c = net
        .commodity_id(q.commodity.as_deref().unwrap())
        .unwrap()
        .index();
    for e in &fast.elements {
        let what = format!("closing {} {}", e.kind, e.id);
        if endpoint_node(q, e) {
            continue; // `capacity` refuses a closed origin; the other tests cover it
        }
        let closed = closing(&e.kind, &e.id).apply(net).unwrap();
        let slow = capacity_query(&closed, q).unwrap();
        if e.exact && slow.exact {
            assert!(
                close(e.max_flow, slow.max_flow),
                "{what}: {} vs {}",
                e.max_flow,
                slow.max_flow
            );
            let from: Vec<NodeId> = q
                .from
                .iter()
                .map(|p| net.node_id(&p.place).unwrap())
                .collect();
            let to: Vec<NodeId> =
                q.to.iter()
                    .map(|p| net.node_id(&p.place).unwrap())
                    .collect();
            let lp = network_max_flow(&closed, &from, &to, c);
            assert!(close(e.max_flow, lp), "{what}: {} vs LP {lp}", e.max_flow);
        }
        if !base_divided && e.max_flow > 0.0 {
            // The shortcut's cost is the true optimum; `capacity` says the
            // same unless its relaxation lands on an optimum that breaks a
            // shared capacity, and then no less.
            if divided(&slow.notes) {
                assert!(
                    e.cost_per_unit <= slow.cost_per_unit * (1.0 + 1e-6) + 1e-6,
                    "{what}: cost {} above capacity's {}",
                    e.cost_per_unit,
                    slow.cost_per_unit
                );
            } else {
                assert!(
                    close(e.cost_per_unit, slow.cost_per_unit),
                    "{what}: cost {} vs {}",
                    e.cost_per_unit,
                    slow.cost_per_unit
                );
            }
        }
        let (reached, any) = reachable_ends(&closed, q);
        let cut: Vec<String> = base_reached
            .iter()
            .filter(|x| !reached.contains(x))
            .cloned()
            .collect();
        let mut got = e.cut_off.clone();
        got.sort();
        let mut want = cut;
        want.sort();
        want.dedup();
        assert_eq!(got, want, "{what}: cut off");
        assert_eq!(e.connected, any, "{what}: connected");
    }
}

/// The shortcut against solving every element again.
fn check_against_brute_force(fast: &CriticalityReport, slow: &CriticalityReport, divided: bool) {
    assert!(fast.shortcut && !slow.shortcut);
    assert_eq!(fast.elements.len(), slow.elements.len());
    for s in &slow.elements {
        let what = format!("closing {} {}", s.kind, s.id);
        let f = fast
            .elements
            .iter()
            .find(|f| f.kind == s.kind && f.id == s.id)
            .unwrap();
        assert_eq!(
            (f.used, f.connected, &f.cut_off),
            (s.used, s.connected, &s.cut_off),
            "{what}"
        );
        if f.used {
            // Solved again by both: the same computation.
            assert_eq!(f, s, "{what}");
            continue;
        }
        if f.exact && s.exact {
            assert!(
                close(f.max_flow, s.max_flow),
                "{what}: {} vs {}",
                f.max_flow,
                s.max_flow
            );
        }
        if !divided && f.max_flow > 0.0 {
            assert!(
                f.cost_per_unit <= s.cost_per_unit * (1.0 + 1e-6) + 1e-6,
                "{what}: {} vs {}",
                f.cost_per_unit,
                s.cost_per_unit
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn criticality_equals_closing_each_element(seed in 0u64..10_000, pick in any::<(u16, u16, u16, u16, u8)>()) {
        let net = with_capacities(seed);
        let Some(q) = question(&net, pick) else { return Ok(()) };
        let fast = criticality(&net, &q, &CriticalityConfig::default()).unwrap();
        let slow = criticality(&net, &q, &CriticalityConfig { shortcut: false, ..CriticalityConfig::default() }).unwrap();
        let base_divided = fast.notes.iter().any(|n| n.contains("has one capacity"));
        check_against_brute_force(&fast, &slow, base_divided);
        check_against_closed_networks(&net, &q, &fast);
        // Ranked, and the same whatever the threads and parts.
        for w in fast.elements.windows(2) {
            prop_assert!(CriticalElement::rank(&w[0], &w[1]).is_lt());
        }
        let one = criticality(&net, &q, &CriticalityConfig { threads: Some(1), ..CriticalityConfig::default() }).unwrap();
        prop_assert_eq!(&one, &fast);
        let parts: Vec<CriticalityReport> = (0..3)
            .map(|index| {
                let config = CriticalityConfig { part: Some(Part { index, of: 3 }), ..CriticalityConfig::default() };
                criticality(&net, &q, &config).unwrap()
            })
            .rev()
            .collect();
        prop_assert_eq!(answer::merge_criticality(parts).unwrap(), fast);
    }
}

/// Every element solved again, warm (repairing the base flow) and from
/// scratch: the same report, except that where several flows of the
/// relaxation are cheapest `capacity`'s may exceed a shared capacity and
/// be divided, and then costs no less than the warm one (whose flow
/// exceeds none). Returns (repaired elements, elements that lost flow,
/// disconnecting elements).
fn check_warm_against_scratch(net: &Network, q: &CapacityQuery) -> (usize, usize, usize) {
    let every = |warm| CriticalityConfig {
        shortcut: false,
        warm,
        ..CriticalityConfig::default()
    };
    let (warm, stats) = criticality_with_stats(net, q, &every(true)).unwrap();
    let scratch = criticality(net, q, &every(false)).unwrap();
    assert_eq!(stats.warm + stats.fallbacks, warm.elements.len());
    assert_eq!(stats.from_scratch, stats.fallbacks);
    assert_eq!(
        (&warm.base, &warm.notes, warm.elements.len()),
        (&scratch.base, &scratch.notes, scratch.elements.len())
    );
    let (mut lost, mut cut) = (0, 0);
    for s in &scratch.elements {
        let what = format!("closing {} {}", s.kind, s.id);
        let w = warm
            .elements
            .iter()
            .find(|w| w.kind == s.kind && w.id == s.id)
            .unwrap();
        assert_eq!(
            (w.used, w.connected, &w.cut_off),
            (s.used, s.connected, &s.cut_off),
            "{what}"
        );
        lost += usize::from(w.lost > 0.0);
        cut += usize::from(!w.connected);
        if w == s {
            continue;
        }
        if w.exact && s.exact {
            assert!(close(w.max_flow, s.max_flow), "{what}: {w:?} vs {s:?}");
            assert!(close(w.lost, s.lost), "{what}: {w:?} vs {s:?}");
        }
        if close(w.cost_per_unit, s.cost_per_unit) {
            continue;
        }
        let closed = closing(&s.kind, &s.id).apply(net).unwrap();
        let slow = capacity_query(&closed, q).unwrap();
        assert!(
            divided(&slow.notes) && w.cost_per_unit <= s.cost_per_unit * (1.0 + 1e-6) + 1e-6,
            "{what}: cost {} warm vs {} from scratch",
            w.cost_per_unit,
            s.cost_per_unit
        );
    }
    (stats.warm, lost, cut)
}

#[test]
fn warm_re_solves_equal_solving_from_scratch() {
    let (mut cases, mut repaired, mut lost, mut cut) = (0, 0, 0, 0);
    for seed in 0..40u64 {
        let net = with_capacities(seed);
        let pick = (seed as u16 * 31, seed as u16 * 17 + 5, 3, 1, 0);
        let Some(q) = question(&net, pick) else {
            continue;
        };
        let Ok(base) = capacity_query(&net, &q) else {
            continue;
        };
        if base.max_flow <= 0.0 {
            continue;
        }
        cases += 1;
        let (r, l, c) = check_warm_against_scratch(&net, &q);
        (repaired, lost, cut) = (repaired + r, lost + l, cut + c);
    }
    // Repairs that reroute, that lose flow and closures that disconnect.
    assert!(cases >= 10, "{cases} cases");
    assert!(
        repaired > 100 && lost > 20 && cut > 5,
        "{repaired} {lost} {cut}"
    );
}

#[test]
fn merging_refuses_missing_twice_and_foreign_parts() {
    let net = with_capacities(7);
    let q = (0..200u16)
        .find_map(|i| question(&net, (i, i * 7 + 3, 1, 1, 0)))
        .unwrap();
    let part = |index, of| {
        let config = CriticalityConfig {
            part: Some(Part { index, of }),
            ..CriticalityConfig::default()
        };
        criticality(&net, &q, &config).unwrap()
    };
    let e = |parts| answer::merge_criticality(parts).unwrap_err().to_string();
    assert_eq!(
        e(vec![part(0, 2)]),
        "cannot merge criticality parts: part 1 of 2 is missing"
    );
    assert_eq!(
        e(vec![part(0, 2), part(0, 2)]),
        "cannot merge criticality parts: part 0 is given twice"
    );
    assert_eq!(
        e(vec![part(0, 2), part(1, 3)]),
        "cannot merge criticality parts: the parts split the elements differently"
    );
    let mut other = part(1, 2);
    other.commodity = "elsewhere".into();
    assert_eq!(
        e(vec![part(0, 2), other]),
        "cannot merge criticality parts: part 1 answers another question"
    );
    let query = CriticalityQuery {
        from: q.from.clone(),
        to: q.to.clone(),
        part: Some(Part { index: 2, of: 2 }),
        ..CriticalityQuery::default()
    };
    let e = answer::criticality(&net, &query, &Default::default())
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "part 2 of 2 does not exist (parts are numbered 0 to of - 1, of at least 1)"
    );
}

/// `gauge_break` with rail and road given capacities: east → west by
/// rail (r1, gauge change gc, r2) or by road (d1, d2), both across the
/// border ua-pl at brd.
fn gauge_break_with(r1: f64, d1: f64) -> (Network, CapacityQuery) {
    let mut net = corridor_fixtures::networks::gauge_break();
    for (id, c) in [("r1", r1), ("r2", 100.0), ("d1", d1), ("d2", 50.0)] {
        let l = net.link_id(id).unwrap();
        net.links[l.index()].capacity_t_per_day = Some(c);
    }
    let q = CapacityQuery {
        from: vec![Endpoint::new("east")],
        to: vec![Endpoint::new("west")],
        commodity: Some("grain".into()),
        ..CapacityQuery::default()
    };
    (net, q)
}

fn element<'a>(r: &'a CriticalityReport, kind: &str, id: &str) -> &'a CriticalElement {
    r.elements
        .iter()
        .find(|e| e.kind == kind && e.id == id)
        .unwrap()
}

#[test]
fn a_path_of_zero_capacity_still_connects() {
    // Rail carries 100; the road's first link takes nothing (capacity 0)
    // but is open, so closing the rail leaves the ends connected.
    let (net, q) = gauge_break_with(100.0, 0.0);
    let r = criticality(&net, &q, &CriticalityConfig::default()).unwrap();
    assert_eq!((r.base.max_flow, r.base.connected), (100.0, true));
    let r1 = element(&r, "link", "r1");
    assert_eq!(
        (r1.used, r1.lost, r1.lost_share, r1.connected),
        (true, 100.0, 1.0, true)
    );
    assert_eq!(r1.cost_change, None);
    let d1 = element(&r, "link", "d1");
    assert!(!d1.used && !d1.has_effect(), "{d1:?}");
    let brd = element(&r, "node", "brd");
    assert_eq!((brd.lost, brd.connected), (100.0, false));
    assert_eq!(brd.cut_off, ["east", "west"]);
    // Equal losses: disconnecting first, then by kind and id.
    let ids: Vec<&str> = r.elements.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids[..6], ["ua-pl", "brd", "east", "west", "r1", "r2"]);
}

#[test]
fn closing_an_element_that_carries_nothing_can_still_disconnect() {
    // Nothing flows (both first links have capacity 0), yet the ends are
    // connected; closing the border node, which carries no flow, cuts them.
    let (net, q) = gauge_break_with(0.0, 0.0);
    let r = criticality(&net, &q, &CriticalityConfig::default()).unwrap();
    assert_eq!((r.base.max_flow, r.base.connected), (0.0, true));
    assert!(r.elements.iter().all(|e| !e.used && e.lost == 0.0));
    for (kind, id) in [("node", "brd"), ("border", "ua-pl"), ("node", "east")] {
        let e = element(&r, kind, id);
        assert!(!e.connected && e.has_effect(), "{e:?}");
    }
    for (kind, id) in [("link", "r1"), ("link", "d1"), ("terminal", "gc")] {
        let e = element(&r, kind, id);
        assert!(e.connected && !e.has_effect(), "{e:?}");
    }
    assert_eq!(
        r.notes,
        ["nothing flows in the base: closing an element cannot lower the maximum"]
    );
}

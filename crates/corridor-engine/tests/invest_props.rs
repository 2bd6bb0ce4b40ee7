//! Investment screening against brute force on random multimodal
//! networks: every affordable set of projects applied and its maximum
//! flow computed. Branch and bound (projects that only raise) and
//! enumeration (projects that may lower) must find the best set; greedy
//! must find a set no better than it, within the budget, under its bound.

use corridor_engine::{CapacityQuery, InvestConfig, Objective, Project, capacity_query, invest};
use corridor_fixtures::{GenerateConfig, multimodal};
use corridor_model::scenario::{Edit, EditAt, ElementKind, Selection, Value, apply_all};
use corridor_model::{Endpoint, Network, Scenario};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn sel(kind: ElementKind, id: &str) -> Selection {
    Selection {
        ids: vec![(Some(kind), id.to_string())],
        ..Selection::default()
    }
}

/// A network with finite capacities, a question with some flow, and
/// `n` projects; `raising` keeps every edit one that only raises.
fn case(seed: u64, n: usize, raising: bool) -> Option<(Network, CapacityQuery, Vec<Project>)> {
    let mut net = multimodal(&GenerateConfig::small(seed));
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x1417);
    for l in &mut net.links {
        l.capacity_t_per_day = Some(rng.random_range(10.0..300.0));
    }
    for b in &mut net.borders {
        b.capacity_t_per_day = Some(rng.random_range(10.0..300.0));
    }
    let nn = net.nodes.len();
    let (a, b) = (rng.random_range(0..nn), rng.random_range(0..nn));
    if a == b || !net.nodes[a].open || !net.nodes[b].open {
        return None;
    }
    let q = CapacityQuery {
        from: vec![Endpoint::new(net.nodes[a].source_id.clone())],
        to: vec![Endpoint::new(net.nodes[b].source_id.clone())],
        commodity: Some("grain".into()),
        minimize: Objective::Cost,
        scenarios: Vec::new(),
    };
    let base = capacity_query(&net, &q).ok()?;
    if base.max_flow <= 0.0 {
        return None;
    }
    // Projects mostly touch the base's bottlenecks, so that they matter.
    let cut: Vec<(ElementKind, String)> = base
        .bottlenecks
        .iter()
        .filter_map(|b| ElementKind::parse(&b.kind).map(|k| (k, b.id.clone())))
        .filter(|(k, _)| matches!(k, ElementKind::Link | ElementKind::Border))
        .collect();
    let projects = (0..n)
        .map(|i| {
            let mut edits = Vec::new();
            for _ in 0..rng.random_range(1..=3) {
                let mut l = net.links[rng.random_range(0..net.links.len())]
                    .source_id
                    .to_string();
                let mut bo = net.borders[rng.random_range(0..net.borders.len())]
                    .source_id
                    .clone();
                if !cut.is_empty() && rng.random_bool(0.7) {
                    let (k, id) = cut[rng.random_range(0..cut.len())].clone();
                    match k {
                        ElementKind::Link => l = id,
                        _ => bo = id,
                    }
                }
                let edit = match rng.random_range(0..if raising { 4 } else { 6 }) {
                    0 => Edit::Scale {
                        selection: sel(ElementKind::Link, &l),
                        factor: rng.random_range(1.0..4.0),
                    },
                    1 => Edit::Open(sel(ElementKind::Link, &l)),
                    2 => Edit::Scale {
                        selection: sel(ElementKind::Border, &bo),
                        factor: rng.random_range(1.0..4.0),
                    },
                    3 => Edit::Set {
                        selection: sel(ElementKind::Border, &bo),
                        values: vec![("capacity".into(), Value::Unlimited)],
                    },
                    4 => Edit::Close(sel(ElementKind::Link, &l)),
                    _ => Edit::Scale {
                        selection: sel(ElementKind::Border, &bo),
                        factor: 0.5,
                    },
                };
                edits.push(EditAt { edit, source: None });
            }
            Project {
                name: format!("p{i}"),
                scenario: Scenario {
                    name: format!("s{i}"),
                    description: String::new(),
                    edits,
                },
                cost: f64::from(rng.random_range(1..10u8)),
                note: None,
            }
        })
        .collect();
    Some((net, q, projects))
}

/// The best affordable set by brute force: (maximum, cost).
fn brute_force(net: &Network, q: &CapacityQuery, projects: &[Project], budget: f64) -> (f64, f64) {
    let mut best = (f64::NEG_INFINITY, 0.0);
    for mask in 0u32..(1 << projects.len()) {
        let set: Vec<&Project> = (0..projects.len())
            .filter(|j| mask & (1 << j) != 0)
            .map(|j| &projects[j])
            .collect();
        let cost: f64 = set.iter().map(|p| p.cost).sum();
        if cost > budget {
            continue;
        }
        let scenarios: Vec<Scenario> = set.iter().map(|p| p.scenario.clone()).collect();
        let Ok(edited) = apply_all(net, &scenarios) else {
            continue;
        };
        let Ok(r) = capacity_query(&edited, q) else {
            continue;
        };
        let tol = 1e-9 * (1.0 + r.max_flow.abs());
        if r.max_flow > best.0 + tol || (r.max_flow >= best.0 - tol && cost < best.1) {
            best = (r.max_flow, cost);
        }
    }
    best
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * (1.0 + a.abs().max(b.abs()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn the_chosen_set_is_the_best_affordable_one(seed in 0u64..10_000, raising: bool, budget in 3.0f64..25.0) {
        let Some((net, q, projects)) = case(seed, 6, raising) else { return Ok(()) };
        let (value, cost) = brute_force(&net, &q, &projects, budget);
        let config = InvestConfig { budget, ..InvestConfig::default() };
        let r = invest(&net, &projects, &q, &config).unwrap();
        let b = &r.best;
        prop_assert!(b.cost <= budget + 1e-9);
        if raising {
            prop_assert_eq!(b.method.as_str(), "branch and bound");
            prop_assert!(r.projects.iter().all(|p| p.raises_only));
        } else if r.projects.iter().any(|p| !p.raises_only) {
            prop_assert_eq!(b.method.as_str(), "enumeration");
        }
        prop_assert!(b.exact);
        prop_assert!(close(b.max_flow, value), "{} vs brute force {value}", b.max_flow);
        prop_assert!(close(b.cost, cost), "cost {} vs brute force {cost}", b.cost);
        if raising {
            // Branch and bound may not look at every set.
            let affordable = (0u32..64).filter(|m| {
                (0..6).filter(|j| m & (1 << j) != 0).map(|j| projects[j].cost).sum::<f64>() <= budget
            });
            prop_assert!(b.evaluated <= affordable.count() + 64);
        }
        // Greedy: feasible, no better than the best, under its bound.
        let greedy = InvestConfig { max_exact_projects: 0, ..config };
        let g = invest(&net, &projects, &q, &greedy).unwrap();
        prop_assert_eq!(g.best.method.as_str(), "greedy");
        prop_assert!(!g.best.exact && g.best.cost <= budget + 1e-9);
        prop_assert!(g.best.max_flow <= value * (1.0 + 1e-6) + 1e-6);
        // A bound only where every project raises (which a case built
        // without `raising` may still draw), and never below the best.
        if let Some(ub) = g.best.upper_bound {
            prop_assert!(r.projects.iter().all(|p| p.raises_only), "a bound for projects that lower");
            prop_assert!(ub >= value * (1.0 - 1e-6) - 1e-6, "bound {ub} below {value}");
        }
        // Singles are each project alone.
        for (p, o) in projects.iter().zip(&r.projects) {
            let alone = apply_all(&net, std::slice::from_ref(&p.scenario)).ok().and_then(|n| capacity_query(&n, &q).ok());
            prop_assert_eq!(alone.map(|a| a.max_flow), o.max_flow);
        }
    }
}

#[test]
fn two_projects_setting_one_capacity_are_not_treated_as_raising() {
    let (net, q, _) = (0..50).find_map(|s| case(s, 0, true)).unwrap();
    let border = net.borders[0].source_id.clone();
    let set = |name: &str, x: f64| Project {
        name: name.into(),
        scenario: Scenario {
            name: name.into(),
            description: String::new(),
            edits: vec![EditAt {
                edit: Edit::Set {
                    selection: sel(ElementKind::Border, &border),
                    values: vec![("capacity".into(), Value::Number(x))],
                },
                source: None,
            }],
        },
        cost: 1.0,
        note: None,
    };
    let c = net.borders[0].capacity_t_per_day.unwrap();
    let projects = [set("a", c * 3.0), set("b", c * 2.0)];
    let config = InvestConfig {
        budget: 10.0,
        ..InvestConfig::default()
    };
    let r = invest(&net, &projects, &q, &config).unwrap();
    assert!(r.projects.iter().all(|p| p.raises_only));
    assert_eq!(r.best.method, "enumeration");
    assert!(
        r.notes[0].contains("both change the capacity of one element"),
        "{:?}",
        r.notes
    );
}

//! Base against scenario system optimum for the same demand: totals,
//! pairs whose unserved demand changed and capacities whose shadow price
//! changed. Both sides are solved with one penalty (the given one, else
//! the larger of the two networks' defaults), so their objectives weigh
//! unserved demand alike.

use super::{OptimiseConfig, build, solve};
use crate::Result;
use corridor_model::Network;
use corridor_model::demand::DemandRow;
use corridor_model::results::{
    OptimiseComparison, OptimiseResult, OptimumTotals, ShadowPriceChange, UnservedChange,
};
use std::collections::BTreeMap;
use std::time::Instant;

/// How many changed shadow prices a comparison lists.
pub const MAX_PRICE_CHANGES: usize = 20;

fn totals(r: &OptimiseResult) -> OptimumTotals {
    OptimumTotals {
        total_cost: r.total_cost,
        objective: r.objective,
        served_t_per_day: r.served_t_per_day,
        unserved_t_per_day: r.unserved_t_per_day,
    }
}

/// Optimises `base_rows` on `base` and `edited_rows` (the same demand,
/// resolved on the edited network) on `edited`.
pub fn compare(
    base: &Network,
    edited: &Network,
    base_rows: &[DemandRow],
    edited_rows: &[DemandRow],
    config: &OptimiseConfig,
) -> Result<OptimiseComparison> {
    let start = Instant::now();
    let mut pb = build(base, base_rows, config.minimize, config.unserved_penalty)?;
    let mut pe = build(
        edited,
        edited_rows,
        config.minimize,
        config.unserved_penalty,
    )?;
    let penalty = pb.penalty.max(pe.penalty);
    pb.penalty = penalty;
    pe.penalty = penalty;
    let before = solve(base, pb, config, start)?.to_result(base);
    let after = solve(edited, pe, config, start)?.to_result(edited);
    Ok(OptimiseComparison {
        minimize: before.minimize.clone(),
        unit: before.unit.clone(),
        unserved_penalty: penalty,
        base: totals(&before),
        scenario: totals(&after),
        unserved_changes: unserved_changes(&before, &after),
        shadow_price_changes: price_changes(&before, &after),
    })
}

fn unserved_changes(before: &OptimiseResult, after: &OptimiseResult) -> Vec<UnservedChange> {
    let mut m: BTreeMap<(String, String, String), (f64, f64)> = BTreeMap::new();
    for (side, r) in [(0, before), (1, after)] {
        for u in &r.unserved {
            let e = m
                .entry((u.origin.clone(), u.destination.clone(), u.commodity.clone()))
                .or_default();
            if side == 0 {
                e.0 = u.unserved_t_per_day;
            } else {
                e.1 = u.unserved_t_per_day;
            }
        }
    }
    m.into_iter()
        .filter(|(_, (b, a))| b != a)
        .map(
            |((origin, destination, commodity), (b, a))| UnservedChange {
                origin,
                destination,
                commodity,
                before: b,
                after: a,
            },
        )
        .collect()
}

type PriceKey = (String, String, Option<String>, Option<String>);

fn price_changes(before: &OptimiseResult, after: &OptimiseResult) -> Vec<ShadowPriceChange> {
    let mut m: BTreeMap<PriceKey, (String, f64, f64)> = BTreeMap::new();
    for (side, r) in [(0, before), (1, after)] {
        for s in &r.shadow_prices {
            let key = (s.kind.clone(), s.id.clone(), s.from.clone(), s.to.clone());
            let e = m.entry(key).or_insert((s.name.clone(), 0.0, 0.0));
            if side == 0 {
                e.1 = s.shadow_price;
            } else {
                e.2 = s.shadow_price;
            }
        }
    }
    let mut out: Vec<ShadowPriceChange> = m
        .into_iter()
        .filter(|(_, (_, b, a))| (a - b).abs() > 1e-9 * (1.0 + a.abs().max(b.abs())))
        .map(|((kind, id, from, to), (name, b, a))| ShadowPriceChange {
            kind,
            id,
            name,
            from,
            to,
            before: b,
            after: a,
        })
        .collect();
    out.sort_by(|x, y| {
        ((y.after - y.before)
            .abs()
            .total_cmp(&(x.after - x.before).abs()))
        .then_with(|| (&x.kind, &x.id, &x.from).cmp(&(&y.kind, &y.id, &y.from)))
    });
    out.truncate(MAX_PRICE_CHANGES);
    out
}

//! Sweeps: the capacity question asked of many networks, each the base
//! with one scenario or one combination of scenarios applied, for every
//! commodity, one row each with the ratio to the base and the first
//! bottleneck. Rows are independent, so they run side by side on a rayon
//! pool and can be split into parts (each a worker's share).
//!
//! It applies scenarios with the model's validation and answers with
//! [`crate::capacity_query`]; it adds no algorithm. A combination that
//! cannot be applied, or whose question fails, is a row with an error,
//! not a failed sweep.

use crate::capacity::{CapacityQuery, capacity_query};
use crate::{Error, Progress, Result};
use corridor_model::results::{CapacityReport, SweepReport, SweepRow};
use corridor_model::scenario::apply_all;
use corridor_model::{Network, Part, Scenario};
use rayon::prelude::*;

/// With `grid`, at most this many scenarios (2^12 = 4096 combinations).
pub const MAX_GRID_SCENARIOS: usize = 12;

/// How to run a sweep.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SweepConfig {
    /// Every combination of the scenarios instead of each one alone.
    pub grid: bool,
    /// Threads answering rows side by side; `None` = rayon's pool.
    pub threads: Option<usize>,
    /// Only this part of the rows.
    pub part: Option<Part>,
    /// Counts the rows answered and stops before the next one once
    /// cancelled.
    pub progress: Progress,
}

/// The combinations of `n` scenarios a sweep asks about, as positions in
/// application order: none (the base), then each alone; with `grid`, then
/// every pair, triple and so on, each size in lexicographic order.
pub fn combinations(n: usize, grid: bool) -> Result<Vec<Vec<usize>>> {
    if !grid {
        return Ok(std::iter::once(Vec::new())
            .chain((0..n).map(|i| vec![i]))
            .collect());
    }
    if n > MAX_GRID_SCENARIOS {
        return Err(Error::InvalidQuery {
            field: "scenarios".into(),
            message: format!(
                "a grid over {n} scenarios has {} combinations; at most {} ({MAX_GRID_SCENARIOS} scenarios) are allowed: sweep fewer scenarios, or each alone without --grid",
                1u128 << n,
                1usize << MAX_GRID_SCENARIOS
            ),
        });
    }
    let mut out = vec![Vec::new()];
    for size in 1..=n {
        let mut c: Vec<usize> = (0..size).collect();
        loop {
            out.push(c.clone());
            // The next combination of `size` positions, lexicographically.
            let Some(i) = (0..size).rev().find(|&i| c[i] < n - size + i) else {
                break;
            };
            c[i] += 1;
            for j in i + 1..size {
                c[j] = c[j - 1] + 1;
            }
        }
    }
    Ok(out)
}

/// Asks `query` (places as node ids, its commodity ignored) of `base`
/// with every combination of `scenarios` for every commodity of
/// `commodities` (ids, at least one).
pub fn sweep(
    base: &Network,
    scenarios: &[Scenario],
    query: &CapacityQuery,
    commodities: &[String],
    config: &SweepConfig,
) -> Result<SweepReport> {
    let combos = combinations(scenarios.len(), config.grid)?;
    let rows: Vec<(usize, &[usize])> = (0..commodities.len())
        .flat_map(|c| combos.iter().map(move |s| (c, s.as_slice())))
        .enumerate()
        .filter(|(i, _)| config.part.is_none_or(|p| p.holds(*i)))
        .map(|(_, r)| r)
        .collect();
    let progress = &config.progress;
    progress.set_total(rows.len());
    let asked = |c: usize| CapacityQuery {
        commodity: Some(commodities[c].clone()),
        ..query.clone()
    };
    let run = || -> Result<Vec<SweepRow>> {
        // Each commodity's base, for the ratios: a failing base is a
        // question that cannot be swept, not a row.
        let bases: Vec<Option<CapacityReport>> = (0..commodities.len())
            .into_par_iter()
            .map(|c| {
                rows.iter()
                    .any(|r| r.0 == c)
                    .then(|| capacity_query(base, &asked(c)))
                    .transpose()
            })
            .collect::<Result<_>>()?;
        rows.par_iter()
            .map(|&(c, combo)| {
                progress.check()?;
                let b = bases[c].as_ref().expect("computed for its rows");
                let names: Vec<String> = combo.iter().map(|&i| scenarios[i].name.clone()).collect();
                let answer = if combo.is_empty() {
                    Ok(b.clone())
                } else {
                    let picked: Vec<Scenario> =
                        combo.iter().map(|&i| scenarios[i].clone()).collect();
                    apply_all(base, &picked)
                        .map_err(|e| e.to_string())
                        .and_then(|net| capacity_query(&net, &asked(c)).map_err(|e| e.to_string()))
                };
                progress.step();
                Ok(row(&commodities[c], names, answer, b))
            })
            .collect()
    };
    let rows = crate::threads::on_threads(config.threads, run)??;
    Ok(SweepReport {
        from: query.from.iter().map(|e| e.place.clone()).collect(),
        to: query.to.iter().map(|e| e.place.clone()).collect(),
        minimize: query.minimize.as_str().to_string(),
        unit: base.flow_unit.as_str().to_string(),
        scenarios: scenarios.iter().map(|s| s.name.clone()).collect(),
        grid: config.grid,
        rows,
        part: config.part,
    })
}

fn row(
    commodity: &str,
    scenarios: Vec<String>,
    answer: std::result::Result<CapacityReport, String>,
    base: &CapacityReport,
) -> SweepRow {
    match answer {
        Ok(r) => SweepRow {
            commodity: commodity.to_string(),
            scenarios,
            max_flow: Some(r.max_flow),
            ratio: (base.max_flow > 0.0)
                .then(|| crate::capacity::round(r.max_flow / base.max_flow)),
            cost_per_unit: Some(r.cost_per_unit),
            bottleneck: r.bottlenecks.into_iter().next(),
            exact: r.exact,
            error: None,
        },
        Err(e) => SweepRow {
            commodity: commodity.to_string(),
            scenarios,
            max_flow: None,
            ratio: None,
            cost_per_unit: None,
            bottleneck: None,
            exact: false,
            error: Some(e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinations_come_by_size_then_lexicographically() {
        assert_eq!(
            combinations(2, false).unwrap(),
            vec![vec![], vec![0], vec![1]]
        );
        let all = combinations(3, true).unwrap();
        let want: Vec<Vec<usize>> = vec![
            vec![],
            vec![0],
            vec![1],
            vec![2],
            vec![0, 1],
            vec![0, 2],
            vec![1, 2],
            vec![0, 1, 2],
        ];
        assert_eq!(all, want);
        assert_eq!(combinations(12, true).unwrap().len(), 4096);
        let e = combinations(13, true).unwrap_err().to_string();
        assert_eq!(
            e,
            "a grid over 13 scenarios has 8192 combinations; at most 4096 (12 scenarios) are allowed: sweep fewer scenarios, or each alone without --grid"
        );
        assert_eq!(combinations(13, false).unwrap().len(), 14);
    }
}

//! Origin–destination demand files, both ways: the Corridor demand CSV
//! (`origin,destination,commodity,t_per_day`) and TNTP `_trips.tntp`
//! files, resolved against a network's node ids.
//!
//! Amounts are in the network's flow unit: tonnes per day for freight
//! networks, vehicles per hour for TNTP networks (the column keeps its
//! `t_per_day` name so one file layout serves both). On freight networks
//! (flow unit t/day) every row must name one of the network's commodities:
//! multi-class assignment makes one class per commodity. This module does not
//! assign anything and does not drop intrazonal rows (assignment ignores
//! them).

use crate::tntp::{TntpTrips, read_trips_file};
use crate::{Error, Result, write_atomic};
pub use corridor_model::demand::DemandRow;
use corridor_model::{FlowUnit, Network, NodeId, SourceRef};
use std::path::Path;

/// The commodity name TNTP trips get.
pub const TNTP_COMMODITY: &str = "vehicles";

fn syntax(file: &str, line: u64, message: impl Into<String>) -> Error {
    Error::Syntax {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

/// Reads demand for `network`: a `.tntp` trips file or a demand CSV.
pub fn read_demand(path: &Path, network: &Network) -> Result<Vec<DemandRow>> {
    let is_tntp = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tntp"));
    if is_tntp {
        let trips = read_trips_file(path)?;
        tntp_demand(&trips, network, &path.display().to_string())
    } else {
        read_demand_csv(path, network)
    }
}

/// TNTP trips as demand rows on a network read from TNTP (nodes named by
/// their numbers).
pub fn tntp_demand(trips: &TntpTrips, network: &Network, file: &str) -> Result<Vec<DemandRow>> {
    // Each zone's node looked up once (by name, as any network is named),
    // not once per pair: zone numbers are dense and checked against
    // `<NUMBER OF ZONES>` by the reader, so a vector indexes them.
    let mut zone_node: Vec<Option<NodeId>> = Vec::new();
    let mut node = |n: u32| -> Result<NodeId> {
        let i = n as usize;
        if let Some(Some(id)) = zone_node.get(i) {
            return Ok(*id);
        }
        let id = network.node_id(&n.to_string()).ok_or_else(|| {
            syntax(
                file,
                1,
                format!("zone {n} is not a node of network \"{}\"", network.name),
            )
        })?;
        // Bounded by the network's size, whatever the numbers say.
        if i <= network.nodes.len() {
            if zone_node.len() <= i {
                zone_node.resize(i + 1, None);
            }
            zone_node[i] = Some(id);
        }
        Ok(id)
    };
    let n_rows = trips.origins.iter().map(|(_, d)| d.len()).sum();
    let mut rows = Vec::with_capacity(n_rows);
    for (o, dests) in &trips.origins {
        let origin = node(*o)?;
        for &(d, f) in dests {
            if f == 0.0 {
                continue;
            }
            rows.push(DemandRow {
                origin,
                destination: node(d)?,
                commodity: TNTP_COMMODITY.to_string(),
                amount: f,
                source: None,
            });
        }
    }
    Ok(rows)
}

/// Reads a demand CSV with header `origin,destination,commodity,t_per_day`
/// (column order free, extra columns ignored).
pub fn read_demand_csv(path: &Path, network: &Network) -> Result<Vec<DemandRow>> {
    let file = path.display().to_string();
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| crate::error::from_csv(path, e))?;
    let headers = rdr
        .headers()
        .map_err(|e| syntax(&file, 1, e.to_string()))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(co), Some(cd), Some(ca)) = (col("origin"), col("destination"), col("t_per_day"))
    else {
        return Err(syntax(
            &file,
            1,
            "header must name origin, destination, commodity and t_per_day",
        ));
    };
    let cc = col("commodity");
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            syntax(&file, line, e.to_string())
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let node = |c: usize, field: &str| -> Result<NodeId> {
            let id = rec.get(c).unwrap_or("");
            network.node_id(id).ok_or_else(|| {
                syntax(
                    &file,
                    line,
                    format!(
                        "{field}: unknown node \"{id}\" in network \"{}\"",
                        network.name
                    ),
                )
            })
        };
        let origin = node(co, "origin")?;
        let destination = node(cd, "destination")?;
        let raw = rec.get(ca).unwrap_or("");
        let amount: f64 = raw
            .parse()
            .map_err(|_| syntax(&file, line, format!("t_per_day: \"{raw}\" is not a number")))?;
        if !(amount.is_finite() && amount >= 0.0) {
            return Err(syntax(
                &file,
                line,
                format!("t_per_day: {amount} is not a non-negative number"),
            ));
        }
        let commodity = cc.and_then(|c| rec.get(c)).unwrap_or("").to_string();
        if network.flow_unit == FlowUnit::TonnesPerDay && network.commodity_id(&commodity).is_none()
        {
            let known: Vec<&str> = network
                .commodities
                .iter()
                .map(|c| c.source_id.as_str())
                .collect();
            let why = if commodity.is_empty() {
                "missing (every freight demand row names a commodity)".to_string()
            } else {
                format!("unknown commodity \"{commodity}\"")
            };
            return Err(syntax(
                &file,
                line,
                format!(
                    "commodity: {why} in network \"{}\" (expected one of: {})",
                    network.name,
                    if known.is_empty() {
                        "none; the network defines no commodities".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
            ));
        }
        rows.push(DemandRow {
            origin,
            destination,
            commodity,
            amount,
            source: Some(SourceRef {
                file: file.clone().into(),
                line,
            }),
        });
    }
    Ok(rows)
}

/// Writes demand rows as a demand CSV (atomically), in the order given.
pub fn write_demand_csv(rows: &[DemandRow], network: &Network, path: &Path) -> Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| syntax(&path.display().to_string(), 0, e.to_string());
    w.write_record(["origin", "destination", "commodity", "t_per_day"])
        .map_err(io)?;
    for r in rows {
        w.write_record([
            network.node(r.origin).source_id.as_str(),
            network.node(r.destination).source_id.as_str(),
            r.commodity.as_str(),
            &r.amount.to_string(),
        ])
        .map_err(io)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| syntax(&path.display().to_string(), 0, e.to_string()))?;
    write_atomic(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor_model::{Commodity, CommodityClass, Node, NodeKind};

    fn net() -> Network {
        let mut n = Network::new("t");
        for id in ["a", "b"] {
            n.add_node(Node::new(id, NodeKind::City, 0.0, 0.0, "UA"))
                .unwrap();
        }
        n.add_commodity(Commodity::new("grain", CommodityClass::Bulk, 0.05))
            .unwrap();
        n
    }

    #[test]
    fn round_trips_and_locates_bad_rows() {
        let dir = tempfile::tempdir().unwrap();
        let n = net();
        let p = dir.path().join("d.csv");
        std::fs::write(
            &p,
            "origin,destination,commodity,t_per_day\na,b,grain,10.5\nb,a,grain,2\n",
        )
        .unwrap();
        let rows = read_demand(&p, &n).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].amount, 10.5);
        let out = dir.path().join("o.csv");
        write_demand_csv(&rows, &n, &out).unwrap();
        let again = read_demand(&out, &n).unwrap();
        assert_eq!(
            again
                .iter()
                .map(|r| (r.origin, r.destination, r.amount))
                .collect::<Vec<_>>(),
            rows.iter()
                .map(|r| (r.origin, r.destination, r.amount))
                .collect::<Vec<_>>()
        );
        std::fs::write(
            &p,
            "origin,destination,commodity,t_per_day\na,b,grain,10\na,zz,grain,1\n",
        )
        .unwrap();
        let msg = read_demand(&p, &n).unwrap_err().to_string();
        assert!(
            msg.contains("d.csv:3:") && msg.contains("unknown node \"zz\""),
            "{msg}"
        );
        std::fs::write(
            &p,
            "origin,destination,commodity,t_per_day\na,b,grain,lots\n",
        )
        .unwrap();
        let msg = read_demand(&p, &n).unwrap_err().to_string();
        assert!(
            msg.contains("d.csv:2:") && msg.contains("\"lots\""),
            "{msg}"
        );
        std::fs::write(
            &p,
            "origin,destination,commodity,t_per_day\na,b,grain,10\na,b,grain,-1\n",
        )
        .unwrap();
        let msg = read_demand(&p, &n).unwrap_err().to_string();
        assert!(
            msg.contains("d.csv:3:") && msg.contains("t_per_day: -1"),
            "{msg}"
        );
    }

    #[test]
    fn freight_rows_must_name_a_known_commodity() {
        let dir = tempfile::tempdir().unwrap();
        let n = net();
        let p = dir.path().join("d.csv");
        for (body, want) in [
            ("a,b,steel,10", "unknown commodity \"steel\""),
            ("a,b,,10", "commodity: missing"),
        ] {
            std::fs::write(
                &p,
                format!("origin,destination,commodity,t_per_day\na,b,grain,1\n{body}\n"),
            )
            .unwrap();
            let msg = read_demand(&p, &n).unwrap_err().to_string();
            assert!(
                msg.contains("d.csv:3:") && msg.contains(want) && msg.contains("grain"),
                "{msg}"
            );
        }
    }
}

//! A freight assignment as GeoPackage layers: the network's `nodes`,
//! `links`, `terminals` and `borders` with every attribute (as `export`
//! writes them) and the equilibrium's flow columns added to the last three
//! (total and per commodity, load, utilisation, hours at the load); the
//! commodities' totals as `commodities` and the run as `summary`.
//! Road-like networks (TNTP) have no coordinates to draw and are refused,
//! as for GeoJSON.

use super::network::{
    border_layer, border_row, link_layer, link_row, node_layer, node_row, per_name, terminal_layer,
    terminal_row,
};
use super::writer::{Column, GeoPackage, Kind, Layer, Shape, boolean, col, int, real, text};
use crate::{Error, Result};
use corridor_model::Network;
use corridor_model::results::{AssignResult, ElementLoad, FreightAssignResult};
use rusqlite::types::Value;

/// The columns an element's flows add, after the network's.
fn flow_columns(commodities: &[&str]) -> Vec<Column> {
    let mut c = vec![
        col(
            "flow",
            Kind::Real,
            "t/day of all commodities, both directions",
        ),
        col(
            "load",
            Kind::Real,
            "capacity-equivalent t/day (a link's busier direction)",
        ),
        col("utilisation", Kind::Real, "load over capacity"),
        col(
            "equilibrium_hours",
            Kind::Real,
            "hours to pass at the equilibrium load",
        ),
    ];
    c.extend(per_name("flow_", commodities, Kind::Real, "t/day"));
    c
}

fn flow_values(e: Option<&ElementLoad>, commodities: &[&str], row: &mut Vec<Value>) {
    let Some(e) = e else {
        row.extend(std::iter::repeat_n(Value::Null, 4 + commodities.len()));
        return;
    };
    row.extend([
        real(e.flow),
        real(e.load),
        real(e.utilisation),
        real(e.hours),
    ]);
    row.extend(
        commodities
            .iter()
            .map(|n| real(e.flow_by_commodity.get(*n).copied().unwrap_or(0.0))),
    );
}

fn with_flows(mut layer: Layer, commodities: &[&str]) -> Layer {
    layer.columns.extend(flow_columns(commodities));
    layer.description = format!("{} with equilibrium flows", layer.description);
    layer
}

fn commodity_layer() -> Layer {
    Layer {
        name: "commodities",
        description: "what each commodity shipped and paid at the equilibrium".into(),
        shape: Shape::Attributes,
        columns: vec![
            col("commodity", Kind::Text, ""),
            col("t_per_day", Kind::Real, "t/day of demand"),
            col(
                "unreachable_t_per_day",
                Kind::Real,
                "t/day with no itinerary (not assigned)",
            ),
            col(
                "total_cost",
                Kind::Real,
                "flow × cost per day, in the objective's unit",
            ),
            col("relative_gap", Kind::Real, ""),
        ],
    }
}

fn summary_layer() -> Layer {
    Layer {
        name: "summary",
        description: "the equilibrium run".into(),
        shape: Shape::Attributes,
        columns: vec![
            col("method", Kind::Text, "aon, fw, cfw, bfw or algb"),
            col("minimize", Kind::Text, ""),
            col("iterations", Kind::Integer, ""),
            col("relative_gap", Kind::Real, ""),
            col("target_gap", Kind::Real, ""),
            col("converged", Kind::Boolean, ""),
            col("objective", Kind::Real, "hours-equivalent per day"),
            col(
                "symmetric",
                Kind::Boolean,
                "the equilibrium minimises the objective",
            ),
            col("demand_rows", Kind::Integer, ""),
            col("seconds", Kind::Real, "wall time"),
        ],
    }
}

/// `corridor assign --format gpkg`, freight networks only.
pub fn assign(r: &AssignResult, net: &Network) -> Result<Vec<u8>> {
    let AssignResult::Freight(r) = r else {
        return Err(Error::Report(
            "--format gpkg needs a freight network (links without coordinates cannot be drawn)"
                .into(),
        ));
    };
    let names: Vec<&str> = r.commodities.iter().map(|c| c.commodity.as_str()).collect();
    let mut g = GeoPackage::new()?;
    g.add(&node_layer(net), net.nodes.len(), |i, row| {
        node_row(net, i, row)
    })?;
    g.add(
        &with_flows(link_layer(net), &names),
        net.links.len(),
        |i, row| {
            let geometry = link_row(net, i, row);
            flow_values(r.links.get(i), &names, row);
            geometry
        },
    )?;
    g.add(
        &with_flows(terminal_layer(net), &names),
        net.terminals.len(),
        |i, row| {
            let geometry = terminal_row(net, i, row);
            flow_values(r.terminals.get(i), &names, row);
            geometry
        },
    )?;
    g.add(
        &with_flows(border_layer(net), &names),
        net.borders.len(),
        |i, row| {
            let geometry = border_row(net, i, row);
            flow_values(r.borders.get(i), &names, row);
            geometry
        },
    )?;
    add_tables(&mut g, r)?;
    g.into_bytes()
}

fn add_tables(g: &mut GeoPackage, r: &FreightAssignResult) -> Result<()> {
    g.add(&commodity_layer(), r.commodities.len(), |i, row| {
        let c = &r.commodities[i];
        row.extend([
            text(&c.commodity),
            real(c.t_per_day),
            real(c.unreachable_t_per_day),
            real(c.total_cost),
            real(c.relative_gap),
        ]);
        None
    })?;
    g.add(&summary_layer(), 1, |_, row| {
        row.extend([
            text(&r.method),
            text(r.minimize.as_str()),
            int(r.iterations),
            real(r.relative_gap),
            real(r.target_gap),
            boolean(r.converged),
            real(r.objective),
            boolean(r.symmetric),
            int(r.demand_rows),
            real(r.seconds),
        ]);
        None
    })
}

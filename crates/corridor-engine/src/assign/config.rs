//! The knobs of an assignment in the engine's terms ([`AssignConfig`]) and
//! the one thing that tells kinds of network apart ([`CostTerms`]): what a
//! class pays besides congestion, and so how demand splits into classes
//! and which elements congest. The numbers are checked here; what the
//! terms mean for the graph is `problem.rs`'s business.

use crate::{Error, Objective, Result};
use corridor_graph::assignment::{Method, SolverConfig};
use corridor_model::{FlowUnit, Network};

/// What a class pays besides congestion. This is data, not a mode of the
/// engine: both kinds go through the same lowering, solver and mapping
/// back, and differ only where the terms say so.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CostTerms {
    /// Road-like networks (veh/h, as TNTP networks are): all demand is one
    /// class of vehicles whose cost on a link is its BPR time plus
    /// `toll_factor` × toll plus `distance_factor` × length, and every link
    /// direction congests on its own.
    Road {
        toll_factor: f64,
        distance_factor: f64,
    },
    /// Freight networks (t/day): one class per commodity, paying on each
    /// arc what `route --minimize` makes it pay plus its weight of time ×
    /// delay; links, terminals and borders with a capacity congest, shared
    /// by all commodities in capacity-equivalent t/day. On sea lanes a
    /// commodity's demand is split by the vessel class `route` would pick
    /// per origin–destination pair at zero load (or sailed by `vessel`,
    /// when forced), one class of the solver per (commodity, vessel).
    Freight {
        minimize: Objective,
        vessel: Option<&'static corridor_model::VesselClass>,
    },
}

impl CostTerms {
    /// What the network's flow unit calls for when nothing is said: no
    /// toll or distance weight on a road-like network, `generalised` on a
    /// freight network.
    pub fn of_network(net: &Network) -> Self {
        match net.flow_unit {
            FlowUnit::TonnesPerDay => CostTerms::Freight {
                minimize: Objective::Generalised,
                vessel: None,
            },
            FlowUnit::VehiclesPerHour => CostTerms::Road {
                toll_factor: 0.0,
                distance_factor: 0.0,
            },
        }
    }

    fn check(self) -> Result<()> {
        let CostTerms::Road {
            toll_factor,
            distance_factor,
        } = self
        else {
            return Ok(());
        };
        for (name, v) in [
            ("toll factor", toll_factor),
            ("distance factor", distance_factor),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::InvalidRequest(format!(
                    "{name} {v} must be a non-negative number"
                )));
            }
        }
        Ok(())
    }
}

/// The most worker threads an assignment starts. More than the cores only
/// adds switching; a typo such as `--threads 100000` used to spend minutes
/// starting threads before the first iteration.
pub const MAX_THREADS: usize = 256;

/// The knobs of an assignment: the solver's, the threads it may use and
/// which cost terms apply.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AssignConfig {
    pub method: Method,
    /// Target relative gap.
    pub gap: f64,
    pub max_iter: usize,
    /// Worker threads for the all-or-nothing loads; `None` = rayon's default.
    pub threads: Option<usize>,
    /// `None`: what the network's flow unit calls for
    /// ([`CostTerms::of_network`]).
    pub costs: Option<CostTerms>,
}

impl Default for AssignConfig {
    fn default() -> Self {
        let s = SolverConfig::default();
        Self {
            method: s.method,
            gap: s.gap,
            max_iter: s.max_iter,
            threads: None,
            costs: None,
        }
    }
}

impl AssignConfig {
    /// The cost terms that apply on `net`.
    pub fn cost_terms(&self, net: &Network) -> CostTerms {
        self.costs.unwrap_or_else(|| CostTerms::of_network(net))
    }

    /// What the solver is told.
    pub fn solver(&self) -> SolverConfig {
        SolverConfig {
            method: self.method,
            gap: self.gap,
            max_iter: self.max_iter,
        }
    }

    /// Checks the weights of `terms`, then the gap.
    pub(super) fn check(&self, terms: CostTerms) -> Result<()> {
        terms.check()?;
        if let Some(t) = self.threads
            && !(1..=MAX_THREADS).contains(&t)
        {
            return Err(Error::InvalidRequest(format!(
                "threads {t} must be between 1 and {MAX_THREADS}"
            )));
        }
        self.check_gap()
    }

    pub(super) fn check_gap(&self) -> Result<()> {
        if self.gap.is_nan() || self.gap < 0.0 {
            return Err(Error::InvalidRequest(format!(
                "gap {} must be a non-negative number",
                self.gap
            )));
        }
        Ok(())
    }
}

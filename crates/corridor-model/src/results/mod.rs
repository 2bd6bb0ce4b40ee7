//! Every command's answer as plain data in users' ids: what the CLI prints,
//! what an HTTP server returns and what Python gets as a dict. Each type is
//! `Serialize`, and the JSON of a result is `serde_json::to_string_pretty`
//! of it on every face. The engine fills them; `corridor-io`'s `report`
//! writers turn them into text tables, GeoJSON and CSV. Nothing here
//! computes a route or reads a file.

mod assign;
mod capacity;
mod check;
mod compare;
mod criticality;
mod import;
mod info;
mod invest;
mod merge;
mod optimise;
mod route;
mod skim;
mod sweep;

pub use assign::{
    AssignResult, CommodityLoad, ElementLoad, FreightAssignResult, IterationRecord, LinkLoad,
    RoadAssignResult,
};
pub use capacity::{Bottleneck, CapacityReport, ElementFlow};
pub use check::{CheckReport, DiagnosticRecord, LayerCount};
pub use compare::{CompareReport, FlowChange, RouteOutcome};
pub use criticality::{CriticalElement, CriticalityBase, CriticalityReport, KIND_ORDER};
pub use import::{
    ElementCounts, ImportSummary, OsmSummary, PortsSummary, SeaSummary, TntpSummary,
    WaterwaysSummary,
};
pub use info::{BorderInfo, CommodityInfo, InfoReport, LayerInfo, TerminalInfo};
pub use invest::{BestSet, InvestReport, ProjectOutcome};
pub use merge::{ConnectorLimits, Joined, MergeReport, MergedCounts, NoSea, OverLand, Unjoined};
pub use optimise::{
    CommodityOptimum, ElementOptimum, LpSize, OptimiseComparison, OptimiseResult, OptimumTotals,
    ShadowPrice, ShadowPriceChange, UnservedChange, UnservedDemand,
};
pub use route::{ParetoSet, RouteResult};
pub use skim::{SkimResult, SkimRow};
pub use sweep::{SweepReport, SweepRow};

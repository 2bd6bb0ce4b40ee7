//! Test-only support: tiny named networks ([`networks`]), seeded synthetic
//! networks ([`generate`]) and slow, independent reference algorithms
//! ([`mod@reference`]) that the fast code is checked against in property tests.
//! Nothing here is used by the product; only [`grid`] writes files (the
//! CSV bundles of the scale benchmark, through the `gen-grid` binary).

pub mod generate;
pub mod grid;
pub mod lp;
pub mod model_router;
pub mod networks;
pub mod reference;

pub use generate::{GenerateConfig, multimodal, with_capacities};

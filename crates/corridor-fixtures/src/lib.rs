//! Test-only support: tiny named networks ([`networks`]), seeded synthetic
//! networks ([`generate`]) and slow, independent reference algorithms
//! ([`mod@reference`]) that the fast code is checked against in property tests.
//! Nothing here is used by the product, and nothing here reads or writes files.

pub mod generate;
pub mod lp;
pub mod model_router;
pub mod networks;
pub mod reference;

pub use generate::{GenerateConfig, multimodal};

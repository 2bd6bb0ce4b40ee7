//! Test-only support: tiny named networks, random generators and slow
//! reference algorithms that fast code is checked against.

pub mod networks;

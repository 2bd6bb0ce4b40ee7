//! placeholder

pub mod lp;

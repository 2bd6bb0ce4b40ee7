//! One module per `corridor` subcommand.

pub mod assign;
pub mod build;
pub mod capacity;
pub mod check;
pub mod compare;
pub mod criticality;
pub mod export;
pub mod import;
pub mod import_tntp;
pub mod info;
pub mod invest;
pub mod merge;
pub mod optimise;
pub mod route;
pub mod serve;
pub mod skim;
pub mod sweep;

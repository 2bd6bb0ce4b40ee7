//! One module per `corridor` subcommand.

pub mod assign;
pub mod check;
pub mod export;
pub mod info;
pub mod route;

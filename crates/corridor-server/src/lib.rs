//! Placeholder for the `corridor-server` crate on the `r/web` branch, which
//! only adds the map page (`web/`) and its browser test (`tests/browser/`).
//! The server itself (axum, the HTTP API, the page embedded with rust-embed)
//! comes from the `r/server` branch, whose files replace this one on merge.

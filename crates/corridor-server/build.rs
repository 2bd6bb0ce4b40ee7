//! Rebuilds the crate when any file under `web/` changes, is added or is
//! removed: the map page is compiled in (rust-embed), and a proc macro
//! cannot tell cargo to watch a folder.

fn main() {
    println!("cargo:rerun-if-changed=web");
}

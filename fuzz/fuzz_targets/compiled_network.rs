//! Fuzzes `corridor_io::fuzz::compiled_network` (see that function for the
//! invariants checked).
#![no_main]

use corridor_fuzz as _; // the allocation cap

libfuzzer_sys::fuzz_target!(|data: &[u8]| corridor_io::fuzz::compiled_network(data));

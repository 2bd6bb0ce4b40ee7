//! Fuzzes `corridor_io::fuzz::tntp_trips` (see that function for the input
//! layout and the invariants checked).
#![no_main]

use corridor_fuzz as _; // the allocation cap

libfuzzer_sys::fuzz_target!(|data: &[u8]| corridor_io::fuzz::tntp_trips(data));

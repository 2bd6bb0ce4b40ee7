//! The allocation cap every fuzz target links: a reader that sizes an
//! allocation from a count in its input (a header that says 4 billion
//! links) aborts here, which libFuzzer reports as a crash with the input,
//! instead of passing whenever the machine happens to have the memory.
//! `crates/corridor-io/tests/fuzz_smoke.rs` includes this file too.

use std::alloc::{GlobalAlloc, Layout, System};

/// No single allocation of a reader may exceed this (the largest shipped
/// input is a few MB).
pub const MAX_ALLOCATION: usize = 256 << 20;

/// The system allocator, aborting on any allocation above [`MAX_ALLOCATION`].
pub struct CappedAlloc;

fn check(size: usize) {
    if size > MAX_ALLOCATION {
        // No formatting: it could allocate.
        use std::io::Write;
        let _ = std::io::stderr().write_all(b"allocation above the fuzz cap (256 MiB)\n");
        std::process::abort();
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// cap only aborts before it.
unsafe impl GlobalAlloc for CappedAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        check(layout.size());
        // SAFETY: same layout, same contract.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        check(layout.size());
        // SAFETY: same layout, same contract.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        check(new_size);
        // SAFETY: `ptr` came from `System` with this layout.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static CAP: CappedAlloc = CappedAlloc;

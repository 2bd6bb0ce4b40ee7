//! The fuzz harnesses of `corridor_io::fuzz`, bounded, on every `cargo
//! test`: each runs on the committed corpus under `fuzz/corpus/` (seeds,
//! fixed findings and a sample of what the fuzzers kept) and on a few
//! dozen random mutations of them (byte flips, inserted
//! tokens, deleted, duplicated and truncated spans), under the same
//! allocation cap as the fuzz targets. A reader regression the fuzzers
//! found once therefore cannot land without `cargo fuzz`.

#[path = "../../../fuzz/src/lib.rs"]
mod alloc_cap;

use corridor_io::fuzz::HARNESSES;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target)
}

/// Every corpus file of `target`, sorted by name so runs repeat.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(corpus_dir(target))
        .unwrap_or_else(|e| panic!("fuzz/corpus/{target}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect()
}

/// Fuzzer-found corpus files replayed per target on every `cargo test`
/// (a fixed sample, by name); seeds (`seed-*`) and fixed findings
/// (`regress-*`) always run. `CORRIDOR_FUZZ_SMOKE_ALL=1` replays all.
const FOUND_PER_TARGET: usize = 100;

#[test]
fn every_target_has_a_corpus_and_its_files_pass() {
    let all = std::env::var_os("CORRIDOR_FUZZ_SMOKE_ALL").is_some();
    for (name, harness) in HARNESSES {
        let files = corpus(name);
        assert!(!files.is_empty(), "fuzz/corpus/{name} is empty");
        let (named, found): (Vec<_>, Vec<_>) = files.into_iter().partition(|(path, _)| {
            let file = Path::new(path).file_name().unwrap().to_string_lossy();
            file.starts_with("seed-") || file.starts_with("regress-")
        });
        let step = if all {
            1
        } else {
            found.len().div_ceil(FOUND_PER_TARGET).max(1)
        };
        for (path, bytes) in named.iter().chain(found.iter().step_by(step)) {
            eprintln!("{name}: {path}");
            harness(bytes);
        }
    }
}

/// Bytes that mean something to one of the formats.
const TOKENS: [&[u8]; 24] = [
    b"\0",
    b"\n",
    b"\"",
    b",",
    b";",
    b":",
    b"=",
    b"[",
    b"]",
    b"{",
    b"}",
    b"<",
    b">",
    b"-1",
    b"0",
    b"1e308",
    b"1e999",
    b"nan",
    b"4294967295",
    b"\xff\xfe",
    b"<END OF METADATA>",
    b"Origin 1",
    b"\"coordinates\":",
    b"<node id=\"1\" lat=\"999\" lon=\"0\"/>",
];

#[derive(Clone, Debug)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, usize),
    Delete(usize, usize),
    Duplicate(usize, usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Mutation::Flip(a, b)),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(a, t)| Mutation::Insert(a, t)),
        (any::<usize>(), 1..64usize).prop_map(|(a, n)| Mutation::Delete(a, n)),
        (any::<usize>(), 1..256usize, any::<usize>())
            .prop_map(|(a, n, to)| Mutation::Duplicate(a, n, to)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(mut b: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = b.len();
        match *m {
            Mutation::Flip(at, x) if len > 0 => b[at % len] ^= x.max(1),
            Mutation::Insert(at, t) => {
                let at = at % (len + 1);
                b.splice(at..at, TOKENS[t].iter().copied());
            }
            Mutation::Delete(at, n) if len > 0 => {
                let at = at % len;
                b.drain(at..(at + n).min(len));
            }
            Mutation::Duplicate(at, n, to) if len > 0 => {
                let at = at % len;
                let span: Vec<u8> = b[at..(at + n).min(len)].to_vec();
                let to = to % (len + 1);
                b.splice(to..to, span);
            }
            Mutation::Truncate(at) => b.truncate(at % (len + 1)),
            _ => {}
        }
    }
    b
}

proptest! {
    // 12 targets x 24 cases, a few seconds in a debug build.
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn mutated_corpus_files_pass_every_harness(
        pick in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..8),
    ) {
        for (name, harness) in HARNESSES {
            let files = corpus(name);
            let (_, bytes) = &files[pick % files.len()];
            harness(&mutate(bytes.clone(), &mutations));
        }
    }
}

//! Bad input never panics: the shipped examples with random damage
//! (deleted spans, inserted tokens, swapped lines) must load to `Ok` with
//! diagnostics or to an `Err`, and every diagnostic must name a file.

use corridor_io::read_network;
use proptest::prelude::*;
use std::path::Path;

fn example(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(rel);
    std::fs::read_to_string(p).unwrap()
}

const TOKENS: [&str; 16] = [
    "=",
    "\"",
    "[",
    "]",
    "[[links]]",
    ",",
    ";",
    "-1",
    "1e999",
    "nan",
    "rail",
    "\n",
    "gauge = ",
    "capacity = \"",
    "Mt/yaer",
    "<->",
];

#[derive(Clone, Debug)]
enum Damage {
    Delete(usize, usize),
    Insert(usize, usize),
    SwapLines(usize, usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<usize>(), 1..40usize).prop_map(|(a, n)| Damage::Delete(a, n)),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(a, t)| Damage::Insert(a, t)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Damage::SwapLines(a, b)),
    ]
}

fn apply(text: &str, damages: &[Damage]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for d in damages {
        match *d {
            Damage::Delete(at, n) if !chars.is_empty() => {
                let at = at % chars.len();
                let end = (at + n).min(chars.len());
                chars.drain(at..end);
            }
            Damage::Insert(at, t) => {
                let at = at % (chars.len() + 1);
                for (i, c) in TOKENS[t].chars().enumerate() {
                    chars.insert(at + i, c);
                }
            }
            Damage::SwapLines(a, b) => {
                let s: String = chars.iter().collect();
                let mut lines: Vec<&str> = s.lines().collect();
                if !lines.is_empty() {
                    let n = lines.len();
                    lines.swap(a % n, b % n);
                }
                chars = lines.join("\n").chars().collect();
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

fn check(loaded: corridor_io::Result<corridor_io::Loaded>) -> Result<(), TestCaseError> {
    if let Ok(l) = loaded {
        for d in &l.diagnostics {
            let named = d.source.as_ref().is_some_and(|s| !s.file.is_empty());
            prop_assert!(named, "{d}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn damaged_toml_never_panics(damages in prop::collection::vec(damage(), 1..6)) {
        let text = apply(&example("triangle.toml"), &damages);
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("damaged.toml");
        std::fs::write(&p, text).unwrap();
        check(read_network(&p))?;
    }

    #[test]
    fn damaged_csv_bundle_never_panics(
        file in 0..5usize,
        damages in prop::collection::vec(damage(), 1..6),
    ) {
        let names = ["nodes.csv", "links.csv", "terminals.csv", "borders.csv", "network.csv"];
        let dir = tempfile::tempdir().unwrap();
        for (i, name) in names.iter().enumerate() {
            let text = example(&format!("grain-corridors/{name}"));
            let text = if i == file { apply(&text, &damages) } else { text };
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        check(read_network(dir.path()))?;
    }
}

//! Docs that cannot drift: every console example in README.md and
//! docs/*.md (a fenced block with `$ corridor ...` lines) is run, and its
//! output must be what the docs show, timings masked.
//!
//! In an example, a line that is only `...` stands for any number of output
//! lines, and a line ending in `...` for any line that starts with the text
//! before it. Commands run in a scratch folder beside which `examples/`,
//! `data/` and `../shared/data/tntp` (the TNTP networks, as in this
//! workplace) are reachable, so examples may write files such as
//! `--flows flows.csv` or `--out out/monaco` without touching the checkout.
//! A command whose shown output starts with `error:` must exit 1, any other
//! 0. What a command prints on stderr follows its stdout.

mod common;

use assert_cmd::Command;
use common::mask;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One `$ corridor ...` line of a doc and the output shown under it.
struct Example {
    /// `file:line` of the command, for messages.
    at: String,
    args: Vec<String>,
    expected: Vec<String>,
}

/// Splits a shell command line into words: blanks separate, single and
/// double quotes group (no escapes or expansions: the docs need none).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut started = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started {
                    out.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            (None, c) => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        out.push(word);
    }
    out
}

/// The console examples of a Markdown file, grouped by fenced block.
fn examples(path: &Path) -> Vec<Vec<Example>> {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let mut blocks = Vec::new();
    let mut block: Option<Vec<Example>> = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            match block.take() {
                Some(b) => {
                    if !b.is_empty() {
                        blocks.push(b);
                    }
                }
                None => block = Some(Vec::new()),
            }
            continue;
        }
        let Some(b) = block.as_mut() else { continue };
        if let Some(cmd) = line.strip_prefix("$ corridor ") {
            b.push(Example {
                at: format!("{name}:{}", i + 1),
                args: words(cmd),
                expected: Vec::new(),
            });
        } else if let Some(e) = b.last_mut() {
            e.expected.push(line.to_string());
        }
    }
    blocks
}

/// Whether `actual` lines are what `expected` shows, with `...` elisions.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    let Some((first, rest)) = expected.split_first() else {
        return actual.iter().all(|l| l.trim().is_empty());
    };
    if first.trim() == "..." {
        return (0..=actual.len()).any(|k| matches(rest, &actual[k..]));
    }
    let Some((line, more)) = actual.split_first() else {
        return expected
            .iter()
            .all(|l| l.trim().is_empty() || l.trim() == "...");
    };
    let fits = match first.trim_end().strip_suffix("...") {
        Some(prefix) => line.starts_with(prefix.trim_end()),
        None => line.trim_end() == first.trim_end(),
    };
    fits && matches(rest, more)
}

/// A scratch folder laid out like the workplace: `work/` (the current
/// folder, with `examples` and `data` linked from the checkout) beside
/// `shared/data/tntp`.
fn scratch() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let root = root().canonicalize().unwrap();
    for d in ["examples", "data"] {
        std::os::unix::fs::symlink(root.join(d), work.join(d)).unwrap();
    }
    let tntp = std::env::var_os("CORRIDOR_TNTP_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/data/tntp"));
    let shared = tmp.path().join("shared/data");
    std::fs::create_dir_all(&shared).unwrap();
    if tntp.is_dir() {
        std::os::unix::fs::symlink(tntp.canonicalize().unwrap(), shared.join("tntp")).unwrap();
    }
    (tmp, work)
}

fn run_block(block: &[Example]) -> Vec<String> {
    let (tmp, work) = scratch();
    let mut failures = Vec::new();
    for e in block {
        let out = Command::cargo_bin("corridor")
            .unwrap()
            .current_dir(&work)
            .env_remove("RUST_LOG")
            .args(&e.args)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let actual = mask(&text, tmp.path());
        let expected: Vec<String> = e.expected.iter().map(|l| mask(l, tmp.path())).collect();
        let lines: Vec<&str> = actual.lines().collect();
        let error = e.expected.first().is_some_and(|l| l.starts_with("error:"));
        let code_ok = out.status.code() == Some(if error { 1 } else { 0 });
        if !code_ok || !matches(&expected, &lines) {
            failures.push(format!(
                "{}: `corridor {}` (exit {:?})\n--- the docs show\n{}\n--- it prints\n{}",
                e.at,
                e.args.join(" "),
                out.status.code(),
                expected.join("\n"),
                actual
            ));
        }
    }
    failures
}

fn check_file(rel: &str) {
    let path = root().join(rel);
    let blocks = examples(&path);
    let failures: Vec<String> = blocks.iter().flat_map(|b| run_block(b)).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn elisions_match_as_documented() {
    let exp = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(matches(&exp(&["a", "...", "d"]), &["a", "b", "c", "d"]));
    assert!(matches(&exp(&["a", "..."]), &["a"]));
    assert!(matches(&exp(&["head ...", "x"]), &["head and more", "x"]));
    assert!(!matches(&exp(&["a", "d"]), &["a", "b", "d"]));
    assert!(!matches(&exp(&["a"]), &["a", "b"]));
    assert!(!matches(&exp(&["head ..."]), &["tail"]));
    assert_eq!(
        words(r#"route out/world --from "Cap d'Ail" --to CNSHA"#),
        ["route", "out/world", "--from", "Cap d'Ail", "--to", "CNSHA"]
    );
}

#[test]
fn readme_examples_print_what_they_show() {
    check_file("README.md");
}

#[test]
fn docs_examples_print_what_they_show() {
    let mut names: Vec<String> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    let mut seen = 0;
    for n in &names {
        let path = root().join("docs").join(n);
        seen += examples(&path).len();
        check_file(&format!("docs/{n}"));
    }
    assert!(seen > 0, "no console example found in docs/");
}

//! `gen-grid --rows R --cols C --out DIR` (or `--links N` for the square
//! grid of about N links): writes a rail-grid CSV bundle for the scale
//! benchmark (`bench/scale.sh`); with `--format toml`, the same grid as
//! one `DIR/grid.toml` (`bench/load.sh` compares the two readers). See
//! [`corridor_fixtures::grid`].

use corridor_fixtures::grid::{GridConfig, write_links, write_nodes, write_toml};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: gen-grid (--rows R --cols C | --links N) --out DIR [--format csv|toml]";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-grid: {e}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let (mut rows, mut cols, mut links, mut out) = (None, None, None, None);
    let mut toml = false;
    let mut it = args.into_iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<usize>()
                .map_err(|_| format!("{flag}: \"{value}\" is not a whole number"))
        };
        match flag.as_str() {
            "--rows" => rows = Some(number()?),
            "--cols" => cols = Some(number()?),
            "--links" => links = Some(number()?),
            "--out" => out = Some(PathBuf::from(&value)),
            "--format" => match value.as_str() {
                "csv" => toml = false,
                "toml" => toml = true,
                _ => return Err(format!("--format: \"{value}\" is neither csv nor toml")),
            },
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    let cfg = match (rows, cols, links) {
        (Some(rows), Some(cols), None) if rows > 0 && cols > 0 => GridConfig { rows, cols },
        (None, None, Some(n)) if n > 0 => GridConfig::square_with_links(n),
        _ => return Err("give positive --rows and --cols, or --links".to_string()),
    };
    let out = out.ok_or("--out DIR is required")?;
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let write = |name: &str, f: &dyn Fn(&mut BufWriter<File>) -> std::io::Result<()>| {
        let path = out.join(name);
        let mut w = File::create(&path).map(BufWriter::new)?;
        f(&mut w)?;
        w.flush()
    };
    if toml {
        write("grid.toml", &|w| write_toml(&cfg, w)).map_err(|e| e.to_string())?;
    } else {
        write("nodes.csv", &|w| write_nodes(&cfg, w)).map_err(|e| e.to_string())?;
        write("links.csv", &|w| write_links(&cfg, w)).map_err(|e| e.to_string())?;
    }
    eprintln!(
        "wrote {} ({} × {}: {} nodes, {} links; from {} to {})",
        out.display(),
        cfg.rows,
        cfg.cols,
        cfg.n_nodes(),
        cfg.n_links(),
        GridConfig::node_id(0, 0),
        GridConfig::node_id(cfg.rows - 1, cfg.cols - 1)
    );
    Ok(())
}

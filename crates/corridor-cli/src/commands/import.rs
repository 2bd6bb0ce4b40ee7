//! `corridor import SOURCE FILE --out DIR`: build a Corridor network from
//! open data and write it as a CSV bundle plus `network.geojson` with the
//! real geometries. One subcommand per source (`osm`, `sea`, `ports`,
//! `waterways`, `tntp`); a
//! new source is a new variant of [`Source`].
//!
//! The readers live in `corridor-io`; this file only maps flags to their
//! configuration, draws progress on a terminal and prints the summary.

use crate::output::{Format, bundle_files, commit, emit, refuse_overwrite};
use anyhow::{Context, Result, bail};
use corridor_io::Outputs;
use corridor_io::countries::CountryIndex;
use corridor_io::osm::{OsmConfig, Passes};
use corridor_io::report;
use corridor_model::results::ImportSummary;
use corridor_model::{Diagnostic, Mode, Network};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub source: Source,
}

#[derive(Debug, clap::Subcommand)]
pub enum Source {
    /// OpenStreetMap extract (.osm.pbf, .osm, .osm.gz): rail with gauge, roads, ferries, ports, borders.
    Osm(OsmArgs),
    /// Global sea lanes from searoute's marnet GeoJSON (passages kept as link tags).
    Sea(SeaArgs),
    /// Ports from the World Port Index CSV or searoute's ports GeoJSON (UN/LOCODE ids).
    Ports(PortsArgs),
    /// A TNTP network (`_net.tntp`, with its `_trips.tntp` as demand.csv).
    Tntp(super::import_tntp::TntpArgs),
    /// Inland waterways GeoJSON (CEMT class, locks, river and sea ports); without FILE the shipped European layer.
    Waterways(WaterwaysArgs),
}

#[derive(Debug, clap::Args)]
pub struct WaterwaysArgs {
    /// Waterways GeoJSON (default: the shipped layer, data/waterways).
    pub file: Option<PathBuf>,
    #[arg(long)]
    pub out: PathBuf,
    /// How to print the summary.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct OsmArgs {
    pub file: PathBuf,
    /// Output folder (CSV bundle + network.geojson).
    #[arg(long)]
    pub out: PathBuf,
    /// Import rail (if none of --rail/--road/--ferry/--waterway is given, all four are).
    #[arg(long)]
    pub rail: bool,
    #[arg(long)]
    pub road: bool,
    #[arg(long)]
    pub ferry: bool,
    /// Navigable rivers and canals (`waterway=river|canal` with `CEMT` or `ship=yes`).
    #[arg(long)]
    pub waterway: bool,
    /// Keep yards, sidings, spurs and crossovers.
    #[arg(long)]
    pub keep_sidings: bool,
    /// `highway=*` values to import, comma-separated (default motorway…tertiary with links).
    #[arg(long, value_delimiter = ',')]
    pub road_classes: Vec<String>,
    /// Gauge (mm) of every rail way without a `gauge` tag (default: the
    /// standard gauge of its country, 1435 where unknown).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub default_gauge: Option<u16>,
    /// Ferries as `sea` (default) or `river` links.
    #[arg(long, default_value = "sea")]
    pub ferry_mode: Mode,
    /// How far a port, yard or ferry terminal may be from the link it joins, km.
    #[arg(long, default_value_t = 2.0)]
    pub attach_km: f64,
    /// Natural Earth admin-0 GeoJSON for border detection and node countries (default: the shipped world layer).
    #[arg(long)]
    pub countries: Option<PathBuf>,
    /// Do not detect crossings from country polygons (tagged checkpoints are still read).
    #[arg(long)]
    pub no_borders: bool,
    /// Read the file once (every node's coordinates in memory) or twice
    /// (only those of the nodes kept ways use); `auto`: twice from 16 MB.
    #[arg(long, default_value = "auto", value_parser = ["auto", "1", "2"])]
    pub passes: String,
    /// How to print the summary.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct SeaArgs {
    pub file: PathBuf,
    #[arg(long)]
    pub out: PathBuf,
    /// Passages imported closed, comma-separated (default: northwest, as
    /// searoute does; `--closed-passages ''` opens all).
    #[arg(long, value_delimiter = ',', default_value = "northwest")]
    pub closed_passages: Vec<String>,
    /// Leave out the lanes Corridor adds to searoute's (the Kiel Canal,
    /// data/searoute/additions.geojson).
    #[arg(long)]
    pub no_additions: bool,
    /// How to print the summary.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct PortsArgs {
    pub file: PathBuf,
    #[arg(long)]
    pub out: PathBuf,
    /// How to print the summary.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(args: Args) -> Result<ExitCode> {
    match args.source {
        Source::Osm(a) => osm(a),
        Source::Tntp(a) => super::import_tntp::run(a),
        Source::Sea(a) => {
            refuse_overwrite(&[&a.file], &[("--out", &a.out)])?;
            let (net, summary) = corridor_io::sea::read_sea_lanes_with(
                &a.file,
                &a.closed_passages
                    .iter()
                    .filter(|p| !p.is_empty())
                    .cloned()
                    .collect::<Vec<_>>(),
                !a.no_additions,
            )?;
            write(&net, &a.out)?;
            print_summary(&ImportSummary::Sea(summary), a.format, None)
        }
        Source::Waterways(a) => {
            let (net, summary) = match &a.file {
                Some(f) => {
                    refuse_overwrite(&[f], &[("--out", &a.out)])?;
                    corridor_io::waterways::read_waterways(f)?
                }
                None => corridor_io::waterways::shipped(),
            };
            write(&net, &a.out)?;
            print_summary(&ImportSummary::Waterways(summary), a.format, Some(&a.out))
        }
        Source::Ports(a) => {
            refuse_overwrite(&[&a.file], &[("--out", &a.out)])?;
            let (net, summary) = corridor_io::ports::read_ports(&a.file)?;
            write(&net, &a.out)?;
            print_summary(&ImportSummary::Ports(summary), a.format, None)
        }
    }
}

fn osm(a: OsmArgs) -> Result<ExitCode> {
    if !(a.attach_km.is_finite() && a.attach_km >= 0.0) {
        bail!(
            "--attach-km {}: expected a length in km, 0 or more",
            a.attach_km
        );
    }
    refuse_overwrite(&[&a.file], &[("--out", &a.out)])?;
    let any = a.rail || a.road || a.ferry || a.waterway;
    let mut cfg = OsmConfig {
        rail: a.rail || !any,
        road: a.road || !any,
        ferry: a.ferry || !any,
        waterway: a.waterway || !any,
        keep_sidings: a.keep_sidings,
        default_gauge_mm: a.default_gauge,
        ferry_mode: a.ferry_mode,
        attach_km: a.attach_km,
        passes: match a.passes.as_str() {
            "1" => Passes::One,
            "2" => Passes::Two,
            _ => Passes::Auto,
        },
        ..OsmConfig::default()
    };
    if !a.road_classes.is_empty() {
        cfg.road_classes = a.road_classes.clone();
    }
    let countries = match (&a.countries, a.no_borders) {
        (_, true) => None,
        (Some(p), false) => Some(CountryIndex::from_path(p)?),
        (None, false) => Some(CountryIndex::shipped()),
    };
    let bar = crate::progress::spinner("{spinner} {msg}");
    if let Some(b) = &bar {
        b.set_message(format!("reading {}", a.file.display()));
    }
    let mut tick = |n: u64| {
        if let Some(b) = &bar {
            b.set_position(n);
            b.tick();
        }
    };
    let imp = corridor_io::osm::import_osm(&a.file, &cfg, countries.as_ref(), &mut tick)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    print_warnings(&imp.diagnostics);
    write(&imp.network, &a.out)?;
    print_summary(&ImportSummary::Osm(imp.summary), a.format, Some(&a.out))
}

/// Prints an import's summary; the text names the output folder when
/// `out` is given.
fn print_summary(s: &ImportSummary, format: Format, out: Option<&Path>) -> Result<ExitCode> {
    let text = match format {
        Format::Text => {
            let mut t = report::import::text(s);
            if let Some(out) = out {
                t += &format!("wrote {}\n", out.display());
            }
            t
        }
        Format::Json => report::json(s)?,
    };
    emit(None, &text)?;
    Ok(ExitCode::SUCCESS)
}

const MAX_WARNINGS: usize = 20;

fn print_warnings(d: &[Diagnostic]) {
    for w in d.iter().take(MAX_WARNINGS) {
        eprintln!("{w}");
    }
    if d.len() > MAX_WARNINGS {
        eprintln!("... and {} more warnings", d.len() - MAX_WARNINGS);
    }
}

/// Writes the CSV bundle and `network.geojson` into `out`, all or
/// nothing: the folder is built beside `out` and renamed into place.
pub fn write(net: &Network, out: &Path) -> Result<()> {
    write_with(net, out, &[], |_| Ok(()))
}

/// [`write()`] with `extra` files (name, text) in the folder and whatever
/// `more` stages elsewhere, committed together.
pub fn write_with(
    net: &Network,
    out: &Path,
    extra: &[(&str, String)],
    more: impl FnOnce(&mut Outputs) -> corridor_io::Result<()>,
) -> Result<()> {
    let mut staged = Outputs::new();
    let build = |staged: &mut Outputs| -> corridor_io::Result<()> {
        let mut ours = bundle_files();
        ours.extend(extra.iter().map(|(name, _)| *name));
        let dir = staged.dir(out, &ours)?;
        corridor_io::write_csv_bundle(net, &dir)?;
        for (name, text) in extra {
            std::fs::write(dir.join(name), text).map_err(|e| corridor_io::Error::Io {
                path: out.join(name),
                os: e,
            })?;
        }
        let write_map = || -> std::io::Result<()> {
            let file = std::fs::File::create(dir.join("network.geojson"))?;
            corridor_io::write_network_geojson(net, std::io::BufWriter::new(file))
        };
        write_map().map_err(|e| corridor_io::Error::Io {
            path: out.join("network.geojson"),
            os: e,
        })
    };
    build(&mut staged).with_context(|| format!("cannot write {}", out.display()))?;
    more(&mut staged).context("cannot stage the outputs")?;
    commit(staged)
}

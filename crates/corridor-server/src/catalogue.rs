//! The networks a server answers on, loaded once at start: each network as
//! read (what `info`, `export` and `assign` answer on), the same network
//! with a commodity and its route lowering (what `route`, `capacity` and
//! `compare` answer on, as the CLI's `network_with_commodity`), its
//! scenarios by name, and the answers that never change (its `info` JSON
//! and map) made on first use. Networks edited by scenarios are kept for
//! the few scenario lists asked last, so switching a scenario on and off
//! lowers nothing again. A network folder's `projects.toml` gives the
//! candidate investments `invest` may name. Requests only ever name a
//! network; no file name reaches this module from a request.

use crate::jobs::Jobs;
use crate::{Error, ServeConfig};
use corridor_engine::answer::{self, PreparedNetwork};
use corridor_model::scenario::{TouchedElement, touched};
use corridor_model::{Network, ProjectEntry, Scenario};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::Semaphore;

/// How many warnings of a network to log before summarising the rest.
const MAX_WARNINGS: usize = 20;
/// How many scenario-edited networks each network keeps (each is a copy
/// of the network with its lowering: few, for large networks).
const EDITED_KEPT: usize = 4;

/// One scenario file of a network.
#[derive(Clone, Debug)]
pub struct ScenarioFile {
    pub scenario: Scenario,
    /// The file's name (not its path: the server does not tell its folders).
    pub file: String,
}

/// A network folder's `projects.toml`: the candidate investments, each
/// naming its scenario, which are kept apart from the network's own
/// scenarios (they are only for `invest`).
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Projects {
    /// What costs are counted in, as the file says.
    pub cost_unit: Option<String>,
    pub projects: Vec<ProjectEntry>,
    /// What each project's scenario changes or adds, by project name (the
    /// map page marks a chosen portfolio with it; an invest query does not
    /// take it).
    pub elements: BTreeMap<String, Vec<TouchedElement>>,
    #[serde(skip)]
    pub scenarios: Vec<Scenario>,
}

/// One network and everything answered from it.
#[derive(Debug)]
pub struct NetworkEntry {
    name: String,
    /// The network as read, when it differs from the prepared one (it had
    /// no commodity; routes and flows get `general`).
    plain: Option<Network>,
    prepared: Arc<PreparedNetwork>,
    scenarios: Vec<Scenario>,
    files: Vec<String>,
    projects: Projects,
    /// `corridor info NETWORK --format json`, made on first use.
    pub(crate) info: OnceLock<String>,
    /// `corridor export NETWORK --format geojson`, made on first use.
    pub(crate) geojson: OnceLock<String>,
    /// Scenario lists asked recently and their edited networks, latest first.
    edited: Mutex<Vec<(Vec<String>, Arc<PreparedNetwork>)>>,
}

impl NetworkEntry {
    /// Prepares `net` (as read) and its scenarios; `stored` is the routing
    /// lowering a compiled file holds (then `net` is not lowered again)
    /// and the nested-dissection order of it the file holds (then routes'
    /// hierarchy is contracted in it, without ordering).
    pub fn new(
        name: String,
        net: Network,
        scenarios: Vec<ScenarioFile>,
        (stored, order): StoredRouting,
    ) -> Result<Self, Error> {
        let mut routable = net.clone();
        answer::ensure_commodity(&mut routable).map_err(Error::Engine)?;
        let plain = (routable.commodities.len() != net.commodities.len()).then_some(net);
        let (scenarios, files) = scenarios.into_iter().map(|s| (s.scenario, s.file)).unzip();
        Ok(Self {
            name,
            plain,
            prepared: Arc::new(
                PreparedNetwork::with_stored(routable, stored).with_cch_order(order),
            ),
            scenarios,
            files,
            projects: Projects::default(),
            info: OnceLock::new(),
            geojson: OnceLock::new(),
            edited: Mutex::new(Vec::new()),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The network as read: what `info`, `export` and `assign` see.
    pub fn plain(&self) -> &Network {
        self.plain
            .as_ref()
            .unwrap_or_else(|| self.prepared.network())
    }

    /// The network with a commodity, lowered for routes: what `route`,
    /// `capacity` and `compare` see.
    pub fn prepared(&self) -> &Arc<PreparedNetwork> {
        &self.prepared
    }

    /// The scenarios a query may name, in file order.
    pub fn scenarios(&self) -> &[Scenario] {
        &self.scenarios
    }

    /// The candidate investments of its `projects.toml` (none without).
    pub fn projects(&self) -> &Projects {
        &self.projects
    }

    /// What an `invest` query's projects may name: the projects' scenarios,
    /// then the network's.
    pub fn invest_scenarios(&self) -> Vec<Scenario> {
        let mut all = self.projects.scenarios.clone();
        all.extend(self.scenarios.iter().cloned());
        all
    }

    /// With `projects` as its candidate investments; refused when one of
    /// their scenarios has the name of one of the network's (a query could
    /// not tell them apart).
    pub fn with_projects(mut self, projects: Projects) -> Result<Self, Error> {
        if let Some(s) = projects
            .scenarios
            .iter()
            .find(|p| self.scenarios.iter().any(|s| s.name == p.name))
        {
            return Err(Error::ProjectName {
                network: self.name.clone(),
                scenario: s.name.clone(),
            });
        }
        self.projects = projects;
        Ok(self)
    }

    /// Each scenario with the name of its file.
    pub fn scenario_files(&self) -> impl Iterator<Item = (&Scenario, &str)> {
        self.scenarios
            .iter()
            .zip(self.files.iter().map(String::as_str))
    }

    /// The prepared network with `names` applied (itself for none), as
    /// `answer::with_scenarios` makes it; unknown names and edits that do
    /// not fit are the engine's errors.
    pub fn with_scenarios(
        &self,
        names: &[String],
    ) -> Result<Arc<PreparedNetwork>, corridor_engine::Error> {
        if names.is_empty() {
            return Ok(Arc::clone(&self.prepared));
        }
        if let Some(hit) = self.take_edited(names) {
            return Ok(hit);
        }
        let edited = answer::with_scenarios(self.prepared.network(), &self.scenarios, names)?;
        let made = Arc::new(PreparedNetwork::new(edited.into_owned()));
        let mut kept = self.edited.lock().unwrap_or_else(|p| p.into_inner());
        kept.insert(0, (names.to_vec(), Arc::clone(&made)));
        kept.truncate(EDITED_KEPT);
        Ok(made)
    }

    /// A kept edited network for `names`, moved to the front.
    fn take_edited(&self, names: &[String]) -> Option<Arc<PreparedNetwork>> {
        let mut kept = self.edited.lock().unwrap_or_else(|p| p.into_inner());
        let i = kept.iter().position(|(n, _)| n.as_slice() == names)?;
        let hit = kept.remove(i);
        let net = Arc::clone(&hit.1);
        kept.insert(0, hit);
        Some(net)
    }
}

/// What every handler shares: the networks by name and the slots for heavy
/// work. Cloning is cheap.
#[derive(Clone, Debug)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    networks: BTreeMap<String, Arc<NetworkEntry>>,
    heavy: Arc<Semaphore>,
    jobs: Arc<Jobs>,
    max_assign_iterations: usize,
    /// The `GET /api/networks` body, made on first use.
    listing: OnceLock<String>,
}

impl AppState {
    /// Reads the networks and scenario folders `config` names (the shipped
    /// examples when it names none). Fails, naming the file, on a network
    /// or scenario the CLI would refuse.
    pub fn load(config: &ServeConfig) -> Result<Self, Error> {
        let paths = if config.networks.is_empty() {
            shipped_examples()?
        } else {
            config.networks.clone()
        };
        let mut entries = Vec::new();
        for path in &paths {
            entries.push(load_network(path, &config.scenarios)?);
        }
        Self::new(entries, config)
    }

    /// A state over networks already made (tests, embedders).
    pub fn new(entries: Vec<NetworkEntry>, config: &ServeConfig) -> Result<Self, Error> {
        let mut networks = BTreeMap::new();
        for e in entries {
            let name = e.name.clone();
            if networks.insert(name.clone(), Arc::new(e)).is_some() {
                return Err(Error::DuplicateName(name));
            }
        }
        Ok(Self {
            inner: Arc::new(Inner {
                networks,
                heavy: Arc::new(Semaphore::new(config.heavy_jobs.max(1))),
                jobs: Arc::new(Jobs::new(config.jobs, config.jobs_kept, config.job_ttl)),
                max_assign_iterations: config.max_assign_iterations,
                listing: OnceLock::new(),
            }),
        })
    }

    /// The network called `name`, if the server has one.
    pub fn network(&self, name: &str) -> Option<&Arc<NetworkEntry>> {
        self.inner.networks.get(name)
    }

    /// Every network, sorted by name.
    pub fn networks(&self) -> impl Iterator<Item = &Arc<NetworkEntry>> {
        self.inner.networks.values()
    }

    /// The slots heavy answers take on the blocking pool.
    pub fn heavy(&self) -> &Arc<Semaphore> {
        &self.inner.heavy
    }

    /// The long questions asked, queued, running and finished.
    pub(crate) fn jobs(&self) -> &Arc<Jobs> {
        &self.inner.jobs
    }

    pub fn max_assign_iterations(&self) -> usize {
        self.inner.max_assign_iterations
    }

    pub(crate) fn listing(&self) -> &OnceLock<String> {
        &self.inner.listing
    }
}

/// `triangle` and `grain-corridors`: from `./examples` when the server runs
/// in a checkout's root (so messages name files as the CLI's do), else from
/// the checkout it was built in.
fn shipped_examples() -> Result<Vec<PathBuf>, Error> {
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    for dir in [Path::new("examples"), built.as_path()] {
        let files = [dir.join("triangle.toml"), dir.join("grain-corridors")];
        if files.iter().all(|f| f.exists()) {
            return Ok(files.into());
        }
    }
    Err(Error::NoExamples)
}

/// A network's name: its file or folder name without extension.
pub fn network_name(path: &Path) -> Option<String> {
    let stem = |p: &Path| p.file_stem().map(|s| s.to_string_lossy().into_owned());
    stem(path).or_else(|| path.canonicalize().ok().as_deref().and_then(stem))
}

/// Reads one network (refused with every error listed, warnings logged),
/// its folder's `scenarios/*.toml` and every folder of `extra`.
fn load_network(path: &Path, extra: &[PathBuf]) -> Result<NetworkEntry, Error> {
    let name = network_name(path).ok_or_else(|| Error::NoName(path.to_path_buf()))?;
    let (loaded, stored) = read_with_stored(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let warnings: Vec<_> = loaded.warnings().collect();
    for w in warnings.iter().take(MAX_WARNINGS) {
        tracing::warn!(network = %name, "{w}");
    }
    if warnings.len() > MAX_WARNINGS {
        tracing::warn!(
            network = %name,
            "... and {} more warnings (run `corridor check {}` to see all)",
            warnings.len() - MAX_WARNINGS,
            path.display()
        );
    }
    if loaded.has_errors() {
        let errors: Vec<String> = loaded.errors().map(|d| d.to_string()).collect();
        return Err(Error::Invalid {
            path: path.to_path_buf(),
            errors,
        });
    }
    let net = loaded.network;
    let mut dirs = Vec::new();
    if path.is_dir() && path.join("scenarios").is_dir() {
        dirs.push(path.join("scenarios"));
    }
    dirs.extend(extra.iter().cloned());
    let mut scenarios = Vec::new();
    for dir in dirs {
        scenarios.extend(read_scenarios(&dir, &net)?);
    }
    tracing::info!(
        network = %name,
        nodes = net.nodes.len(),
        links = net.links.len(),
        scenarios = scenarios.len(),
        "loaded {}",
        path.display()
    );
    let projects = if path.is_dir() && path.join("projects.toml").is_file() {
        read_projects(&path.join("projects.toml"), &net)?
    } else {
        Projects::default()
    };
    NetworkEntry::new(name, net, scenarios, stored)?.with_projects(projects)
}

/// A `projects.toml` and the scenario file of each project, read as
/// `corridor invest --projects` reads them.
fn read_projects(path: &Path, net: &Network) -> Result<Projects, Error> {
    let refuse = |source| Error::Projects {
        path: path.to_path_buf(),
        source,
    };
    let file = corridor_io::read_projects(path).map_err(refuse)?;
    let mut out = Projects {
        cost_unit: file.cost_unit,
        ..Projects::default()
    };
    for p in file.projects {
        let scenario =
            corridor_io::read_scenario(&p.scenario, &net.vehicles).map_err(|source| {
                Error::Scenario {
                    path: p.scenario.clone(),
                    source,
                }
            })?;
        out.elements.insert(p.name.clone(), touched(net, &scenario));
        out.projects.push(ProjectEntry {
            name: p.name,
            scenario: scenario.name.clone(),
            cost: p.cost,
            note: p.note,
        });
        out.scenarios.push(scenario);
    }
    Ok(out)
}

/// What a compiled file stores for routes: the routing lowering and a
/// nested-dissection order of it.
type StoredRouting = (
    Option<corridor_engine::Lowered>,
    Option<Vec<corridor_engine::hierarchy::VertexIdx>>,
);

/// The network at `path` and, for a compiled file that holds them, its
/// routing lowering and CCH order. A lowering or an order that does not
/// fit is logged and ignored (the network is lowered, or ordered, as for a
/// source file): the server still serves.
fn read_with_stored(path: &Path) -> corridor_io::Result<(corridor_io::Loaded, StoredRouting)> {
    if corridor_io::detect_format(path).ok() != Some(corridor_io::Format::Compiled) {
        return corridor_io::read_network(path).map(|l| (l, (None, None)));
    }
    corridor_io::compiled::read_with_stored(path, |net, stored| {
        let lowered = stored.lowering.and_then(|bytes| {
            corridor_engine::Lowered::from_stored(bytes, net).unwrap_or_else(|problem| {
                tracing::warn!("{}: stored lowering ignored: {problem}", path.display());
                None
            })
        });
        let order = match (stored.cch_order, &lowered) {
            (Some(bytes), Some(l)) => corridor_engine::hierarchy::stored_order(bytes, l)
                .map_err(|problem| {
                    tracing::warn!(
                        "{}: stored CCH order ignored ({problem}); routes order the network \
                         afresh",
                        path.display()
                    )
                })
                .ok(),
            _ => None,
        };
        (lowered, order)
    })
}

/// The `*.toml` files of `dir` as scenarios of `net`, by file name.
fn read_scenarios(dir: &Path, net: &Network) -> Result<Vec<ScenarioFile>, Error> {
    let listing = std::fs::read_dir(dir).map_err(|source| Error::ScenarioFolder {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = listing
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let scenario = corridor_io::read_scenario(&p, &net.vehicles).map_err(|source| {
                Error::Scenario {
                    path: p.clone(),
                    source,
                }
            })?;
            let file = p
                .file_name()
                .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
            Ok(ScenarioFile { scenario, file })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor_model::ElementKind;

    fn grain() -> NetworkEntry {
        let examples = shipped_examples().unwrap();
        load_network(&examples[1], &[]).unwrap()
    }

    #[test]
    fn edited_networks_are_kept_for_the_last_lists_asked() {
        let net = grain();
        let names: Vec<Vec<String>> = net
            .scenarios()
            .iter()
            .map(|s| vec![s.name.clone()])
            .collect();
        assert_eq!(names.len(), 4);
        let first = net.with_scenarios(&names[0]).unwrap();
        assert!(Arc::ptr_eq(&first, &net.with_scenarios(&names[0]).unwrap()));
        assert!(Arc::ptr_eq(
            net.prepared(),
            &net.with_scenarios(&[]).unwrap()
        ));
        // Four other lists push the first one out.
        let both = vec![names[1][0].clone(), names[2][0].clone()];
        for list in [&names[1], &names[2], &names[3], &both] {
            net.with_scenarios(list).unwrap();
        }
        assert!(!Arc::ptr_eq(
            &first,
            &net.with_scenarios(&names[0]).unwrap()
        ));
        // An unknown name is the engine's error and keeps nothing.
        let e = net.with_scenarios(&["nope".to_string()]).unwrap_err();
        assert!(
            e.to_string().starts_with("unknown scenario \"nope\""),
            "{e}"
        );
        assert_eq!(net.edited.lock().unwrap().len(), EDITED_KEPT);
    }

    /// A selection by tag gives every element it picks, each once; an
    /// added link stands at its two ends; an edit of an element added
    /// earlier lists it only where it is added.
    #[test]
    fn a_project_touches_what_its_edits_pick_or_add() {
        let net = grain();
        let base = net.plain();
        let restore = &net.scenarios()[net
            .scenarios()
            .iter()
            .position(|s| s.name == "restore-black-sea-ports")
            .unwrap()];
        let found = touched(base, restore);
        let ids: Vec<&str> = found.iter().map(|e| e.id.as_str()).collect();
        let tagged: Vec<&str> = base
            .terminals
            .iter()
            .filter(|t| t.tags.iter().any(|g| g == "black-sea-ports"))
            .map(|t| t.source_id.as_str())
            .collect();
        assert!(tagged.len() >= 3, "{tagged:?}");
        assert_eq!(ids, tagged);
        assert!(found.iter().all(|e| e.kind == ElementKind::Terminal));
        let text = r#"
[scenario]
name = "new-line"
[[edit]]
action = "add"
link = "rail-new"
from = "vinnytsia"
to = "ternopil"
mode = "rail"
[[edit]]
action = "close"
link = "rail-new"
[[edit]]
action = "close"
link = "rail-new"
"#;
        let s = corridor_io::parse_scenario(text, "new-line.toml", &base.vehicles).unwrap();
        assert_eq!(
            touched(base, &s),
            [TouchedElement {
                kind: ElementKind::Link,
                id: "rail-new".into(),
                at: vec!["vinnytsia".into(), "ternopil".into()],
            }]
        );
    }

    /// A compiled network serves as its source does: same name, same
    /// network, scenarios from a folder given beside it; a damaged one is
    /// refused naming the file.
    #[test]
    fn compiled_networks_load_like_their_source() {
        let examples = shipped_examples().unwrap();
        let source = corridor_io::read_network(&examples[1]).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("grain-corridors.corridor");
        let stored = corridor_engine::lower::stored_routing_lowering(&source.network);
        let bytes = corridor_io::compiled::to_bytes_with_lowering(
            &source.network,
            &source.diagnostics,
            stored.as_deref(),
        );
        std::fs::write(&path, &bytes).unwrap();
        let compiled = load_network(&path, &[examples[1].join("scenarios")]).unwrap();
        let plain = grain();
        // Routed on the lowering stored in the file: the same answers.
        for (from, to) in [("vinnytsia", "gdansk"), ("poltava", "rotterdam")] {
            let q = corridor_model::RouteQuery::new(from, to);
            let a = compiled.prepared.route(&q).unwrap();
            assert_eq!(a, plain.prepared.route(&q).unwrap(), "{from} -> {to}");
        }
        assert_eq!(compiled.name(), plain.name());
        assert_eq!(compiled.plain().links, plain.plain().links);
        assert_eq!(compiled.plain().nodes, plain.plain().nodes);
        assert_eq!(compiled.scenarios().len(), plain.scenarios().len());
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        let e = load_network(&path, &[]).unwrap_err();
        let e = format!("{e}: {}", std::error::Error::source(&e).unwrap());
        assert!(e.contains("grain-corridors.corridor"), "{e}");
        assert!(e.contains("truncated compiled network"), "{e}");
    }

    #[test]
    fn names_are_file_or_folder_names_without_extension() {
        assert_eq!(
            network_name(Path::new("examples/triangle.toml")).as_deref(),
            Some("triangle")
        );
        assert_eq!(
            network_name(Path::new("examples/grain-corridors/")).as_deref(),
            Some("grain-corridors")
        );
        assert_eq!(
            network_name(Path::new("data/braess_net.tntp")).as_deref(),
            Some("braess_net")
        );
        assert_eq!(
            network_name(Path::new("out/europe.corridor")).as_deref(),
            Some("europe")
        );
    }
}

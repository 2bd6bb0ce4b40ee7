//! The native half of the `corridor` Python package: a loaded network
//! (`Engine`) and the questions the CLI asks of it (route, capacity,
//! compare, assign, optimise, criticality, sweep, invest, skim, info), each taking the query
//! as the JSON of a `corridor_model::query` type, calling the very
//! `corridor_engine::answer` function the CLI calls, and returning the
//! bytes `corridor_io::report::json` writes, which the CLI prints with
//! `--format json`. The Python half (`python/corridor/`) builds the
//! queries from keyword arguments and parses the answers into dicts.
//!
//! Every computation runs with the GIL released; every error becomes
//! `corridor.CorridorError` carrying the located message (file, line,
//! field) the CLI prints after `error:`.

use anyhow::{Context, Result};
use corridor_engine::{Progress, answer};
use corridor_io::report;
use corridor_model::results::{CriticalityReport, InfoReport, SweepReport};
use corridor_model::{
    AssignQuery, CapacityQuery, CompareQuery, CriticalityQuery, InvestQuery, Network,
    OptimiseQuery, RouteQuery, Scenario, SkimQuery, SweepQuery,
};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pyo3::create_exception!(
    _corridor,
    CorridorError,
    PyException,
    "A refused question or input: the message names the file, line or record and field."
);

/// An error chain as the CLI prints it (`error: {e:#}`), as a Python
/// exception.
fn to_py(e: anyhow::Error) -> PyErr {
    CorridorError::new_err(format!("{e:#}"))
}

/// Runs `f` without the GIL, so other Python threads go on meanwhile.
fn detached<T: Send>(py: Python<'_>, f: impl FnOnce() -> Result<T> + Send) -> PyResult<T> {
    py.detach(f).map_err(to_py)
}

/// The query from its JSON, with `scenarios` set to the names of the
/// scenario files read for it (as the CLI sets them from `--scenario`).
/// A demand file (CSV or TNTP trips) read against `net`, as the CLI's
/// `--demand` reads it; the error names the file.
fn read_demand(path: &Path, net: &Network) -> Result<Vec<corridor_io::demand::DemandRow>> {
    corridor_io::demand::read_demand(path, net)
        .with_context(|| format!("cannot read demand {}", path.display()))
}

fn parse<Q: DeserializeOwned>(json: &str, what: &str, scenarios: Option<&[String]>) -> Result<Q> {
    let mut value: serde_json::Value =
        serde_json::from_str(json).with_context(|| format!("invalid {what} query"))?;
    if let (Some(object), Some(names)) = (value.as_object_mut(), scenarios) {
        object.insert("scenarios".into(), names.into());
    }
    serde_json::from_value(value).with_context(|| format!("invalid {what} query"))
}

/// A network as read, and the same network with a commodity for the
/// flow questions (`general` when it lists none), as the CLI's
/// `load::network` and `load::network_with_commodity` give them.
#[pyclass(frozen, module = "corridor._corridor")]
struct Engine {
    raw: Arc<Network>,
    flows: Arc<Network>,
}

impl Engine {
    fn new(raw: Network) -> Result<Self> {
        let raw = Arc::new(raw);
        let flows = if raw.commodities.is_empty() {
            let mut n = (*raw).clone();
            answer::ensure_commodity(&mut n)?;
            Arc::new(n)
        } else {
            raw.clone()
        };
        Ok(Self { raw, flows })
    }

    fn read(path: &Path) -> Result<Self> {
        let loaded = corridor_io::read_network(path)
            .with_context(|| format!("cannot read network {}", path.display()))?;
        if loaded.has_errors() {
            let errors: Vec<String> = loaded.errors().map(|d| d.to_string()).collect();
            anyhow::bail!(
                "{} has {} error(s):\n{}",
                path.display(),
                errors.len(),
                errors.join("\n")
            );
        }
        Self::new(loaded.network)
    }

    /// Scenario files in order, read with the network's payloads, as
    /// `corridor ... --scenario FILE`.
    fn scenarios(&self, paths: &[PathBuf]) -> Result<(Vec<Scenario>, Vec<String>)> {
        let scenarios: Vec<Scenario> = paths
            .iter()
            .map(|s| {
                corridor_io::read_scenario(s, &self.raw.vehicles)
                    .with_context(|| format!("cannot read scenario {}", s.display()))
            })
            .collect::<Result<_>>()?;
        let names = scenarios.iter().map(|s| s.name.clone()).collect();
        Ok((scenarios, names))
    }

    /// A demand file as an optimise query in users' words (node ids), so
    /// it is resolved again on the edited network: what `corridor compare
    /// --demand` asks.
    fn optimum_query(
        &self,
        path: &Path,
        minimize: corridor_model::Objective,
        unserved_penalty: Option<f64>,
    ) -> Result<OptimiseQuery> {
        let base = &self.flows;
        let rows = read_demand(path, base)?;
        let demand = rows.into_iter().map(|r| r.into_entry(base)).collect();
        Ok(OptimiseQuery {
            demand,
            minimize,
            unserved_penalty,
            ..OptimiseQuery::default()
        })
    }

    fn edited(&self, scenario: Scenario) -> Result<Self> {
        let names = [scenario.name.clone()];
        let raw = answer::with_scenarios(&self.raw, &[scenario], &names)?;
        Self::new(raw.into_owned())
    }
}

#[pymethods]
impl Engine {
    /// Reads a `.toml` network, a CSV bundle folder or a TNTP `_net.tntp`.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        detached(py, || Self::read(&path))
    }

    /// This network with a scenario file applied.
    fn with_scenario_file(&self, py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        detached(py, || {
            let s = corridor_io::read_scenario(&path, &self.raw.vehicles)
                .with_context(|| format!("cannot read scenario {}", path.display()))?;
            self.edited(s)
        })
    }

    /// This network with a scenario given as the JSON of its TOML tables
    /// (`{"scenario": {"name": ...}, "edit": [...]}`); `origin` names it in
    /// messages.
    fn with_scenario_json(&self, py: Python<'_>, json: &str, origin: &str) -> PyResult<Self> {
        detached(py, || {
            let value: serde_json::Value =
                serde_json::from_str(json).context("invalid scenario edits")?;
            let text = toml::to_string(&value)
                .with_context(|| format!("{origin}: scenario edits cannot be written as TOML"))?;
            let s = corridor_io::parse_scenario(&text, origin, &self.raw.vehicles)?;
            self.edited(s)
        })
    }

    /// `corridor info NETWORK --format json`.
    fn info(&self, py: Python<'_>) -> PyResult<String> {
        detached(py, || Ok(report::json(&InfoReport::new(&self.raw))?))
    }

    /// The network as a GeoJSON FeatureCollection (as `corridor export
    /// --format geojson`): one feature per element, `element` and `id` in
    /// its properties.
    fn geojson(&self, py: Python<'_>) -> PyResult<String> {
        detached(py, || Ok(corridor_io::network_geojson(&self.raw)))
    }

    /// `corridor route ... --format json`.
    fn route(&self, py: Python<'_>, query: &str, scenarios: Vec<PathBuf>) -> PyResult<String> {
        detached(py, || {
            let (sc, names) = self.scenarios(&scenarios)?;
            let q: RouteQuery = parse(query, "route", Some(&names))?;
            let net = answer::with_scenarios(&self.flows, &sc, &q.scenarios)?;
            Ok(report::json(&answer::route(&net, &q)?)?)
        })
    }

    /// `corridor capacity ... --format json`.
    fn capacity(&self, py: Python<'_>, query: &str, scenarios: Vec<PathBuf>) -> PyResult<String> {
        detached(py, || {
            let (sc, names) = self.scenarios(&scenarios)?;
            let q: CapacityQuery = parse(query, "capacity", Some(&names))?;
            let net = answer::with_scenarios(&self.flows, &sc, &q.scenarios)?;
            Ok(report::json(&answer::capacity(&net, &q)?)?)
        })
    }

    /// `corridor compare ... --format json` (base against the scenarios
    /// applied together); with `demand` (a CSV file), also the system
    /// optimum of that demand, as `compare --demand FILE
    /// [--unserved-penalty P]` (inline rows go in the query's `optimise`).
    #[pyo3(signature = (query, scenarios, demand=None, unserved_penalty=None))]
    fn compare(
        &self,
        py: Python<'_>,
        query: &str,
        scenarios: Vec<PathBuf>,
        demand: Option<PathBuf>,
        unserved_penalty: Option<f64>,
    ) -> PyResult<String> {
        detached(py, || {
            let (sc, names) = self.scenarios(&scenarios)?;
            let mut q: CompareQuery = parse(query, "compare", Some(&names))?;
            if let Some(path) = demand {
                q.optimise = Some(self.optimum_query(&path, q.minimize, unserved_penalty)?);
            }
            Ok(report::json(&answer::compare(&self.flows, &sc, &q)?)?)
        })
    }

    /// `corridor assign ... --format json`: demand from a file (`demand`,
    /// CSV or TNTP trips) or inline in the query.
    #[pyo3(signature = (query, demand, scenarios))]
    fn assign(
        &self,
        py: Python<'_>,
        query: &str,
        demand: Option<PathBuf>,
        scenarios: Vec<PathBuf>,
    ) -> PyResult<String> {
        detached(py, || {
            let (sc, names) = self.scenarios(&scenarios)?;
            let q: AssignQuery = parse(query, "assign", Some(&names))?;
            answer::check_assign_knobs(&q)?;
            let net = answer::with_scenarios(&self.raw, &sc, &q.scenarios)?;
            let mut quiet = |_: &corridor_model::results::IterationRecord| {};
            let result = match demand {
                Some(path) => {
                    let rows = read_demand(&path, &net)?;
                    answer::check_assign_network(&net, &q)?;
                    answer::assign_rows(&net, &q, &rows, &mut quiet)?
                }
                None => answer::assign(&net, &q, &mut quiet)?,
            };
            Ok(report::json(&result)?)
        })
    }

    /// `corridor optimise ... --format json`: demand from a file (`demand`,
    /// CSV `origin,destination,commodity,t_per_day`) or inline in the
    /// query. The network as read (the CLI's `load::network`): a system
    /// optimum refuses a network without commodities rather than invent one.
    #[pyo3(signature = (query, demand, scenarios))]
    fn optimise(
        &self,
        py: Python<'_>,
        query: &str,
        demand: Option<PathBuf>,
        scenarios: Vec<PathBuf>,
    ) -> PyResult<String> {
        detached(py, || {
            let (sc, names) = self.scenarios(&scenarios)?;
            let q: OptimiseQuery = parse(query, "optimise", Some(&names))?;
            answer::optimise_config(&q)?;
            let net = answer::with_scenarios(&self.raw, &sc, &q.scenarios)?;
            let result = match demand {
                Some(path) => {
                    let rows = read_demand(&path, &net)?;
                    answer::optimise_rows(&net, &q, &rows)?
                }
                None => answer::optimise(&net, &q)?,
            };
            Ok(report::json(&result)?)
        })
    }

    /// `corridor skim ... --format json`: the origin–destination matrix of
    /// route totals for one tonne.
    fn skim(&self, py: Python<'_>, query: &str, scenarios: Vec<PathBuf>) -> PyResult<String> {
        detached(py, || {
            let (sc, names) = self.scenarios(&scenarios)?;
            let q: SkimQuery = parse(query, "skim", Some(&names))?;
            let net = answer::with_scenarios(&self.flows, &sc, &q.scenarios)?;
            Ok(report::json(&answer::skim(&net, &q)?)?)
        })
    }

    /// `corridor criticality ... --format json`; with `part` in the query,
    /// that part of the elements only (see [`merge_criticality`]).
    fn criticality(
        &self,
        py: Python<'_>,
        query: &str,
        scenarios: Vec<PathBuf>,
    ) -> PyResult<String> {
        detached(py, || {
            let (sc, names) = self.scenarios(&scenarios)?;
            let q: CriticalityQuery = parse(query, "criticality", Some(&names))?;
            let net = answer::with_scenarios(&self.flows, &sc, &q.scenarios)?;
            Ok(report::json(&answer::criticality(
                &net,
                &q,
                &Progress::default(),
            )?)?)
        })
    }

    /// `corridor sweep ... --format json` over the scenario files given;
    /// with `part` in the query, that part of the rows only.
    fn sweep(&self, py: Python<'_>, query: &str, scenarios: Vec<PathBuf>) -> PyResult<String> {
        detached(py, || {
            let (sc, names) = self.scenarios(&scenarios)?;
            let q: SweepQuery = parse(query, "sweep", Some(&names))?;
            Ok(report::json(&answer::sweep(
                &self.flows,
                &sc,
                &q,
                &Progress::default(),
            )?)?)
        })
    }

    /// `corridor invest ... --format json` with the projects file given
    /// (its `projects` fill the query's).
    fn invest(&self, py: Python<'_>, query: &str, projects: PathBuf) -> PyResult<String> {
        detached(py, || {
            let file = corridor_io::read_projects(&projects)
                .with_context(|| format!("cannot read projects {}", projects.display()))?;
            let paths: Vec<PathBuf> = file.projects.iter().map(|p| p.scenario.clone()).collect();
            let (sc, _) = self.scenarios(&paths)?;
            let q = InvestQuery {
                projects: file
                    .projects
                    .iter()
                    .zip(&sc)
                    .map(|(p, s)| corridor_model::ProjectEntry {
                        name: p.name.clone(),
                        scenario: s.name.clone(),
                        cost: p.cost,
                        note: p.note.clone(),
                    })
                    .collect(),
                cost_unit: file.cost_unit,
                ..parse(query, "invest", None)?
            };
            Ok(report::json(&answer::invest(
                &self.flows,
                &sc,
                &q,
                &Progress::default(),
            )?)?)
        })
    }
}

/// The report one run gives, from the JSON of every part of one
/// criticality question (in any order).
#[pyfunction]
fn merge_criticality(py: Python<'_>, parts: Vec<String>) -> PyResult<String> {
    detached(py, || {
        let parts: Vec<CriticalityReport> = parts
            .iter()
            .map(|p| serde_json::from_str(p).context("a part is not a criticality report"))
            .collect::<Result<_>>()?;
        Ok(report::json(&answer::merge_criticality(parts)?)?)
    })
}

/// The report one run gives, from the JSON of every part of one sweep.
#[pyfunction]
fn merge_sweep(py: Python<'_>, parts: Vec<String>) -> PyResult<String> {
    detached(py, || {
        let parts: Vec<SweepReport> = parts
            .iter()
            .map(|p| serde_json::from_str(p).context("a part is not a sweep report"))
            .collect::<Result<_>>()?;
        Ok(report::json(&answer::merge_sweep(parts)?)?)
    })
}

#[pymodule]
fn _corridor(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Engine>()?;
    m.add("CorridorError", m.py().get_type::<CorridorError>())?;
    m.add_function(wrap_pyfunction!(merge_criticality, m)?)?;
    m.add_function(wrap_pyfunction!(merge_sweep, m)?)?;
    Ok(())
}

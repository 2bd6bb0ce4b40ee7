//! The routes of the API and the answers about networks themselves:
//! health, the list of networks, a network's `info`, its map and its
//! scenarios and projects. The questions (route, capacity, compare,
//! assign, optimise, skim) are in `questions.rs`, the long ones
//! (criticality, sweep, invest: jobs) in `long_questions.rs`; every answer here that the CLI also gives is its bytes
//! (`corridor info --format json`, `corridor export --format geojson`).

use crate::api_error::ApiError;
use crate::catalogue::{AppState, NetworkEntry};
use crate::extract::Net;
use crate::{assets, long_questions, openapi, questions};
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use corridor_io::report;
use corridor_model::results::{InfoReport, LayerInfo};
use serde::Serialize;
use serde::ser::Serializer;
use std::sync::OnceLock;

/// Every route of the server (without its limits: see `layers.rs`).
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi::document))
        .route("/api/networks", get(networks))
        .route("/api/networks/{name}", get(network))
        .route("/api/networks/{name}/geojson", get(network_geojson))
        .route("/api/networks/{name}/scenarios", get(scenarios))
        .route("/api/networks/{name}/route", post(questions::route))
        .route("/api/networks/{name}/capacity", post(questions::capacity))
        .route("/api/networks/{name}/compare", post(questions::compare))
        .route("/api/networks/{name}/assign", post(questions::assign))
        .route("/api/networks/{name}/optimise", post(questions::optimise))
        .route("/api/networks/{name}/skim", post(questions::skim))
        .route("/api/networks/{name}/projects", get(projects))
        .route(
            "/api/networks/{name}/criticality",
            post(long_questions::criticality),
        )
        .route("/api/networks/{name}/sweep", post(long_questions::sweep))
        .route("/api/networks/{name}/invest", post(long_questions::invest))
        .route(
            "/api/jobs/{id}",
            get(long_questions::job).delete(long_questions::cancel_job),
        )
        .fallback(assets::fallback)
        .with_state(state)
}

/// `text` as the CLI prints it (with a final newline), as JSON.
pub fn json(text: String) -> Response {
    with_type(stdout(text), "application/json")
}

/// `text` as a GeoJSON document, as is (`export` writes a file: no final
/// newline; results that the CLI prints go through [`stdout`] first).
pub fn geojson(text: String) -> Response {
    with_type(text, "application/geo+json")
}

/// The CLI's stdout for `text`: it ends every output with a newline.
pub fn stdout(mut text: String) -> String {
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

fn with_type(body: String, content_type: &'static str) -> Response {
    let mut res = body.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res
}

/// Pretty JSON of something the server itself says (health, lists).
pub fn own_json<T: Serialize>(value: &T) -> Result<Response, ApiError> {
    report::json(value).map(json).map_err(ApiError::internal)
}

/// A cached answer, made on first use on the blocking pool (a large
/// network's map takes a while).
async fn cached(
    net: &std::sync::Arc<NetworkEntry>,
    cell: fn(&NetworkEntry) -> &OnceLock<String>,
    make: fn(&NetworkEntry) -> Result<String, ApiError>,
) -> Result<String, ApiError> {
    if let Some(s) = cell(net).get() {
        return Ok(s.clone());
    }
    let net = std::sync::Arc::clone(net);
    tokio::task::spawn_blocking(move || {
        let text = make(&net)?;
        Ok(cell(&net).get_or_init(|| text).clone())
    })
    .await
    .map_err(ApiError::internal)?
}

/// Whether the server is up, and how many networks it serves.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// Always `ok`.
    #[schema(example = "ok")]
    pub status: &'static str,
    #[schema(example = 2)]
    pub networks: usize,
}

#[utoipa::path(get, path = "/health", tag = "server",
    responses((status = 200, description = "The server is up", body = Health)))]
pub async fn health(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    let n = state.networks().count();
    own_json(&Health {
        status: "ok",
        networks: n,
    })
    .unwrap_or_else(IntoResponse::into_response)
}

/// One network of the server, as the map page lists it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NetworkSummary {
    /// The network's file or folder name without extension: what paths
    /// name it by.
    #[schema(example = "grain-corridors")]
    pub name: String,
    pub nodes: usize,
    pub links: usize,
    /// Links by layer (`road`, `rail:1520`, `sea`, ...), in `info`'s order.
    #[serde(serialize_with = "layer_counts")]
    #[schema(value_type = std::collections::BTreeMap<String, usize>)]
    pub layers: Vec<LayerInfo>,
    pub terminals: usize,
    pub borders: usize,
    /// `[min_lon, min_lat, max_lon, max_lat]`; null without nodes.
    pub bbox: Option<[f64; 4]>,
    /// What `commodity` may name (a network without commodities gets
    /// `general`).
    pub commodities: Vec<String>,
    /// What `scenarios` may name, in file order.
    pub scenarios: Vec<String>,
}

fn layer_counts<S: Serializer>(layers: &[LayerInfo], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(layers.iter().map(|l| (&l.layer, l.links)))
}

impl NetworkSummary {
    fn new(net: &NetworkEntry) -> Self {
        let info = InfoReport::new(net.prepared().network());
        Self {
            name: net.name().to_string(),
            nodes: info.nodes,
            links: info.links,
            layers: info.layers,
            terminals: info.terminals.len(),
            borders: info.borders.len(),
            bbox: info.bbox,
            commodities: info.commodities.into_iter().map(|c| c.id).collect(),
            scenarios: net.scenarios().iter().map(|s| s.name.clone()).collect(),
        }
    }
}

#[utoipa::path(get, path = "/api/networks", tag = "networks",
    responses((status = 200, description = "Every network, sorted by name", body = [NetworkSummary])))]
pub async fn networks(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Result<Response, ApiError> {
    if let Some(s) = state.listing().get() {
        return Ok(json(s.clone()));
    }
    let list: Vec<NetworkSummary> = state.networks().map(|n| NetworkSummary::new(n)).collect();
    let text = report::json(&list).map_err(ApiError::internal)?;
    Ok(json(state.listing().get_or_init(|| text).clone()))
}

#[utoipa::path(get, path = "/api/networks/{name}", tag = "networks",
    params(("name" = String, Path, description = "The network's name (see /api/networks)")),
    responses(
        (status = 200, description = "`corridor info NETWORK --format json`", body = openapi::schemas::InfoReport),
        (status = 404, description = "No network of that name", body = ApiError)))]
pub async fn network(Net(net): Net) -> Result<Response, ApiError> {
    let text = cached(
        &net,
        |n| &n.info,
        |n| report::json(&InfoReport::new(n.plain())).map_err(ApiError::internal),
    )
    .await?;
    Ok(json(text))
}

#[utoipa::path(get, path = "/api/networks/{name}/geojson", tag = "networks",
    params(("name" = String, Path, description = "The network's name")),
    responses(
        (status = 200, description = "`corridor export NETWORK --format geojson`: links as LineStrings, nodes, terminals and borders as Points",
            body = openapi::schemas::FeatureCollection, content_type = "application/geo+json"),
        (status = 404, description = "No network of that name", body = ApiError)))]
pub async fn network_geojson(Net(net): Net) -> Result<Response, ApiError> {
    let text = cached(
        &net,
        |n| &n.geojson,
        |n| Ok(corridor_io::network_geojson(n.plain())),
    )
    .await?;
    Ok(geojson(text))
}

/// One scenario a query may name.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ScenarioSummary {
    #[schema(example = "restore-black-sea-ports")]
    pub name: String,
    /// The scenario file's name.
    #[schema(example = "restore-black-sea-ports.toml")]
    pub file: String,
    /// How many edits it makes.
    pub edits: usize,
    pub description: String,
}

#[utoipa::path(get, path = "/api/networks/{name}/scenarios", tag = "networks",
    params(("name" = String, Path, description = "The network's name")),
    responses(
        (status = 200, description = "The scenarios queries may name, in file order", body = [ScenarioSummary]),
        (status = 404, description = "No network of that name", body = ApiError)))]
pub async fn scenarios(Net(net): Net) -> Result<Response, ApiError> {
    let list: Vec<ScenarioSummary> = net
        .scenario_files()
        .map(|(s, file)| ScenarioSummary {
            name: s.name.clone(),
            file: file.to_string(),
            edits: s.edits.len(),
            description: s.description.clone(),
        })
        .collect();
    own_json(&list)
}

#[utoipa::path(get, path = "/api/networks/{name}/projects", tag = "networks",
    params(("name" = String, Path, description = "The network's name")),
    responses(
        (status = 200, description = "The candidate investments of the network folder's `projects.toml` (none without one): `cost_unit` and `projects` as an invest query takes them, and by project name the elements its scenario edits or adds",
            body = openapi::schemas::Projects),
        (status = 404, description = "No network of that name", body = ApiError)))]
pub async fn projects(Net(net): Net) -> Result<Response, ApiError> {
    own_json(net.projects())
}

//! The questions: route, capacity, compare, assign, optimise and skim, each answered as
//! its CLI command answers it (`crates/corridor-cli/src/commands/*.rs`):
//! the same checks in the same order, `corridor_engine::answer`, then the
//! same `corridor_io::report` writer, so the body is the command's stdout.
//!
//! Everything but a plain route runs on the blocking pool behind one of
//! the heavy-job slots, so an assignment never holds up the async workers
//! that answer routes.

use crate::api::{geojson, json, stdout};
use crate::api_error::ApiError;
use crate::catalogue::{AppState, NetworkEntry};
use crate::extract::{Body, Format, Net, format};
use axum::extract::{RawQuery, State};
use axum::response::Response;
use corridor_engine::answer;
use corridor_io::report;
use corridor_model::{
    AssignQuery, CapacityQuery, CompareQuery, FlowUnit, OptimiseQuery, RouteQuery, RoutingEngine,
    SkimQuery,
};
use std::sync::Arc;

/// The most `via` stops a route answered on an async worker may have.
const INLINE_VIA: usize = 4;

/// Runs `job` on the blocking pool once a heavy-job slot is free. The
/// slot goes with the job: one that outlives its request's timeout still
/// counts until it ends.
pub(crate) async fn heavy<T, F>(state: &AppState, job: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
{
    let permit = Arc::clone(state.heavy())
        .acquire_owned()
        .await
        .map_err(ApiError::internal)?;
    tokio::task::spawn_blocking(move || {
        let _slot = permit;
        job()
    })
    .await
    .map_err(ApiError::internal)?
}

/// The answer in the asked format: the CLI's `--format json` or
/// `--format geojson` bytes, or both in one object.
fn respond(
    format: Format,
    as_json: impl FnOnce() -> Result<String, ApiError>,
    as_geojson: impl FnOnce() -> Result<String, ApiError>,
) -> Result<Response, ApiError> {
    Ok(match format {
        Format::Json => json(as_json()?),
        Format::Geojson => geojson(stdout(as_geojson()?)),
        Format::Both => {
            let (j, g) = (as_json()?, as_geojson()?);
            json(format!(
                "{{\"result\": {},\n\"geojson\": {}}}",
                j.trim_end(),
                g.trim_end()
            ))
        }
    })
}

pub(crate) fn to_json<T: serde::Serialize>(result: &T) -> Result<String, ApiError> {
    report::json(result).map_err(ApiError::internal)
}

#[utoipa::path(post, path = "/api/networks/{name}/route", tag = "questions",
    params(
        ("name" = String, Path, description = "The network's name"),
        ("format" = Option<String>, Query, description = "`json` (default), `geojson` or `both`")),
    request_body(content = crate::openapi::schemas::RouteQuery, content_type = "application/json"),
    responses(
        (status = 200, description = "`corridor route ... --format json` (or `--format geojson`)", content(
            (crate::openapi::schemas::RouteResult = "application/json"),
            (crate::openapi::schemas::FeatureCollection = "application/geo+json"))),
        (status = 400, description = "The body is not a JSON object", body = ApiError),
        (status = 404, description = "No network of that name", body = ApiError),
        (status = 413, description = "The body is over the limit", body = ApiError),
        (status = 415, description = "The body is not sent as application/json", body = ApiError),
        (status = 422, description = "A field does not fit, or no route (with `obstacles`)", body = ApiError)))]
pub async fn route(
    State(state): State<AppState>,
    Net(net): Net,
    RawQuery(query_string): RawQuery,
    Body(query): Body<RouteQuery>,
) -> Result<Response, ApiError> {
    let format = format(query_string.as_deref(), true)?;
    // A plain route on the base network is one Dijkstra per stop: the
    // async worker answers it. Pareto sets, scenario networks and long lists
    // of stops may take a while.
    // So is the first route before the network's contraction hierarchy
    // is built (an ordering, unless the compiled file keeps one).
    let cold = query.engine != RoutingEngine::Dijkstra && !net.prepared().hierarchy_built();
    if query.pareto || !query.scenarios.is_empty() || query.via.len() > INLINE_VIA || cold {
        heavy(&state, move || route_answer(&net, &query, format)).await
    } else {
        route_answer(&net, &query, format)
    }
}

fn route_answer(
    net: &NetworkEntry,
    query: &RouteQuery,
    format: Format,
) -> Result<Response, ApiError> {
    let prepared = net.with_scenarios(&query.scenarios)?;
    let result = prepared.route(query)?;
    respond(
        format,
        || to_json(&result),
        || Ok(report::route::geojson(&result, prepared.network())),
    )
}

#[utoipa::path(post, path = "/api/networks/{name}/capacity", tag = "questions",
    params(
        ("name" = String, Path, description = "The network's name"),
        ("format" = Option<String>, Query, description = "`json` (default), `geojson` or `both`")),
    request_body(content = crate::openapi::schemas::CapacityQuery, content_type = "application/json"),
    responses(
        (status = 200, description = "`corridor capacity ... --format json` (or `--format geojson`: the network with `flow`, `utilisation`, `bottleneck` and `share`)", content(
            (crate::openapi::schemas::CapacityReport = "application/json"),
            (crate::openapi::schemas::FeatureCollection = "application/geo+json"))),
        (status = 400, description = "The body is not a JSON object", body = ApiError),
        (status = 404, description = "No network of that name", body = ApiError),
        (status = 413, description = "The body is over the limit", body = ApiError),
        (status = 415, description = "The body is not sent as application/json", body = ApiError),
        (status = 422, description = "A field does not fit", body = ApiError)))]
pub async fn capacity(
    State(state): State<AppState>,
    Net(net): Net,
    RawQuery(query_string): RawQuery,
    Body(query): Body<CapacityQuery>,
) -> Result<Response, ApiError> {
    let format = format(query_string.as_deref(), true)?;
    heavy(&state, move || {
        let prepared = net.with_scenarios(&query.scenarios)?;
        let result = answer::capacity(prepared.network(), &query)?;
        respond(
            format,
            || to_json(&result),
            || Ok(report::capacity::geojson(&result, prepared.network())),
        )
    })
    .await
}

#[utoipa::path(post, path = "/api/networks/{name}/compare", tag = "questions",
    params(("name" = String, Path, description = "The network's name")),
    request_body(content = crate::openapi::schemas::CompareQuery, content_type = "application/json"),
    responses(
        (status = 200, description = "`corridor compare ... --format json`", body = crate::openapi::schemas::CompareReport),
        (status = 400, description = "The body is not a JSON object", body = ApiError),
        (status = 404, description = "No network of that name", body = ApiError),
        (status = 413, description = "The body is over the limit", body = ApiError),
        (status = 415, description = "The body is not sent as application/json", body = ApiError),
        (status = 422, description = "A field does not fit (`scenarios` must name at least one)", body = ApiError)))]
pub async fn compare(
    State(state): State<AppState>,
    Net(net): Net,
    RawQuery(query_string): RawQuery,
    Body(query): Body<CompareQuery>,
) -> Result<Response, ApiError> {
    format(query_string.as_deref(), false)?;
    if query.scenarios.is_empty() {
        return Err(ApiError::field(
            "scenarios",
            "compare needs at least one scenario (see /api/networks/{name}/scenarios)",
        ));
    }
    heavy(&state, move || {
        let result = answer::compare(net.prepared().network(), net.scenarios(), &query)?;
        Ok(json(to_json(&result)?))
    })
    .await
}

#[utoipa::path(post, path = "/api/networks/{name}/assign", tag = "questions",
    params(
        ("name" = String, Path, description = "The network's name"),
        ("format" = Option<String>, Query, description = "`json` (default), `geojson` or `both` (freight networks only)")),
    request_body(content = crate::openapi::schemas::AssignQuery, content_type = "application/json"),
    responses(
        (status = 200, description = "`corridor assign ... --format json` (or `--format geojson`: the network with flows)", content(
            (crate::openapi::schemas::AssignResult = "application/json"),
            (crate::openapi::schemas::FeatureCollection = "application/geo+json"))),
        (status = 400, description = "The body is not a JSON object", body = ApiError),
        (status = 404, description = "No network of that name", body = ApiError),
        (status = 413, description = "The body is over the limit", body = ApiError),
        (status = 415, description = "The body is not sent as application/json", body = ApiError),
        (status = 422, description = "A field does not fit", body = ApiError)))]
pub async fn assign(
    State(state): State<AppState>,
    Net(net): Net,
    RawQuery(query_string): RawQuery,
    Body(query): Body<AssignQuery>,
) -> Result<Response, ApiError> {
    let format = format(query_string.as_deref(), true)?;
    answer::check_assign_knobs(&query)?;
    let most = state.max_assign_iterations();
    if query.max_iter > most {
        return Err(ApiError::field(
            "max_iter",
            format!(
                "max_iter {} is over this server's limit of {most} (corridor serve --max-assign-iterations)",
                query.max_iter
            ),
        ));
    }
    heavy(&state, move || assign_answer(&net, &query, format)).await
}

/// `corridor assign` step by step: scenarios, demand rows, the knobs that
/// depend on the network, the map check, then the assignment.
fn assign_answer(
    net: &NetworkEntry,
    query: &AssignQuery,
    format: Format,
) -> Result<Response, ApiError> {
    let edited = answer::with_scenarios(net.plain(), net.scenarios(), &query.scenarios)?;
    let rows = answer::demand_rows(&edited, &query.demand)?;
    answer::check_assign_network(&edited, query)?;
    if format != Format::Json && edited.flow_unit != FlowUnit::TonnesPerDay {
        return Err(ApiError::field(
            "format",
            "--format geojson needs a freight network (links without coordinates cannot be drawn)",
        ));
    }
    let result = answer::assign_rows(&edited, query, &rows, &mut |_| {})?;
    respond(
        format,
        || to_json(&result),
        || report::assign::geojson(&result, &edited).map_err(ApiError::internal),
    )
}

#[utoipa::path(post, path = "/api/networks/{name}/optimise", tag = "questions",
    params(
        ("name" = String, Path, description = "The network's name"),
        ("format" = Option<String>, Query, description = "`json` (default), `geojson` (the elements with their optimal flows) or `both`")),
    request_body(content = crate::openapi::schemas::OptimiseQuery, content_type = "application/json"),
    responses(
        (status = 200, description = "`corridor optimise ... --format json` (or `--format geojson`)", content(
            (crate::openapi::schemas::OptimiseResult = "application/json"),
            (crate::openapi::schemas::FeatureCollection = "application/geo+json"))),
        (status = 400, description = "The body is not a JSON object", body = ApiError),
        (status = 404, description = "No network of that name", body = ApiError),
        (status = 413, description = "The body is over the limit", body = ApiError),
        (status = 415, description = "The body is not sent as application/json", body = ApiError),
        (status = 422, description = "A field does not fit (e.g. a road-like network, an unknown place)", body = ApiError)))]
pub async fn optimise(
    State(state): State<AppState>,
    Net(net): Net,
    RawQuery(query_string): RawQuery,
    Body(query): Body<OptimiseQuery>,
) -> Result<Response, ApiError> {
    let format = format(query_string.as_deref(), true)?;
    answer::optimise_config(&query)?;
    heavy(&state, move || {
        let edited = answer::with_scenarios(net.plain(), net.scenarios(), &query.scenarios)?;
        let result = answer::optimise(&edited, &query)?;
        respond(
            format,
            || to_json(&result),
            || report::optimise::geojson(&result, &edited).map_err(ApiError::internal),
        )
    })
    .await
}

#[utoipa::path(post, path = "/api/networks/{name}/skim", tag = "questions",
    params(("name" = String, Path, description = "The network's name")),
    request_body(content = crate::openapi::schemas::SkimQuery, content_type = "application/json"),
    responses(
        (status = 200, description = "`corridor skim ... --format json`", body = crate::openapi::schemas::SkimResult),
        (status = 400, description = "The body is not a JSON object", body = ApiError),
        (status = 404, description = "No network of that name", body = ApiError),
        (status = 413, description = "The body is over the limit", body = ApiError),
        (status = 415, description = "The body is not sent as application/json", body = ApiError),
        (status = 422, description = "A field does not fit (e.g. an unknown place: `from[i]` or `to[i]`)", body = ApiError)))]
pub async fn skim(
    State(state): State<AppState>,
    Net(net): Net,
    RawQuery(query_string): RawQuery,
    Body(query): Body<SkimQuery>,
) -> Result<Response, ApiError> {
    format(query_string.as_deref(), false)?;
    // A matrix is |from| searches (or a contraction first): never inline.
    heavy(&state, move || {
        let prepared = net.with_scenarios(&query.scenarios)?;
        let result = prepared.skim(&query)?;
        Ok(json(to_json(&result)?))
    })
    .await
}

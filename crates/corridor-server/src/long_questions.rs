//! The long questions: criticality, sweep and invest, each answered as a
//! job (`jobs.rs`). The POST checks the query as its CLI command would
//! before closing, sweeping or screening anything (scenario names, places,
//! commodities, kinds of element, budget: 400/422 naming the field) and
//! answers `202 Accepted`; the job then runs `corridor_engine::answer` on
//! the same network the command uses (the network with a commodity) and
//! keeps `report::json`'s bytes, the command's `--format json` stdout.

use crate::api::json;
use crate::api_error::ApiError;
use crate::catalogue::AppState;
use crate::extract::{Body, Net, format};
use crate::questions::{heavy, to_json};
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use corridor_engine::answer;
use corridor_model::{CriticalityQuery, InvestQuery, SweepQuery};

#[utoipa::path(post, path = "/api/networks/{name}/criticality", tag = "jobs",
    params(("name" = String, Path, description = "The network's name")),
    request_body(content = crate::openapi::schemas::CriticalityQuery, content_type = "application/json"),
    responses(
        (status = 202, description = "A job (its status; `Location` says where to poll): when done, its `result` is `corridor criticality ... --format json`",
            body = crate::openapi::schemas::JobStatus,
            headers(("Location" = String, description = "/api/jobs/{id}"))),
        (status = 400, description = "The body is not a JSON object", body = ApiError),
        (status = 404, description = "No network of that name", body = ApiError),
        (status = 413, description = "The body is over the limit", body = ApiError),
        (status = 415, description = "The body is not sent as application/json", body = ApiError),
        (status = 422, description = "A field does not fit (an unknown place, scenario or kind of element)", body = ApiError),
        (status = 503, description = "The server holds its most unfinished jobs", body = ApiError)))]
pub async fn criticality(
    State(state): State<AppState>,
    Net(net): Net,
    RawQuery(query_string): RawQuery,
    Body(query): Body<CriticalityQuery>,
) -> Result<Response, ApiError> {
    format(query_string.as_deref(), false)?;
    let name = net.name().to_string();
    // As `corridor criticality`: the scenarios applied to the network with
    // a commodity (kept by the catalogue for the next question).
    let (edited, query) = heavy(&state, move || {
        let edited = net.with_scenarios(&query.scenarios)?;
        answer::check_criticality(edited.network(), &query)?;
        Ok((edited, query))
    })
    .await?;
    let id = state.jobs().submit("criticality", &name, move |progress| {
        to_json(&answer::criticality(edited.network(), &query, progress)?)
    })?;
    accepted(&state, &id)
}

#[utoipa::path(post, path = "/api/networks/{name}/sweep", tag = "jobs",
    params(("name" = String, Path, description = "The network's name")),
    request_body(content = crate::openapi::schemas::SweepQuery, content_type = "application/json"),
    responses(
        (status = 202, description = "A job (its status; `Location` says where to poll): when done, its `result` is `corridor sweep ... --format json`",
            body = crate::openapi::schemas::JobStatus,
            headers(("Location" = String, description = "/api/jobs/{id}"))),
        (status = 400, description = "The body is not a JSON object", body = ApiError),
        (status = 404, description = "No network of that name", body = ApiError),
        (status = 413, description = "The body is over the limit", body = ApiError),
        (status = 415, description = "The body is not sent as application/json", body = ApiError),
        (status = 422, description = "A field does not fit (an unknown place, scenario or commodity; a grid over more than 12 scenarios)", body = ApiError),
        (status = 503, description = "The server holds its most unfinished jobs", body = ApiError)))]
pub async fn sweep(
    State(state): State<AppState>,
    Net(net): Net,
    RawQuery(query_string): RawQuery,
    Body(query): Body<SweepQuery>,
) -> Result<Response, ApiError> {
    format(query_string.as_deref(), false)?;
    let name = net.name().to_string();
    let (net, query) = heavy(&state, move || {
        answer::check_sweep(net.prepared().network(), net.scenarios(), &query)?;
        Ok((net, query))
    })
    .await?;
    let id = state.jobs().submit("sweep", &name, move |progress| {
        let base = net.prepared().network();
        to_json(&answer::sweep(base, net.scenarios(), &query, progress)?)
    })?;
    accepted(&state, &id)
}

#[utoipa::path(post, path = "/api/networks/{name}/invest", tag = "jobs",
    params(("name" = String, Path, description = "The network's name")),
    request_body(content = crate::openapi::schemas::InvestQuery, content_type = "application/json"),
    responses(
        (status = 202, description = "A job (its status; `Location` says where to poll): when done, its `result` is `corridor invest ... --format json`",
            body = crate::openapi::schemas::JobStatus,
            headers(("Location" = String, description = "/api/jobs/{id}"))),
        (status = 400, description = "The body is not a JSON object", body = ApiError),
        (status = 404, description = "No network of that name", body = ApiError),
        (status = 413, description = "The body is over the limit", body = ApiError),
        (status = 415, description = "The body is not sent as application/json", body = ApiError),
        (status = 422, description = "A field does not fit (an unknown place or project scenario, a negative budget or cost, two projects of one name)", body = ApiError),
        (status = 503, description = "The server holds its most unfinished jobs", body = ApiError)))]
pub async fn invest(
    State(state): State<AppState>,
    Net(net): Net,
    RawQuery(query_string): RawQuery,
    Body(query): Body<InvestQuery>,
) -> Result<Response, ApiError> {
    format(query_string.as_deref(), false)?;
    let name = net.name().to_string();
    let (net, query, catalogue) = heavy(&state, move || {
        let catalogue = net.invest_scenarios();
        answer::check_invest(net.prepared().network(), &catalogue, &query)?;
        Ok((net, query, catalogue))
    })
    .await?;
    let id = state.jobs().submit("invest", &name, move |progress| {
        let base = net.prepared().network();
        to_json(&answer::invest(base, &catalogue, &query, progress)?)
    })?;
    accepted(&state, &id)
}

/// `202 Accepted` with the new job's status and where to poll it.
fn accepted(state: &AppState, id: &str) -> Result<Response, ApiError> {
    let location = format!("/api/jobs/{id}");
    let mut res = json(state.jobs().status(id)?);
    *res.status_mut() = StatusCode::ACCEPTED;
    let location = location.parse().map_err(ApiError::internal)?;
    res.headers_mut().insert(header::LOCATION, location);
    Ok(res)
}

#[utoipa::path(get, path = "/api/jobs/{id}", tag = "jobs",
    params(("id" = String, Path, description = "The job's id, as its POST answered")),
    responses(
        (status = 200, description = "The job's status; with `result` (the CLI's JSON) when done, `error` when failed",
            body = crate::openapi::schemas::JobStatus),
        (status = 404, description = "No job of that id (or it was dropped: `corridor serve --job-ttl`)", body = ApiError)))]
pub async fn job(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    state.jobs().status(&id).map(json)
}

#[utoipa::path(delete, path = "/api/jobs/{id}", tag = "jobs",
    params(("id" = String, Path, description = "The job's id")),
    responses(
        (status = 202, description = "Cancelled (a queued job), or asked to stop (a running one: it reads `cancelled` once it has)",
            body = crate::openapi::schemas::JobStatus),
        (status = 204, description = "The job had finished; it is forgotten"),
        (status = 404, description = "No job of that id", body = ApiError)))]
pub async fn cancel_job(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(match state.jobs().cancel(&id)? {
        Some(status) => (StatusCode::ACCEPTED, json(status)).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

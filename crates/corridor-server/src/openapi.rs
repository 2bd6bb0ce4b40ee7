//! The OpenAPI 3.1 document of the API, generated from the handlers'
//! `#[utoipa::path]` attributes and the shapes in [`schemas`], served at
//! `GET /openapi.json` and committed as `docs/openapi.json` (a test keeps
//! the two equal; `UPDATE_OPENAPI=1` rewrites the file).

pub mod schemas;

use crate::api::{self, Health, NetworkSummary, ScenarioSummary};
use crate::api_error::ApiError;
use crate::{long_questions, questions};
use axum::response::Response;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Corridor",
        description = "Multimodal freight questions over HTTP: routes across gauges, transfers and borders, corridor capacity and bottlenecks, scenarios side by side, assignment, the system optimum, origin–destination matrices. Every answer is the bytes `corridor ... --format json` prints for the same question; errors are `{\"error\", \"field\"}` in the CLI's words. Any request may also be answered 503 (too many in flight) or 504 (over the timeout). `?format=both` answers `{\"result\": <json>, \"geojson\": <geojson>}`. Criticality, sweep and invest are jobs: their POST answers 202 with the job's status, and `GET /api/jobs/{id}` gives the CLI's JSON as `result` once done. See docs/api.md.",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        api::health,
        api::networks,
        api::network,
        api::network_geojson,
        api::scenarios,
        questions::route,
        questions::capacity,
        questions::compare,
        questions::assign,
        questions::optimise,
        questions::skim,
        api::projects,
        long_questions::criticality,
        long_questions::sweep,
        long_questions::invest,
        long_questions::job,
        long_questions::cancel_job,
    ),
    components(schemas(ApiError, Health, NetworkSummary, ScenarioSummary)),
    tags(
        (name = "server", description = "The server itself"),
        (name = "networks", description = "What the server serves"),
        (name = "questions", description = "Routes, capacity, comparisons, assignments, system optima and origin–destination matrices"),
        (name = "jobs", description = "The long questions (criticality, sweep, invest): a POST answers 202 with a job, polled at /api/jobs/{id} until done"),
    )
)]
struct ApiDoc;

/// The document as served and committed: pretty JSON with a final newline.
pub fn document_text() -> String {
    let mut text = ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

/// `GET /openapi.json`.
pub async fn document() -> Response {
    api::json(document_text())
}

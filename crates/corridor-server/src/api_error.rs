//! Every error the API answers, as one JSON shape: `{"error": <the CLI's
//! words>, "field": <the query field or null>}`, plus `"obstacles"` when a
//! route found no way (the engine's typed explanation). The status says
//! the class: 400 the body is not JSON or not an object, 404 no such
//! network or path, 405 wrong method, 413 body too large, 415 not JSON, 422
//! a field that does not fit the network, 503 overloaded, 504 too slow, and
//! 500 only for a bug (never for anything a client sends).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use corridor_engine::NoRoute;
use serde::Serialize;

/// An error response.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(example = json!({"error": "unknown node \"atlantis\"", "field": "to"}))]
pub struct ApiError {
    #[serde(skip)]
    pub status: StatusCode,
    /// What was wrong, in the words the CLI prints after `error:`.
    pub error: String,
    /// The query field at fault (its top-level name), or null.
    pub field: Option<String>,
    /// Only when a route finds no way: why, as data.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::openapi::schemas::NoRoute>, required = false)]
    pub obstacles: Option<Box<NoRoute>>,
}

impl ApiError {
    pub fn new(status: StatusCode, error: impl Into<String>) -> Self {
        Self {
            status,
            error: error.into(),
            field: None,
            obstacles: None,
        }
    }

    /// A field that does not fit (422).
    pub fn field(field: impl Into<String>, error: impl Into<String>) -> Self {
        Self {
            field: Some(field.into()),
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, error)
        }
    }

    /// A failure of the server itself: a bug, logged with its cause; the
    /// client learns no more than that.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!("internal error: {cause}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error: the server failed while answering (a bug; its log has the cause)",
        )
    }
}

impl From<corridor_engine::Error> for ApiError {
    fn from(e: corridor_engine::Error) -> Self {
        use corridor_engine::Error as E;
        match e {
            E::InvalidQuery { field, message } => Self::field(field, message),
            E::NoRoute(why) => Self {
                obstacles: Some(why.clone()),
                ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, why.to_string())
            },
            // Unknown ids, edits that do not fit, knobs out of range: all
            // about the question, none about the server.
            other => Self::new(StatusCode::UNPROCESSABLE_ENTITY, other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = match serde_json::to_string_pretty(&self) {
            Ok(mut s) => {
                s.push('\n');
                s
            }
            // Cannot happen (strings and plain data); still no panic.
            Err(_) => "{\"error\": \"internal error\", \"field\": null}\n".to_string(),
        };
        let mut res = (self.status, body).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        res
    }
}

//! What handlers take from a request, with every refusal an [`ApiError`]:
//! the network a path names (404 before the body is read), a query body
//! (415 not JSON, 413 too large, 400 not a JSON object, 422 a field that
//! does not fit, named) and the `?format=` of results that can be maps.

use crate::api_error::ApiError;
use crate::catalogue::{AppState, NetworkEntry};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// The network named by the `{name}` segment of the path.
pub struct Net(pub Arc<NetworkEntry>);

impl FromRequestParts<AppState> for Net {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Path(name) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text()))?;
        state.network(&name).cloned().map(Net).ok_or_else(|| {
            let known: Vec<&str> = state.networks().map(|n| n.name()).collect();
            ApiError::new(
                StatusCode::NOT_FOUND,
                format!(
                    "unknown network \"{name}\" (this server has {})",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
            )
        })
    }
}

/// A query read from a JSON body (`corridor_model::query` types refuse
/// unknown fields).
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(req.headers().get(header::CONTENT_TYPE)) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "the body must be JSON, sent with Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| match e {
            BytesRejection::FailedToBufferBody(f)
                if f.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "the body is over this server's limit (see `corridor serve --body-limit`)",
                )
            }
            other => ApiError::new(StatusCode::BAD_REQUEST, other.body_text()),
        })?;
        parse(&bytes).map(Body)
    }
}

/// `application/json` or any `application/*+json`, with parameters.
fn is_json(value: Option<&header::HeaderValue>) -> bool {
    let Some(v) = value.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = v
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Reads a query: not JSON or not an object is 400; a value that does not
/// fit its field (unknown field, wrong type, unknown objective) is 422
/// naming the query's top-level field, in serde's words without the
/// position.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => {}
        None => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "the body is empty; expected a JSON object",
            ));
        }
        Some(_) => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "the body must be a JSON object",
            ));
        }
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        // A field that does not fit may come before broken JSON: broken
        // JSON is the first thing to say.
        if let Err(syntax) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            return refusal(".", syntax);
        }
        let path = e.path().to_string();
        refusal(&path, e.into_inner())
    })?;
    de.end().map_err(|e| refusal(".", e))?;
    Ok(value)
}

/// The error for a body serde refused at `path` (`.` for the top level).
fn refusal(path: &str, e: serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    if !matches!(e.classify(), Category::Data) {
        // Syntax, an early end, nesting past serde_json's limit: the
        // position helps here.
        return ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("the body is not valid JSON: {e}"),
        );
    }
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full);
    let top = path
        .split(['.', '['])
        .find(|s| !s.is_empty())
        .map(str::to_string)
        .or_else(|| quoted_field(message));
    match top {
        Some(field) if path != "." && path != field => {
            ApiError::field(field, format!("{path}: {message}"))
        }
        Some(field) => ApiError::field(field, message),
        None => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message),
    }
}

/// The field serde names in `unknown field `x`` and `missing field `x``.
fn quoted_field(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("missing field `"))?;
    rest.split('`').next().map(str::to_string)
}

/// What a result that can be drawn is answered as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The CLI's `--format json`.
    Json,
    /// The CLI's `--format geojson`.
    Geojson,
    /// `{"result": <json>, "geojson": <geojson>}`: one round trip for a map.
    Both,
}

/// The `?format=` of a request; `maps` says whether the endpoint has a
/// GeoJSON answer. Any other parameter is refused, as unknown body fields
/// are.
pub fn format(query: Option<&str>, maps: bool) -> Result<Format, ApiError> {
    let mut format = Format::Json;
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key != "format" {
            return Err(ApiError::field(
                key,
                format!("unknown query parameter \"{key}\" (expected format)"),
            ));
        }
        format = match (value, maps) {
            ("json", _) => Format::Json,
            ("geojson", true) => Format::Geojson,
            ("both", true) => Format::Both,
            (_, true) => {
                return Err(ApiError::field(
                    "format",
                    format!("unknown format \"{value}\" (expected json, geojson, both)"),
                ));
            }
            (_, false) => {
                return Err(ApiError::field(
                    "format",
                    format!("unknown format \"{value}\" (this result has only json)"),
                ));
            }
        };
    }
    Ok(format)
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor_model::{AssignQuery, RouteQuery};

    fn refused<T: DeserializeOwned>(body: &str) -> ApiError {
        match parse::<T>(body.as_bytes()) {
            Ok(_) => panic!("{body} was accepted"),
            Err(e) => e,
        }
    }

    #[test]
    fn bodies_that_are_not_objects_are_400_and_fields_that_do_not_fit_422() {
        for body in [
            "",
            "  ",
            "[1]",
            "\"x\"",
            "{",
            "{\"from\": }",
            "{} x",
            "{\"a\":NaN}",
        ] {
            let e = refused::<RouteQuery>(body);
            assert_eq!(e.status, StatusCode::BAD_REQUEST, "{body}: {}", e.error);
        }
        let e = refused::<RouteQuery>(r#"{"from": "a", "to": "b", "tonne": 3}"#);
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.field.as_deref(), Some("tonne"), "{}", e.error);
        assert!(e.error.starts_with("unknown field `tonne`"), "{}", e.error);
        let e = refused::<RouteQuery>(r#"{"to": "b"}"#);
        assert_eq!(e.field.as_deref(), Some("from"), "{}", e.error);
        let e = refused::<RouteQuery>(r#"{"from": "a", "to": "b", "minimize": "speed"}"#);
        assert_eq!(e.field.as_deref(), Some("minimize"));
        assert!(
            e.error.contains("unknown objective \"speed\""),
            "{}",
            e.error
        );
        assert!(!e.error.contains("line 1"), "{}", e.error);
        let e = refused::<RouteQuery>(r#"{"from": "a", "to": "b", "tonnes": "x"}"#);
        assert_eq!(e.field.as_deref(), Some("tonnes"));
        let e = refused::<AssignQuery>(
            r#"{"demand": [{"origin": "a", "destination": "b", "amount": 1}, {"origin": "a"}]}"#,
        );
        assert_eq!(e.field.as_deref(), Some("demand"));
        assert!(
            e.error
                .starts_with("demand[1]: missing field `destination`"),
            "{}",
            e.error
        );
    }

    #[test]
    fn numbers_json_cannot_hold_are_400_and_numbers_a_field_cannot_hold_422() {
        let e = refused::<RouteQuery>(r#"{"from": "a", "to": "b", "tonnes": 1e400}"#);
        assert_eq!(e.status, StatusCode::BAD_REQUEST, "{}", e.error);
        let e = refused::<AssignQuery>(r#"{"max_iter": -1}"#);
        assert_eq!(
            (e.status, e.field.as_deref()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("max_iter"))
        );
        let e = refused::<AssignQuery>(r#"{"threads": 18446744073709551616}"#);
        assert_eq!(e.field.as_deref(), Some("threads"), "{}", e.error);
    }

    #[test]
    fn deep_nesting_is_refused_without_recursing_far() {
        for body in [
            format!(
                "{{\"from\": {}{}}}",
                "[".repeat(100_000),
                "]".repeat(100_000)
            ),
            format!("{{\"via\": {}", "[".repeat(1_000_000)),
            format!("{{\"x\": {}", "{\"a\":".repeat(1_000_000)),
        ] {
            let e = refused::<RouteQuery>(&body);
            assert!(e.status.is_client_error(), "{}", e.error);
        }
    }

    #[test]
    fn formats_are_read_from_the_query_string() {
        assert_eq!(format(None, true).unwrap(), Format::Json);
        assert_eq!(
            format(Some("format=geojson"), true).unwrap(),
            Format::Geojson
        );
        assert_eq!(format(Some("format=both"), true).unwrap(), Format::Both);
        assert_eq!(format(Some("format=json"), false).unwrap(), Format::Json);
        assert_eq!(
            format(Some("format=geojson"), false)
                .unwrap_err()
                .field
                .as_deref(),
            Some("format")
        );
        assert_eq!(
            format(Some("format=xml"), true).unwrap_err().status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            format(Some("pretty=1"), true).unwrap_err().field.as_deref(),
            Some("pretty")
        );
    }

    #[test]
    fn json_content_types_are_recognised() {
        let v = |s: &'static str| header::HeaderValue::from_static(s);
        assert!(is_json(Some(&v("application/json"))));
        assert!(is_json(Some(&v("Application/JSON; charset=utf-8"))));
        assert!(is_json(Some(&v("application/geo+json"))));
        assert!(!is_json(Some(&v("text/plain"))));
        assert!(!is_json(Some(&v("application/x-www-form-urlencoded"))));
        assert!(!is_json(None));
    }
}

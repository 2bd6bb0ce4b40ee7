//! The limits and the logging around every route: a request id (taken
//! from `x-request-id` or made, and sent back) on every log line, a trace
//! line per request, requests in flight capped with the rest shed (503),
//! a timeout (504), the body limit (413), panics caught (500, logged),
//! gzip for large answers, CORS only when asked, and every error an
//! answer in the API's one JSON shape, whichever layer made it.

use crate::ServeConfig;
use crate::api_error::ApiError;
use axum::Router;
use axum::body::Body;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::any::Any;
use std::sync::Arc;
use tower::ServiceBuilder;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, DefaultPredicate};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// Answers smaller than this go uncompressed (gzip would cost more than it
/// saves on a route's JSON).
const COMPRESS_ABOVE: u64 = 4096;

/// `router` with the server's limits and logging.
pub fn wrap(router: Router, config: &ServeConfig) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let in_flight = Arc::new(tokio::sync::Semaphore::new(config.concurrency.max(1)));
    let compress = DefaultPredicate::new()
        .and(SizeAbove::new(COMPRESS_ABOVE))
        .and(NotForContentType::const_new("image/"));
    let limits = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let id = req
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!("request", id, method = %req.method(), uri = %req.uri())
                })
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(request_id))
        .layer(axum::middleware::from_fn(nosniff))
        .layer(CompressionLayer::new().compress_when(compress))
        .layer(axum::middleware::from_fn(json_errors))
        .layer(HandleErrorLayer::new(overloaded_or_late))
        .load_shed()
        .layer(GlobalConcurrencyLimitLayer::with_semaphore(in_flight))
        .timeout(config.timeout)
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked))
        .option_layer(config.cors.as_deref().map(cors))
        .layer(DefaultBodyLimit::max(config.body_limit));
    router.layer(limits)
}

/// CORS for one origin: GET and POST with a JSON body.
fn cors(origin: &str) -> CorsLayer {
    let origin = HeaderValue::from_str(origin).unwrap_or(HeaderValue::from_static("null"));
    CorsLayer::new()
        .allow_origin(AllowOrigin::exact(origin))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE])
}

/// The load-shed and timeout layers' errors as answers.
async fn overloaded_or_late(err: tower::BoxError) -> Response {
    if err.is::<tower::load_shed::error::Overloaded>() {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is answering as many requests as it may; try again shortly",
        )
    } else if err.is::<tower::timeout::error::Elapsed>() {
        ApiError::new(
            StatusCode::GATEWAY_TIMEOUT,
            "the answer took longer than this server allows (corridor serve --timeout)",
        )
    } else {
        ApiError::internal(err)
    }
    .into_response()
}

/// A handler that panicked: a bug, never the client's doing.
fn panicked(err: Box<dyn Any + Send + 'static>) -> Response {
    let what = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("a panic");
    ApiError::internal(format!("handler panicked: {what}")).into_response()
}

/// Browsers must take every answer as the type it says.
async fn nosniff(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    res.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

/// The longest error text of another layer kept as the message.
const MAX_ERROR_TEXT: usize = 4096;

/// Turns an error that a layer or axum itself answered in plain text (405,
/// a path that is not UTF-8, ...) into the API's JSON shape, keeping its
/// headers (e.g. `Allow`).
async fn json_errors(req: Request, next: Next) -> Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    let res = next.run(req).await;
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, MAX_ERROR_TEXT)
        .await
        .ok()
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .filter(|t| !t.is_empty());
    let message = match (status, text) {
        // axum adds `Allow` outside this layer.
        (StatusCode::METHOD_NOT_ALLOWED, _) => {
            format!(
                "{method} is not allowed on {path} (the Allow header lists the methods that are)"
            )
        }
        (_, Some(t)) => t,
        (s, None) => s.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    let fresh = ApiError::new(status, message).into_response();
    let (fresh_parts, body) = fresh.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        fresh_parts.headers[header::CONTENT_TYPE].clone(),
    );
    Response::from_parts(parts, Body::new(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_panic_is_a_json_500_and_the_server_answers_on() {
        async fn boom() -> &'static str {
            panic!("secret detail")
        }
        let router = Router::new()
            .route("/boom", get(boom))
            .route("/fine", get(|| async { "fine" }));
        let app = wrap(router, &ServeConfig::default());
        let res = app
            .clone()
            .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(res.headers()[header::CONTENT_TYPE], "application/json");
        assert!(res.headers().contains_key("x-request-id"));
        let body = res.into_body().collect().await.unwrap().to_bytes();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(v["error"].as_str().unwrap().starts_with("internal error"));
        assert!(!v["error"].as_str().unwrap().contains("secret"));
        let res = app
            .oneshot(Request::get("/fine").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn a_request_id_sent_is_sent_back() {
        let app = wrap(
            Router::new().route("/x", get(|| async { "x" })),
            &ServeConfig::default(),
        );
        let res = app
            .oneshot(
                Request::get("/x")
                    .header("x-request-id", "abc-123")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.headers()["x-request-id"], "abc-123");
    }
}

//! What the server's tests share: the app over the shipped examples, one
//! request in process (tower's `oneshot`, no socket), the CLI's golden
//! outputs and the masking of timings.

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use corridor_server::{AppState, ServeConfig};
use http_body_util::BodyExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tower::ServiceExt;

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The examples as `corridor serve` with no NETWORK loads them, read once
/// for all the tests of a binary.
pub fn state() -> AppState {
    static STATE: OnceLock<AppState> = OnceLock::new();
    STATE
        .get_or_init(|| AppState::load(&ServeConfig::default()).expect("the examples load"))
        .clone()
}

/// The app with the default limits.
pub fn app() -> Router {
    corridor_server::app(state(), &ServeConfig::default())
}

/// An answer: status, headers and body text.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The error body's `error` and `field`, checking the shape.
    pub fn error(&self) -> (String, Option<String>) {
        assert_eq!(self.content_type(), "application/json", "{}", self.body);
        let v = self.json();
        let error = v["error"].as_str().expect("error is a string").to_string();
        assert!(v.get("field").is_some(), "no field: {}", self.body);
        (error, v["field"].as_str().map(str::to_string))
    }
}

/// Sends one request to `app` in process.
pub async fn send(app: &Router, req: Request<Body>) -> Answer {
    let res = app.clone().oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

pub async fn get(app: &Router, uri: &str) -> Answer {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// POSTs `body` as JSON.
pub async fn post(app: &Router, uri: &str, body: impl Into<Body>) -> Answer {
    send(
        app,
        Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header("content-type", "application/json")
            .body(body.into())
            .unwrap(),
    )
    .await
}

/// The CLI's stdout for a golden case, byte for byte.
pub fn golden(name: &str) -> String {
    let p = root().join(format!("crates/corridor-cli/tests/golden/{name}"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The CLI's message for a golden error case: its stderr without
/// `error: ` and the final newline.
pub fn golden_error(name: &str) -> String {
    let text = golden(&format!("{name}.stderr"));
    text.strip_prefix("error: ")
        .unwrap_or(&text)
        .trim_end_matches('\n')
        .to_string()
}

/// Timings as the golden files mask them: the number after each
/// `"seconds":` becomes `0`, textually.
pub fn mask_seconds(json: &str) -> String {
    let key = "\"seconds\": ";
    let mut out = String::new();
    let mut rest = json;
    while let Some(i) = rest.find(key) {
        out.push_str(&rest[..i + key.len()]);
        rest = &rest[i + key.len()..];
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
            .unwrap_or(rest.len());
        out.push('0');
        rest = &rest[n..];
    }
    out.push_str(rest);
    out
}

/// Asserts equal text, showing the first line that differs.
pub fn same(actual: &str, expected: &str, what: &str) {
    if actual != expected {
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
        panic!(
            "{what} differs from the CLI at line {} (lengths {} and {}):\n  server: {}\n  CLI:    {}",
            line + 1,
            actual.len(),
            expected.len(),
            actual.lines().nth(line).unwrap_or("<end>"),
            expected.lines().nth(line).unwrap_or("<end>")
        );
    }
}

/// The grain example's demand as the inline rows of an assignment.
pub fn grain_demand() -> serde_json::Value {
    let text = std::fs::read_to_string(root().join("examples/grain-corridors/demand.csv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            serde_json::json!({
                "origin": c[0],
                "destination": c[1],
                "commodity": c[2],
                "amount": c[3].parse::<f64>().unwrap(),
            })
        })
        .collect()
}

pub const GRAIN_FROM: [&str; 5] = [
    "vinnytsia",
    "kropyvnytskyi",
    "poltava",
    "khmelnytskyi",
    "ternopil",
];
pub const GRAIN_TO: [&str; 3] = ["gdansk", "constanta", "rotterdam"];

/// A job's status once it has finished, polled every 20 ms (failing
/// after two minutes).
pub async fn poll_job(app: &Router, id: &str) -> Answer {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let a = get(app, &format!("/api/jobs/{id}")).await;
        assert_eq!(a.status, 200, "{}", a.body);
        if !["queued", "running"].contains(&a.json()["status"].as_str().unwrap_or("")) {
            return a;
        }
        assert!(std::time::Instant::now() < deadline, "not done: {}", a.body);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

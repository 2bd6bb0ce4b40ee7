//! Every error class answers in the API's JSON shape with the CLI's words,
//! and nothing a client sends yields a 500: malformed and hostile bodies,
//! path traversal, wrong methods and content types, huge bodies, deep
//! nesting, numbers that do not fit. After all of them the server still
//! answers `/health`.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::*;
use corridor_server::ServeConfig;
use serde_json::json;
use std::time::Duration;

const ROUTE: &str = "/api/networks/triangle/route";

#[tokio::test]
async fn an_unknown_network_is_404_and_names_the_known_ones() {
    let app = app();
    for uri in [
        "/api/networks/atlantis",
        "/api/networks/atlantis/geojson",
        "/api/networks/atlantis/scenarios",
    ] {
        let a = get(&app, uri).await;
        assert_eq!(a.status, 404, "{uri}");
        let (e, field) = a.error();
        assert_eq!(
            e,
            "unknown network \"atlantis\" (this server has grain-corridors, triangle)"
        );
        assert_eq!(field, None);
    }
    // The network is looked up before the body is read.
    let a = post(&app, "/api/networks/atlantis/route", "not json").await;
    assert_eq!(a.status, 404);
}

#[tokio::test]
async fn places_commodities_and_knobs_that_do_not_fit_are_422_in_the_cli_words() {
    let app = app();
    let a = post(
        &app,
        ROUTE,
        json!({"from": "kyv", "to": "gdansk"}).to_string(),
    )
    .await;
    assert_eq!(a.status, 422);
    assert_eq!(
        a.error(),
        (golden_error("route-unknown-node"), Some("from".into()))
    );
    let a = post(
        &app,
        ROUTE,
        json!({"from": "kyiv", "to": "gdansk", "commodity": "gold"}).to_string(),
    )
    .await;
    assert_eq!(a.status, 422);
    let (e, field) = a.error();
    assert_eq!(field.as_deref(), Some("commodity"));
    assert!(e.starts_with("unknown commodity \"gold\""), "{e}");
    let grain = "/api/networks/grain-corridors/route";
    let a = post(
        &app,
        grain,
        json!({"from": "kyiv", "to": "gdansk", "commodity": "gold"}).to_string(),
    )
    .await;
    assert_eq!(a.error().0, golden_error("route-unknown-commodity"));
    for tonnes in [json!(-5), json!(0), json!(1e308)] {
        let a = post(
            &app,
            ROUTE,
            json!({"from": "kyiv", "to": "gdansk", "tonnes": tonnes}).to_string(),
        )
        .await;
        assert_eq!(a.status, 422, "{tonnes}: {}", a.body);
        let (e, field) = a.error();
        if tonnes == json!(1e308) {
            assert!(e.starts_with("the itinerary's totals overflowed"), "{e}");
        } else {
            assert_eq!(field.as_deref(), Some("tonnes"));
            assert_eq!(e, format!("tonnes must be a positive number, got {tonnes}"));
        }
    }
    let a = post(
        &app,
        ROUTE,
        json!({"from": "kyiv", "to": "gdansk", "scenarios": ["restore"]}).to_string(),
    )
    .await;
    assert_eq!(a.status, 422);
    assert_eq!(
        a.error(),
        (
            "unknown scenario \"restore\" (known: none)".into(),
            Some("scenarios".into())
        )
    );
    let a = post(
        &app,
        ROUTE,
        json!({"from": "kyiv", "to": "kyiv"}).to_string(),
    )
    .await;
    assert_eq!(a.status, 422);
    let a = post(
        &app,
        ROUTE,
        json!({"from": "kyiv", "to": "gdansk", "minimize": "speed"}).to_string(),
    )
    .await;
    assert_eq!(a.status, 422);
    let (e, field) = a.error();
    assert_eq!(field.as_deref(), Some("minimize"));
    assert_eq!(
        e,
        "unknown objective \"speed\" (expected cost, time, distance, co2, generalised)"
    );
}

#[tokio::test]
async fn no_route_carries_the_planner_explanation_and_its_obstacles() {
    let body = json!({"from": "kyiv", "to": "gdansk", "commodity": "fuel", "avoid": ["dorohusk"]});
    let a = post(&app(), ROUTE, body.to_string()).await;
    assert_eq!(a.status, 422);
    let (e, field) = a.error();
    assert_eq!(e, golden_error("route-no-route"));
    assert_eq!(field, None);
    let v = a.json();
    let o = &v["obstacles"];
    assert_eq!(o["commodity"], "fuel");
    assert_eq!(o["from"]["id"], "kyiv");
    assert_eq!(o["reason"]["kind"], "blocked");
    let ways = o["reason"]["ways"].as_array().unwrap();
    assert_eq!(ways.len(), 3, "{o}");
    assert!(
        ways.iter()
            .flat_map(|w| w.as_array().unwrap())
            .any(|x| x["kind"] == "node_avoided")
    );
}

#[tokio::test]
async fn flow_questions_refuse_what_the_cli_refuses() {
    let app = app();
    let cap = "/api/networks/grain-corridors/capacity";
    let a = post(
        &app,
        cap,
        json!({"from": ["atlantis"], "to": ["gdansk"]}).to_string(),
    )
    .await;
    assert_eq!(a.status, 422);
    assert_eq!(a.error().1.as_deref(), Some("from"));
    let a = post(
        &app,
        cap,
        json!({"from": [{"place": "kyiv", "limit": -1}], "to": ["gdansk"]}).to_string(),
    )
    .await;
    assert_eq!(a.status, 422);
    assert_eq!(a.error().1.as_deref(), Some("from"));
    let a = post(
        &app,
        cap,
        json!({"from": [3], "to": ["gdansk"]}).to_string(),
    )
    .await;
    assert_eq!(a.status, 422);
    assert_eq!(a.error().1.as_deref(), Some("from"));
    let cmp = "/api/networks/grain-corridors/compare";
    let a = post(
        &app,
        cmp,
        json!({"from": ["kyiv"], "to": ["gdansk"], "scenarios": []}).to_string(),
    )
    .await;
    assert_eq!(a.status, 422);
    assert_eq!(a.error().1.as_deref(), Some("scenarios"));
    let a = post(
        &app,
        cmp,
        json!({"from": ["kyiv"], "to": ["gdansk"]}).to_string(),
    )
    .await;
    assert_eq!(a.status, 422);
    assert_eq!(a.error().1.as_deref(), Some("scenarios"));
    let a = post(
        &app,
        &format!("{cmp}?format=geojson"),
        json!({"from": ["kyiv"], "to": ["gdansk"], "scenarios": ["combination"]}).to_string(),
    )
    .await;
    assert_eq!(a.status, 422);
    assert_eq!(a.error().1.as_deref(), Some("format"));
}

#[tokio::test]
async fn assignments_refuse_what_the_cli_refuses() {
    let app = app();
    let uri = "/api/networks/grain-corridors/assign";
    let with = |extra: serde_json::Value| {
        let mut q = json!({"demand": grain_demand(), "threads": 1});
        q.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        q.to_string()
    };
    let cases = [
        (
            json!({"toll_factor": 1}),
            "toll_factor",
            Some(golden_error("assign-grain-toll")),
        ),
        (
            json!({"method": "algb"}),
            "",
            Some(golden_error("assign-grain-algb")),
        ),
        (json!({"method": "simplex"}), "method", None),
        (json!({"gap": -1}), "gap", None),
        (json!({"threads": 0}), "threads", None),
        (json!({"threads": 100000}), "threads", None),
        (json!({"max_iter": 1_000_000_000u64}), "max_iter", None),
        (
            json!({"demand": [{"origin": "kyiv", "destination": "gdansk", "amount": -3}]}),
            "demand",
            None,
        ),
        (
            json!({"demand": [{"origin": "kyiv", "destination": "atlantis", "amount": 3}]}),
            "demand",
            None,
        ),
        (
            json!({"demand": [{"origin": "kyiv", "destination": "gdansk", "commodity": "gold", "amount": 3}]}),
            "demand",
            None,
        ),
        (json!({"scenarios": ["nope"]}), "scenarios", None),
    ];
    for (extra, field, words) in cases {
        let a = post(&app, uri, with(extra.clone())).await;
        assert_eq!(a.status, 422, "{extra}: {}", a.body);
        let (e, f) = a.error();
        assert_eq!(f.as_deref().unwrap_or(""), field, "{extra}: {e}");
        if let Some(w) = words {
            assert_eq!(e, w);
        }
    }
    // No demand at all is a question with an empty answer, not an error
    // of the server.
    let a = post(&app, uri, json!({"demand": []}).to_string()).await;
    assert!(a.status == 200 || a.status == 422, "{}", a.body);
}

#[tokio::test]
async fn malformed_bodies_are_400_and_the_wrong_type_415() {
    let app = app();
    for body in [
        "",
        "{",
        "[]",
        "\"kyiv\"",
        "{\"from\": \"kyiv\", \"to\": \"gdansk\", \"tonnes\": NaN}",
        "{\"from\": \"kyiv\", \"to\": \"gdansk\"} trailing",
        "\u{feff}{}",
    ] {
        let a = post(&app, ROUTE, body).await;
        assert_eq!(a.status, 400, "{body:?}: {}", a.body);
        a.error();
    }
    let a = post(&app, ROUTE, vec![0xff, 0xfe, b'{']).await;
    assert_eq!(a.status, 400);
    for ct in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data"),
    ] {
        let mut req = Request::builder().method(Method::POST).uri(ROUTE);
        if let Some(ct) = ct {
            req = req.header("content-type", ct);
        }
        let a = send(
            &app,
            req.body(Body::from(r#"{"from":"kyiv","to":"gdansk"}"#))
                .unwrap(),
        )
        .await;
        assert_eq!(a.status, 415, "{ct:?}");
        a.error();
    }
}

#[tokio::test]
async fn unknown_fields_and_query_parameters_are_named() {
    let app = app();
    let a = post(
        &app,
        ROUTE,
        json!({"from": "kyiv", "to": "gdansk", "tonne": 3}).to_string(),
    )
    .await;
    assert_eq!(a.status, 422);
    let (e, field) = a.error();
    assert_eq!(field.as_deref(), Some("tonne"));
    assert!(e.starts_with("unknown field `tonne`"), "{e}");
    let a = post(
        &app,
        &format!("{ROUTE}?format=xml"),
        json!({"from": "kyiv", "to": "gdansk"}).to_string(),
    )
    .await;
    assert_eq!(a.status, 422);
    assert_eq!(a.error().1.as_deref(), Some("format"));
    let a = post(
        &app,
        &format!("{ROUTE}?debug=1"),
        json!({"from": "kyiv", "to": "gdansk"}).to_string(),
    )
    .await;
    assert_eq!(a.status, 422);
    assert_eq!(a.error().1.as_deref(), Some("debug"));
}

#[tokio::test]
async fn hostile_requests_are_4xx_and_the_server_stays_healthy() {
    let app = app();
    let traversal = [
        "/api/networks/..%2F..%2Fetc%2Fpasswd",
        "/api/networks/..%2f..%2fetc%2fpasswd/geojson",
        "/api/networks/../../etc/passwd",
        "/api/networks/%2e%2e/%2e%2e/etc/passwd",
        "/../../etc/passwd",
        "/..%2F..%2FCargo.toml",
        "/%2e%2e/Cargo.toml",
        "/index.html/../../Cargo.toml",
        "/api/networks/triangle%00",
        "/api/networks/%ff%fe",
        "/src/lib.rs",
        "/web/index.html",
    ];
    for uri in traversal {
        let a = get(&app, uri).await;
        assert!(a.status.is_client_error(), "{uri}: {}", a.status);
        assert!(!a.body.contains("root:"), "{uri}");
        a.error();
        let a = post(&app, uri, "{}").await;
        assert!(a.status.is_client_error(), "POST {uri}: {}", a.status);
    }
    // Over the body limit: refused whole, with or without a length.
    let huge = format!(
        "{{\"from\": \"{}\", \"to\": \"gdansk\"}}",
        "k".repeat(2 << 20)
    );
    let a = post(&app, ROUTE, huge.clone()).await;
    assert_eq!(a.status, 413);
    a.error();
    let chunks = futures_stream(huge);
    let a = send(
        &app,
        Request::builder()
            .method(Method::POST)
            .uri(ROUTE)
            .header("content-type", "application/json")
            .body(chunks)
            .unwrap(),
    )
    .await;
    assert_eq!(a.status, 413);
    // Deep nesting: serde_json's recursion limit, a 400, no stack overflow.
    for body in [
        format!(
            "{{\"from\": {}\"kyiv\"{}, \"to\": \"gdansk\"}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
        format!("{{\"via\": {}", "[".repeat(500_000)),
        format!("{{\"from\": [{}", "{\"place\": ".repeat(200_000)),
    ] {
        let a = post(&app, ROUTE, body).await;
        assert!(a.status.is_client_error(), "{}", a.status);
        a.error();
    }
    let cap = "/api/networks/grain-corridors/capacity";
    let deep = format!(
        "{{\"from\": {}\"kyiv\"{}, \"to\": []}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let a = post(&app, cap, deep).await;
    assert!(a.status.is_client_error(), "{}", a.status);
    // Wrong methods.
    for (method, uri) in [
        (Method::GET, ROUTE),
        (Method::PUT, ROUTE),
        (Method::DELETE, "/api/networks/triangle"),
        (Method::POST, "/health"),
        (Method::POST, "/"),
        (Method::PATCH, "/api/networks"),
    ] {
        let a = send(
            &app,
            Request::builder()
                .method(method.clone())
                .uri(uri)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(a.status, 405, "{method} {uri}");
        assert!(a.headers.contains_key("allow"), "{method} {uri}");
        a.error();
    }
    // Numbers that do not fit their fields.
    for body in [
        r#"{"from": "kyiv", "to": "gdansk", "tonnes": 1e400}"#,
        r#"{"from": "kyiv", "to": "gdansk", "tonnes": -1e-300}"#,
        r#"{"from": "kyiv", "to": "gdansk", "tonnes": "12 t"}"#,
        r#"{"from": "kyiv", "to": "gdansk", "pareto": 1}"#,
        r#"{"from": 1, "to": "gdansk"}"#,
        r#"{"from": "", "to": ""}"#,
        r#"{"from": "91,181", "to": "gdansk"}"#,
        r#"{"from": "NaN,NaN", "to": "gdansk"}"#,
        r#"{"from": "kyiv", "to": "gdansk", "via": ["kyiv", "kyiv"], "pareto": true}"#,
        r#"{"from": "kyiv", "to": "gdansk", "avoid": ["kyiv"]}"#,
        r#"{"from": "kyiv", "to": "gdansk", "avoid": ["UA"]}"#,
        r#"{"from": "kyiv", "to": "gdansk", "avoid": [""]}"#,
    ] {
        let a = post(&app, ROUTE, body).await;
        assert!(
            a.status.is_client_error(),
            "{body}: {} {}",
            a.status,
            a.body
        );
        a.error();
    }
    let assign = "/api/networks/grain-corridors/assign";
    for body in [
        r#"{"demand": [{"origin": "kyiv", "destination": "gdansk", "amount": 1e308}], "max_iter": 5}"#,
        r#"{"demand": [], "gap": 1e400}"#,
        r#"{"max_iter": -1}"#,
        r#"{"max_iter": 1e30}"#,
        r#"{"threads": 18446744073709551616}"#,
    ] {
        let a = post(&app, assign, body).await;
        assert!(
            a.status.is_client_error() || a.status == 200,
            "{body}: {} {}",
            a.status,
            a.body
        );
        assert_ne!(a.status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    }
    let a = get(&app, "/health").await;
    assert_eq!(a.status, 200);
}

/// A body that arrives in chunks with no length (so only reading it shows
/// it is too large).
fn futures_stream(text: String) -> Body {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = text
        .into_bytes()
        .chunks(64 * 1024)
        .map(|c| Ok(c.to_vec()))
        .collect();
    Body::from_stream(futures_util::stream::iter(chunks))
}

#[tokio::test]
async fn too_many_requests_are_shed_and_slow_ones_time_out() {
    let config = ServeConfig {
        concurrency: 1,
        heavy_jobs: 1,
        timeout: Duration::from_millis(300),
        ..ServeConfig::default()
    };
    let state = corridor_server::AppState::load(&config).unwrap();
    // Hold the heavy slot so that a question waits inside the limits.
    let held = std::sync::Arc::clone(state.heavy())
        .acquire_owned()
        .await
        .unwrap();
    let app = corridor_server::app(state.clone(), &config);
    let body = json!({"from": GRAIN_FROM, "to": GRAIN_TO}).to_string();
    let waiting = tokio::spawn({
        let app = app.clone();
        async move { post(&app, "/api/networks/grain-corridors/capacity", body).await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let a = get(&app, "/health").await;
    assert_eq!(a.status, 503);
    a.error();
    let a = waiting.await.unwrap();
    assert_eq!(a.status, 504);
    a.error();
    drop(held);
    let a = get(&app, "/health").await;
    assert_eq!(a.status, 200);
}

#[tokio::test]
async fn cors_is_off_unless_an_origin_is_given() {
    let preflight = |origin: &str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri(ROUTE)
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .body(Body::empty())
            .unwrap()
    };
    let a = send(&app(), preflight("http://example.test")).await;
    assert!(!a.headers.contains_key("access-control-allow-origin"));
    let a = get(&app(), "/health").await;
    assert!(!a.headers.contains_key("access-control-allow-origin"));
    let config = ServeConfig {
        cors: Some("http://localhost:3000".into()),
        ..ServeConfig::default()
    };
    let app = corridor_server::app(state(), &config);
    let a = send(&app, preflight("http://localhost:3000")).await;
    assert_eq!(
        a.headers["access-control-allow-origin"],
        "http://localhost:3000"
    );
    // Another origin is told the one allowed, which its browser refuses.
    let a = send(&app, preflight("http://evil.test")).await;
    assert_eq!(
        a.headers["access-control-allow-origin"],
        "http://localhost:3000"
    );
}

//! Every endpoint answers with the CLI's bytes: each request below asks
//! the question of a golden case of `crates/corridor-cli/tests/golden.rs`
//! (which runs the `corridor` binary and pins its stdout), and the body
//! must equal that stdout byte for byte (assignment timings masked). The
//! endpoints the CLI has no command for are checked against the library
//! answers they are made from.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn health_counts_the_networks() {
    let a = get(&app(), "/health").await;
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type(), "application/json");
    assert_eq!(a.json(), json!({"status": "ok", "networks": 2}));
    assert!(a.headers.contains_key("x-request-id"));
}

#[tokio::test]
async fn networks_are_listed_by_name_with_what_info_says() {
    let a = get(&app(), "/api/networks").await;
    assert_eq!(a.status, 200);
    let list = a.json();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["grain-corridors", "triangle"]);
    let grain = &list[0];
    let info: serde_json::Value = serde_json::from_str(&golden("info-grain-json.stdout")).unwrap();
    for key in ["nodes", "links", "bbox"] {
        assert_eq!(grain[key], info[key], "{key}");
    }
    assert_eq!(
        grain["terminals"],
        info["terminals"].as_array().unwrap().len()
    );
    assert_eq!(grain["borders"], info["borders"].as_array().unwrap().len());
    // Layers keep info's order, as an object.
    let layers: Vec<(String, serde_json::Value)> = info["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["layer"].as_str().unwrap().to_string(), l["links"].clone()))
        .collect();
    let shown: Vec<&str> = a
        .body
        .lines()
        .filter(|l| l.contains("\"rail:") || l.contains("\"road\""))
        .collect();
    assert!(shown[0].trim_start().starts_with("\"road\": "), "{shown:?}");
    for (layer, links) in layers {
        assert_eq!(grain["layers"][&layer], links, "{layer}");
    }
    assert_eq!(grain["commodities"], json!(["grain", "containers", "fuel"]));
    assert_eq!(
        grain["scenarios"],
        json!([
            "close-polish-road-crossings",
            "combination",
            "restore-black-sea-ports",
            "romanian-gauge-capacity"
        ])
    );
    assert_eq!(list[1]["scenarios"], json!([]));
}

#[tokio::test]
async fn a_network_is_what_info_prints() {
    let app = app();
    for (name, golden_name) in [
        ("triangle", "info-triangle-json"),
        ("grain-corridors", "info-grain-json"),
    ] {
        let a = get(&app, &format!("/api/networks/{name}")).await;
        assert_eq!(a.status, 200);
        same(&a.body, &golden(&format!("{golden_name}.stdout")), name);
        // Cached on first use; the second answer is the same.
        same(
            &get(&app, &format!("/api/networks/{name}")).await.body,
            &a.body,
            name,
        );
    }
}

#[tokio::test]
async fn a_network_map_is_what_export_writes() {
    let a = get(&app(), "/api/networks/triangle/geojson").await;
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type(), "application/geo+json");
    same(&a.body, &golden("export.t.geojson"), "triangle map");
}

#[tokio::test]
async fn scenarios_are_listed_with_their_files() {
    let a = get(&app(), "/api/networks/grain-corridors/scenarios").await;
    assert_eq!(a.status, 200);
    let list = a.json();
    let dir = root().join("examples/grain-corridors/scenarios");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".toml"))
        .collect();
    files.sort();
    assert_eq!(list.as_array().unwrap().len(), files.len());
    for (s, file) in list.as_array().unwrap().iter().zip(&files) {
        assert_eq!(s["file"], file.as_str());
        let net = corridor_io::read_network(&root().join("examples/grain-corridors"))
            .unwrap()
            .network;
        let read = corridor_io::read_scenario(&dir.join(file), &net.vehicles).unwrap();
        assert_eq!(s["name"], read.name.as_str());
        assert_eq!(s["edits"], read.edits.len());
        assert_eq!(s["description"], read.description.as_str());
    }
    let a = get(&app(), "/api/networks/triangle/scenarios").await;
    assert_eq!(a.json(), json!([]));
}

fn kyiv_gdansk(extra: serde_json::Value) -> String {
    let mut q = json!({"from": "kyiv", "to": "gdansk", "commodity": "grain", "tonnes": 1000});
    q.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    q.to_string()
}

#[tokio::test]
async fn routes_are_what_route_prints() {
    let app = app();
    let cases = [
        ("", kyiv_gdansk(json!({})), "route-json.stdout"),
        (
            "",
            kyiv_gdansk(json!({"pareto": true})),
            "route-pareto-json.stdout",
        ),
        (
            "?format=geojson",
            kyiv_gdansk(json!({})),
            "route-geojson.stdout",
        ),
        (
            "?format=geojson",
            kyiv_gdansk(json!({"pareto": true})),
            "route-pareto-geojson.stdout",
        ),
        (
            "",
            json!({"from": "50.0,30.0", "to": "Gdańsk port"}).to_string(),
            "route-snapped.stdout",
        ),
    ];
    for (format, body, golden_name) in cases {
        let a = post(
            &app,
            &format!("/api/networks/triangle/route{format}"),
            body.clone(),
        )
        .await;
        assert_eq!(a.status, 200, "{body}: {}", a.body);
        same(&a.body, &golden(golden_name), golden_name);
    }
    let scenario =
        json!({"from": "poltava", "to": "constanta", "scenarios": ["restore-black-sea-ports"]});
    for round in 0..2 {
        // The second time the edited network is the kept one.
        let a = post(
            &app,
            "/api/networks/grain-corridors/route",
            scenario.to_string(),
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.body);
        same(
            &a.body,
            &golden("route-grain-scenario.stdout"),
            &format!("scenario route {round}"),
        );
    }
}

#[tokio::test]
async fn both_formats_come_in_one_answer() {
    let a = post(
        &app(),
        "/api/networks/triangle/route?format=both",
        kyiv_gdansk(json!({})),
    )
    .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type(), "application/json");
    let v = a.json();
    let parse = |name| serde_json::from_str::<serde_json::Value>(&golden(name)).unwrap();
    assert_eq!(v["result"], parse("route-json.stdout"));
    assert_eq!(v["geojson"], parse("route-geojson.stdout"));
    // The parts are the CLI's bytes, not a re-serialisation.
    assert!(a.body.contains(golden("route-json.stdout").trim_end()));
}

fn grain_capacity(extra: serde_json::Value) -> String {
    let mut q = json!({"from": GRAIN_FROM, "to": GRAIN_TO, "commodity": "grain"});
    q.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    q.to_string()
}

#[tokio::test]
async fn capacity_is_what_capacity_prints() {
    let app = app();
    let a = post(
        &app,
        "/api/networks/grain-corridors/capacity",
        grain_capacity(json!({})),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    same(&a.body, &golden("capacity-json.stdout"), "capacity");
    let a = post(
        &app,
        "/api/networks/grain-corridors/capacity?format=geojson",
        grain_capacity(json!({})),
    )
    .await;
    assert_eq!(a.content_type(), "application/geo+json");
    same(&a.body, &golden("capacity-geojson.stdout"), "capacity map");
    // `kyiv=1 Mt/year` on the command line is a number of t/day in JSON.
    let triangle = state();
    let net = triangle.network("triangle").unwrap().plain();
    let limit = corridor_io::units::parse_capacity("1 Mt/year", &net.vehicles).unwrap();
    let body = json!({"from": [{"place": "kyiv", "limit": limit}], "to": ["Gdańsk port"]});
    let a = post(&app, "/api/networks/triangle/capacity", body.to_string()).await;
    same(
        &a.body,
        &golden("capacity-triangle-limits.stdout"),
        "capacity with limits",
    );
}

#[tokio::test]
async fn compare_is_what_compare_prints() {
    let body = grain_capacity(json!({"scenarios": ["restore-black-sea-ports"]}));
    let a = post(&app(), "/api/networks/grain-corridors/compare", body).await;
    assert_eq!(a.status, 200, "{}", a.body);
    same(&a.body, &golden("compare-json.stdout"), "compare");
}

#[tokio::test]
async fn assignment_is_what_assign_prints_for_the_same_demand() {
    let app = app();
    let body = json!({"demand": grain_demand(), "gap": 1e-6, "threads": 1}).to_string();
    let a = post(&app, "/api/networks/grain-corridors/assign", body.clone()).await;
    assert_eq!(a.status, 200, "{}", a.body);
    same(
        &mask_seconds(&a.body),
        &golden("assign-grain-json.stdout"),
        "assign",
    );
    let a = post(
        &app,
        "/api/networks/grain-corridors/assign?format=geojson",
        body,
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    same(
        &a.body,
        &golden("assign-grain-geojson.stdout"),
        "assign map",
    );
    let body = json!({
        "demand": grain_demand(), "gap": 1e-6, "threads": 1, "minimize": "time",
        "scenarios": ["restore-black-sea-ports"], "method": "cfw"
    });
    let a = post(
        &app,
        "/api/networks/grain-corridors/assign",
        body.to_string(),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
}

#[tokio::test]
async fn the_optimum_is_what_optimise_prints_for_the_same_demand() {
    let app = app();
    let body = json!({"demand": grain_demand()}).to_string();
    let a = post(&app, "/api/networks/grain-corridors/optimise", body).await;
    assert_eq!(a.status, 200, "{}", a.body);
    same(
        &mask_seconds(&a.body),
        &golden("optimise-grain-json.stdout"),
        "optimise",
    );
    let body = json!({
        "demand": grain_demand(), "minimize": "cost", "scenarios": ["restore-black-sea-ports"]
    });
    let a = post(
        &app,
        "/api/networks/grain-corridors/optimise?format=geojson",
        body.to_string(),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    same(
        &a.body,
        &golden("optimise-grain-geojson.stdout"),
        "optimise map",
    );
}

#[tokio::test]
async fn the_formulation_is_part_of_the_optimise_query() {
    let app = app();
    let ask = |formulation: &str| {
        json!({"demand": grain_demand(), "formulation": formulation}).to_string()
    };
    let url = "/api/networks/grain-corridors/optimise";
    let a = post(&app, url, ask("arc-node")).await;
    let b = post(&app, url, ask("paths")).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(b.status, 200, "{}", b.body);
    let (a, b) = (a.json(), b.json());
    assert_eq!(a["lp"]["formulation"], "arc-node");
    assert_eq!(b["lp"]["formulation"], "paths");
    let (x, y) = (
        a["total_cost"].as_f64().unwrap(),
        b["total_cost"].as_f64().unwrap(),
    );
    assert!((x - y).abs() <= 1e-6 * (1.0 + x.abs()), "{x} vs {y}");
    let bad = post(&app, url, ask("simplex")).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("formulation"), "{}", bad.body);
}

#[tokio::test]
async fn the_page_is_served_at_the_root() {
    let app = app();
    let a = get(&app, "/").await;
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type(), "text/html; charset=utf-8");
    let on_disk =
        std::fs::read_to_string(root().join("crates/corridor-server/web/index.html")).unwrap();
    assert_eq!(a.body, on_disk);
    let etag = a.headers["etag"].to_str().unwrap().to_string();
    assert_eq!(a.headers["cache-control"], "no-cache");
    let again = send(
        &app,
        axum::http::Request::get("/index.html")
            .header("if-none-match", &etag)
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
}

#[tokio::test]
async fn large_answers_are_gzipped_for_clients_that_ask() {
    let a = send(
        &app(),
        axum::http::Request::get("/api/networks/grain-corridors/geojson")
            .header("accept-encoding", "gzip")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.headers["content-encoding"], "gzip");
}

#[tokio::test]
async fn a_road_network_is_served_as_the_cli_reads_it() {
    // A TNTP network has no commodity: `info` and `assign` see it as read,
    // routes get `general` (as `corridor route` does).
    let config = corridor_server::ServeConfig {
        networks: vec![root().join("crates/corridor-cli/tests/data/tntp/braess_net.tntp")],
        ..corridor_server::ServeConfig::default()
    };
    let state = corridor_server::AppState::load(&config).unwrap();
    let app = corridor_server::app(state, &config);
    let a = get(&app, "/api/networks/braess_net").await;
    assert_eq!(a.status, 200, "{}", a.body);
    same(&a.body, &golden("info-braess-json.stdout"), "braess info");
    // The system optimum needs a freight network, as `corridor optimise` says.
    let a = post(
        &app,
        "/api/networks/braess_net/optimise",
        json!({"demand": []}).to_string(),
    )
    .await;
    assert_eq!(a.status, 422, "{}", a.body);
    let list = get(&app, "/api/networks").await.json();
    assert_eq!(list[0]["commodities"], json!(["general"]));
    let trips = std::fs::read_to_string(
        root().join("crates/corridor-cli/tests/data/tntp/braess_trips.tntp"),
    )
    .unwrap();
    let demand = braess_demand(&trips);
    let body = json!({"demand": demand, "method": "algb", "gap": 1e-8, "threads": 1});
    let a = post(&app, "/api/networks/braess_net/assign", body.to_string()).await;
    assert_eq!(a.status, 200, "{}", a.body);
    same(
        &mask_seconds(&a.body),
        &golden("assign-braess-json.stdout"),
        "braess assign",
    );
    let a = post(
        &app,
        "/api/networks/braess_net/assign?format=geojson",
        body.to_string(),
    )
    .await;
    assert_eq!(a.status, 422);
    assert_eq!(a.error().1.as_deref(), Some("format"));
}

/// The demand of a TNTP trips file as inline rows (`Origin N` then
/// `dest : amount;` pairs), in the file's order.
fn braess_demand(trips: &str) -> serde_json::Value {
    let mut rows = Vec::new();
    let mut origin = String::new();
    for line in trips.lines().map(str::trim) {
        if let Some(o) = line.strip_prefix("Origin") {
            origin = o.trim().to_string();
        } else if !origin.is_empty() && line.contains(':') {
            for pair in line.split(';').filter(|p| p.contains(':')) {
                let (d, v) = pair.split_once(':').unwrap();
                let amount: f64 = v.trim().parse().unwrap();
                if amount > 0.0 {
                    rows.push(json!({"origin": origin, "destination": d.trim(), "amount": amount}));
                }
            }
        }
    }
    serde_json::Value::Array(rows)
}

#[tokio::test]
async fn the_skim_is_what_skim_prints_for_the_same_places() {
    let app = app();
    let body = json!({"from": GRAIN_FROM, "to": GRAIN_TO, "commodity": "grain",
                      "scenarios": ["restore-black-sea-ports"]});
    let url = "/api/networks/grain-corridors/skim";
    let a = post(&app, url, body.to_string()).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.content_type(), "application/json");
    same(&a.body, &golden("skim-grain-json.stdout"), "skim");
    // Only JSON; an unknown place names its index.
    let g = post(&app, &format!("{url}?format=geojson"), body.to_string()).await;
    assert_eq!(g.status, 422, "{}", g.body);
    let bad = json!({"from": ["vinnytsia"], "to": ["gdansk", "atlantis"]});
    let e = post(&app, url, bad.to_string()).await;
    assert_eq!(e.status, 422, "{}", e.body);
    assert!(
        e.body.contains("to[1]") && e.body.contains("atlantis"),
        "{}",
        e.body
    );
}

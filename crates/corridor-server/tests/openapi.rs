//! The OpenAPI document: the committed `docs/openapi.json` is what
//! `GET /openapi.json` serves (`UPDATE_OPENAPI=1 cargo test -p
//! corridor-server --test openapi` rewrites it), and the hand-written
//! shapes in it tell the truth: every real answer on the examples fits its
//! declared schema (no undeclared key, no missing required one, the right
//! JSON types), and each query's schema declares exactly the fields its
//! serde type has. Every path the document lists is routed.

mod common;

use common::*;
use corridor_model::{
    AssignQuery, CapacityQuery, CompareQuery, CriticalityQuery, DemandEntry, Endpoint, InvestQuery,
    OptimiseQuery, Part, ProjectEntry, RouteQuery, SkimQuery, SweepQuery,
};
use serde_json::{Value, json};

fn committed() -> std::path::PathBuf {
    root().join("docs/openapi.json")
}

#[tokio::test]
async fn the_served_document_is_the_committed_one() {
    let a = get(&app(), "/openapi.json").await;
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type(), "application/json");
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(committed(), &a.body).unwrap();
        return;
    }
    let file = std::fs::read_to_string(committed()).unwrap_or_default();
    assert!(
        file == a.body,
        "docs/openapi.json is not what the server serves; run \
         `UPDATE_OPENAPI=1 cargo test -p corridor-server --test openapi` and review the diff"
    );
    let doc = a.json();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
}

fn document() -> Value {
    serde_json::from_str(&corridor_server::openapi::document_text()).unwrap()
}

/// `#/components/schemas/X` of `doc`.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap();
            let s = &doc["components"]["schemas"][name];
            assert!(!s.is_null(), "no schema {name}");
            resolve(doc, s)
        }
        None => schema,
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Whether `value` fits `schema`: the subset of JSON Schema utoipa writes
/// (`$ref`, `oneOf`, `allOf`, `type`, `properties`, `required`,
/// `additionalProperties`, `items`).
fn fits(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    let schema = resolve(doc, schema);
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            let errors: Vec<String> = options
                .iter()
                .filter_map(|o| fits(doc, o, value, at).err())
                .collect();
            if errors.len() == options.len() {
                return Err(format!("{at}: fits none of {key}: {}", errors.join(" | ")));
            }
        }
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            fits(doc, s, value, at)?;
        }
    }
    if let Some(t) = schema.get("type") {
        let allowed: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let actual = json_type(value);
        let ok = allowed.contains(&actual) || (actual == "integer" && allowed.contains(&"number"));
        if !ok {
            return Err(format!("{at}: {actual} where the schema says {allowed:?}"));
        }
    }
    if let (Value::Object(map), Some(props)) =
        (value, schema.get("properties").and_then(Value::as_object))
    {
        for req in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let req = req.as_str().unwrap();
            if !map.contains_key(req) {
                return Err(format!("{at}: required \"{req}\" is missing"));
            }
        }
        let extra = schema.get("additionalProperties");
        for (k, v) in map {
            match (props.get(k), extra) {
                (Some(s), _) => fits(doc, s, v, &format!("{at}.{k}"))?,
                (None, Some(Value::Bool(true))) => {}
                (None, Some(s @ Value::Object(_))) => fits(doc, s, v, &format!("{at}.{k}"))?,
                (None, _) => return Err(format!("{at}: \"{k}\" is not declared")),
            }
        }
    } else if let (Value::Object(map), Some(s @ Value::Object(_))) =
        (value, schema.get("additionalProperties"))
    {
        for (k, v) in map {
            fits(doc, s, v, &format!("{at}.{k}"))?;
        }
    }
    if let (Value::Array(items), Some(s)) = (value, schema.get("items")) {
        for (i, v) in items.iter().enumerate() {
            fits(doc, s, v, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

/// The schema of `path`'s answer for `status` and `content_type`.
fn answer_schema<'a>(
    doc: &'a Value,
    method: &str,
    path: &str,
    status: &str,
    content_type: &str,
) -> &'a Value {
    let s = &doc["paths"][path][method]["responses"][status]["content"][content_type]["schema"];
    assert!(
        !s.is_null(),
        "{method} {path} {status} {content_type}: no schema"
    );
    s
}

fn check(doc: &Value, method: &str, path: &str, status: &str, content_type: &str, body: &str) {
    let value: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{path}: {e}"));
    if let Err(e) = fits(
        doc,
        answer_schema(doc, method, path, status, content_type),
        &value,
        "$",
    ) {
        panic!("{method} {path} ({status}): the answer does not fit its schema: {e}");
    }
}

#[tokio::test]
async fn every_answer_fits_its_schema() {
    let doc = document();
    let app = app();
    let j = "application/json";
    check(
        &doc,
        "get",
        "/health",
        "200",
        j,
        &get(&app, "/health").await.body,
    );
    check(
        &doc,
        "get",
        "/api/networks",
        "200",
        j,
        &get(&app, "/api/networks").await.body,
    );
    for name in ["triangle", "grain-corridors"] {
        let info = get(&app, &format!("/api/networks/{name}")).await;
        check(&doc, "get", "/api/networks/{name}", "200", j, &info.body);
        let map = get(&app, &format!("/api/networks/{name}/geojson")).await;
        check(
            &doc,
            "get",
            "/api/networks/{name}/geojson",
            "200",
            "application/geo+json",
            &map.body,
        );
        let s = get(&app, &format!("/api/networks/{name}/scenarios")).await;
        check(
            &doc,
            "get",
            "/api/networks/{name}/scenarios",
            "200",
            j,
            &s.body,
        );
    }
    let route = "/api/networks/{name}/route";
    for (q, file) in [
        (
            json!({"from": "kyiv", "to": "gdansk", "commodity": "grain"}),
            "route-json.stdout",
        ),
        (
            json!({"from": "kyiv", "to": "gdansk", "pareto": true}),
            "route-pareto-json.stdout",
        ),
        (
            json!({"from": "50.0,30.0", "to": "gdansk"}),
            "route-snapped.stdout",
        ),
    ] {
        let a = post(&app, "/api/networks/triangle/route", q.to_string()).await;
        check(&doc, "post", route, "200", j, &a.body);
        check(&doc, "post", route, "200", j, &golden(file));
        let g = post(
            &app,
            "/api/networks/triangle/route?format=geojson",
            q.to_string(),
        )
        .await;
        check(&doc, "post", route, "200", "application/geo+json", &g.body);
    }
    for (q, uri) in [
        (
            json!({"from": "kyiv", "to": "atlantis"}),
            "/api/networks/triangle/route",
        ),
        (
            json!({"from": "kyiv", "to": "gdansk", "commodity": "fuel", "avoid": ["dorohusk"]}),
            "/api/networks/triangle/route",
        ),
    ] {
        let a = post(&app, uri, q.to_string()).await;
        check(&doc, "post", route, "422", j, &a.body);
    }
    check(
        &doc,
        "get",
        "/api/networks/{name}",
        "404",
        j,
        &get(&app, "/api/networks/x").await.body,
    );
    let cap = json!({"from": GRAIN_FROM, "to": GRAIN_TO, "commodity": "grain"});
    let a = post(
        &app,
        "/api/networks/grain-corridors/capacity",
        cap.to_string(),
    )
    .await;
    check(
        &doc,
        "post",
        "/api/networks/{name}/capacity",
        "200",
        j,
        &a.body,
    );
    let mut cmp = cap.clone();
    cmp["scenarios"] = json!(["combination"]);
    let a = post(
        &app,
        "/api/networks/grain-corridors/compare",
        cmp.to_string(),
    )
    .await;
    check(
        &doc,
        "post",
        "/api/networks/{name}/compare",
        "200",
        j,
        &a.body,
    );
    check(
        &doc,
        "post",
        "/api/networks/{name}/compare",
        "200",
        j,
        &golden("compare-json.stdout"),
    );
    let a = post(
        &app,
        "/api/networks/grain-corridors/assign",
        json!({"demand": grain_demand(), "threads": 1}).to_string(),
    )
    .await;
    check(
        &doc,
        "post",
        "/api/networks/{name}/assign",
        "200",
        j,
        &a.body,
    );
    for road in ["assign-braess-json.stdout", "assign-grid-json.stdout"] {
        check(
            &doc,
            "post",
            "/api/networks/{name}/assign",
            "200",
            j,
            &golden(road),
        );
    }
    let a = post(
        &app,
        "/api/networks/grain-corridors/skim",
        json!({"from": GRAIN_FROM, "to": GRAIN_TO, "commodity": "grain"}).to_string(),
    )
    .await;
    check(&doc, "post", "/api/networks/{name}/skim", "200", j, &a.body);
    let a = post(
        &app,
        "/api/networks/grain-corridors/optimise",
        json!({"demand": grain_demand()}).to_string(),
    )
    .await;
    check(
        &doc,
        "post",
        "/api/networks/{name}/optimise",
        "200",
        j,
        &a.body,
    );
    let a = post(
        &app,
        "/api/networks/grain-corridors/compare",
        json!({"from": ["vinnytsia"], "to": ["gdansk", "constanta"], "commodity": "grain",
               "scenarios": ["restore-black-sea-ports"],
               "optimise": {"demand": grain_demand()}})
        .to_string(),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body.contains("\"optimise\""), "{}", a.body);
    check(
        &doc,
        "post",
        "/api/networks/{name}/compare",
        "200",
        j,
        &a.body,
    );
    jobs_fit_their_schemas(&doc, &app).await;
}

/// The long questions: the 202 status, the status polled to done (the
/// CLI's JSON as `result`), a failure's status, and the projects list.
async fn jobs_fit_their_schemas(doc: &Value, app: &axum::Router) {
    let j = "application/json";
    let job = "/api/jobs/{id}";
    let projects = get(app, "/api/networks/grain-corridors/projects").await;
    check(
        doc,
        "get",
        "/api/networks/{name}/projects",
        "200",
        j,
        &projects.body,
    );
    let projects = projects.json();
    let q = json!({"from": GRAIN_FROM, "to": GRAIN_TO});
    let mut sweep = q.clone();
    sweep["scenarios"] = json!(["restore-black-sea-ports", "combination"]);
    let mut invest = q.clone();
    invest["projects"] = projects["projects"].clone();
    invest["budget"] = json!(30);
    for (question, body) in [
        ("criticality", q.clone()),
        ("sweep", sweep),
        ("invest", invest),
    ] {
        let path = format!("/api/networks/{{name}}/{question}");
        let uri = format!("/api/networks/grain-corridors/{question}");
        let a = post(app, &uri, body.to_string()).await;
        assert_eq!(a.status, 202, "{}", a.body);
        check(doc, "post", &path, "202", j, &a.body);
        let done = poll_job(app, a.json()["id"].as_str().unwrap()).await;
        assert_eq!(done.json()["status"], "done", "{}", done.body);
        check(doc, "get", job, "200", j, &done.body);
    }
    for golden_file in [
        "criticality-json.stdout",
        "sweep-grid-json.stdout",
        "invest-json.stdout",
    ] {
        let status = format!(
            "{{\"id\": \"x\", \"question\": \"q\", \"network\": \"n\", \"status\": \"done\", \"progress\": {{\"done\": 1, \"total\": null}}, \"result\": {}}}",
            golden(golden_file)
        );
        check(doc, "get", job, "200", j, &status);
    }
    let failed = r#"{"id": "x", "question": "q", "network": "n", "status": "failed", "progress": {"done": 0, "total": 3}, "error": {"error": "e", "field": null}}"#;
    check(doc, "get", job, "200", j, failed);
    check(
        doc,
        "get",
        job,
        "404",
        j,
        &get(app, "/api/jobs/nope").await.body,
    );
}

/// The properties a schema declares, sorted.
fn declared(doc: &Value, name: &str) -> Vec<String> {
    let s = &doc["components"]["schemas"][name];
    let mut keys: Vec<String> = s["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{name}"))
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

fn keys_of(v: &impl serde::Serialize) -> Vec<String> {
    let mut keys: Vec<String> = serde_json::to_value(v)
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

#[test]
fn each_query_schema_declares_exactly_the_fields_serde_reads() {
    let doc = document();
    let route = RouteQuery::new("a", "b");
    assert_eq!(declared(&doc, "RouteQuery"), keys_of(&route));
    let cap = CapacityQuery {
        from: vec![Endpoint::new("a")],
        to: vec![Endpoint::new("b")],
        ..CapacityQuery::default()
    };
    assert_eq!(declared(&doc, "CapacityQuery"), keys_of(&cap));
    // Every optional field set, so that none is skipped in serialising.
    let optimise = OptimiseQuery {
        formulation: corridor_model::Formulation::Paths,
        ..OptimiseQuery::default()
    };
    let compare = CompareQuery {
        optimise: Some(optimise.clone()),
        ..CompareQuery::default()
    };
    assert_eq!(declared(&doc, "CompareQuery"), keys_of(&compare));
    assert_eq!(declared(&doc, "OptimiseQuery"), keys_of(&optimise));
    let assign = AssignQuery::default();
    assert_eq!(declared(&doc, "AssignQuery"), keys_of(&assign));
    let skim = SkimQuery::new(vec!["a".into()], vec!["b".into()]);
    assert_eq!(declared(&doc, "SkimQuery"), keys_of(&skim));
    let row = DemandEntry {
        origin: "a".into(),
        destination: "b".into(),
        commodity: Some("grain".into()),
        amount: 1.0,
    };
    assert_eq!(declared(&doc, "DemandEntry"), keys_of(&row));
    let limited = Endpoint {
        place: "a".into(),
        limit: Some(1.0),
    };
    assert_eq!(declared(&doc, "LimitedEndpoint"), keys_of(&limited));
    let part = Some(Part { index: 0, of: 2 });
    let crit = CriticalityQuery {
        part,
        ..CriticalityQuery::default()
    };
    assert_eq!(declared(&doc, "CriticalityQuery"), keys_of(&crit));
    let sweep = SweepQuery {
        part,
        ..SweepQuery::default()
    };
    assert_eq!(declared(&doc, "SweepQuery"), keys_of(&sweep));
    assert_eq!(declared(&doc, "Part"), keys_of(&part));
    let project = ProjectEntry {
        name: "a".into(),
        scenario: "s".into(),
        cost: 1.0,
        note: Some("n".into()),
    };
    assert_eq!(declared(&doc, "ProjectEntry"), keys_of(&project));
    let invest = InvestQuery {
        cost_unit: Some("EUR".into()),
        ..InvestQuery::default()
    };
    assert_eq!(declared(&doc, "InvestQuery"), keys_of(&invest));
    // And what serde requires, the schema requires.
    let required = |name: &str| -> Vec<&str> {
        let mut r: Vec<&str> = doc["components"]["schemas"][name]["required"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        r.sort();
        r
    };
    assert_eq!(required("RouteQuery"), ["from", "to"]);
    assert_eq!(required("CapacityQuery"), ["from", "to"]);
    assert_eq!(required("CompareQuery"), ["from", "scenarios", "to"]);
    assert_eq!(required("AssignQuery"), Vec::<&str>::new());
    assert_eq!(required("DemandEntry"), ["amount", "destination", "origin"]);
    assert_eq!(required("CriticalityQuery"), ["from", "to"]);
    assert_eq!(required("SweepQuery"), ["from", "scenarios", "to"]);
    assert_eq!(
        required("InvestQuery"),
        ["budget", "from", "projects", "to"]
    );
    assert_eq!(required("ProjectEntry"), ["cost", "name", "scenario"]);
    assert!(serde_json::from_str::<SweepQuery>(r#"{"from": [], "to": []}"#).is_err());
    assert!(
        serde_json::from_str::<InvestQuery>(r#"{"from": [], "to": [], "projects": []}"#).is_err()
    );
    assert!(serde_json::from_str::<CriticalityQuery>(r#"{"from": [], "to": []}"#).is_ok());
    for (q, ok) in [
        (r#"{"from": "a", "to": "b"}"#, true),
        (r#"{"from": "a"}"#, false),
    ] {
        assert_eq!(serde_json::from_str::<RouteQuery>(q).is_ok(), ok);
    }
    assert!(serde_json::from_str::<CompareQuery>(r#"{"from": [], "to": []}"#).is_err());
    assert!(serde_json::from_str::<AssignQuery>("{}").is_ok());
}

#[tokio::test]
async fn every_documented_path_is_routed() {
    let doc = document();
    let app = app();
    // A real job, so that `/api/jobs/{id}` names one (its GET must not be
    // 404; its DELETE may forget it, so it comes last).
    let a = post(
        &app,
        "/api/networks/triangle/criticality",
        json!({"from": ["kyiv"], "to": ["gdansk"]}).to_string(),
    )
    .await;
    assert_eq!(a.status, 202, "{}", a.body);
    let id = a.json()["id"].as_str().unwrap().to_string();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        let uri = path.replace("{name}", "triangle").replace("{id}", &id);
        let mut methods: Vec<&String> = ops.as_object().unwrap().keys().collect();
        methods.sort_by_key(|m| *m == "delete");
        for method in methods {
            let a = match method.as_str() {
                "get" => get(&app, &uri).await,
                "post" => post(&app, &uri, "{}").await,
                "delete" => {
                    let req = axum::http::Request::delete(uri.as_str())
                        .body(axum::body::Body::empty())
                        .unwrap();
                    send(&app, req).await
                }
                other => panic!("{other}"),
            };
            assert!(
                a.status != 404 && a.status != 405,
                "{method} {uri}: {}",
                a.status
            );
        }
    }
}

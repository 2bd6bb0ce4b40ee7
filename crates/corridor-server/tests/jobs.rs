//! The long questions as jobs: each POST below asks the question of a
//! golden case of `crates/corridor-cli/tests/golden.rs` (criticality,
//! sweep and invest on the grain example), is answered 202 with a job,
//! and the job, polled to done, holds the CLI's `--format json` stdout
//! byte for byte as its `result`. Refusals come at the POST, as the other
//! questions' do; unknown jobs are 404. Cancelling is tested in
//! `src/jobs.rs`, where a job's work can be held until it is cancelled.

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use common::*;
use serde_json::{Value, json};

/// POSTs `query`, checks the 202 and its `Location`, and polls the job
/// until it has finished (failing after two minutes).
async fn run_job(app: &Router, uri: &str, query: &Value) -> Answer {
    let a = post(app, uri, query.to_string()).await;
    assert_eq!(a.status, 202, "{}", a.body);
    let v = a.json();
    let id = v["id"].as_str().expect("an id");
    let location = a.headers["location"].to_str().unwrap();
    assert_eq!(location, format!("/api/jobs/{id}"));
    assert!(
        ["queued", "running", "done"].contains(&v["status"].as_str().unwrap()),
        "{v}"
    );
    poll_job(app, id).await
}

/// The job's `result` is the golden stdout as it is, not re-indented.
fn result_is_golden(job: &Answer, file: &str) {
    let v = job.json();
    assert_eq!(v["status"], "done", "{}", job.body);
    let golden = golden(file);
    let start = job.body.find("\"result\": ").expect("a result") + "\"result\": ".len();
    let end = job.body.trim_end().strip_suffix('}').unwrap().trim_end();
    same(&end[start..], golden.trim_end(), file);
    let report: Value = serde_json::from_str(&golden).unwrap();
    assert_eq!(v["result"], report);
}

fn grain_question() -> Value {
    json!({"from": GRAIN_FROM, "to": GRAIN_TO, "commodity": "grain"})
}

#[tokio::test]
async fn criticality_is_a_job_answering_the_cli_json() {
    let app = app();
    let job = run_job(
        &app,
        "/api/networks/grain-corridors/criticality",
        &grain_question(),
    )
    .await;
    result_is_golden(&job, "criticality-json.stdout");
    let v = job.json();
    let n = v["result"]["elements"].as_array().unwrap().len();
    assert_eq!(v["progress"], json!({"done": n, "total": n}));
    assert_eq!(
        (&v["question"], &v["network"]),
        (&json!("criticality"), &json!("grain-corridors"))
    );
}

#[tokio::test]
async fn sweep_is_a_job_answering_the_cli_json() {
    let app = app();
    let mut q = grain_question();
    q.as_object_mut().unwrap().remove("commodity");
    q["commodities"] = json!(["grain"]);
    q["grid"] = json!(true);
    q["scenarios"] = json!([
        "restore-black-sea-ports",
        "close-polish-road-crossings",
        "romanian-gauge-capacity"
    ]);
    let job = run_job(&app, "/api/networks/grain-corridors/sweep", &q).await;
    result_is_golden(&job, "sweep-grid-json.stdout");
    assert_eq!(job.json()["progress"], json!({"done": 8, "total": 8}));
}

#[tokio::test]
async fn invest_is_a_job_on_the_network_projects() {
    let app = app();
    // The folder's projects.toml, as an invest query takes it.
    let p = get(&app, "/api/networks/grain-corridors/projects").await;
    assert_eq!(p.status, 200, "{}", p.body);
    let projects = p.json();
    assert_eq!(projects["cost_unit"], "million EUR");
    let names: Vec<&str> = projects["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "odesa-berths",
            "chornomorsk-berths",
            "vicsani-gauge-2",
            "vadul-siret-trains",
            "siret-road-lanes"
        ]
    );
    assert_eq!(projects["projects"][2]["cost"], 10.0);
    // What each project changes or adds, for the map: an existing
    // element as its scenario selects it, an added one at its node.
    let elements = &projects["elements"];
    assert_eq!(
        elements["odesa-berths"],
        json!([{"kind": "terminal", "id": "terminal-odesa-port", "at": ["odesa"]}])
    );
    assert_eq!(
        elements["vicsani-gauge-2"],
        json!([{"kind": "terminal", "id": "terminal-vicsani-gauge-2", "at": ["vicsani"]}])
    );
    assert_eq!(
        elements["siret-road-lanes"][0]["id"],
        "border-porubne-siret"
    );
    assert_eq!(elements.as_object().unwrap().len(), names.len());
    let none = get(&app, "/api/networks/triangle/projects").await;
    assert_eq!(
        none.json(),
        json!({"cost_unit": null, "projects": [], "elements": {}})
    );
    let mut q = grain_question();
    q["projects"] = projects["projects"].clone();
    q["cost_unit"] = projects["cost_unit"].clone();
    q["budget"] = json!(200);
    let job = run_job(&app, "/api/networks/grain-corridors/invest", &q).await;
    result_is_golden(&job, "invest-json.stdout");
    let progress = &job.json()["progress"];
    let evaluated = &job.json()["result"]["best"]["evaluated"];
    assert!(
        progress["done"].as_u64().unwrap() >= evaluated.as_u64().unwrap(),
        "{progress} {evaluated}"
    );
    assert_eq!(progress["total"], Value::Null);
}

#[tokio::test]
async fn bad_queries_are_refused_at_the_post_naming_the_field() {
    let app = app();
    let crit = "/api/networks/grain-corridors/criticality";
    let a = post(&app, crit, "[1]").await;
    assert_eq!(a.status, 400, "{}", a.body);
    for (uri, patch, field, words) in [
        (
            crit,
            json!({"elements": ["bridges"]}),
            "elements",
            "unknown kind of element \"bridges\"",
        ),
        (
            crit,
            json!({"scenarios": ["nope"]}),
            "scenarios",
            "unknown scenario \"nope\"",
        ),
        (crit, json!({"to": ["atlantis"]}), "to", "atlantis"),
        (
            crit,
            json!({"part": {"index": 2, "of": 2}}),
            "part",
            "part 2 of 2 does not exist",
        ),
        (
            crit,
            json!({"threads": 0}),
            "threads",
            "must be between 1 and",
        ),
        (
            crit,
            json!({"tonnes": 1}),
            "tonnes",
            "unknown field `tonnes`",
        ),
        (
            crit,
            json!({"commodity": "gold"}),
            "commodity",
            "unknown commodity \"gold\"",
        ),
        (
            "/api/networks/grain-corridors/sweep",
            json!({"scenarios": ["restore-black-sea-ports", "nope"]}),
            "scenarios",
            "unknown scenario \"nope\"",
        ),
        (
            "/api/networks/grain-corridors/sweep",
            json!({"scenarios": [], "commodities": ["gold"]}),
            "commodities",
            "gold",
        ),
        (
            "/api/networks/grain-corridors/invest",
            json!({"budget": 10, "projects": [{"name": "a", "scenario": "nope", "cost": 1}]}),
            "projects",
            "project \"a\": unknown scenario \"nope\"",
        ),
        (
            "/api/networks/grain-corridors/invest",
            json!({"budget": -1, "projects": []}),
            "budget",
            "the budget -1 must be a non-negative number",
        ),
        (
            "/api/networks/grain-corridors/invest",
            json!({"projects": []}),
            "budget",
            "missing field `budget`",
        ),
    ] {
        let mut q = grain_question();
        if uri.ends_with("sweep") {
            q.as_object_mut().unwrap().remove("commodity");
        }
        for (k, v) in patch.as_object().unwrap() {
            q[k] = v.clone();
        }
        let a = post(&app, uri, q.to_string()).await;
        assert_eq!(a.status, 422, "{uri} {patch}: {}", a.body);
        let (error, f) = a.error();
        assert_eq!(f.as_deref(), Some(field), "{uri} {patch}: {error}");
        assert!(error.contains(words), "{uri} {patch}: {error}");
    }
    let a = post(
        &app,
        "/api/networks/atlantis/sweep",
        grain_question().to_string(),
    )
    .await;
    assert_eq!(a.status, 404);
}

#[tokio::test]
async fn unknown_jobs_are_404_and_finished_ones_are_forgotten_by_delete() {
    let app = app();
    for method in ["GET", "DELETE"] {
        let req = Request::builder()
            .method(method)
            .uri("/api/jobs/0123456789abcdef")
            .body(Body::empty())
            .unwrap();
        let a = send(&app, req).await;
        assert_eq!(a.status, 404, "{method}: {}", a.body);
        let (error, field) = a.error();
        assert!(error.starts_with("no job \"0123456789abcdef\""), "{error}");
        assert_eq!(field, None);
    }
    let mut q = grain_question();
    q["elements"] = json!(["borders"]);
    let job = run_job(&app, "/api/networks/grain-corridors/criticality", &q).await;
    let id = job.json()["id"].as_str().unwrap().to_string();
    let uri = format!("/api/jobs/{id}");
    let delete = || Request::delete(uri.as_str()).body(Body::empty()).unwrap();
    let a = send(&app, delete()).await;
    assert_eq!(a.status, 204, "{}", a.body);
    assert_eq!(get(&app, &uri).await.status, 404);
    assert_eq!(send(&app, delete()).await.status, 404);
}

//! Long questions as jobs: criticality, sweep and invest take seconds to
//! minutes, so their POST is answered `202 Accepted` at once with a job
//! and the answer is fetched from `GET /api/jobs/{id}` when done. The
//! query is checked before the job is made (a bad one is refused at the
//! POST, as the other questions refuse it); the job then runs the CLI's
//! steps on the blocking pool and keeps the `--format json` bytes.
//!
//! At most `ServeConfig::jobs` run at once; the rest wait in the queue,
//! in the order they came. The table holds at most `jobs_kept` jobs:
//! finished ones go after `job_ttl` or when a newer job needs the room;
//! when every held job is unfinished a new one is refused (503), so
//! clients cannot queue without bound. Cancelling goes through the
//! engine's [`Progress`]: a queued job never starts, a running one stops
//! before its next element, row or set of projects.

use crate::api_error::ApiError;
use axum::http::StatusCode;
use corridor_engine::Progress;
use serde::Serialize;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// The work of one job: the answer's JSON text, given the progress handle
/// to count on and to watch for a cancel.
type Work = Box<dyn FnOnce(&Progress) -> Result<String, ApiError> + Send>;

/// Every job of the server and the slots they run in.
#[derive(Debug)]
pub struct Jobs {
    table: Mutex<HashMap<String, Job>>,
    slots: Arc<Semaphore>,
    kept: usize,
    ttl: Duration,
    /// Ids are a counter hashed with this process's random keys: not
    /// guessable from one another, never repeated within a run.
    keys: std::collections::hash_map::RandomState,
    next: AtomicU64,
}

#[derive(Debug)]
struct Job {
    question: &'static str,
    network: String,
    state: State,
    progress: Progress,
    /// When it stopped (done, failed or cancelled).
    finished: Option<Instant>,
}

#[derive(Clone, Debug)]
enum State {
    Queued,
    Running,
    /// The CLI's `--format json` bytes.
    Done(Arc<str>),
    Failed(Arc<ApiError>),
    Cancelled,
}

impl State {
    fn word(&self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Running => "running",
            State::Done(_) => "done",
            State::Failed(_) => "failed",
            State::Cancelled => "cancelled",
        }
    }
}

/// What `GET /api/jobs/{id}` says of a job (the answer, when done, is
/// added after these fields as `result`; `openapi::schemas::JobStatus`
/// describes the whole).
#[derive(Debug, Serialize)]
struct JobHead<'a> {
    id: &'a str,
    question: &'static str,
    network: &'a str,
    status: &'static str,
    progress: JobProgress,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a ApiError>,
}

#[derive(Debug, Serialize)]
struct JobProgress {
    done: usize,
    total: Option<usize>,
}

/// One job as seen at one moment, taken out of the table's lock.
struct Snapshot {
    id: String,
    question: &'static str,
    network: String,
    state: State,
    progress: (usize, Option<usize>),
}

impl Jobs {
    pub fn new(running: usize, kept: usize, ttl: Duration) -> Self {
        Self {
            table: Mutex::new(HashMap::new()),
            slots: Arc::new(Semaphore::new(running.max(1))),
            kept: kept.max(1),
            ttl,
            keys: std::collections::hash_map::RandomState::new(),
            next: AtomicU64::new(0),
        }
    }

    fn table(&self) -> std::sync::MutexGuard<'_, HashMap<String, Job>> {
        self.table.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queues `work` as a job asking `question` of `network`; its id.
    /// 503 when the table is full of unfinished jobs.
    pub fn submit(
        self: &Arc<Self>,
        question: &'static str,
        network: &str,
        work: impl FnOnce(&Progress) -> Result<String, ApiError> + Send + 'static,
    ) -> Result<String, ApiError> {
        let progress = Progress::default();
        let id = {
            let mut table = self.table();
            self.make_room(&mut table)?;
            let id = loop {
                let n = self.next.fetch_add(1, Ordering::Relaxed);
                let id = format!("{:016x}", self.keys.hash_one(n));
                if !table.contains_key(&id) {
                    break id;
                }
            };
            table.insert(
                id.clone(),
                Job {
                    question,
                    network: network.to_string(),
                    state: State::Queued,
                    progress: progress.clone(),
                    finished: None,
                },
            );
            id
        };
        tokio::spawn(Arc::clone(self).run(id.clone(), Box::new(work), progress));
        Ok(id)
    }

    /// Drops finished jobs past their time, then the oldest finished ones
    /// until there is room for one more.
    fn make_room(&self, table: &mut HashMap<String, Job>) -> Result<(), ApiError> {
        let now = Instant::now();
        table.retain(|_, j| j.finished.is_none_or(|t| now.duration_since(t) < self.ttl));
        while table.len() >= self.kept {
            let oldest = table
                .iter()
                .filter_map(|(id, j)| j.finished.map(|t| (t, id)))
                .min()
                .map(|(_, id)| id.clone());
            let Some(id) = oldest else {
                return Err(ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    format!(
                        "this server already holds {} unfinished jobs (corridor serve --jobs-kept); wait for one to finish or cancel one",
                        table.len()
                    ),
                ));
            };
            table.remove(&id);
        }
        Ok(())
    }

    /// Waits for a slot, runs the job on the blocking pool, keeps what it
    /// gave. A job cancelled while queued never starts.
    async fn run(self: Arc<Self>, id: String, work: Work, progress: Progress) {
        let Ok(_slot) = Arc::clone(&self.slots).acquire_owned().await else {
            return;
        };
        {
            let mut table = self.table();
            match table.get_mut(&id) {
                Some(job) if matches!(job.state, State::Queued) => job.state = State::Running,
                _ => return,
            }
        }
        let watched = progress.clone();
        let outcome = tokio::task::spawn_blocking(move || work(&watched))
            .await
            .unwrap_or_else(|e| Err(ApiError::internal(e)));
        let state = match outcome {
            Ok(text) => State::Done(text.into()),
            Err(_) if progress.is_cancelled() => State::Cancelled,
            Err(e) => State::Failed(Arc::new(e)),
        };
        if let Some(job) = self.table().get_mut(&id) {
            job.state = state;
            job.finished = Some(Instant::now());
        }
    }

    fn snapshot(&self, id: &str) -> Result<Snapshot, ApiError> {
        let table = self.table();
        let job = table
            .get(id)
            .filter(|j| j.finished.is_none_or(|t| t.elapsed() < self.ttl))
            .ok_or_else(|| unknown(id))?;
        Ok(Snapshot {
            id: id.to_string(),
            question: job.question,
            network: job.network.clone(),
            state: job.state.clone(),
            progress: job.progress.done(),
        })
    }

    /// What `GET /api/jobs/{id}` answers: the job's status as JSON, with
    /// the answer when done.
    pub fn status(&self, id: &str) -> Result<String, ApiError> {
        self.snapshot(id)?.body()
    }

    /// `DELETE /api/jobs/{id}`: a queued job is cancelled at once, a
    /// running one is asked to stop (it reads `cancelled` once it has):
    /// both give the status after. A finished one is forgotten: `None`.
    pub fn cancel(&self, id: &str) -> Result<Option<String>, ApiError> {
        {
            let mut table = self.table();
            let job = table.get_mut(id).ok_or_else(|| unknown(id))?;
            match job.state {
                State::Queued => {
                    job.progress.cancel();
                    job.state = State::Cancelled;
                    job.finished = Some(Instant::now());
                }
                State::Running => job.progress.cancel(),
                State::Done(_) | State::Failed(_) | State::Cancelled => {
                    table.remove(id);
                    return Ok(None);
                }
            }
        }
        self.status(id).map(Some)
    }
}

impl Snapshot {
    /// The status as JSON: the head's fields, then for a finished job
    /// `result` holding the CLI's bytes as they are (not re-indented, so
    /// a client may also cut them out verbatim).
    fn body(&self) -> Result<String, ApiError> {
        let head = JobHead {
            id: &self.id,
            question: self.question,
            network: &self.network,
            status: self.state.word(),
            progress: JobProgress {
                done: self.progress.0,
                total: self.progress.1,
            },
            error: match &self.state {
                State::Failed(e) => Some(e),
                _ => None,
            },
        };
        let text = serde_json::to_string_pretty(&head).map_err(ApiError::internal)?;
        let State::Done(result) = &self.state else {
            return Ok(text);
        };
        let open = text.strip_suffix('}').unwrap_or(&text).trim_end();
        Ok(format!("{open},\n  \"result\": {}\n}}", result.trim_end()))
    }
}

fn unknown(id: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!(
            "no job \"{id}\" (it never existed, or it finished and was dropped: see corridor serve --job-ttl)"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn status_of(jobs: &Jobs, id: &str) -> Value {
        serde_json::from_str(&jobs.status(id).unwrap()).unwrap()
    }

    /// Polls until the job's status is `want`, failing after ten seconds.
    async fn wait_for(jobs: &Jobs, id: &str, want: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let v = status_of(jobs, id);
            if v["status"] == want {
                return v;
            }
            assert!(Instant::now() < deadline, "still {v} after 10 s");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    fn ok(jobs: &Arc<Jobs>) -> String {
        jobs.submit("sweep", "n", |_| Ok("{}".into())).unwrap()
    }

    #[tokio::test]
    async fn a_job_runs_to_done_with_its_answer_as_result() {
        let jobs = Arc::new(Jobs::new(1, 10, Duration::from_secs(60)));
        let id = jobs
            .submit("sweep", "net", |_| Ok("{\n  \"a\": 1\n}\n".into()))
            .unwrap();
        assert_eq!(id.len(), 16);
        let done = wait_for(&jobs, &id, "done").await;
        assert_eq!(done["result"], json!({"a": 1}));
        assert_eq!(done["progress"], json!({"done": 0, "total": null}));
        assert_eq!(
            (&done["question"], &done["network"]),
            (&json!("sweep"), &json!("net"))
        );
        // The answer's bytes are kept as they are.
        let text = jobs.status(&id).unwrap();
        assert!(text.ends_with("\"result\": {\n  \"a\": 1\n}\n}"), "{text}");
        // A failure keeps the API's error shape.
        let id = jobs
            .submit("invest", "net", |_| Err(ApiError::field("budget", "no")))
            .unwrap();
        let failed = wait_for(&jobs, &id, "failed").await;
        assert_eq!(failed["error"], json!({"error": "no", "field": "budget"}));
        assert!(failed.get("result").is_none());
        assert_ne!(ok(&jobs), ok(&jobs));
    }

    /// One slot, held: the next job stays queued, is cancelled at once
    /// and never runs; a running job stops when its work sees the cancel.
    #[tokio::test]
    async fn queued_jobs_cancel_at_once_and_running_ones_cooperatively() {
        let jobs = Arc::new(Jobs::new(1, 10, Duration::from_secs(60)));
        let (started_tx, started) = std::sync::mpsc::channel();
        let running = jobs
            .submit("criticality", "net", move |p| {
                started_tx.send(()).unwrap();
                while !p.is_cancelled() {
                    std::thread::yield_now();
                }
                Err(corridor_engine::Error::Cancelled.into())
            })
            .unwrap();
        let ran = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = Arc::clone(&ran);
        let queued = jobs
            .submit("sweep", "net", move |_| {
                flag.store(true, Ordering::Relaxed);
                Ok("{}".into())
            })
            .unwrap();
        tokio::task::spawn_blocking(move || started.recv().unwrap())
            .await
            .unwrap();
        assert_eq!(status_of(&jobs, &running)["status"], "running");
        assert_eq!(status_of(&jobs, &queued)["status"], "queued");
        let v: Value = serde_json::from_str(&jobs.cancel(&queued).unwrap().unwrap()).unwrap();
        assert_eq!(v["status"], "cancelled");
        let v: Value = serde_json::from_str(&jobs.cancel(&running).unwrap().unwrap()).unwrap();
        assert!(
            v["status"] == "running" || v["status"] == "cancelled",
            "{v}"
        );
        wait_for(&jobs, &running, "cancelled").await;
        // The slot is free again, and the cancelled job did not take it.
        wait_for(&jobs, &ok(&jobs), "done").await;
        assert!(!ran.load(Ordering::Relaxed));
        // A finished job is forgotten by DELETE.
        assert_eq!(jobs.cancel(&queued).unwrap(), None);
        assert_eq!(
            jobs.status(&queued).unwrap_err().status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            jobs.cancel("nope").unwrap_err().status,
            StatusCode::NOT_FOUND
        );
    }

    #[tokio::test]
    async fn finished_jobs_make_room_and_unfinished_ones_fill_the_table() {
        let jobs = Arc::new(Jobs::new(1, 2, Duration::from_secs(60)));
        let first = ok(&jobs);
        wait_for(&jobs, &first, "done").await;
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let blocked = jobs
            .submit("sweep", "n", move |_| {
                let _ = rx.recv();
                Ok("{}".into())
            })
            .unwrap();
        // Full: the finished job goes to make room for the next.
        let third = ok(&jobs);
        assert_eq!(
            jobs.status(&first).unwrap_err().status,
            StatusCode::NOT_FOUND
        );
        // Now both held jobs are unfinished: refused.
        let e = jobs.submit("sweep", "n", |_| Ok("{}".into())).unwrap_err();
        assert_eq!(e.status, StatusCode::SERVICE_UNAVAILABLE);
        tx.send(()).unwrap();
        wait_for(&jobs, &blocked, "done").await;
        wait_for(&jobs, &third, "done").await;
        // Past their time, finished jobs are gone.
        let short = Arc::new(Jobs::new(1, 2, Duration::ZERO));
        let id = ok(&short);
        let deadline = Instant::now() + Duration::from_secs(10);
        while short.status(&id).is_ok() {
            assert!(Instant::now() < deadline, "never dropped");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

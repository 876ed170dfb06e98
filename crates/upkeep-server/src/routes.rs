//! The routes: each runs its computation on a blocking thread and turns the
//! answer (or the failure) into a response with its ETag and caching headers.

use crate::answers::{self, Failure};
use crate::metrics::exposition;
use crate::state::{Answer, State};
use axum::Router;
use axum::extract::{Path, Query, State as Shared};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The server's routes over `state`.
pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/projects/{name}/", get(page))
        .route("/projects/{name}/contributions", get(ledger_page))
        .route("/api/v1/projects", get(projects))
        .route("/api/v1/projects/{name}/report", get(report_json))
        .route("/api/v1/projects/{name}/contributions", get(ledger_json))
        .route("/badge/{name}/{metric}", get(badge))
        .route("/metrics", get(metrics))
        .fallback(|| async { failure(Failure::NotFound("no such page".into())) })
        .with_state(state)
}

type Params = Query<HashMap<String, String>>;

fn failure(f: Failure) -> Response {
    let public = f.public();
    if let Failure::Internal(m) = &f {
        eprintln!("error: {}", upkeep_report::terminal(m));
    }
    let (status, message) = match f {
        Failure::NotFound(_) => (StatusCode::NOT_FOUND, public),
        Failure::BadRequest(_) => (StatusCode::BAD_REQUEST, public),
        Failure::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, public),
        Failure::Busy(_) => {
            let body = axum::Json(serde_json::json!({ "error": public }));
            let retry = [(header::RETRY_AFTER, HeaderValue::from_static("10"))];
            return (StatusCode::SERVICE_UNAVAILABLE, retry, body).into_response();
        }
    };
    (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
}

/// The answer, or `304 Not Modified` when the client has it.
fn answered(result: Result<Answer, Failure>, headers: &HeaderMap) -> Response {
    let answer = match result {
        Ok(a) => a,
        Err(f) => return failure(f),
    };
    let etag = HeaderValue::from_str(&answer.etag).unwrap_or(HeaderValue::from_static("\"\""));
    let cache = HeaderValue::from_static("public, max-age=300");
    if headers.get(header::IF_NONE_MATCH) == Some(&etag) {
        return (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag), (header::CACHE_CONTROL, cache)],
        )
            .into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(answer.content_type),
            ),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, cache),
        ],
        answer.body,
    )
        .into_response()
}

/// The gate of `state`'s computations.
fn gate(state: &State) -> Arc<Semaphore> {
    Arc::clone(&state.computing)
}

/// How long a request waits for a computation to start.
const QUEUE_WAIT: Duration = Duration::from_secs(30);

/// How long a request waits for its answer.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// Runs `work` on a blocking thread, at most [`State::computing`] at once:
/// a request that waits more than [`QUEUE_WAIT`] for its turn, or
/// [`REQUEST_TIMEOUT`] for its answer, is told the server is busy.
async fn blocking<T: Send + 'static>(
    gate: Arc<Semaphore>,
    work: impl FnOnce() -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    let permit = tokio::time::timeout(QUEUE_WAIT, gate.acquire_owned())
        .await
        .map_err(|_| Failure::Busy("every worker is busy: try again shortly".into()))?
        .map_err(|e| Failure::Internal(e.to_string()))?;
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    });
    match tokio::time::timeout(REQUEST_TIMEOUT, task).await {
        Ok(joined) => joined.unwrap_or_else(|e| Err(Failure::Internal(e.to_string()))),
        Err(_) => Err(Failure::Busy(format!(
            "no answer within {} s: try again later",
            REQUEST_TIMEOUT.as_secs()
        ))),
    }
}

fn window(q: &HashMap<String, String>) -> Result<upkeep_core::metrics::Window, Failure> {
    answers::window(
        q.get("since").map(String::as_str),
        q.get("until").map(String::as_str),
    )
}

async fn index(Shared(state): Shared<Arc<State>>, q: Params, headers: HeaderMap) -> Response {
    answered(
        blocking(gate(&state), move || {
            let (since, until) = (q.get("since"), q.get("until"));
            answers::index(
                &state,
                (since.map(String::as_str), until.map(String::as_str)),
                q.get("sort").map(String::as_str),
            )
        })
        .await,
        &headers,
    )
}

async fn page(
    Shared(state): Shared<Arc<State>>,
    Path(name): Path<String>,
    q: Params,
    headers: HeaderMap,
) -> Response {
    let result = blocking(gate(&state), move || {
        answers::report_as(&state, &name, window(&q)?, true)
    })
    .await;
    answered(result, &headers)
}

async fn report_json(
    Shared(state): Shared<Arc<State>>,
    Path(name): Path<String>,
    q: Params,
    headers: HeaderMap,
) -> Response {
    let result = blocking(gate(&state), move || {
        answers::report_as(&state, &name, window(&q)?, false)
    })
    .await;
    answered(result, &headers)
}

async fn ledger(
    state: Arc<State>,
    name: String,
    q: Params,
    headers: HeaderMap,
    html: bool,
) -> Response {
    let result = blocking(gate(&state), move || {
        let period = q.get("period").cloned().unwrap_or_else(|| "month".into());
        answers::contributions_as(&state, &name, window(&q)?, &period, html)
    })
    .await;
    answered(result, &headers)
}

async fn ledger_page(
    Shared(state): Shared<Arc<State>>,
    Path(name): Path<String>,
    q: Params,
    headers: HeaderMap,
) -> Response {
    ledger(state, name, q, headers, true).await
}

async fn ledger_json(
    Shared(state): Shared<Arc<State>>,
    Path(name): Path<String>,
    q: Params,
    headers: HeaderMap,
) -> Response {
    ledger(state, name, q, headers, false).await
}

async fn projects(Shared(state): Shared<Arc<State>>) -> Response {
    axum::Json(serde_json::json!({ "projects": state.projects })).into_response()
}

async fn badge(
    Shared(state): Shared<Arc<State>>,
    Path((name, metric)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    answered(
        blocking(gate(&state), move || answers::badge(&state, &name, &metric)).await,
        &headers,
    )
}

async fn metrics(Shared(state): Shared<Arc<State>>) -> Response {
    match blocking(gate(&state), move || exposition(&state)).await {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                ),
            )],
            text,
        )
            .into_response(),
        Err(f) => failure(f),
    }
}

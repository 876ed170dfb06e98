//! `upkeep serve`: the same pages as `report --format html` and `publish`,
//! the JSON contracts, SVG badges and shields.io endpoints, and Prometheus
//! metrics, all computed from the store on request. It only reads: the store
//! is opened read-only for each request (beside any `upkeep mine` writing),
//! and a computed answer is kept until the data it was made from changes.
//!
//! Routes:
//! - `GET /` — the index of projects; `GET /projects/{name}/` — a report page;
//!   `GET /projects/{name}/contributions` — the ledger page (with `[organization]`);
//! - `GET /api/v1/projects`; `GET /api/v1/projects/{name}/report?since=&until=`;
//!   `GET /api/v1/projects/{name}/contributions?since=&until=&period=`;
//! - `GET /badge/{name}/{metric}.svg` and `.json` (shields.io endpoint);
//! - `GET /metrics` — the Prometheus text exposition.
//!
//! Unknown projects are 404 and bad dates 400, with a JSON `{"error": …}`
//! body; pages and badges carry an `ETag` (a `304` answers a matching
//! `If-None-Match`) and `Cache-Control`.
#![deny(missing_docs)]

mod answers;
mod metrics;
mod routes;
mod state;

pub use routes::router;
pub use state::{Project, State};

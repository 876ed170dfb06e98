//! Badge latency over loopback: mines REPO into a fresh store, serves it, and
//! sends 1,000 sequential `GET /badge/NAME/bus-factor.svg` requests (one
//! connection each, as a badge image on a page is fetched), then prints the
//! first (computed) and the median and 90th percentile of the rest (answered
//! from memory until the data changes).
//!
//!   cargo bench -p upkeep-server --bench badges -- PATH/TO/REPO

use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let repo = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .ok_or_else(|| {
            anyhow::anyhow!("usage: cargo bench -p upkeep-server --bench badges -- REPO")
        })?;
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("upkeep.db");
    let mined = {
        let mut store = upkeep_store::Store::open(&db, || {})?;
        let forge = upkeep_app::sources::forge::ForgeOptions {
            no_forge: true,
            ..Default::default()
        };
        upkeep_app::project::mine(&mut store, std::slice::from_ref(&repo), &forge)?
    };
    let state = Arc::new(upkeep_server::State::new(
        db,
        upkeep_app::config::Config::default(),
    )?);
    let name = state.projects[0].name.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let address = listener.local_addr()?;
    let app = upkeep_server::router(state);
    runtime.spawn(async move { axum::serve(listener, app).await });
    let path = format!("/badge/{name}/bus-factor.svg");
    let get = || -> anyhow::Result<f64> {
        let started = Instant::now();
        let mut stream = std::net::TcpStream::connect(address)?;
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
        )?;
        let mut response = Vec::new();
        stream.read_to_end(&mut response)?;
        anyhow::ensure!(
            response.starts_with(b"HTTP/1.1 200"),
            "{}",
            String::from_utf8_lossy(&response)
        );
        Ok(started.elapsed().as_secs_f64() * 1000.0)
    };
    let first = get()?;
    let mut times: Vec<f64> = (1..1000).map(|_| get()).collect::<anyhow::Result<_>>()?;
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{}: {} commits; first badge (computes the report) {first:.1} ms; then median {:.3} ms, p90 {:.3} ms over {} requests",
        repo,
        mined[0].summary.commits,
        at(0.5),
        at(0.9),
        times.len()
    );
    Ok(())
}

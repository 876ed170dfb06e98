//! Requests and GraphQL points per 100 pull requests: the real client
//! against a local GitHub serving a synthetic repository of 2,000 pull
//! requests (each with two comments, a label, a review with a diff comment
//! and a merge), for a first run, an unchanged run, and a run after 10 pull
//! requests changed. The server charges each query the points GitHub's
//! published rule gives (`graphql::points`), and the client adds up the
//! `rateLimit.cost` it is told.
//! `cargo bench -p upkeep-forge --bench requests`

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::Instant;
use upkeep_forge::client::Options;
use upkeep_forge::github::GitHub;
use upkeep_forge::token::Token;
use upkeep_forge::{Forge, Memory, RepoRef};

const PRS: u64 = 2000;

fn run(server: &support::Server, sink: &mut Memory) -> (u64, u64, u64, f64) {
    let started = Instant::now();
    let options = Options::new(&server.base, Some(Token::new("bench", "bench")));
    let summary = GitHub::new(options)
        .expect("client")
        .sync(&RepoRef::parse("o/r").expect("repo"), sink, &mut |_| {})
        .expect("sync");
    (
        summary.requests,
        summary.points,
        summary.items,
        started.elapsed().as_secs_f64(),
    )
}

fn main() {
    let server = support::Server::start();
    server.synthetic(PRS, 0);
    let mut sink = Memory::default();
    let per_100 = |requests: u64| requests as f64 * 100.0 / PRS as f64;
    let (requests, points, items, seconds) = run(&server, &mut sink);
    println!(
        "first run: {requests} requests for {items} pull requests ({:.2} per 100; {} activities) in {seconds:.2} s; {points} GraphQL points ({:.1} per 100; the server charged {})",
        per_100(requests),
        sink.activities.len(),
        per_100(points),
        server.points()
    );
    let (requests, points, items, _) = run(&server, &mut sink);
    println!("unchanged: {requests} requests (answered 304), {points} points, {items} items");
    for n in 0..10 {
        server.touch(100 + n * 150, support::EPOCH + 100_000_000 + n as i64);
    }
    let (requests, points, items, _) = run(&server, &mut sink);
    println!("10 changed: {requests} requests, {points} points, {items} items refetched");
}

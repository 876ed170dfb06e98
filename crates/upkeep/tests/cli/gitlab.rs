//! A repository on GitLab: `mine --gitlab URL GROUP/PROJECT` against a local
//! server replaying fdroid/fdroiddata's recorded answers
//! (../shared/data/forge-fixtures/perceval-gitlab/), then the forge metrics.

use crate::common;
use crate::support;

use common::{Env, stderr};
use serde_json::Value;
use support::{Reply, Server, fixture};

const BASE: &str = "/api/v4/projects/fdroid%2Ffdroiddata";
const LIST: &str = "?state=all&scope=all&order_by=updated_at&sort=asc&per_page=100";

fn serve(server: &Server) {
    let page = |name: &str, next: Option<String>| {
        let reply = Reply::json(200, fixture(&format!("perceval-gitlab/{name}")));
        match next {
            Some(path) => reply.header("Link", format!("<{}{path}>; rel=\"next\"", server.base)),
            None => reply,
        }
    };
    let route = |path: String, reply: Reply| server.route(&path, vec![reply]);
    route(format!("{BASE}?license=true"), page("project", None));
    route(
        format!("{BASE}/members/all?per_page=100"),
        Reply::json(403, "{}"),
    );
    route(
        format!("{BASE}/releases?per_page=100"),
        page("empty_response", None),
    );
    let mrs = format!("{BASE}/merge_requests{LIST}");
    route(
        mrs.clone(),
        page("merge_page_1", Some(format!("{mrs}&page=2"))),
    );
    route(format!("{mrs}&page=2"), page("merge_page_2", None));
    for n in 1..=3 {
        route(
            format!("{BASE}/merge_requests/{n}"),
            page(&format!("merge_{n}"), None),
        );
        route(
            format!("{BASE}/merge_requests/{n}/notes?per_page=100&sort=asc"),
            page("empty_response", None),
        );
    }
    let issues = format!("{BASE}/issues{LIST}");
    route(
        issues.clone(),
        page("issue_page_1", Some(format!("{issues}&page=2"))),
    );
    route(format!("{issues}&page=2"), page("issue_page_2", None));
    for n in 1..=4 {
        route(
            format!("{BASE}/issues/{n}/notes?per_page=100&sort=asc"),
            page(&format!("notes_{n}"), None),
        );
    }
}

#[test]
fn a_gitlab_project_in_the_report() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    let arg = repo.to_str().expect("utf-8");
    let server = Server::start();
    serve(&server);
    let run = |args: &[&str]| {
        let out = env
            .command(args)
            .env("UPKEEP_FORGE_BACKOFF_MS", "10")
            .env("GITLAB_TOKEN", "glpat-secret")
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(!String::from_utf8_lossy(&out.stdout).contains("glpat-secret"));
        serde_json::from_slice::<Value>(&out.stdout).expect("json")
    };
    let mined = run(&["mine", arg, "--no-forge", "--format", "json"]);
    assert!(
        mined[0].get("trackers").is_none(),
        "nothing synced with --no-forge"
    );
    let mined = run(&[
        "mine",
        arg,
        "--gitlab",
        &server.base,
        "fdroid/fdroiddata",
        "--format",
        "json",
    ]);
    let gitlab = &mined[0]["trackers"][0];
    assert_eq!(gitlab["repository"], "gitlab:fdroid/fdroiddata");
    assert_eq!(gitlab["items"], 7);
    let db = env.store_bytes();
    assert!(!db.windows(12).any(|w| w == b"glpat-secret"));

    let r = run(&[
        "report",
        arg,
        "--since",
        "2014-01-01",
        "--until",
        "2018-01-01",
        "--format",
        "json",
    ]);
    assert_eq!(r["repositories"][0]["forge"], "gitlab:fdroid/fdroiddata");
    let m = &r["metrics"];
    // Merge requests !1–!3 (2014) by redfish64, all merged; nobody else acted on them.
    let prs = &m["non_maintainer_prs"]["details"];
    assert_eq!(
        (prs["opened"].as_u64(), prs["merged"].as_u64()),
        (Some(3), Some(3))
    );
    // Issues #1–#4 (2017): their notes are their authors' own (a comment, a close):
    // no response by anyone else, no triage.
    let triage = &m["issue_triage"]["details"];
    assert_eq!(
        (triage["issues"].as_u64(), triage["never_triaged"].as_u64()),
        (Some(4), Some(4))
    );
    assert_eq!(
        m["first_response"]["details"]["issues"]["all"]["never_answered"],
        4
    );
}

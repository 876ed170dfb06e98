//! The OSV client against a local server in the API's shapes, serving the
//! real GitHub-reviewed records of the Juice Shop SBOM's npm packages
//! (../shared/data/advisories/osv-ghsa-npm): batches of 1,000 queries,
//! further pages, a rate limit, records fetched whole.

use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use upkeep_deps::osv::{OsvClient, parse_record};

/// The real records, by id, and the packages each names.
fn records() -> HashMap<String, (String, Vec<String>)> {
    upkeep_testdata::osv_records("advisories/osv-ghsa-npm")
        .into_iter()
        .map(|(id, text, names)| (id, (text, names)))
        .collect()
}

/// The package name of `pkg:npm/NAME@VERSION`.
fn name_of(purl: &str) -> &str {
    let rest = purl.trim_start_matches("pkg:npm/");
    rest.rsplit_once('@').map_or(rest, |(name, _)| name)
}

struct Osv {
    base: String,
    seen: Arc<Mutex<Vec<(String, usize)>>>,
}

/// A local OSV: the first batch is refused once (429), the querybatch
/// answers list every record naming the package (lodash's in two pages),
/// `/v1/vulns/ID` answers the record.
fn serve() -> Osv {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("binds");
    let base = format!("http://{}", server.server_addr().to_ip().expect("ip"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let records = records();
    std::thread::spawn(move || {
        let mut refused = false;
        for mut request in server.incoming_requests() {
            let url = request.url().to_owned();
            let mut body = String::new();
            let _ = request.as_reader().read_to_string(&mut body);
            let (status, answer) = if url == "/v1/querybatch" {
                let doc: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                let queries = doc["queries"].as_array().cloned().unwrap_or_default();
                log.lock().expect("log").push((url.clone(), queries.len()));
                if !refused {
                    refused = true;
                    (429, "{}".to_owned())
                } else {
                    (200, batch(&records, &queries).to_string())
                }
            } else if let Some(id) = url.strip_prefix("/v1/vulns/") {
                log.lock().expect("log").push((url.clone(), 0));
                match records.get(id) {
                    Some((text, _)) => (200, text.clone()),
                    None => (404, r#"{"code":5,"message":"Bug not found."}"#.to_owned()),
                }
            } else {
                (404, "{}".to_owned())
            };
            let mut response = tiny_http::Response::from_string(answer).with_status_code(status);
            if status == 429 {
                response
                    .add_header(tiny_http::Header::from_bytes("Retry-After", "0").expect("header"));
            }
            let _ = request.respond(response);
        }
    });
    Osv { base, seen }
}

/// OSV's answer to `queries`: every record naming each package; lodash's
/// first page holds one record and a token for the next.
fn batch(records: &HashMap<String, (String, Vec<String>)>, queries: &[Value]) -> Value {
    let results: Vec<Value> = queries
        .iter()
        .map(|q| {
            let purl = q["package"]["purl"].as_str().unwrap_or_default();
            let mut ids: Vec<&String> = records
                .iter()
                .filter(|(_, (_, names))| names.iter().any(|n| n == name_of(purl)))
                .map(|(id, _)| id)
                .collect();
            ids.sort();
            let vulns = |ids: &[&String]| -> Vec<Value> {
                ids.iter()
                    .map(|id| json!({ "id": id, "modified": "2024-04-17T18:39:19Z" }))
                    .collect()
            };
            match (name_of(purl), q["page_token"].as_str()) {
                ("lodash", None) => {
                    json!({ "vulns": vulns(&ids[..1]), "next_page_token": "page-2" })
                }
                ("lodash", Some(_)) => json!({ "vulns": vulns(&ids[1..]) }),
                _ if ids.is_empty() => json!({}),
                _ => json!({ "vulns": vulns(&ids) }),
            }
        })
        .collect();
    json!({ "results": results })
}

#[test]
fn batches_of_a_thousand_pages_a_rate_limit_and_whole_records() {
    upkeep_testdata::needs_data!();
    let osv = serve();
    let client = OsvClient::new(&osv.base).expect("a client");
    // 1,115 packages, as many as the Juice Shop SBOM lists: lodash among
    // them (two records, on two pages), jsonwebtoken (three), and 1,113
    // packages without any.
    let mut purls: Vec<String> = (0..1113)
        .map(|i| format!("pkg:npm/pkg-{i}@1.0.0"))
        .collect();
    purls.insert(7, "pkg:npm/lodash@4.17.20".into());
    purls.push("pkg:npm/jsonwebtoken@8.5.1".into());
    let listed = client.query(&purls).expect("answers");
    assert_eq!(listed.len(), 1115);
    let ids = |i: usize| listed[i].iter().map(|l| l.id.as_str()).collect::<Vec<_>>();
    assert_eq!(ids(7), ["GHSA-35jh-r3h4-6jhm", "GHSA-jf85-cpcp-j695"]);
    assert_eq!(
        ids(1114),
        [
            "GHSA-27h2-hvpr-p74q",
            "GHSA-c7hr-j4mj-j2w6",
            "GHSA-qwph-4952-7xr6"
        ]
    );
    assert!(listed[0].is_empty());
    assert_eq!(listed[7][0].modified, "2024-04-17T18:39:19Z");
    // The first batch refused once and retried, lodash's second page (read
    // with its batch), then the last 115.
    let batches: Vec<usize> = osv
        .seen
        .lock()
        .expect("log")
        .iter()
        .map(|(_, n)| *n)
        .collect();
    assert_eq!(batches, [1000, 1000, 1, 115]);

    let text = client
        .record_text("GHSA-35jh-r3h4-6jhm")
        .expect("fetched")
        .expect("there");
    let record = parse_record(&text).expect("an OSV record");
    assert_eq!(record.aliases, ["CVE-2021-23337"]);
    assert_eq!(record.published.as_deref(), Some("2021-05-06T16:05:51Z"));
    assert_eq!(
        client.record_text("GHSA-none-none-none").expect("answered"),
        None
    );
    assert_eq!(client.requests(), 6);
}

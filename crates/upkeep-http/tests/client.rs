//! The client against a local server: secrets echoed back are masked, answers
//! over the cap are refused, rate limits are waited for up to the ceiling,
//! and an unreachable host is given up for the run.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use upkeep_http::{Client, Error, Options, Token};

/// A server answering each request with the next of `replies` (status, headers, body),
/// the last one again once they run out; it records the `Authorization` headers it saw.
struct Server {
    base: String,
    seen: Arc<Mutex<Vec<String>>>,
}

/// One answer: status, headers, body.
type Reply = (u16, Vec<(&'static str, String)>, String);

fn serve(replies: Vec<Reply>) -> Server {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("a port");
    let base = format!("http://{}", server.server_addr());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for (i, request) in server.incoming_requests().enumerate() {
            let auth = request
                .headers()
                .iter()
                .find(|h| h.field.equiv("Authorization"))
                .map(|h| h.value.to_string())
                .unwrap_or_default();
            log.lock().expect("log").push(auth);
            let (status, headers, body) = replies[i.min(replies.len() - 1)].clone();
            let mut response = tiny_http::Response::from_string(body).with_status_code(status);
            for (name, value) in headers {
                response.add_header(
                    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
                        .expect("header"),
                );
            }
            let _ = request.respond(response);
        }
    });
    Server { base, seen }
}

fn quick(base: &str, token: Option<Token>) -> Options {
    let mut options = Options::new(base, token);
    options.backoff = Duration::from_millis(5);
    options.secondary_wait = Duration::from_secs(1);
    options
}

#[test]
fn a_token_echoed_by_the_server_never_reaches_the_error() {
    let server = serve(vec![(
        401,
        vec![],
        r#"{"message": "Bad credentials for Bearer ghp_notreallyasecret0001"}"#.into(),
    )]);
    let client = Client::new(quick(
        &server.base,
        Some(Token::new("ghp_notreallyasecret0001", "GITHUB_TOKEN")),
    ))
    .expect("client");
    let err = client.get("/user", None, &mut |_| {}).expect_err("401");
    let shown = err.to_string();
    assert_eq!(err.status(), Some(401));
    assert!(shown.contains("Bad credentials for Bearer ***"), "{shown}");
    assert!(!shown.contains("ghp_notreallyasecret0001"), "{shown}");
    // The server did get the token.
    assert_eq!(
        server.seen.lock().expect("log").as_slice(),
        ["Bearer ghp_notreallyasecret0001"]
    );
    // Credentials inside the base URL are masked in what is shown.
    let base = server.base.replace("http://", "http://ann:pa55word@");
    let client = Client::new(quick(&base, None)).expect("client");
    let shown = client
        .get("/user", None, &mut |_| {})
        .expect_err("401")
        .to_string();
    assert!(!shown.contains("pa55word"), "{shown}");
    assert!(shown.contains("http://***@127.0.0.1"), "{shown}");
}

#[test]
fn answers_over_the_cap_are_refused_with_the_limit_named() {
    let server = serve(vec![(200, vec![], "x".repeat(1000))]);
    let mut options = quick(&server.base, None);
    options.max_body = 999;
    let client = Client::new(options).expect("client");
    match client.get_bytes("/big.mbox.gz", &mut |_| {}) {
        Err(Error::TooLarge { url, limit: 999 }) => assert!(url.ends_with("/big.mbox.gz")),
        other => panic!("{other:?}"),
    }
    let mut options = quick(&server.base, None);
    options.max_body = 1000;
    let client = Client::new(options).expect("client");
    let got = client.get_bytes("/big.mbox.gz", &mut |_| {}).expect("fits");
    assert_eq!(got.map(|b| b.len()), Some(1000));
}

#[test]
fn rate_limits_are_waited_for_up_to_the_ceiling() {
    // 429 asking for 1 s, then a success: waited for, with a countdown.
    let server = serve(vec![
        (429, vec![("Retry-After", "1".into())], "slow down".into()),
        (200, vec![], "{}".into()),
    ]);
    let client = Client::new(quick(&server.base, None)).expect("client");
    let mut waits = Vec::new();
    let page = client
        .get("/x", None, &mut |w| waits.push(w.seconds))
        .expect("after the wait");
    assert_eq!((page.body.as_str(), client.requests()), ("{}", 2));
    assert_eq!(waits, [1]);
    // 429 asking for two minutes with a ceiling of one: an error saying so, no wait.
    let server = serve(vec![(
        429,
        vec![("Retry-After", "120".into())],
        "slow down".into(),
    )]);
    let mut options = quick(&server.base, None);
    options.max_wait = Some(Duration::from_secs(60));
    let client = Client::new(options).expect("client");
    let err = client
        .get("/x", None, &mut |_| panic!("no wait"))
        .expect_err("over");
    assert!(
        err.to_string()
            .contains("asked to wait 120 s, more than the 60 s allowed"),
        "{err}"
    );
    // A 404 is no file for get_bytes, an error for get.
    let server = serve(vec![(404, vec![], "{\"message\": \"Not Found\"}".into())]);
    let client = Client::new(quick(&server.base, None)).expect("client");
    assert_eq!(client.get_bytes("/none", &mut |_| {}).expect("none"), None);
    assert_eq!(
        client
            .get("/none", None, &mut |_| {})
            .expect_err("404")
            .status(),
        Some(404)
    );
}

#[test]
fn server_errors_are_retried_then_given_up() {
    let server = serve(vec![
        (502, vec![], "bad gateway".into()),
        (200, vec![("ETag", "\"v1\"".into())], "[]".into()),
    ]);
    let client = Client::new(quick(&server.base, None)).expect("client");
    let page = client.get("/items", None, &mut |_| {}).expect("retried");
    assert_eq!(
        (page.etag.as_deref(), client.requests()),
        (Some("\"v1\""), 2)
    );
    let server = serve(vec![(503, vec![], "down".into())]);
    let mut options = quick(&server.base, None);
    options.retries = 2;
    let client = Client::new(options).expect("client");
    let err = client.get("/items", None, &mut |_| {}).expect_err("down");
    assert!(
        err.to_string().contains("HTTP 503 (after 2 retries)"),
        "{err}"
    );
    assert_eq!(client.requests(), 3);
}

#[test]
fn an_unreachable_host_is_given_up_for_the_run() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let client = Client::new(quick(&format!("http://127.0.0.1:{port}"), None)).expect("client");
    assert!(client.get("/a", None, &mut |_| {}).is_err());
    assert_eq!(client.requests(), 2, "one retry of a refused connection");
    let second = client.get("/b", None, &mut |_| {}).expect_err("not asked");
    assert!(
        second
            .to_string()
            .contains("unreachable earlier in this run"),
        "{second}"
    );
    assert_eq!(client.requests(), 2);
}

#[test]
fn the_request_cap_stops_a_run() {
    let server = serve(vec![(200, vec![], "[]".into())]);
    let mut options = quick(&server.base, None);
    options.max_requests = Some(1);
    let client = Client::new(options).expect("client");
    client.get("/a", None, &mut |_| {}).expect("first");
    assert!(matches!(
        client.get("/b", None, &mut |_| {}),
        Err(Error::MaxRequests(1))
    ));
}

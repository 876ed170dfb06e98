//! The list source on real archives (../shared/data/mbox/perceval/, from
//! GrimoireLab Perceval's tests), and the downloader against a local server
//! serving them as an archive would, faults included.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};
use upkeep_mail::archive::{Month, Source, index_months};
use upkeep_mail::fetch::{Downloader, Error, FetchOptions, Got};
use upkeep_mail::parse_mbox;

fn data(name: &str) -> Vec<u8> {
    let path = upkeep_testdata::path(&format!("mbox/perceval/{name}"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_pipermail_month_with_its_thread() {
    upkeep_testdata::needs_data!();
    let parsed = parse_mbox(&data("pipermail_2016_april.mbox")).expect("reads");
    assert!(parsed.skipped.is_empty());
    let m = &parsed.messages;
    assert_eq!(m.len(), 3);
    // `From: jgb at example.com (Jesus M. Gonzalez-Barahona)`: the address given back.
    assert_eq!(m[0].from_email, "jgb@example.com");
    assert_eq!(m[0].from_name, "Jesus M. Gonzalez-Barahona");
    assert_eq!(m[0].message_id, "1460624816.5581.114.camel@example.com");
    // Thu, 14 Apr 2016 11:06:56 +0200 = 09:06:56Z.
    assert_eq!((m[0].time, m[0].offset_minutes), (1_460_624_816, 120));
    assert_eq!(
        m[0].subject,
        "[Metrics-grimoire] [GrimoireLab] Presenting GrimoireLab"
    );
    assert_eq!(m[1].from_name, "Andy Grunwald");
    assert_eq!(
        m[1].in_reply_to.as_deref(),
        Some("1460624816.5581.114.camel@example.com")
    );
    // All three are one thread, rooted at the first message.
    for message in m {
        assert_eq!(
            message.thread_root(),
            "1460624816.5581.114.camel@example.com"
        );
    }
    assert_eq!(m[2].references.len(), 2);
}

#[test]
fn encodings_are_decoded_and_kept_byte_safe() {
    upkeep_testdata::needs_data!();
    // RFC 2047 in a comment: `(=?ISO-8859-1?Q?G=F6ran_Lastname?=)`.
    let single = parse_mbox(&data("mbox_single.mbox")).expect("reads");
    assert_eq!(single.messages[0].from_name, "Göran Lastname");
    assert_eq!(single.messages[0].from_email, "goran@domain.com");
    // Unknown raw bytes in a From name: kept (lossily), the message is not lost.
    let unknown = parse_mbox(&data("mbox_unknown_encoding.mbox")).expect("reads");
    assert_eq!(unknown.messages.len(), 1);
    assert_eq!(unknown.messages[0].from_email, "yuancong@example.com");
    assert_eq!(unknown.messages[0].offset_minutes, 480);
    assert_eq!(
        unknown.messages[0].list_id.as_deref(),
        Some("platform-swt-dev.eclipse.org")
    );
    // An encoded subject.
    let iso = parse_mbox(&data("mbox_iso8859_encoding.mbox")).expect("reads");
    assert_eq!(iso.messages[0].subject, "[ovs-dev] Remittance Advice");
    // Non-ASCII in the name of a multipart message's sender.
    let complex = parse_mbox(&data("mbox_complex.mbox")).expect("reads");
    assert_eq!(complex.messages.len(), 2);
    assert_eq!(complex.messages[1].from_name, "Danilo Šegan");
    assert_eq!(complex.messages[0].offset_minutes, -420);
}

#[test]
fn messages_without_an_id_or_a_date_are_counted_as_skipped() {
    upkeep_testdata::needs_data!();
    let parsed = parse_mbox(&data("mbox_no_fields.mbox")).expect("reads");
    // 6 messages: 2 whole, one without Date, one with an empty Date, one with
    // an empty Message-Id, and one whose Date has junk before it (still readable).
    assert_eq!(parsed.messages.len(), 3);
    assert_eq!(
        parsed
            .skipped
            .iter()
            .map(|(k, v)| (*k, *v))
            .collect::<Vec<_>>(),
        [("no Date", 2), ("no Message-ID", 1)]
    );
    let junk = &parsed.messages[2];
    assert_eq!(junk.subject, "[List-name] Invalid date");
    // RANDOM_Wed, 21 Sep 2016 22:42:07 +0300 = 19:42:07Z.
    assert_eq!((junk.time, junk.offset_minutes), (1_474_486_927, 180));
    assert_eq!(junk.from_name, "");
}

#[test]
fn index_pages_list_their_months() {
    upkeep_testdata::needs_data!();
    let pipermail = index_months(&String::from_utf8_lossy(&data("pipermail_index.html")));
    let months: Vec<(String, &str)> = pipermail
        .iter()
        .map(|(m, link)| (m.label(), link.as_str()))
        .collect();
    assert_eq!(
        months,
        [
            ("2015-11".to_owned(), "2015-November.txt.gz"),
            ("2016-03".to_owned(), "2016-March.txt"),
            ("2016-04".to_owned(), "2016-April.txt"),
        ]
    );
    let apache = index_months(&String::from_utf8_lossy(&data(
        "pipermail_apache_index.html",
    )));
    let months: Vec<(String, &str)> = apache
        .iter()
        .map(|(m, link)| (m.label(), link.as_str()))
        .collect();
    assert_eq!(
        months,
        [
            ("2015-11".to_owned(), "201511.mbox"),
            ("2016-03".to_owned(), "201603.mbox"),
            ("2016-04".to_owned(), "201604.mbox"),
        ]
    );
    assert!(
        index_months(&String::from_utf8_lossy(&data(
            "pipermail_index_empty.html"
        )))
        .is_empty()
    );
}

/// What the server answers for a path: a list of answers, the last repeated.
type Script = HashMap<String, Vec<(u16, Vec<u8>)>>;

/// Serves `script` on a local port; returns the base URL and the paths asked.
fn serve(script: Script) -> (String, Arc<Mutex<Vec<String>>>) {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("binds");
    let base = format!("http://{}", server.server_addr());
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&asked);
    std::thread::spawn(move || {
        let mut served: HashMap<String, usize> = HashMap::new();
        for request in server.incoming_requests() {
            let path = request.url().to_owned();
            log.lock().expect("log").push(path.clone());
            let (status, body) = match script.get(&path) {
                Some(answers) => {
                    let n = served.entry(path).or_default();
                    let answer = answers[(*n).min(answers.len() - 1)].clone();
                    *n += 1;
                    answer
                }
                None => (404, b"not found".to_vec()),
            };
            let mut response = tiny_http::Response::from_data(body).with_status_code(status);
            if status == 503 {
                response
                    .add_header(tiny_http::Header::from_bytes("Retry-After", "1").expect("header"));
            }
            let _ = request.respond(response);
        }
    });
    (base, asked)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("compresses");
    encoder.finish().expect("compresses")
}

fn quick() -> FetchOptions {
    FetchOptions {
        pause: std::time::Duration::ZERO,
        backoff: std::time::Duration::from_millis(10),
        retries: 3,
    }
}

#[test]
fn a_pipermail_archive_month_by_month_with_faults() {
    upkeep_testdata::needs_data!();
    let november = gzip(&data("pipermail_2015_november.mbox"));
    let cut = november[..november.len() / 2].to_vec();
    let script: Script = [
        (
            "/pipermail/dev/".to_owned(),
            vec![(200, data("pipermail_index.html"))],
        ),
        (
            "/pipermail/dev/2016-April.txt".to_owned(),
            vec![(503, Vec::new()), (200, data("pipermail_2016_april.mbox"))],
        ),
        (
            "/pipermail/dev/2015-November.txt.gz".to_owned(),
            vec![(200, cut)],
        ),
    ]
    .into_iter()
    .collect();
    let (base, asked) = serve(script);
    let source = Source::parse(&format!("{base}/pipermail/dev")).expect("a source");
    let mut downloader = Downloader::new(quick());
    let months = downloader
        .months(
            &source,
            Month {
                year: 2000,
                month: 1,
            },
            Month {
                year: 2026,
                month: 12,
            },
            &mut |_| {},
        )
        .expect("the index");
    assert_eq!(months.len(), 3);
    assert_eq!(
        months[2].url,
        format!("{base}/pipermail/dev/2016-April.txt")
    );
    // November: gzip cut off on every try → an error after three downloads.
    match downloader.month(&months[0], &mut |_| {}) {
        Err(Error::CutOff { attempts: 3, .. }) => {}
        other => panic!("expected a cut-off archive, got {other:?}"),
    }
    // March: not on the server → no messages that month.
    assert!(matches!(
        downloader.month(&months[1], &mut |_| {}),
        Ok(Got::Missing)
    ));
    // April: 503 (Retry-After: 1), then the file.
    match downloader.month(&months[2], &mut |_| {}) {
        Ok(Got::Messages(parsed)) => assert_eq!(parsed.messages.len(), 3),
        other => panic!("expected April's messages, got {other:?}"),
    }
    let asked = asked.lock().expect("log").clone();
    assert_eq!(
        asked
            .iter()
            .filter(|p| p.ends_with("2015-November.txt.gz"))
            .count(),
        3
    );
    assert_eq!(
        asked
            .iter()
            .filter(|p| p.ends_with("2016-April.txt"))
            .count(),
        2
    );
    assert_eq!(downloader.requests(), 1 + 3 + 1 + 2);
}

#[test]
fn hyperkitty_and_apache_lists_are_read_month_by_month() {
    upkeep_testdata::needs_data!();
    let script: Script = [(
        "/hyperkitty/list/dev@example.org/export/dev@example.org-2016-04.mbox.gz?start=2016-04-01&end=2016-05-01"
            .to_owned(),
        vec![(200, gzip(&data("hyperkitty_2016_april.mbox")))],
    )]
    .into_iter()
    .collect();
    let (base, _) = serve(script);
    let source =
        Source::parse(&format!("{base}/hyperkitty/list/dev@example.org/")).expect("a source");
    let mut downloader = Downloader::new(quick());
    let months = downloader
        .months(
            &source,
            Month {
                year: 2016,
                month: 3,
            },
            Month {
                year: 2016,
                month: 4,
            },
            &mut |_| {},
        )
        .expect("months");
    assert_eq!(months.len(), 2);
    assert!(matches!(
        downloader.month(&months[0], &mut |_| {}),
        Ok(Got::Missing)
    ));
    match downloader.month(&months[1], &mut |_| {}) {
        Ok(Got::Messages(parsed)) => {
            assert_eq!(parsed.messages.len(), 3);
            assert_eq!(parsed.messages[1].from_email, "andy@example.com");
        }
        other => panic!("expected April's messages, got {other:?}"),
    }
}

#[test]
fn a_compression_bomb_and_garbage_are_errors() {
    use std::io::Write;
    // 200 MB of zeros compress to about 200 KB: a thousandfold, refused
    // without inflating it whole.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..200 {
        gz.write_all(&zeros).expect("compresses");
    }
    let bomb = gz.finish().expect("compressed");
    let err = parse_mbox(&bomb).expect_err("a bomb");
    assert!(err.to_string().contains("inflates past"), "{err}");
    // Bytes that are no mbox: an error, not "0 messages, none skipped".
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    let err = parse_mbox(&garbage).expect_err("garbage");
    assert!(err.to_string().contains("not an mbox"), "{err}");
    // An empty archive (a month without mail) is no error.
    assert!(parse_mbox(b"").expect("empty").messages.is_empty());
}

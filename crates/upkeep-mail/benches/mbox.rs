//! Parsing a large mbox against `grep -c '^From '` over the same file.
//!
//! Builds a 1 GiB mbox (`UPKEEP_BENCH_MBOX_MB` to change its size) in a temp
//! directory from the real messages of ../shared/data/mbox/perceval/ (each
//! copy with its own Message-ID), then times, alternately and several times,
//! reading and parsing it with `upkeep_mail::parse_mbox` and counting its
//! `From ` lines with grep. Prints the median of each and messages per second.
//!
//! `cargo bench -p upkeep-mail --bench mbox`

use std::io::Write;
use std::process::Command;
use std::time::Instant;

const RUNS: usize = 5;

fn main() {
    let mb: usize = std::env::var("UPKEEP_BENCH_MBOX_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("big.mbox");
    let written = build(&path, mb << 20);
    println!("mbox: {} MiB, {written} messages", mb);
    let mut ours = Vec::new();
    let mut grep = Vec::new();
    let mut parsed = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let bytes = std::fs::read(&path).expect("reads");
        let result = upkeep_mail::parse_mbox(&bytes).expect("parses");
        parsed = result.messages.len();
        ours.push(started.elapsed().as_secs_f64());
        drop(result);
        let started = Instant::now();
        let out = Command::new("grep")
            .args(["-c", "^From "])
            .arg(&path)
            .output()
            .expect("grep runs");
        grep.push(started.elapsed().as_secs_f64());
        let counted: usize = String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .unwrap_or(0);
        assert!(counted >= written, "grep counted {counted}");
    }
    assert_eq!(parsed, written, "every message parsed");
    let (ours, grep) = (median(&mut ours), median(&mut grep));
    println!(
        "upkeep parse_mbox: median {ours:.2} s, {:.0} messages/s, {:.0} MiB/s",
        written as f64 / ours,
        mb as f64 / ours
    );
    println!(
        "grep -c '^From ': median {grep:.2} s, {:.0} messages/s, {:.0} MiB/s",
        written as f64 / grep,
        mb as f64 / grep
    );
    println!("upkeep / grep speed: {:.2}", grep / ours);
}

/// Writes copies of the fixture messages to `path` until it holds `bytes`;
/// returns how many messages it wrote.
fn build(path: &std::path::Path, bytes: usize) -> usize {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/mbox/perceval/"
    );
    let mut templates = Vec::new();
    for name in [
        "pipermail_2016_april.mbox",
        "pipermail_2015_november.mbox",
        "mbox_complex.mbox",
        "mbox_multipart.mbox",
        "mbox_unknown_encoding.mbox",
    ] {
        let data = std::fs::read(format!("{dir}{name}")).expect("a fixture");
        templates.extend(upkeep_split(&data));
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("creates"));
    let (mut written, mut size) = (0usize, 0usize);
    while size < bytes {
        for t in &templates {
            // A unique Message-ID per copy: `<n.` before the original id.
            let text = String::from_utf8_lossy(t);
            let copy = text.replacen("Message-ID: <", &format!("Message-ID: <{written}."), 1);
            out.write_all(copy.as_bytes()).expect("writes");
            out.write_all(b"\n").expect("writes");
            size += copy.len() + 1;
            written += 1;
        }
    }
    out.flush().expect("writes");
    written
}

/// The messages of an mbox, each with its `From ` line, as separate byte strings.
fn upkeep_split(data: &[u8]) -> Vec<Vec<u8>> {
    let text = String::from_utf8_lossy(data);
    let mut out: Vec<Vec<u8>> = Vec::new();
    for line in text.split_inclusive('\n') {
        if line.starts_with("From ") && line.contains(':') || out.is_empty() {
            out.push(Vec::new());
        }
        if let Some(last) = out.last_mut() {
            last.extend_from_slice(line.as_bytes());
        }
    }
    out
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

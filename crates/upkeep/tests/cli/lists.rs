//! `upkeep mine --list apache:…`: a list read month by month from a local
//! server standing in for Apache's list server (UPKEEP_APACHE_LISTS_URL),
//! serving real archives (../shared/data/mbox/perceval/): months over are
//! downloaded once, the current month again on each run.

use crate::common;
use crate::support;

use common::{Env, stderr};
use support::{Reply, Server};

fn mbox(name: &str) -> String {
    let path = upkeep_testdata::path(&format!("mbox/perceval/{name}"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `YYYY-MM` of the month `back` months before the current one.
fn month_back(back: i32) -> String {
    let today = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::UTC)
        .date();
    let index = i32::from(today.year()) * 12 + i32::from(today.month()) - 1 - back;
    format!("{:04}-{:02}", index / 12, index % 12 + 1)
}

#[test]
fn an_apache_list_month_by_month_and_incrementally() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    let server = Server::start();
    let route = |month: &str| format!("/api/mbox.lua?list=dev@kafka.apache.org&date={month}");
    // Two months ago: a thread of 3; last month: nothing there (404); this month: 1.
    server.route(
        &route(&month_back(2)),
        vec![Reply::json(200, mbox("pipermail_2016_april.mbox"))],
    );
    server.route(
        &route(&month_back(0)),
        vec![Reply::json(200, mbox("hyperkitty_2016_march.mbox"))],
    );
    let since = format!("{}-01", month_back(2));
    let run = || {
        let out = env
            .command(&[
                "mine",
                "--list",
                "apache:dev@kafka.apache.org",
                "--since",
                &since,
                "--format",
                "json",
            ])
            .env("UPKEEP_APACHE_LISTS_URL", &server.base)
            .env("UPKEEP_LIST_PAUSE_MS", "0")
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        v["lists"][0].clone()
    };
    let first = run();
    assert_eq!(first["source"], "apache:dev@kafka.apache.org");
    assert_eq!(
        (first["parts_read"].clone(), first["new_messages"].clone()),
        (3.into(), 4.into())
    );
    assert_eq!(first["requests"], 3);
    // Again: the two months over are not asked for; the current one is, and adds nothing.
    server.clear_log();
    let second = run();
    assert_eq!(
        (
            second["parts_read"].clone(),
            second["parts_unchanged"].clone(),
            second["new_messages"].clone()
        ),
        (1.into(), 2.into(), 0.into())
    );
    assert_eq!(server.log(), vec![route(&month_back(0))]);
}

#[test]
fn bad_list_arguments_say_what_a_list_is() {
    let env = Env::new();
    let out = env.run(&["mine", "--list", "apache:dev"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("as in apache:dev@kafka.apache.org"),
        "{}",
        stderr(&out)
    );
    let out = env.run(&["mine", "--list", "/no/such/file.mbox"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no such file or folder"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_folder_with_a_cut_off_archive_keeps_the_rest() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    let folder = april_folder(&env);
    // A gzip file cut in the middle.
    let mut gz = gzip(mbox("pipermail_2015_november.mbox").as_bytes());
    gz.truncate(gz.len() / 2);
    std::fs::write(folder.join("november.mbox.gz"), gz).expect("writes");
    let out = mine_folder(&env, &folder);
    // The run says it failed (a part is left for next time) but keeps what it read.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let list = &v["lists"][0];
    assert_eq!(list["new_messages"], 3);
    assert_eq!(list["failed"].as_array().map(Vec::len), Some(1));
    assert!(
        list["failed"][0][0]
            .as_str()
            .is_some_and(|p| p.ends_with("november.mbox.gz"))
    );
}

/// A folder `archive` holding one month (`2016/april.mbox`, 3 messages).
fn april_folder(env: &Env) -> std::path::PathBuf {
    let folder = env.path("archive");
    std::fs::create_dir_all(folder.join("2016")).expect("creates");
    let april = mbox("pipermail_2016_april.mbox");
    std::fs::write(folder.join("2016/april.mbox"), april).expect("writes");
    folder
}

/// `mine --list FOLDER --format json`.
fn mine_folder(env: &Env, folder: &std::path::Path) -> std::process::Output {
    let folder = folder.to_str().expect("utf-8");
    let args = ["mine", "--list", folder, "--format", "json"];
    env.command(&args).output().expect("runs")
}

/// A gzip stream of `bytes`, written with the `gzip` command (no compression crate in this test).
fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut child = std::process::Command::new("gzip")
        .arg("-c")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("gzip");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(bytes)
        .expect("writes");
    child.wait_with_output().expect("gzip").stdout
}

#[test]
fn a_folder_with_a_link_loop_and_a_device_ends_and_keeps_the_rest() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    let folder = april_folder(&env);
    // A link back to the folder (a loop) and a link to a device.
    std::os::unix::fs::symlink(&folder, folder.join("2016/again")).expect("links");
    std::os::unix::fs::symlink("/dev/zero", folder.join("zero.mbox")).expect("links");
    let out = mine_folder(&env, &folder);
    // Ends; the device is a failed part, the archive read once.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let list = &v["lists"][0];
    assert_eq!(list["new_messages"], 3);
    let failed = list["failed"].to_string();
    assert!(
        failed.contains("zero.mbox") && failed.contains("not a regular file"),
        "{failed}"
    );
}

#[test]
fn a_fifo_given_as_the_list_is_named_as_one_and_not_read() {
    let env = Env::new();
    let fifo = env.dir.path().join("list.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    // Opening a FIFO would wait for a writer forever: this run must end.
    let out = mine_folder(&env, &fifo);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let failed = v["lists"][0]["failed"].to_string();
    assert!(
        failed.contains("a FIFO, not a regular file: not read, as it may never end"),
        "{failed}"
    );
}

//! `upkeep brief`: a history built across two quarters of 2025, every
//! sentence's numbers worked out by hand; an empty quarter; the errors.
//!
//! 2025-Q2: Ann (acme.example) commits on 04-10, 05-10 and 06-01, Bob
//! (gmail.com) on 05-20; v1.0 is tagged on Ann's commit of 06-01. 2025-Q3:
//! Ann commits on 07-10 and 09-01, Cid (initech.example) on 08-10; v1.1 is
//! tagged on Ann's commit of 09-01. Zed (example.com) commits every one of them: he lands the others'
//! work (a maintainer in both quarters), and the lightweight tags are his.

use crate::common;

use common::{Env, commit_as, git, stderr};
use std::path::{Path, PathBuf};

fn history(env: &Env) -> PathBuf {
    let repo = env.path("widget");
    std::fs::create_dir_all(&repo).expect("dir");
    git(&repo, &["init", "-q", "-b", "main"]);
    let ann = "Ann <ann@acme.example>";
    commit_as(&repo, "2025-04-10T10:00:00Z", ann, "a");
    commit_as(&repo, "2025-05-10T10:00:00Z", ann, "b");
    commit_as(&repo, "2025-05-20T10:00:00Z", "Bob <bob@gmail.com>", "c");
    commit_as(&repo, "2025-06-01T10:00:00Z", ann, "d");
    git(&repo, &["tag", "v1.0"]);
    commit_as(&repo, "2025-07-10T10:00:00Z", ann, "e");
    commit_as(
        &repo,
        "2025-08-10T10:00:00Z",
        "Cid <cid@initech.example>",
        "f",
    );
    commit_as(&repo, "2025-09-01T10:00:00Z", ann, "g");
    git(&repo, &["tag", "v1.1"]);
    repo
}

fn brief(env: &Env, repo: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["brief", repo.to_str().expect("utf-8")];
    args.extend_from_slice(extra);
    env.run(&args)
}

#[test]
fn a_quarter_against_the_one_before_worked_out_by_hand() {
    let env = Env::new();
    let repo = history(&env);
    let out = brief(&env, &repo, &["--quarter", "2025-Q3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    for sentence in [
        "# widget: 2025-Q3",
        // Zed landed the others' work in both quarters.
        "1 maintainer at the end of 2025-Q3, 1 at the end of 2025-Q2. None joined. None left.",
        // Q3: Ann (returning) and Cid (new); Bob, active in Q2, is gone.
        "2 people contributed commits in 2025-Q3 (2 in 2025-Q2): 1 new, 1 returning; 1 who contributed in 2025-Q2 did not in 2025-Q3.",
        "1 release in 2025-Q3: v1.1 (2025-09-01), by Zed (1).",
        "No forge data: response times are unknown.",
        "No mailing-list traffic (or no list mined).",
        // Work in Q3: 3 commits (Ann 2, Cid 1), 3 landed by Zed, v1.1 = 7:
        // initech.example 1/7 = 14%. Q2: 4 commits (Ann 3, Bob 1), 4 landed,
        // v1.0 = 9: independent (Bob) 1/9 = 11%; acme.example moved from
        // 3/9 to 2/7, under 5 points; Zed's example.com from 5/9 to 4/7.
        "Shares of the work that moved since 2025-Q2: initech.example rose from 0% to 14% and independent fell from 11% to 0%.",
        // Both quarters raise the same flags (bus factor 1 among them).
        "No flag was raised or cleared; 5 still stand.",
    ] {
        assert!(text.contains(sentence), "{sentence:?} in\n{text}");
    }
    assert!(text.contains("## Definitions"), "{text}");
    assert!(text.contains("[maintainers](#maintainers)"), "{text}");
}

#[test]
fn an_empty_quarter_reads_as_such_and_bad_input_says_what_is_accepted() {
    let env = Env::new();
    let repo = history(&env);
    let out = brief(&env, &repo, &["--quarter", "2024-Q3", "--template", "asf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    for line in [
        "## Project Status",
        "## Membership Data",
        "0 maintainers at the end of 2024-Q3, 0 at the end of 2024-Q2. None joined. None left.",
        "Nobody contributed commits in 2024-Q3 or 2024-Q2.",
        "No release in 2024-Q3.",
        "No flag is raised.",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    let out = brief(&env, &repo, &["--quarter", "2999-Q1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("2999-Q1 has not begun"),
        "{}",
        stderr(&out)
    );
    let out = brief(&env, &repo, &["--quarter", "Q3"]);
    assert!(
        stderr(&out).contains("expected YEAR-Qn, such as 2026-Q3"),
        "{}",
        stderr(&out)
    );
    let out = brief(&env, &repo, &["--template", "board"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("asf") && err.contains("cncf") && err.contains("plain"),
        "{err}"
    );
}

#[test]
fn html_is_one_page_with_links_to_the_definitions() {
    let env = Env::new();
    let repo = history(&env);
    let out = brief(
        &env,
        &repo,
        &[
            "--quarter",
            "2025-Q3",
            "--template",
            "cncf",
            "--format",
            "html",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(html.contains("<h2>Maintainers</h2>"), "{html}");
    assert!(
        html.contains("<a href=\"#def-maintainers\">maintainers</a>"),
        "{html}"
    );
    assert!(html.contains("<dt id=\"def-maintainers\">"), "{html}");
    assert!(html.contains("Content-Security-Policy"), "{html}");
}

//! `upkeep publish`: a static site of the projects of upkeep.toml, written
//! once and left alone when nothing changed.

use crate::common;

use common::{Env, stderr};

#[test]
fn a_site_of_pages_json_and_badges_rewritten_only_when_changed() {
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    let config = env.path("upkeep.toml");
    std::fs::write(
        &config,
        format!(
            "[organization]\nname = \"example.com\"\n\n[[projects]]\nname = \"hub\"\nrepositories = [{:?}]\n",
            repo.display().to_string()
        ),
    )
    .expect("writes");
    let site = env.path("site");
    let run = || publish_json(&env, &site, &config);
    let first = run();
    let mut written: Vec<&str> = first["written"]
        .as_array()
        .expect("written")
        .iter()
        .filter_map(|w| w.as_str())
        .collect();
    written.sort();
    // The report page and JSON, the brief (Markdown, HTML), eight badges in
    // two forms, the ledger, the index.
    assert_eq!(written.len(), 2 + 2 + 16 + 2 + 1, "{written:?}");
    for f in [
        "index.html",
        "hub/index.html",
        "hub/report.json",
        "hub/brief.md",
        "hub/brief.html",
        "hub/badges/bus-factor.svg",
        "hub/badges/bus-factor.json",
        "hub/contributions.html",
        "hub/contributions.json",
    ] {
        assert!(written.contains(&f), "{f} in {written:?}");
    }
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("hub/report.json")).expect("reads"))
            .expect("json");
    // Alice 3 of 7 credits (bob's commit is eve's too): bus factor 2.
    assert_eq!(report["metrics"]["bus_factor"]["value"], 2.0);
    let badge = std::fs::read_to_string(site.join("hub/badges/bus-factor.svg")).expect("reads");
    assert!(
        badge.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{badge}"
    );
    assert!(badge.contains("<title>bus factor: 2 (as of "), "{badge}");
    assert!(badge.contains("#fe7d37"), "orange: two people");
    let endpoint: serde_json::Value = serde_json::from_slice(
        &std::fs::read(site.join("hub/badges/bus-factor.json")).expect("reads"),
    )
    .expect("json");
    assert_eq!(
        endpoint,
        serde_json::json!({"schemaVersion": 1, "label": "bus factor", "message": "2", "color": "fe7d37"})
    );
    let index = std::fs::read_to_string(site.join("index.html")).expect("reads");
    assert!(
        index.contains("<a href=\"hub/index.html\">hub</a>"),
        "{index}"
    );
    // Sortable without a script: a table per order, each heading linking to
    // its table; the signals as a heat map (bus factor 2: close to one).
    for key in ["name", "state", "bus_factor", "first_response", "flags"] {
        assert!(index.contains(&format!("id=\"by-{key}\"")), "{key}");
        assert!(index.contains(&format!("href=\"#by-{key}\"")), "{key}");
    }
    assert!(
        index.contains("<td class=\"tone-warning\" title=\"warning\">2</td>"),
        "{index}"
    );
    // Nothing changed: nothing is written again.
    let second = run();
    assert_eq!(second["written"], serde_json::json!([]));
    assert_eq!(second["unchanged"], 23);
}

/// `publish --format json` of the projects of `config` into `site`, over 2020.
fn publish_json(env: &Env, site: &std::path::Path, config: &std::path::Path) -> serde_json::Value {
    let out = publish(env, site, config, &["--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("json")
}

/// `publish` of the projects of `config` into `site` over 2020, without the
/// forge, with `extra` arguments.
fn publish(
    env: &Env,
    site: &std::path::Path,
    config: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "publish",
        site.to_str().expect("utf-8"),
        "--config",
        config.to_str().expect("utf-8"),
        "--since",
        "2020-01-01",
        "--until",
        "2021-01-01",
        "--no-forge",
    ];
    args.extend_from_slice(extra);
    env.run(&args)
}

/// `publish` of the projects `names` (each of the community fixture) into `site`.
fn publish_projects(env: &Env, names: &[&str]) -> (std::process::Output, std::path::PathBuf) {
    let repo = env.fixture("make_community.sh", "community");
    let config = env.path("upkeep.toml");
    let mut text = String::new();
    for name in names {
        text.push_str(&format!(
            "[[projects]]\nname = {name:?}\nrepositories = [{:?}]\n\n",
            repo.display().to_string()
        ));
    }
    std::fs::write(&config, text).expect("writes");
    let site = env.path("site");
    (publish(env, &site, &config, &[]), site)
}

#[test]
fn a_project_name_cannot_escape_the_site() {
    for (name, line) in [
        ("../escape", 6),
        ("/tmp/abs", 6),
        ("a/b", 6),
        (".hidden", 6),
    ] {
        let env = Env::new();
        let (out, site) = publish_projects(&env, &["fine", name]);
        assert!(!out.status.success(), "{name}");
        let err = stderr(&out);
        // The error names the file, the line of the name, and the name.
        assert!(err.contains(&format!("upkeep.toml:{line}:")), "{err}");
        assert!(err.contains(&format!("{name:?}")), "{err}");
        // Nothing was written, inside or outside the site.
        assert!(!site.exists(), "{name}");
        assert!(!env.path("escape").exists() && !site.join("..").join("escape").exists());
    }
}

#[test]
fn index_links_are_url_encoded() {
    let env = Env::new();
    let (out, site) = publish_projects(&env, &["hub #1?"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.join("hub #1?").join("index.html").exists());
    let index = std::fs::read_to_string(site.join("index.html")).expect("index");
    assert!(
        index.contains("href=\"hub%20%231%3F/index.html\""),
        "{index}"
    );
    assert!(
        index.contains("href=\"hub%20%231%3F/report.json\""),
        "{index}"
    );
}

#[test]
fn of_many_projects_only_the_one_that_changed_is_rewritten() {
    use common::{git, git_at};
    let env = Env::new();
    let commit = |repo: &std::path::Path, date: &str, file: &str| {
        std::fs::write(repo.join(file), file).expect("writes");
        git(repo, &["add", file]);
        git_at(
            repo,
            date,
            &[
                "commit",
                "-q",
                "--author",
                "Ann <ann@acme.example>",
                "-m",
                file,
            ],
        );
    };
    let names = ["alpha", "beta", "gamma", "delta", "epsilon"];
    let mut config = String::new();
    for name in names {
        let repo = env.path(name);
        std::fs::create_dir_all(&repo).expect("dir");
        git(&repo, &["init", "-q", "-b", "main"]);
        commit(&repo, "2020-03-01T10:00:00Z", "a");
        config.push_str(&format!(
            "[[projects]]\nname = {name:?}\nrepositories = [{:?}]\n\n",
            repo.display().to_string()
        ));
    }
    let config_path = env.path("upkeep.toml");
    std::fs::write(&config_path, config).expect("writes");
    let site = env.path("site");
    let run = || {
        let json = publish_json(&env, &site, &config_path);
        let mut written: Vec<String> = json["written"]
            .as_array()
            .expect("written")
            .iter()
            .filter_map(|w| w.as_str().map(str::to_owned))
            .collect();
        written.sort();
        (written, json["unchanged"].as_u64().expect("unchanged"))
    };
    let (first, _) = run();
    // Per project: page, JSON, brief (2), 8 badges in two forms; one index.
    assert_eq!(first.len(), names.len() * 20 + 1, "{first:?}");
    // Beta gains a commit: its page, its JSON and the index change, and no
    // other project's file is written.
    commit(&env.path("beta"), "2020-06-01T10:00:00Z", "b");
    let (second, unchanged) = run();
    assert!(second.contains(&"beta/index.html".to_owned()), "{second:?}");
    assert!(
        second.contains(&"beta/report.json".to_owned()),
        "{second:?}"
    );
    assert!(second.contains(&"index.html".to_owned()), "{second:?}");
    assert!(
        second
            .iter()
            .all(|f| f == "index.html" || f.starts_with("beta/")),
        "{second:?}"
    );
    assert_eq!(second.len() as u64 + unchanged, first.len() as u64);
}

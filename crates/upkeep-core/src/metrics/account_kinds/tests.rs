use super::*;
use crate::metrics::items::Action;
use crate::metrics::on;

fn bot(mut c: Contribution) -> Contribution {
    c.bot = true;
    c
}

fn pr(author: &str, date: &str, bot: bool) -> Item {
    Item {
        number: 1,
        kind: ItemKind::PullRequest,
        author: Some(author.into()),
        author_bot: bot,
        author_maintains: false,
        assignees: Vec::new(),
        created: on("x", date).time,
        closed: None,
        merged: None,
        key: None,
        first_commit: None,
        merged_by: None,
        labels: Vec::new(),
        actions: Vec::<Action>::new(),
    }
}

fn review(person: &str, date: &str, bot: bool) -> Review {
    Review {
        person: person.into(),
        organization: None,
        time: on("x", date).time,
        bot,
        of: None,
    }
}

#[test]
fn people_bots_and_agents_apart_and_assisted_work_beside() {
    // ann: 3 commits in Q1, one co-authored by Claude (an agent contribution,
    // and an AI-assisted commit); Copilot authors one in Q2; dependabot two.
    let contributions = vec![
        on("ann", "2025-01-10"),
        on("ann", "2025-02-10"),
        on("ann", "2025-03-10"),
        bot(on("noreply@anthropic.com", "2025-03-10")),
        bot(on("copilot", "2025-04-10")),
        bot(on("dependabot", "2025-01-20")),
        bot(on("dependabot", "2025-05-20")),
    ];
    // Copilot's reviewer reviews Copilot's pull request on the forge.
    let mut agents_pr = pr("copilot-swe-agent[bot]", "2025-04-01", true);
    agents_pr.actions = vec![Action {
        kind: crate::events::ActivityKind::Review,
        person: Some("copilot-pull-request-reviewer[bot]".into()),
        bot: true,
        time: on("x", "2025-04-02").time,
    }];
    let items = [pr("ann", "2025-02-01", false), agents_pr];
    let reviews = [review("bob", "2025-02-02", false)];
    let agents = [
        "noreply@anthropic.com",
        "copilot",
        "copilot-swe-agent[bot]",
        "copilot-pull-request-reviewer[bot]",
    ];
    let kind_of = |p: &str| match p {
        p if agents.contains(&p) => AccountKind::Agent,
        "dependabot" => AccountKind::Bot,
        _ => AccountKind::Person,
    };
    let m = compute(&Inputs {
        contributions: &contributions,
        reviews: &reviews,
        items: &items,
        assisted: &[on("ann", "2025-03-10").time],
        agent_commits: &[on("copilot", "2025-04-10").time],
        kind_of: &kind_of,
        window: Window {
            since: on("x", "2025-01-01").time,
            until: on("x", "2026-01-01").time,
        },
    });
    let w = &m.details.window;
    assert_eq!(
        w.commits,
        ByKind {
            people: 3,
            bots: 2,
            agents: 2
        }
    );
    assert_eq!((w.agent_commits, w.ai_assisted_commits), (1, 1));
    assert_eq!(
        w.pull_requests,
        ByKind {
            people: 1,
            bots: 0,
            agents: 1
        }
    );
    assert_eq!(
        w.reviews,
        ByKind {
            people: 1,
            bots: 0,
            agents: 1
        }
    );
    // (1 authored by an agent + 1 assisted) of (3 by people + 1 by an agent).
    assert_eq!(m.value, Some(0.5));
    let quarters: Vec<(&str, u64, u64)> = m
        .details
        .quarters
        .iter()
        .map(|q| (q.quarter.as_str(), q.commits.people, q.commits.agents))
        .collect();
    assert_eq!(quarters, [("2025-Q1", 3, 1), ("2025-Q2", 0, 1)]);
    assert_eq!(m.details.agents.len(), 4);
}

#[test]
fn agents_pull_requests_and_the_maintainer_time_they_draw() {
    // Copilot opens two pull requests in the window; mia reviews one and
    // comments on it, then merges it; one of ann's is not an agent's.
    let mut merged = pr("copilot-swe-agent[bot]", "2025-02-01", true);
    merged.merged = Some(on("x", "2025-02-03").time);
    let act = |kind, person: &str, date: &str| Action {
        kind,
        person: Some(person.into()),
        bot: false,
        time: on("x", date).time,
    };
    merged.actions = vec![
        act(crate::events::ActivityKind::Review, "mia", "2025-02-02"),
        act(crate::events::ActivityKind::Comment, "mia", "2025-02-02"),
        act(crate::events::ActivityKind::Comment, "ann", "2025-02-02"),
    ];
    let items = [
        merged,
        pr("copilot-swe-agent[bot]", "2025-03-01", true),
        pr("ann", "2025-03-02", false),
    ];
    let window = Window {
        since: on("x", "2025-01-01").time,
        until: on("x", "2026-01-01").time,
    };
    // Four maintainer-months: 2 agent pull requests → 0.5 each.
    let prs = agent_prs(
        &items,
        &|p| p.starts_with("copilot"),
        &|p, _| p == "mia",
        4,
        window,
    );
    assert_eq!(
        prs,
        AgentPrs {
            opened: 2,
            merged: 1,
            merge_rate: Some(0.5),
            maintainer_acts: 2,
            per_active_maintainer_month: Some(0.5),
        }
    );
}

use super::*;
use crate::events::ActivityKind;
use crate::metrics::fixtures::{act, at, item, merged_pr, year_2025};
use crate::metrics::on;
use crate::metrics::report::forge_contributions;

fn post(person: &str, date: &str, patch: bool) -> Post {
    Post {
        id: format!("{person}-{date}"),
        in_reply_to: None,
        first_reference: None,
        person: Some(person.into()),
        bot: false,
        time: at(date),
        subject: "hello".into(),
        patch,
        reviewers: Vec::new(),
    }
}

#[test]
fn users_who_became_contributors_per_cohort() {
    let mut good = item(10, ItemKind::Issue, "maint", "2025-06-01", vec![]);
    good.labels = vec!["good first issue".into()];
    good.assignees = vec!["victor".into()];
    let mut helped = item(11, ItemKind::Issue, "maint", "2025-06-02", vec![]);
    helped.labels = vec!["help wanted".into()];
    helped.assignees = vec!["zed".into()];
    let mut bug = item(12, ItemKind::Issue, "maint", "2025-06-03", vec![]);
    bug.labels = vec!["bug".into()];
    let items = vec![
        // Ursula comments first, then has two pull requests, one merged.
        item(
            1,
            ItemKind::Issue,
            "yuri",
            "2024-06-01",
            vec![act(ActivityKind::Comment, "ursula", "2025-02-01")],
        ),
        merged_pr(2, "ursula", "2025-03-01", "maint", "2025-03-05", vec![]),
        item(3, ItemKind::PullRequest, "ursula", "2025-05-10", vec![]),
        // Victor only reports an issue.
        item(4, ItemKind::Issue, "victor", "2025-04-02", vec![]),
        good,
        helped,
        bug,
    ];
    let contributions = vec![on("xena", "2025-01-05"), on("maint", "2020-01-01")];
    // Walt writes to the list, then posts a patch that never lands.
    let posts = vec![
        post("walt", "2025-04-10", false),
        post("walt", "2025-04-20", true),
    ];
    let forge = forge_contributions(&items);
    let mut first: HashMap<String, i64> = HashMap::new();
    for (p, t) in forge
        .iter()
        .map(|o| (o.person.clone(), o.time))
        .chain(contributions.iter().map(|c| (c.person.clone(), c.time)))
    {
        let e = first.entry(p).or_insert(t);
        *e = (*e).min(t);
    }
    let labels: Vec<String> = GOOD_FIRST_LABELS.iter().map(|l| (*l).to_owned()).collect();
    let m = compute(&Inputs {
        contributions: &contributions,
        forge: &forge,
        items: &items,
        posts: &posts,
        first: &first,
        good_first_labels: &labels,
        window: year_2025(),
    });
    let d = &m.details;
    // Ursula, Victor and Walt first appeared as users; Xena came with a
    // commit, Yuri before the window.
    assert_eq!(d.reached, vec![3, 2, 1, 1]);
    assert_eq!(d.drop_off, vec![0.333, 0.5, 0.0]);
    assert_eq!(m.value, Some(0.333));
    let cohorts: Vec<(&str, &[u64], &[f64])> = d
        .cohorts
        .iter()
        .map(|c| {
            (
                c.quarter.as_str(),
                c.reached.as_slice(),
                c.drop_off.as_slice(),
            )
        })
        .collect();
    assert_eq!(
        cohorts,
        vec![
            ("2025-Q1", &[1, 1, 1, 1][..], &[0.0, 0.0, 0.0][..]),
            ("2025-Q2", &[2, 1, 0, 0][..], &[0.5, 1.0, 0.0][..]),
        ]
    );
    // Two issues offered; Victor had contributed before his, Zed had not.
    assert_eq!(
        (
            d.good_first.offered,
            d.good_first.taken,
            d.good_first.taken_by_newcomers
        ),
        (2, 2, 1)
    );
}

//! `engagement`: hand-recorded entries by our people — talks, blog posts,
//! meetups, office hours — from `[[engagement]]` in upkeep.toml or an imported
//! CSV, and our people's posts on the upstreams' mailing lists, each counted once.

use super::{Credit, Inputs, Produced};
use std::collections::BTreeMap;

/// The definition of `engagement`.
pub const DEFINITION: &str = "hand-recorded entries (talks, blog posts, meetups, office hours, …) by our people, each once, on its date, and their posts on the upstreams' mailing lists (each message once, by Message-ID)";

/// The credits of `engagement`, and the entries in the window by kind.
pub fn engagement(inputs: &Inputs<'_>) -> Produced {
    let mut by_kind: BTreeMap<&str, u64> = BTreeMap::new();
    let mut credits = Vec::new();
    for e in inputs
        .engagement
        .iter()
        .filter(|e| (inputs.ours)(&e.person, e.time))
    {
        if inputs.window.contains(e.time) {
            *by_kind.entry(&e.kind).or_default() += 1;
        }
        credits.push(Credit {
            key: format!("{} {} {} {}", e.time, e.kind, e.url, e.person),
            upstream: e.upstream.clone(),
            person: e.person.clone(),
            time: e.time,
            what: format!("{}: {}", e.kind, e.url),
        });
    }
    let mut list_posts = 0u64;
    for u in inputs.upstreams {
        for p in u.posts.iter().filter(|p| !p.bot) {
            let Some(person) = p.person.as_deref().filter(|who| (inputs.ours)(who, p.time)) else {
                continue;
            };
            if inputs.window.contains(p.time) {
                list_posts += 1;
                *by_kind.entry("list post").or_default() += 1;
            }
            credits.push(Credit {
                key: format!("{} list:{}", u.name, p.id),
                upstream: u.name.clone(),
                person: person.to_owned(),
                time: p.time,
                what: format!("list post: {}", p.subject),
            });
        }
    }
    Produced {
        credits,
        extra: BTreeMap::from([
            ("by_kind", serde_json::json!(by_kind)),
            ("list_posts", serde_json::json!(list_posts)),
        ]),
    }
}

#[cfg(test)]
mod tests {
    use crate::ledger::Engagement;
    use crate::ledger::testing::*;

    #[test]
    fn entries_by_ours_each_once() {
        let mut w = World::new("2026-01-01", "2026-04-01");
        w.joins("ann", "2026-02-01");
        let entry = |person: &str, date: &str, kind: &str| Engagement {
            time: day(date),
            person: person.into(),
            upstream: "o/r".into(),
            kind: kind.into(),
            url: format!("https://example.org/{date}"),
        };
        // ann's talk before she joined does not count; her post and meetup do; bob is not ours.
        w.engagement = vec![
            entry("ann", "2026-01-20", "talk"),
            entry("ann", "2026-02-05", "blog post"),
            entry("ann", "2026-03-05", "meetup"),
            entry("bob", "2026-03-06", "talk"),
        ];
        let kpi = w.kpi("engagement");
        assert_eq!(kpi.counts.by_period, vec![0, 1, 1]);
        assert_eq!(
            kpi.extra["by_kind"],
            serde_json::json!({"blog post": 1, "meetup": 1})
        );
    }
}

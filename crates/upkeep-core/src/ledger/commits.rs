//! `commits`: non-merge commits authored by our people, on the commit's
//! date; commits on which one of ours is credited only by a
//! `Co-authored-by` trailer count too, and are reported apart.

use super::{Credit, Inputs, Produced, ours_at, short};
use std::collections::BTreeMap;

/// The definition, as the ledger states it.
pub const DEFINITION: &str = "non-merge commits authored by our people (affiliated with us on the commit's date); commits where one of ours is only a Co-authored-by are credited too and reported apart (extra.co_authored); bots never count";

/// The credits: one per commit and person of ours who authored or co-authored it.
pub fn commits(inputs: &Inputs<'_>) -> Produced {
    let mut credits = Vec::new();
    let (mut authored, mut co_authored) = (0u64, 0u64);
    for u in inputs.upstreams {
        for c in u
            .commits
            .iter()
            .filter(|c| !c.merge && inputs.window.contains(c.time))
        {
            let key = format!("{}@{}", u.name, short(&c.id));
            let by_us = ours_at(inputs, c.author.as_deref(), c.author_bot, c.time);
            if let (true, Some(author)) = (by_us, &c.author) {
                authored += 1;
                credits.push(Credit {
                    key: key.clone(),
                    upstream: u.name.clone(),
                    person: author.clone(),
                    time: c.time,
                    what: format!("authored {}", short(&c.id)),
                });
            }
            let co: Vec<&String> = c
                .co_authors
                .iter()
                .filter(|p| Some(*p) != c.author.as_ref() && (inputs.ours)(p, c.time))
                .collect();
            if !by_us && !co.is_empty() {
                co_authored += 1;
            }
            for person in co {
                credits.push(Credit {
                    key: key.clone(),
                    upstream: u.name.clone(),
                    person: person.clone(),
                    time: c.time,
                    what: format!("co-authored {}", short(&c.id)),
                });
            }
        }
    }
    Produced {
        credits,
        extra: BTreeMap::from([
            ("authored", serde_json::json!(authored)),
            ("co_authored", serde_json::json!(co_authored)),
        ]),
    }
}

#[cfg(test)]
mod tests {
    use crate::ledger::testing::*;

    #[test]
    fn an_employee_who_joined_mid_window_and_a_co_authored_commit() {
        // ann joins us on 2026-02-01. She commits on 01-15 (not ours yet), 02-10 and 03-10;
        // bob (never ours) commits on 02-20 with ann as co-author; a merge by ann on 03-12
        // does not count. Months: Jan 0, Feb 2 (ann's, bob's co-authored), Mar 1.
        let mut w = World::new("2026-01-01", "2026-04-01");
        w.joins("ann", "2026-02-01");
        w.commit("ann", "2026-01-15");
        w.commit("ann", "2026-02-10");
        w.commit("ann", "2026-03-10");
        w.commit("bob", "2026-02-20").co_authors = vec!["ann".into()];
        w.commit("ann", "2026-03-12").merge = true;
        let kpi = w.kpi("commits");
        assert_eq!(kpi.counts.total, 3);
        assert_eq!(kpi.counts.by_period, vec![0, 2, 1]);
        assert_eq!(kpi.extra["authored"], 2);
        assert_eq!(kpi.extra["co_authored"], 1);
        let people: Vec<&str> = kpi.credits.iter().map(|c| c.person.as_str()).collect();
        assert_eq!(people, ["ann", "ann", "ann"]);
    }
}

//! Mailing lists, over the window `[since, until)`: posts and threads (per
//! quarter too); the people posting and the list's bus factor (the fewest
//! people making half of the posts, the headline value); time to the first
//! reply by someone else on threads started by non-maintainers (median, p90,
//! never answered); patches posted (threads whose first message carries
//! `[PATCH …]`) and reviewed on the list (a reply, or a `Reviewed-by:` /
//! `Acked-by:` naming someone, other than the patch's author), who reviews
//! them, and which reached a commit (a commit's `Discussion:` link names a
//! message of the thread, or a commit's subject is the patch's). Bots are
//! left out.

use super::items::{Durations, IsMaintainer};
use super::{Definition, Metric, Window, cover, quarter, ranked};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One message, its sender resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Post {
    /// Its Message-ID.
    pub id: String,
    /// The message it answers.
    pub in_reply_to: Option<String>,
    /// Its thread's oldest reference (the root, when the thread is whole).
    pub first_reference: Option<String>,
    /// The sender's key (`None` when nobody can be told: no address, no name).
    pub person: Option<String>,
    /// Whether the sender is a bot.
    pub bot: bool,
    /// When, seconds since the epoch.
    pub time: i64,
    /// The subject.
    pub subject: String,
    /// Whether it carries a patch (`[PATCH …]`, not a reply).
    pub patch: bool,
    /// People its body names as reviewers.
    pub reviewers: Vec<String>,
}

/// What commits say of list threads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Landings {
    /// Message-IDs named by commits' `Discussion:` links.
    pub discussed: BTreeSet<String>,
    /// Subjects of commits, as written.
    pub subjects: BTreeSet<String>,
}

impl Landings {
    /// The message id of a `Discussion:` link: `https://postgr.es/m/<id>`,
    /// `…/message-id/<id>`, `<id>`, or a bare id.
    pub fn message_id(link: &str) -> Option<String> {
        let link = link.trim().trim_start_matches('<').trim_end_matches('>');
        let id = ["/m/", "/message-id/", "/thread/"]
            .iter()
            .find_map(|marker| link.rfind(marker).map(|at| &link[at + marker.len()..]))
            .unwrap_or(link);
        let id = id.trim_end_matches('/').replace("%40", "@");
        id.contains('@').then_some(id)
    }
}

/// Posts and threads of one quarter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct QuarterPosts {
    /// `2024-Q1`.
    pub quarter: String,
    /// Messages posted.
    pub posts: u64,
    /// Threads started.
    pub threads: u64,
    /// People posting.
    pub people: u64,
}

/// The figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Details {
    /// Messages in the window (bots left out).
    pub posts: u64,
    /// Threads started in the window.
    pub threads: u64,
    /// People who posted.
    pub people: u64,
    /// The people making up the list's bus factor: `[key, posts]`.
    pub top_posters: Vec<(String, u64)>,
    /// Per quarter of the window.
    pub quarters: Vec<QuarterPosts>,
    /// Threads started in the window by non-maintainers.
    pub non_maintainer_threads: u64,
    /// Their time to the first reply by someone else.
    pub first_reply: Durations,
    /// Of them, never answered before the window's end.
    pub never_answered: u64,
    /// Patch threads started in the window.
    pub patches_posted: u64,
    /// Of them, reviewed on the list by someone other than their author.
    pub patches_reviewed: u64,
    /// Of them, reached a commit (by `Discussion:` link or subject).
    pub patches_committed: u64,
    /// Who reviewed patches on the list: `[key, patch threads reviewed]`.
    pub reviewers: Vec<(String, u64)>,
}

/// A thread: its messages in time order (indices into the posts).
struct Thread {
    root: String,
    posts: Vec<usize>,
}

/// The threads of `posts`, each message in the thread of its oldest known ancestor.
fn threads(posts: &[Post]) -> Vec<Thread> {
    let by_id: HashMap<&str, usize> = posts
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let root_of = |mut i: usize| -> String {
        for _ in 0..posts.len() {
            let p = &posts[i];
            if let Some(root) = &p.first_reference {
                return root.clone();
            }
            match p.in_reply_to.as_deref() {
                Some(parent) => match by_id.get(parent) {
                    Some(&j) if j != i => i = j,
                    _ => return parent.to_owned(),
                },
                None => return p.id.clone(),
            }
        }
        posts[i].id.clone()
    };
    let mut by_root: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for i in 0..posts.len() {
        by_root.entry(root_of(i)).or_default().push(i);
    }
    by_root
        .into_iter()
        .map(|(root, mut members)| {
            members.sort_by_key(|&i| (posts[i].time, i));
            Thread {
                root,
                posts: members,
            }
        })
        .collect()
}

/// A review of a patch on a list: someone other than its author answered its
/// thread or named in a `Reviewed-by:`/`Acked-by:` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListReview {
    /// The patch thread's root Message-ID.
    pub thread: String,
    /// The patch's subject.
    pub subject: String,
    /// The reviewer's key.
    pub reviewer: String,
    /// When they first reviewed it.
    pub time: i64,
}

/// Every review of a patch on the lists of `posts`: one per (patch thread,
/// reviewer), at its first message or trailer. Bots are left out.
pub fn list_reviews(posts: &[Post]) -> Vec<ListReview> {
    let mut out = Vec::new();
    for thread in threads(posts) {
        let members: Vec<&Post> = thread
            .posts
            .iter()
            .map(|&i| &posts[i])
            .filter(|p| !p.bot && p.person.is_some())
            .collect();
        let Some(first) = members.first().filter(|f| f.patch) else {
            continue;
        };
        let author = first.person.as_deref();
        let mut seen: BTreeMap<&str, i64> = BTreeMap::new();
        for p in &members {
            let by = p.person.iter().chain(&p.reviewers).map(String::as_str);
            for reviewer in by.filter(|r| Some(*r) != author) {
                seen.entry(reviewer).or_insert(p.time);
            }
        }
        out.extend(seen.into_iter().map(|(reviewer, time)| ListReview {
            thread: thread.root.clone(),
            subject: first.subject.clone(),
            reviewer: reviewer.to_owned(),
            time,
        }));
    }
    out
}

/// A subject without `Re:` and `[…]` prefixes, for matching a patch with its commit.
fn bare_subject(subject: &str) -> &str {
    let mut s = subject.trim();
    loop {
        if let Some(rest) = s.strip_prefix('[').and_then(|r| r.split_once(']')) {
            s = rest.1.trim_start();
        } else if s.len() >= 3 && s[..3].eq_ignore_ascii_case("re:") {
            s = s[3..].trim_start();
        } else {
            return s;
        }
    }
}

/// Computes the list figures over `posts` (any time, bots included: they are
/// left out here); `is_maintainer` tells maintainers at a time.
pub fn compute(
    posts: &[Post],
    is_maintainer: IsMaintainer<'_>,
    landings: &Landings,
    window: Window,
) -> Metric<Details> {
    let human = |p: &Post| !p.bot && p.person.is_some();
    let mut d = Details::default();
    let in_window: Vec<&Post> = posts
        .iter()
        .filter(|p| human(p) && window.contains(p.time))
        .collect();
    d.posts = in_window.len() as u64;
    let posters = ranked(in_window.iter().filter_map(|p| p.person.as_deref()));
    d.people = posters.len() as u64;
    let n = cover(&posters, super::bus_factor::THRESHOLD);
    d.top_posters = posters.iter().take(n).cloned().collect();
    let mut quarters: BTreeMap<(i32, u8), (u64, u64, BTreeSet<&str>)> = BTreeMap::new();
    for p in &in_window {
        let q = quarters.entry(quarter(p.time)).or_default();
        q.0 += 1;
        q.2.insert(p.person.as_deref().unwrap_or_default());
    }
    let mut reviewers: Vec<&str> = Vec::new();
    let mut first_replies = Vec::new();
    let subjects: BTreeSet<&str> = landings.subjects.iter().map(|s| bare_subject(s)).collect();
    for thread in threads(posts) {
        let members: Vec<&Post> = thread
            .posts
            .iter()
            .map(|&i| &posts[i])
            .filter(|p| human(p))
            .collect();
        let Some(first) = members.first() else {
            continue;
        };
        if !window.contains(first.time) || (first.id != thread.root && first.in_reply_to.is_some())
        {
            // Started before the window, or its first message is not in the archive.
            continue;
        }
        d.threads += 1;
        quarters.entry(quarter(first.time)).or_default().1 += 1;
        let author = first.person.as_deref();
        let reply = members.iter().find(|p| {
            p.person.as_deref() != author && p.time >= first.time && p.time < window.until
        });
        if author.is_some_and(|a| !is_maintainer(a, first.time)) {
            d.non_maintainer_threads += 1;
            match reply {
                Some(r) => first_replies.push(r.time - first.time),
                None => d.never_answered += 1,
            }
        }
        if !first.patch {
            continue;
        }
        d.patches_posted += 1;
        let mut by: BTreeSet<&str> = members
            .iter()
            .filter(|p| p.time < window.until)
            .filter_map(|p| p.person.as_deref())
            .filter(|p| Some(*p) != author)
            .collect();
        by.extend(
            members
                .iter()
                .filter(|p| p.time < window.until)
                .flat_map(|p| p.reviewers.iter().map(String::as_str))
                .filter(|r| Some(*r) != author),
        );
        if !by.is_empty() {
            d.patches_reviewed += 1;
            reviewers.extend(by);
        }
        let committed = members.iter().any(|p| landings.discussed.contains(&p.id))
            || landings.discussed.contains(&thread.root)
            || subjects.contains(bare_subject(&first.subject));
        d.patches_committed += u64::from(committed);
    }
    d.reviewers = ranked(reviewers.into_iter());
    d.first_reply = Durations::of(first_replies);
    d.quarters = quarters
        .into_iter()
        .map(|((year, q), (posts, threads, people))| QuarterPosts {
            quarter: format!("{year}-Q{q}"),
            posts,
            threads,
            people: people.len() as u64,
        })
        .collect();
    Metric {
        value: (d.posts > 0).then_some(n as f64),
        reason: (d.posts == 0)
            .then(|| "no list posts in the window (or no mailing list mined)".to_owned()),
        details: d,
        definition: Definition::over(
            "mailing-list posts and threads in the window; people posting, and value = the fewest of them making at least half of the posts; hours to the first reply by someone else on threads started by non-maintainers (never answered counted); patch threads ([PATCH …] first message) posted, reviewed on the list (a reply or a Reviewed-by:/Acked-by: from someone other than the author), and committed (a commit's Discussion: link names a message of the thread, or a commit has the patch's subject)",
            window,
            false,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(date: &str) -> i64 {
        crate::metrics::on("", date).time
    }

    fn post(id: &str, parent: Option<&str>, who: &str, at: i64, subject: &str) -> Post {
        Post {
            id: id.to_owned(),
            in_reply_to: parent.map(str::to_owned),
            first_reference: None,
            person: Some(who.to_owned()),
            bot: false,
            time: at,
            subject: subject.to_owned(),
            patch: subject.starts_with("[PATCH"),
            reviewers: Vec::new(),
        }
    }

    #[test]
    fn threads_replies_and_patches_by_hand() {
        let t = day("2024-03-01");
        let h = 3600;
        let mut posts = vec![
            // A newcomer's question, answered by the maintainer after 5 hours.
            post("q@x", None, "newbie", t, "How do I build?"),
            post("a@x", Some("q@x"), "tom", t + 5 * h, "Re: How do I build?"),
            // A patch by alice: reviewed by a reply from bob, and committed (Discussion:).
            post("p1@x", None, "alice", t + h, "[PATCH v2 1/1] btree: faster"),
            post(
                "r1@x",
                Some("p1@x"),
                "bob",
                t + 2 * h,
                "Re: [PATCH v2 1/1] btree: faster",
            ),
            // Alice's own follow-up is not a review.
            post("p2@x", None, "alice", t + 3 * h, "[PATCH] docs: typo"),
            post(
                "r2@x",
                Some("p2@x"),
                "alice",
                t + 4 * h,
                "Re: [PATCH] docs: typo",
            ),
            // Carol's patch, reviewed by a Reviewed-by: in her own v2, committed by subject.
            post("p3@x", None, "carol", t + 6 * h, "[PATCH] planner: fix"),
            // A question by a non-maintainer nobody answers.
            post("lost@x", None, "newbie", t + 7 * h, "Anyone?"),
            // Before the window: not counted.
            post("old@x", None, "tom", day("2023-06-01"), "old"),
        ];
        posts[6].reviewers = vec!["tom".to_owned()];
        let landings = Landings {
            discussed: ["p1@x".to_owned()].into(),
            subjects: ["planner: fix".to_owned()].into(),
        };
        let is_maintainer = |p: &str, _at: i64| p == "tom";
        let window = Window {
            since: day("2024-01-01"),
            until: day("2025-01-01"),
        };
        let m = compute(&posts, &is_maintainer, &landings, window);
        let d = &m.details;
        assert_eq!((d.posts, d.threads, d.people), (8, 5, 5));
        // Alice 3, newbie 2, then bob, carol, tom 1 each: 3 + 2 = 5 of 8 ≥ 50%.
        assert_eq!(m.value, Some(2.0));
        assert_eq!(
            d.top_posters,
            [("alice".to_owned(), 3), ("newbie".to_owned(), 2)]
        );
        // Non-maintainer threads: q (5 h), p1 (1 h), p2 (never: alice only), p3 (never), lost (never).
        assert_eq!(d.non_maintainer_threads, 5);
        assert_eq!(d.first_reply.count, 2);
        assert_eq!(d.first_reply.median_hours, Some(3.0));
        assert_eq!(d.never_answered, 3);
        assert_eq!(
            (d.patches_posted, d.patches_reviewed, d.patches_committed),
            (3, 2, 2)
        );
        assert_eq!(d.reviewers, [("bob".to_owned(), 1), ("tom".to_owned(), 1)]);
        assert_eq!(d.quarters.len(), 1);
        assert_eq!(d.quarters[0].threads, 5);
    }

    #[test]
    fn discussion_links() {
        assert_eq!(
            Landings::message_id("https://postgr.es/m/CAPpHfd1@mail.gmail.com").as_deref(),
            Some("CAPpHfd1@mail.gmail.com")
        );
        assert_eq!(
            Landings::message_id("https://www.postgresql.org/message-id/abc%40x.org/").as_deref(),
            Some("abc@x.org")
        );
        assert_eq!(Landings::message_id("<a@b>").as_deref(), Some("a@b"));
        assert_eq!(Landings::message_id("https://example.com/issue/12"), None);
    }

    #[test]
    fn a_reply_whose_parent_is_not_archived_has_a_thread_of_its_own() {
        let t = day("2024-03-01");
        let posts = vec![post("r@x", Some("missing@x"), "bob", t, "Re: x")];
        let all = threads(&posts);
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].root, "missing@x");
        let window = Window {
            since: day("2024-01-01"),
            until: day("2025-01-01"),
        };
        let m = compute(
            &posts,
            &|_: &str, _: i64| false,
            &Landings::default(),
            window,
        );
        // Its thread started elsewhere: a post, not a thread.
        assert_eq!((m.details.posts, m.details.threads), (1, 0));
    }
}

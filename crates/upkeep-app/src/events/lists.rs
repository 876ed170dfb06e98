//! What the mailing lists of a project's repositories add to its metrics:
//! their messages with senders and reviewers resolved to people, and what
//! the repositories' commits say of list threads (`Discussion:` links,
//! subjects). The rules live in `upkeep_core::metrics::mailing_lists`.

use crate::identities::Resolved;
use std::collections::HashMap;
use upkeep_core::events::RawText;
use upkeep_core::metrics::mailing_lists::{Landings, Post};
use upkeep_store::{ListId, RepoId, Store};

/// The lists of the repositories `ids`.
pub fn lists_of(store: &Store, ids: &[RepoId]) -> anyhow::Result<Vec<ListId>> {
    Ok(store
        .lists()?
        .into_iter()
        .filter(|l| l.repo.is_some_and(|r| ids.contains(&r)))
        .map(|l| l.id)
        .collect())
}

/// The posts of the lists of the repositories `ids`, and what their commits
/// say of threads (read only when there are posts).
pub fn read(
    store: &Store,
    resolved: &Resolved,
    ids: &[RepoId],
) -> anyhow::Result<(Vec<Post>, Landings)> {
    let posts = posts(store, resolved, ids)?;
    if posts.is_empty() {
        return Ok((posts, Landings::default()));
    }
    let mut landings = Landings::default();
    for id in ids {
        for (_, link) in store.discussion_links(*id)? {
            landings.discussed.extend(Landings::message_id(&link));
        }
        landings
            .subjects
            .extend(store.commit_subjects(*id)?.into_iter().map(|(_, s)| s));
    }
    Ok((posts, landings))
}

/// The posts of the lists of the repositories `ids`, senders and reviewers resolved.
pub fn posts(store: &Store, resolved: &Resolved, ids: &[RepoId]) -> anyhow::Result<Vec<Post>> {
    let lists = lists_of(store, ids)?;
    if lists.is_empty() {
        return Ok(Vec::new());
    }
    let stored = store.list_messages(&lists)?;
    let mut people: HashMap<i64, Option<(String, bool)>> = HashMap::new();
    let mut who = |ident: i64| {
        people
            .entry(ident)
            .or_insert_with(|| {
                let (name, email): &(RawText, RawText) = stored.idents.get(&ident)?;
                let person = resolved.people.of(&name.to_string(), &email.to_string())?;
                Some((person.key.clone(), person.bot.is_some()))
            })
            .clone()
    };
    Ok(stored
        .messages
        .iter()
        .map(|m| {
            let sender = who(m.from);
            Post {
                id: m.message_id.clone(),
                in_reply_to: m.in_reply_to.clone(),
                first_reference: m.first_reference.clone(),
                bot: sender.as_ref().is_some_and(|(_, bot)| *bot),
                person: sender.map(|(key, _)| key),
                time: m.time,
                subject: m.subject.clone(),
                patch: m.patch_version.is_some(),
                reviewers: m
                    .reviewers
                    .iter()
                    .filter_map(|r| who(*r))
                    .map(|(k, _)| k)
                    .collect(),
            }
        })
        .collect())
}

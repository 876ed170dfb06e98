//! What a commit gives the metrics and the ledger, by rules stated once here,
//! on a commit whose identities the caller resolved to people
//! ([`CommitPeople`]):
//!
//! - **Authorship**: a non-merge commit is a contribution of each person it
//!   credits (its credited authors, see
//!   [`credited_authors`](crate::events::conventions::credited_authors), then
//!   its `Co-authored-by:` people), each person once however many of their
//!   identities it names. A merge commit credits no one.
//! - **Landing**: a commit shows its committer landing work when it is a
//!   merge, or when none of its credited authors is the committer (they
//!   committed someone else's work).
//! - **The ledger's people**: the first credited author is the commit's
//!   author; the other credited authors and the co-authors are its
//!   co-authors, and its reviewers its reviewers, bots left out of both.
//!
//! People are resolved by the caller: this module reads no store.

/// A person as the rules need them.
pub trait Someone {
    /// The person's key.
    fn key(&self) -> &str;
    /// Whether the person is a bot.
    fn bot(&self) -> bool;
}

impl Someone for super::forge_inputs::Actor<'_> {
    fn key(&self) -> &str {
        self.key
    }
    fn bot(&self) -> bool {
        self.bot
    }
}

/// One commit's people, resolved (`None`: an identity that is no known person).
#[derive(Clone, Debug)]
pub struct CommitPeople<P> {
    /// Whether the commit is a merge.
    pub merge: bool,
    /// Its committer.
    pub committer: Option<P>,
    /// Its credited authors, in order, without the co-authors.
    pub authors: Vec<Option<P>>,
    /// Its `Co-authored-by:` people.
    pub co_authors: Vec<Option<P>>,
    /// Its reviewers (`Reviewed-by:` and the like).
    pub reviewers: Vec<Option<P>>,
}

impl<P: Someone> CommitPeople<P> {
    /// The people the commit is a contribution of: none for a merge, else
    /// the credited authors then the co-authors, each person once.
    pub fn contributors(&self) -> Vec<&P> {
        if self.merge {
            return Vec::new();
        }
        let mut out: Vec<&P> = Vec::new();
        for who in self.authors.iter().chain(&self.co_authors).flatten() {
            if !out.iter().any(|p| p.key() == who.key()) {
                out.push(who);
            }
        }
        out
    }

    /// Its reviewers who are known people.
    pub fn known_reviewers(&self) -> impl Iterator<Item = &P> {
        self.reviewers.iter().flatten()
    }

    /// The committer, when the commit shows them landing work: a merge, or
    /// someone else's work (no credited author is the committer).
    pub fn landed_by(&self) -> Option<&P> {
        let committer = self.committer.as_ref()?;
        let others_work = self
            .authors
            .iter()
            .flatten()
            .all(|a| a.key() != committer.key());
        (self.merge || others_work).then_some(committer)
    }

    /// The ledger's author: the first credited author, if a known person.
    pub fn ledger_author(&self) -> Option<&P> {
        self.authors.first()?.as_ref()
    }

    /// The ledger's co-authors: the other credited authors, then the
    /// co-authors, people only (bots left out).
    pub fn ledger_co_authors(&self) -> Vec<String> {
        let rest = self.authors.iter().skip(1).chain(&self.co_authors);
        humans(rest)
    }

    /// The ledger's reviewers, people only (bots left out).
    pub fn ledger_reviewers(&self) -> Vec<String> {
        humans(&self.reviewers)
    }
}

/// The keys of the known people of `list` who are not bots.
fn humans<'p, P: Someone + 'p>(list: impl IntoIterator<Item = &'p Option<P>>) -> Vec<String> {
    list.into_iter()
        .flatten()
        .filter(|p| !p.bot())
        .map(|p| p.key().to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::forge_inputs::Actor;

    fn ann() -> Option<Actor<'static>> {
        Some(Actor {
            key: "ann@a.example",
            bot: false,
        })
    }
    fn bob() -> Option<Actor<'static>> {
        Some(Actor {
            key: "bob@b.example",
            bot: false,
        })
    }
    fn bot() -> Option<Actor<'static>> {
        Some(Actor {
            key: "login:dependabot[bot]",
            bot: true,
        })
    }

    fn commit(merge: bool, committer: Option<Actor<'static>>) -> CommitPeople<Actor<'static>> {
        CommitPeople {
            merge,
            committer,
            authors: Vec::new(),
            co_authors: Vec::new(),
            reviewers: Vec::new(),
        }
    }

    fn keys<'a>(people: &[&'a Actor<'a>]) -> Vec<&'a str> {
        people.iter().map(|p| p.key).collect()
    }

    #[test]
    fn a_person_is_credited_once_and_a_merge_credits_no_one() {
        // Ann under two identities (both resolve to her), Bob as co-author,
        // Ann again as co-author, and an unknown identity: Ann, Bob.
        let mut c = commit(false, ann());
        c.authors = vec![ann(), None, ann()];
        c.co_authors = vec![bob(), ann()];
        assert_eq!(keys(&c.contributors()), ["ann@a.example", "bob@b.example"]);
        c.merge = true;
        assert!(c.contributors().is_empty());
    }

    #[test]
    fn a_committer_lands_merges_and_other_peoples_work() {
        // Bob commits Ann's work: Bob landed it.
        let mut c = commit(false, bob());
        c.authors = vec![ann()];
        assert_eq!(c.landed_by().map(|p| p.key), Some("bob@b.example"));
        // Ann commits her own work: no landing, even with Bob co-authoring
        // (co-authors are not credited authors for this rule).
        let mut own = commit(false, ann());
        own.authors = vec![ann()];
        own.co_authors = vec![bob()];
        assert_eq!(own.landed_by(), None);
        // Ann merges: a landing, whoever the authors are.
        own.merge = true;
        assert_eq!(own.landed_by().map(|p| p.key), Some("ann@a.example"));
        // An unknown author and Ann committing: someone else's work.
        let mut unknown = commit(false, ann());
        unknown.authors = vec![None];
        assert_eq!(unknown.landed_by().map(|p| p.key), Some("ann@a.example"));
        // No known committer: nobody landed it.
        assert_eq!(commit(true, None).landed_by(), None);
    }

    #[test]
    fn the_ledger_leaves_bots_out_of_co_authors_and_reviewers() {
        // Authors Ann (first), the bot, Bob; co-authors the bot and an
        // unknown identity; reviewers Bob and the bot.
        let mut c = commit(false, ann());
        c.authors = vec![ann(), bot(), bob()];
        c.co_authors = vec![bot(), None];
        c.reviewers = vec![bob(), bot()];
        assert_eq!(c.ledger_author().map(|p| p.key), Some("ann@a.example"));
        assert_eq!(c.ledger_co_authors(), ["bob@b.example"]);
        assert_eq!(c.ledger_reviewers(), ["bob@b.example"]);
        assert_eq!(c.known_reviewers().count(), 2);
        let mut bot_first = commit(false, None);
        bot_first.authors = vec![bot()];
        assert!(bot_first.ledger_author().is_some_and(|p| p.bot));
    }
}

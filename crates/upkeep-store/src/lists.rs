//! Mailing lists: their messages (once per Message-ID), the people in them
//! (senders and the reviewers their bodies name, as identities), and which
//! parts of an archive were read.

use crate::db::{DbError, params};
use crate::write::Idents;
use crate::{RepoId, Store, StoreError};
use std::collections::{BTreeMap, HashMap};
use upkeep_core::events::{ListMessage, RawText};

/// A list's id in the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ListId(pub i64);

/// A list as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListRecord {
    /// Its id.
    pub id: ListId,
    /// Where it comes from (a canonical path, an archive URL, `apache:LIST`).
    pub source: String,
    /// The repository it belongs to, if it was given with one.
    pub repo: Option<RepoId>,
    /// When it was last read (seconds since the epoch).
    pub synced_at: Option<i64>,
}

/// A part of a list's archive already read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartRecord {
    /// Whether it was over when read (a past month): never read again.
    pub closed: bool,
    /// A file's size and modification time when read.
    pub stamp: Option<String>,
}

/// One part to store: its name, whether it is over, its stamp, and what it held.
pub struct Part<'a> {
    /// `YYYY-MM`, or a file's path.
    pub name: &'a str,
    /// Whether it is over (a past month).
    pub closed: bool,
    /// A file's size and modification time.
    pub stamp: Option<&'a str>,
    /// Its messages.
    pub messages: &'a [ListMessage],
    /// Messages left out, by reason.
    pub skipped: &'a BTreeMap<&'static str, u64>,
}

/// A stored message with its people as identity ids (see [`ListMessages::idents`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredMessage {
    /// The list.
    pub list: ListId,
    /// Its Message-ID.
    pub message_id: String,
    /// The message it answers.
    pub in_reply_to: Option<String>,
    /// Its thread's oldest reference.
    pub first_reference: Option<String>,
    /// The sender's identity.
    pub from: i64,
    /// When, seconds since the epoch.
    pub time: i64,
    /// The sender's UTC offset in minutes.
    pub offset_minutes: i32,
    /// The subject.
    pub subject: String,
    /// `[PATCH vN …]`: the version, when it carries a patch.
    pub patch_version: Option<u32>,
    /// Identities its body names as reviewers (`Reviewed-by:`, `Acked-by:`).
    pub reviewers: Vec<i64>,
}

/// Messages of some lists and the identities they name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListMessages {
    /// The messages, oldest first.
    pub messages: Vec<StoredMessage>,
    /// Identity id → (name, email).
    pub idents: HashMap<i64, (RawText, RawText)>,
}

impl Store {
    /// The list from `source`, created if new; tied to `repo` when one is given.
    pub fn list(&mut self, source: &str, repo: Option<RepoId>) -> Result<ListId, StoreError> {
        let id: i64 = self
            .conn
            .query_row(
                "INSERT INTO lists (source, repo_id) VALUES (?1, ?2)
                 ON CONFLICT (source) DO UPDATE SET repo_id = coalesce(excluded.repo_id, lists.repo_id)
                 RETURNING id",
                params![source, repo.map(|r| r.0)],
                |r| r.get(0),
            )
            .map_err(StoreError::while_doing("recording a mailing list"))?;
        Ok(ListId(id))
    }

    /// Every list, by source.
    pub fn lists(&self) -> Result<Vec<ListRecord>, StoreError> {
        self.conn
            .query_map(
                "SELECT id, source, repo_id, synced_at FROM lists ORDER BY source",
                &[],
                |r| {
                    Ok(ListRecord {
                        id: ListId(r.get(0)?),
                        source: r.get(1)?,
                        repo: r.get::<Option<i64>>(2)?.map(RepoId),
                        synced_at: r.get(3)?,
                    })
                },
            )
            .map_err(StoreError::while_doing("reading the mailing lists"))
    }

    /// What was recorded of `part` of `list`, if it was read before.
    pub fn list_part(&self, list: ListId, part: &str) -> Result<Option<PartRecord>, StoreError> {
        self.conn
            .query_opt(
                "SELECT closed, stamp FROM list_parts WHERE list_id = ?1 AND part = ?2",
                params![list.0, part],
                |r| {
                    Ok(PartRecord {
                        closed: r.get(0)?,
                        stamp: r.get(1)?,
                    })
                },
            )
            .map_err(StoreError::while_doing("reading what was read of a list"))
    }

    /// Stores a part's messages and records the part, in one transaction (a
    /// run cut off leaves the part unread, never half-stored). Messages
    /// already stored (by Message-ID) are left as they are. Returns how many
    /// were new.
    pub fn store_list_part(
        &mut self,
        list: ListId,
        part: &Part<'_>,
        now: i64,
    ) -> Result<usize, StoreError> {
        let empty = RawText::default();
        let senders: Vec<(RawText, RawText)> = part
            .messages
            .iter()
            .map(|m| {
                (
                    RawText::from(m.from_name.as_bytes()),
                    RawText::from(m.from_email.as_bytes()),
                )
            })
            .collect();
        self.conn
            .transaction(|tx| {
                let mut idents = Idents::default();
                let reviewers = part.messages.iter().flat_map(|m| m.trailers.iter()).map(|t| {
                    (t.name.as_ref().unwrap_or(&empty), t.email.as_ref().unwrap_or(&empty))
                });
                idents.intern_sorted(tx, senders.iter().map(|(n, e)| (n, e)).chain(reviewers))?;
                let mut new = 0;
                for (m, (name, email)) in part.messages.iter().zip(&senders) {
                    let from = idents.id(tx, name, email)?;
                    let inserted: Option<i64> = tx.query_opt(
                        "INSERT INTO list_messages (list_id, message_id, in_reply_to, first_reference,
                             from_id, time, offset_minutes, subject, patch_version, patch_index, patch_total)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                         ON CONFLICT (list_id, message_id) DO NOTHING RETURNING id",
                        params![
                            list.0,
                            m.message_id,
                            m.in_reply_to,
                            m.references.first(),
                            from,
                            m.time,
                            m.offset_minutes,
                            m.subject,
                            m.patch.map(|p| p.version),
                            m.patch.and_then(|p| p.index),
                            m.patch.and_then(|p| p.total),
                        ],
                        |r| r.get(0),
                    )?;
                    let Some(row) = inserted else { continue };
                    new += 1;
                    for (i, t) in m.trailers.iter().enumerate() {
                        let who = idents.id(
                            tx,
                            t.name.as_ref().unwrap_or(&empty),
                            t.email.as_ref().unwrap_or(&empty),
                        )?;
                        tx.execute(
                            "INSERT INTO list_trailers (message, position, key, ident_id) VALUES (?1, ?2, ?3, ?4)",
                            params![row, i, t.key, who],
                        )?;
                    }
                }
                let skipped = serde_json::to_string(part.skipped).unwrap_or_default();
                tx.execute(
                    "INSERT INTO list_parts (list_id, part, closed, stamp, messages, skipped, read_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (list_id, part) DO UPDATE SET closed = excluded.closed, stamp = excluded.stamp,
                         messages = excluded.messages, skipped = excluded.skipped, read_at = excluded.read_at",
                    params![list.0, part.name, part.closed, part.stamp, part.messages.len(), skipped, now],
                )?;
                tx.execute(
                    "UPDATE lists SET synced_at = ?2 WHERE id = ?1",
                    params![list.0, now],
                )?;
                Ok::<_, DbError>(new)
            })
            .map_err(StoreError::while_doing("storing mailing-list messages"))
    }

    /// The messages of `lists`, oldest first, with the identities they name.
    pub fn list_messages(&self, lists: &[ListId]) -> Result<ListMessages, StoreError> {
        let err = || StoreError::while_doing("reading mailing-list messages");
        let mut out = ListMessages::default();
        let mut row_index: HashMap<i64, usize> = HashMap::new();
        for list in lists {
            self.conn
                .for_each(
                    "SELECT id, list_id, message_id, in_reply_to, first_reference, from_id, time, offset_minutes,
                            subject, patch_version
                     FROM list_messages WHERE list_id = ?1 ORDER BY time, id",
                    params![list.0],
                    |r| {
                        row_index.insert(r.get(0)?, out.messages.len());
                        out.messages.push(StoredMessage {
                            list: ListId(r.get(1)?),
                            message_id: r.get(2)?,
                            in_reply_to: r.get(3)?,
                            first_reference: r.get(4)?,
                            from: r.get(5)?,
                            time: r.get(6)?,
                            offset_minutes: r.get(7)?,
                            subject: r.get(8)?,
                            patch_version: r.get(9)?,
                            reviewers: Vec::new(),
                        });
                        Ok(())
                    },
                )
                .map_err(err())?;
        }
        for list in lists {
            self.conn
                .for_each(
                    "SELECT t.message, t.ident_id FROM list_trailers t JOIN list_messages m ON m.id = t.message
                     WHERE m.list_id = ?1 AND t.key IN ('Reviewed-by', 'Acked-by') ORDER BY t.message, t.position",
                    params![list.0],
                    |r| {
                        if let Some(&i) = row_index.get(&r.get::<i64>(0)?) {
                            out.messages[i].reviewers.push(r.get(1)?);
                        }
                        Ok(())
                    },
                )
                .map_err(err())?;
        }
        out.messages.sort_by(|a, b| {
            a.time
                .cmp(&b.time)
                .then_with(|| a.message_id.cmp(&b.message_id))
        });
        out.idents = self.idents().map_err(err())?;
        Ok(out)
    }

    /// The `Discussion:` links of a repository's commits: (commit time, link).
    pub fn discussion_links(&self, repo: RepoId) -> Result<Vec<(i64, String)>, StoreError> {
        self.conn
            .query_map(
                "SELECT c.committer_time, t.value FROM trailers t JOIN commits c ON c.id = t.commit_id
                 WHERE c.repo_id = ?1 AND t.key = 'Discussion'",
                params![repo.0],
                |r| Ok((r.get(0)?, r.get::<RawText>(1)?.to_string())),
            )
            .map_err(StoreError::while_doing("reading Discussion: links"))
    }

    /// The subjects of a repository's non-merge commits, with their commit times.
    pub fn commit_subjects(&self, repo: RepoId) -> Result<Vec<(i64, String)>, StoreError> {
        self.conn
            .query_map(
                "SELECT committer_time, subject FROM commits WHERE repo_id = ?1 AND parent_count <= 1",
                params![repo.0],
                |r| Ok((r.get(0)?, r.get::<RawText>(1)?.to_string())),
            )
            .map_err(StoreError::while_doing("reading commit subjects"))
    }
}

//! Commits into PostgreSQL by binary `COPY`: a batch goes into temporary
//! staging tables, then `INSERT … ON CONFLICT DO NOTHING` moves the commits
//! not yet stored, and their parents, trailers, references and changes, into
//! the tables, all in the caller's transaction. A batch written twice (a job
//! run again after its worker died) changes nothing.

use crate::RepoId;
use crate::db::{DbError, Param, ToParam};
use crate::write::{Idents, Paths};
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::Type;
use upkeep_core::events::{Commit, RawText};

const STAGING: &str = "
CREATE TEMP TABLE IF NOT EXISTS staged_commits (
    seq BIGINT, oid BYTEA, author_id BIGINT, author_time BIGINT, author_offset BIGINT, committer_id BIGINT,
    committer_time BIGINT, committer_offset BIGINT, parent_count BIGINT, subject BYTEA, pr_number BIGINT
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS staged_parents (oid BYTEA, position BIGINT, parent_oid BYTEA) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS staged_trailers (
    oid BYTEA, position BIGINT, key TEXT, value BYTEA, ident_id BIGINT
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS staged_refs (oid BYTEA, position BIGINT, reference TEXT) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS staged_changes (
    oid BYTEA, position BIGINT, path_id BIGINT, kind TEXT, old_path_id BIGINT, lines_added BIGINT,
    lines_removed BIGINT, blob_missing BOOLEAN
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS new_commits (id BIGINT, oid BYTEA) ON COMMIT DELETE ROWS;
";

const MOVE: &str = "
WITH new AS (
    INSERT INTO commits (repo_id, oid, author_id, author_time, author_offset, committer_id, committer_time,
        committer_offset, parent_count, subject, pr_number)
    SELECT $1, oid, author_id, author_time, author_offset, committer_id, committer_time, committer_offset,
        parent_count, subject, pr_number FROM staged_commits ORDER BY seq
    ON CONFLICT (repo_id, oid) DO NOTHING RETURNING id, oid
)
INSERT INTO new_commits SELECT id, oid FROM new";

const CHILDREN: &str = "
INSERT INTO commit_parents (commit_id, position, parent_oid)
    SELECT n.id, s.position, s.parent_oid FROM staged_parents s JOIN new_commits n ON n.oid = s.oid;
INSERT INTO trailers (commit_id, position, key, value, ident_id)
    SELECT n.id, s.position, s.key, s.value, s.ident_id FROM staged_trailers s JOIN new_commits n ON n.oid = s.oid;
INSERT INTO commit_refs (commit_id, position, reference)
    SELECT n.id, s.position, s.reference FROM staged_refs s JOIN new_commits n ON n.oid = s.oid;
INSERT INTO changes (commit_id, position, path_id, kind, old_path_id, lines_added, lines_removed, blob_missing)
    SELECT n.id, s.position, s.path_id, s.kind, s.old_path_id, s.lines_added, s.lines_removed, s.blob_missing
    FROM staged_changes s JOIN new_commits n ON n.oid = s.oid;
";

const B: Type = Type::BYTEA;
const I: Type = Type::INT8;
const T: Type = Type::TEXT;

/// Streams the rows `each` writes into one staging table by binary `COPY`.
fn copy(
    client: &mut postgres::Client,
    table: &str,
    types: &[Type],
    each: impl FnOnce(&mut BinaryCopyInWriter<'_>) -> Result<(), postgres::Error>,
) -> Result<(), DbError> {
    let sink = client.copy_in(&format!("COPY {table} FROM STDIN (FORMAT binary)"))?;
    let mut writer = BinaryCopyInWriter::new(sink, types);
    each(&mut writer)?;
    writer.finish()?;
    Ok(())
}

/// Writes `commits` of `repo` (people and paths interned already).
pub(crate) fn write_commits(
    pg: &mut crate::db::Pg,
    repo: RepoId,
    idents: &Idents,
    paths: &Paths,
    commits: &[Commit],
) -> Result<(), DbError> {
    let client = pg.client();
    client.batch_execute(STAGING)?;
    let empty = RawText::default();
    let person =
        |name: &RawText, email: &RawText| Param::Int(idents.known(name, email).unwrap_or(0));
    let path = |p: &RawText| Param::Int(paths.known(p).unwrap_or(0));
    let int = |i: usize| Param::Int(i as i64);
    copy(
        client,
        "staged_commits",
        &[I, B, I, I, I, I, I, I, I, B, I],
        |w| {
            for (seq, c) in commits.iter().enumerate() {
                w.write(&[
                    &int(seq),
                    &c.id.to_param(),
                    &person(&c.author.name, &c.author.email),
                    &Param::Int(c.author.time),
                    &Param::Int(c.author.offset_minutes.into()),
                    &person(&c.committer.name, &c.committer.email),
                    &Param::Int(c.committer.time),
                    &Param::Int(c.committer.offset_minutes.into()),
                    &int(c.parents.len()),
                    &Param::Bytes(c.subject.as_bytes()),
                    &c.pr_number.to_param(),
                ])?;
            }
            Ok(())
        },
    )?;
    copy(client, "staged_parents", &[B, I, B], |w| {
        for c in commits {
            for (i, p) in c.parents.iter().enumerate() {
                w.write(&[&c.id.to_param(), &int(i), &p.to_param()])?;
            }
        }
        Ok(())
    })?;
    copy(client, "staged_trailers", &[B, I, T, B, I], |w| {
        for c in commits {
            for (i, t) in c.trailers.iter().enumerate() {
                let ident = match (&t.name, &t.email) {
                    (None, None) => Param::Null,
                    (n, e) => person(n.as_ref().unwrap_or(&empty), e.as_ref().unwrap_or(&empty)),
                };
                let value = Param::Bytes(t.value.as_bytes());
                w.write(&[
                    &c.id.to_param(),
                    &int(i),
                    &Param::Text(&t.key),
                    &value,
                    &ident,
                ])?;
            }
        }
        Ok(())
    })?;
    copy(client, "staged_refs", &[B, I, T], |w| {
        for c in commits {
            for (i, r) in c.issue_refs.iter().enumerate() {
                w.write(&[&c.id.to_param(), &int(i), &Param::Text(r)])?;
            }
        }
        Ok(())
    })?;
    copy(
        client,
        "staged_changes",
        &[B, I, I, T, I, I, I, Type::BOOL],
        |w| {
            for c in commits {
                for (i, ch) in c.changes.iter().enumerate() {
                    w.write(&[
                        &c.id.to_param(),
                        &int(i),
                        &path(&ch.path),
                        &Param::Text(ch.kind.code()),
                        &ch.old_path.as_ref().map_or(Param::Null, path),
                        &ch.lines.map(|l| l.0).to_param(),
                        &ch.lines.map(|l| l.1).to_param(),
                        &Param::Int(ch.blob_missing.into()),
                    ])?;
                }
            }
            Ok(())
        },
    )?;
    client.execute(MOVE, &[&repo.0])?;
    client.batch_execute(CHILDREN)?;
    Ok(())
}

//! A message of a mailing list, as read from an archive.

use super::Trailer;
use serde::Serialize;

/// Where a message stands in a patch series: `[PATCH v3 2/7]` is version 3,
/// index 2 of 7 (`[PATCH]` alone is version 1 of no series).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PatchTag {
    /// The series' version (1 when not written).
    pub version: u32,
    /// Its place in the series, when numbered (0 for a cover letter).
    pub index: Option<u32>,
    /// The series' length, when numbered.
    pub total: Option<u32>,
}

/// One message with everything the list source knows about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ListMessage {
    /// Its Message-ID, without the angle brackets.
    pub message_id: String,
    /// The message it answers (In-Reply-To), if any.
    pub in_reply_to: Option<String>,
    /// Its thread's earlier messages (References), oldest first.
    pub references: Vec<String>,
    /// The sender's name (RFC 2047 decoded), possibly empty.
    pub from_name: String,
    /// The sender's address (`user at domain` written back as `user@domain`), possibly empty.
    pub from_email: String,
    /// When it was sent: seconds since the epoch, UTC.
    pub time: i64,
    /// The sender's UTC offset in minutes, east positive.
    pub offset_minutes: i32,
    /// The subject (decoded).
    pub subject: String,
    /// The patch it carries, when the subject says `[PATCH …]` and it is not a reply.
    pub patch: Option<PatchTag>,
    /// The list it was sent to (List-Id), if said.
    pub list_id: Option<String>,
    /// Trailers in its body that name people (`Reviewed-by:`, `Acked-by:`,
    /// `Tested-by:`): given in a reply, a review.
    pub trailers: Vec<Trailer>,
}

impl ListMessage {
    /// The id of its thread's first message: the oldest reference, else the
    /// message it answers, else itself.
    pub fn thread_root(&self) -> &str {
        self.references
            .first()
            .or(self.in_reply_to.as_ref())
            .map_or(&self.message_id, |id| id)
    }
}

//! Conversion of gitoxide signatures into event signatures.

use upkeep_core::events::{RawText, Signature};

/// An event signature from a parsed git signature; a malformed time becomes
/// the seconds git could read with a zero offset, never an error.
pub(crate) fn from_gix(sig: gix::actor::SignatureRef<'_>) -> Signature {
    let sig = sig.trim();
    let (time, offset_minutes) = match sig.time() {
        Ok(t) => (t.seconds, t.offset / 60),
        Err(_) => (sig.seconds(), 0),
    };
    Signature {
        name: RawText::from(sig.name.as_ref() as &[u8]),
        email: RawText::from(sig.email.as_ref() as &[u8]),
        time,
        offset_minutes,
    }
}

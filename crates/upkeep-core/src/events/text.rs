//! Text that comes from git objects: usually UTF-8, but not always.

use std::fmt;

/// Bytes from a git object (a name, an email, a path, a message) kept exactly as
/// they were written. Git does not require UTF-8, so neither do we: the bytes
/// are stored as they are and decoded lossily only for display.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RawText(Vec<u8>);

impl RawText {
    /// The bytes exactly as found.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The text if it is valid UTF-8.
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    /// The text for display: invalid UTF-8 sequences become U+FFFD.
    pub fn to_lossy(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.0)
    }

    /// Whether there are no bytes at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Vec<u8>> for RawText {
    fn from(bytes: Vec<u8>) -> Self {
        RawText(bytes)
    }
}

impl From<&[u8]> for RawText {
    fn from(bytes: &[u8]) -> Self {
        RawText(bytes.to_vec())
    }
}

impl From<&str> for RawText {
    fn from(text: &str) -> Self {
        RawText(text.as_bytes().to_vec())
    }
}

impl From<String> for RawText {
    fn from(text: String) -> Self {
        RawText(text.into_bytes())
    }
}

impl fmt::Display for RawText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_lossy())
    }
}

impl fmt::Debug for RawText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_lossy(), f)
    }
}

impl serde::Serialize for RawText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_lossy())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_kept_and_shown_lossily() {
        let text = RawText::from(b"Ren\xe9".as_slice());
        assert_eq!(text.as_bytes(), b"Ren\xe9");
        assert_eq!(text.as_str(), None);
        assert_eq!(text.to_string(), "Ren\u{fffd}");
    }
}

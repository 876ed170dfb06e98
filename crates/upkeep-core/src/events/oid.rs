//! Object ids, independent of any git library.

use std::fmt;

/// A git object id (20 bytes for SHA-1 repositories, 32 for SHA-256), shown as hex.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Oid(Box<[u8]>);

impl Oid {
    /// An id from its raw bytes.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        Oid(bytes.into())
    }

    /// An id from its hexadecimal form, or `None` if `hex` is not an even-length hex string.
    pub fn from_hex(hex: &str) -> Option<Self> {
        if !hex.len().is_multiple_of(2) || hex.is_empty() {
            return None;
        }
        let bytes = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()?;
        Some(Oid(bytes.into()))
    }

    /// The raw bytes of the id.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The full hexadecimal form.
    pub fn to_hex(&self) -> String {
        use fmt::Write;
        self.0
            .iter()
            .fold(String::with_capacity(self.0.len() * 2), |mut s, b| {
                let _ = write!(s, "{b:02x}");
                s
            })
    }
}

impl std::borrow::Borrow<[u8]> for Oid {
    fn borrow(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Oid({})", self.to_hex())
    }
}

impl serde::Serialize for Oid {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        let hex = "0123456789abcdef0123456789abcdef01234567";
        let oid = Oid::from_hex(hex).expect("valid hex");
        assert_eq!(oid.as_bytes().len(), 20);
        assert_eq!(oid.to_hex(), hex);
        assert_eq!(Oid::from_hex("abc"), None);
        assert_eq!(Oid::from_hex("zz"), None);
    }
}

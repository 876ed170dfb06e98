//! Why a file could not be read as an SBOM or lockfile, with the position of
//! the fault.

/// Why a file could not be read as an SBOM or lockfile.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Malformed text at a position (1-based line and column).
    #[error("{line}:{column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// Well-formed, but not a document this reader knows.
    #[error("{0}")]
    Unsupported(String),
}

impl ReadError {
    /// A syntax error at byte `offset` of `text`.
    pub fn at_offset(text: &str, offset: usize, message: impl Into<String>) -> Self {
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let before = &text[..end];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ReadError::Syntax {
            line,
            column,
            message: message.into(),
        }
    }
}

/// Refuses a text with merge-conflict markers, naming the first one's line.
pub fn check_conflicts(text: &str) -> Result<(), ReadError> {
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("<<<<<<< ") || line == "<<<<<<<" || line.starts_with(">>>>>>> ") {
            return Err(ReadError::Syntax {
                line: i + 1,
                column: 1,
                message: "merge-conflict marker: resolve the conflict first".into(),
            });
        }
    }
    Ok(())
}

/// A JSON parse error as a [`ReadError`].
pub fn json_error(e: &serde_json::Error) -> ReadError {
    ReadError::Syntax {
        line: e.line(),
        column: e.column(),
        message: format!("not valid JSON: {e}"),
    }
}

/// A TOML parse error as a [`ReadError`].
pub fn toml_error(text: &str, e: &toml::de::Error) -> ReadError {
    let offset = e.span().map_or(0, |s| s.start);
    ReadError::at_offset(text, offset, format!("not valid TOML: {}", e.message()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_conflict_markers() {
        assert_eq!(ReadError::at_offset("ab\ncd", 4, "x").to_string(), "2:2: x");
        assert_eq!(
            check_conflicts("a\n<<<<<<< HEAD\n").map_err(|e| e.to_string()),
            Err("2:1: merge-conflict marker: resolve the conflict first".into())
        );
    }
}

//! gzip inflated with a cap on the size and on the ratio (a bomb is refused
//! before it fills memory).

use std::io::Read;

/// Why a gzip stream was not inflated.
#[derive(Debug, thiserror::Error)]
pub enum Inflate {
    /// It inflates past the cap.
    #[error(
        "the archive inflates past {limit} bytes ({ratio} times its size, at most {max}): not read"
    )]
    TooLarge {
        /// The cap that applied: the smaller of `ratio` times the
        /// compressed size and `max`.
        limit: u64,
        /// The largest ratio allowed.
        ratio: u64,
        /// The largest size allowed.
        max: u64,
    },
    /// The stream is damaged or cut off.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Inflates `data` (one or more gzip members) to at most `ratio` times its
/// size and at most `max` bytes, reading no further.
pub fn gunzip(data: &[u8], ratio: u64, max: u64) -> Result<Vec<u8>, Inflate> {
    let limit = (data.len() as u64).saturating_mul(ratio).min(max);
    let mut plain = Vec::with_capacity(data.len().saturating_mul(4).min(limit as usize));
    flate2::read::MultiGzDecoder::new(data)
        .take(limit + 1)
        .read_to_end(&mut plain)?;
    if plain.len() as u64 > limit {
        return Err(Inflate::TooLarge { limit, ratio, max });
    }
    Ok(plain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(data).expect("compresses");
        encoder.finish().expect("finishes")
    }

    #[test]
    fn bombs_are_refused_and_cut_streams_are_errors() {
        // A megabyte of zeros compresses about a thousandfold.
        let bomb = gzip(&vec![0; 1 << 20]);
        let err = gunzip(&bomb, 100, 1 << 30).expect_err("a bomb");
        assert!(matches!(err, Inflate::TooLarge { ratio: 100, .. }), "{err}");
        assert_eq!(
            gunzip(&bomb, 10_000, 1 << 30).expect("allowed").len(),
            1 << 20
        );
        let err = gunzip(&bomb, 10_000, 1000).expect_err("over the size cap");
        assert!(
            matches!(err, Inflate::TooLarge { limit: 1000, .. }),
            "{err}"
        );
        let text = gzip(b"From a@x Mon Jan 1 00:00:00 2024\n\nhello\n");
        let cut = &text[..text.len() - 6];
        assert!(matches!(gunzip(cut, 100, 1 << 30), Err(Inflate::Io(_))));
    }
}

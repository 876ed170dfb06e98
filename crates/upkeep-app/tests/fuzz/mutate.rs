//! Mutations of a seed: what a fuzzer does to real files to find the inputs
//! their parsers never met.

use proptest::prelude::*;

/// Fragments that break parsers: structure openers and closers, YAML
/// anchors and aliases, an mbox separator, RFC 2047 words, numbers at the
/// edges, control characters, invalid UTF-8.
const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b"'",
    b",",
    b":",
    b"=",
    b"\n",
    b"\r\n",
    b"\t",
    b"\\",
    b"&a ",
    b"*a",
    b"<<: *a\n",
    b"- ",
    b"---\n",
    b"#",
    b"@",
    b"%",
    b"\0",
    b"\x1b[31m",
    b"\xff\xfe",
    b"\xc3",
    b"From a@x Mon Jan  1 00:00:00 2024\n",
    b"=?utf-8?q?=C3=A9?=",
    b"=?iso-8859-1?b?6Q==?=",
    b"=?x?q?",
    b"Date: -1\n",
    b"Date: 29 Feb 2023 10:00:00 +0000\n",
    b"1e308",
    b"-1",
    b"99999999999999999999",
    b"null",
    b"true",
    b"0000-00-00",
    b"9999-12-31",
    b"pkg:npm/%40a/b@1",
    b"file:///etc/passwd",
    b"lockfileVersion: 99\n",
    b"\"lockfileVersion\": 99",
    b"version = 99\n",
    b"[[package]]\n",
];

/// One change: what kind (`kind % 6`), where (`at`, taken modulo the
/// length), how much (`len`) and what (`byte`, also picking a token).
pub type Edit = (u8, u32, u16, u8);

/// A seed's index below `seeds` and up to eight edits.
pub fn strategy(seeds: usize) -> impl Strategy<Value = (usize, Vec<Edit>)> {
    (0..seeds, proptest::collection::vec(any::<Edit>(), 0..8))
}

/// `seed` with `edits` applied in order.
pub fn apply(seed: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut data = seed.to_vec();
    for &(kind, at, len, byte) in edits {
        let at = if data.is_empty() {
            0
        } else {
            at as usize % (data.len() + 1)
        };
        let len = usize::from(len % 512);
        let end = (at + len).min(data.len());
        match kind % 6 {
            0 => {
                if let Some(b) = data.get_mut(at) {
                    *b ^= byte.max(1);
                }
            }
            1 => {
                data.drain(at..end);
            }
            2 => {
                // A range repeated: grows nesting and lists.
                let copy = data[at..end].to_vec();
                for _ in 0..=(byte % 8) {
                    data.splice(at..at, copy.iter().copied());
                }
            }
            3 => {
                let token = TOKENS[usize::from(byte) % TOKENS.len()];
                data.splice(at..at, token.iter().copied());
            }
            4 => data.truncate(at),
            _ => {
                data.splice(at..at, std::iter::repeat_n(byte, len % 64 + 1));
            }
        }
    }
    data
}

#[test]
fn edits_do_what_they_say() {
    assert_eq!(apply(b"abcdef", &[(1, 1, 2, 0)]), b"adef");
    assert_eq!(apply(b"abc", &[(2, 0, 1, 1)]), b"aaabc");
    assert_eq!(apply(b"abc", &[(4, 1, 0, 0)]), b"a");
    assert_eq!(apply(b"abc", &[(3, 3, 0, 0)]), b"abc{");
    assert_eq!(apply(b"", &[(0, 7, 3, 9), (5, 9, 1, b'x')]), b"xx");
}

//! Commits whose headers git's decoder refuses, read as far as they can be:
//! an identity line without `<…>` (`author Ann ann.example.com 1700000000
//! +0000`) or with an impossible time zone (`+99x9`). `git log` shows such
//! commits; upkeep mines them too, rewritten into a form the decoder reads,
//! and counts them by id instead of stopping the whole history at them.

/// The commit `data` with its `author` and `committer` lines rewritten so
/// that they decode, or `None` when nothing in them could be repaired (or
/// the rewritten commit still does not decode).
pub(crate) fn repair(data: &[u8], kind: gix::hash::Kind) -> Option<Vec<u8>> {
    let header_end = memchr::memmem::find(data, b"\n\n").map_or(data.len(), |i| i + 1);
    let mut out = Vec::with_capacity(data.len() + 16);
    let mut changed = false;
    for line in data[..header_end].split_inclusive(|b| *b == b'\n') {
        let field = [&b"author "[..], b"committer "]
            .into_iter()
            .find(|f| line.starts_with(f));
        match field.and_then(|f| Some((f, identity(&line[f.len()..])?))) {
            Some((f, fixed)) if fixed.as_slice() != line[f.len()..].trim_ascii_end() => {
                out.extend_from_slice(f);
                out.extend_from_slice(&fixed);
                out.push(b'\n');
                changed = true;
            }
            _ => out.extend_from_slice(line),
        }
    }
    out.extend_from_slice(&data[header_end..]);
    let decodes = gix::objs::CommitRef::from_bytes(&out, kind).is_ok();
    (changed && decodes).then_some(out)
}

/// `NAME <EMAIL> TIME ZONE` as it can be read from `value`: the time and
/// zone are its last two words (a zone that is not `±HHMM` becomes
/// `+0000`, a time that is not a number `0`); a name without `<email>`
/// gets an empty address.
fn identity(value: &[u8]) -> Option<Vec<u8>> {
    let value = value.trim_ascii_end();
    let mut words = value.rsplitn(3, |b| *b == b' ');
    let (zone, time, who) = (words.next()?, words.next()?, words.next()?);
    let zone_ok = zone.len() == 5
        && matches!(zone[0], b'+' | b'-')
        && zone[1..].iter().all(u8::is_ascii_digit);
    let time_ok = !time.is_empty() && time.iter().all(u8::is_ascii_digit);
    let mut out = Vec::with_capacity(value.len() + 4);
    match (memchr::memchr(b'<', who), memchr::memrchr(b'>', who)) {
        (Some(open), Some(close)) if open < close => out.extend_from_slice(who),
        _ => {
            let name: Vec<u8> = who
                .iter()
                .copied()
                .filter(|b| !matches!(b, b'<' | b'>'))
                .collect();
            out.extend_from_slice(name.trim_ascii());
            out.extend_from_slice(b" <>");
        }
    }
    out.push(b' ');
    out.extend_from_slice(if time_ok { time } else { b"0" });
    out.push(b' ');
    out.extend_from_slice(if zone_ok { zone } else { b"+0000" });
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TREE: &str = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n";

    fn commit(author: &str) -> Vec<u8> {
        format!("{TREE}author {author}\ncommitter A <a@x> 1700000000 +0000\n\nmessage\n")
            .into_bytes()
    }

    #[test]
    fn identities_are_read_as_far_as_they_can_be() {
        let kind = gix::hash::Kind::Sha1;
        let fixed = repair(
            &commit("Broken Person broken.example.com 1700000000 +0000"),
            kind,
        )
        .expect("repaired");
        let c = gix::objs::CommitRef::from_bytes(&fixed, kind).expect("decodes");
        let author = c.author().expect("author");
        assert_eq!(
            (author.name.to_string(), author.email.to_string()),
            ("Broken Person broken.example.com".into(), String::new())
        );
        assert_eq!(author.time, "1700000000 +0000");
        // An impossible zone becomes UTC; the rest is kept.
        let fixed = repair(&commit("B <b@x> 1700000100 +99x9"), kind).expect("repaired");
        let c = gix::objs::CommitRef::from_bytes(&fixed, kind).expect("decodes");
        assert_eq!(c.author().expect("author").time, "1700000100 +0000");
        assert!(fixed.ends_with(b"\n\nmessage\n"));
        // A commit that decodes needs no repair.
        assert!(repair(&commit("B <b@x> 1700000100 +0100"), kind).is_none());
    }
}

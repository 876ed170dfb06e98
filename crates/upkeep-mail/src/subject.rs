//! Patch series in subjects: `[PATCH v3 2/7] …`, `[RFC PATCH net-next 0/3]`.

use upkeep_core::events::PatchTag;

/// The patch tag of a subject, unless it is a reply (`Re:`) or says no `PATCH`.
pub fn patch_tag(subject: &str) -> Option<PatchTag> {
    let mut rest = subject.trim_start();
    loop {
        let lower = rest.get(..3).map(str::to_ascii_lowercase);
        if matches!(lower.as_deref(), Some("re:") | Some("aw:")) {
            return None;
        }
        let inner_end = rest.strip_prefix('[').and_then(|r| r.find(']'))?;
        let inner = &rest[1..=inner_end];
        if let Some(tag) = tag_of(inner) {
            return Some(tag);
        }
        // A list prefix (`[pgsql-hackers]`) before the patch tag.
        rest = rest[inner_end + 2..].trim_start();
    }
}

/// The tag in the words of one bracket, if one of them is `PATCH`.
fn tag_of(inner: &str) -> Option<PatchTag> {
    let words: Vec<&str> = inner.split_whitespace().collect();
    if !words.iter().any(|w| w.eq_ignore_ascii_case("patch")) {
        return None;
    }
    let mut tag = PatchTag {
        version: 1,
        index: None,
        total: None,
    };
    for word in words {
        if let Some(v) = word.strip_prefix(['v', 'V'])
            && let Ok(v) = v.parse()
        {
            tag.version = v;
        } else if let Some((index, total)) = word.split_once('/')
            && let (Ok(index), Ok(total)) = (index.parse(), total.parse())
        {
            tag.index = Some(index);
            tag.total = Some(total);
        }
    }
    Some(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_versions_and_replies() {
        let tag = |s| patch_tag(s).map(|t| (t.version, t.index, t.total));
        assert_eq!(
            tag("[PATCH v3 2/7] btree: speed up"),
            Some((3, Some(2), Some(7)))
        );
        assert_eq!(tag("[PATCH] fix"), Some((1, None, None)));
        assert_eq!(
            tag("[RFC PATCH net-next 0/3] cover"),
            Some((1, Some(0), Some(3)))
        );
        assert_eq!(tag("[pgsql-hackers] [PATCH v2] x"), Some((2, None, None)));
        assert_eq!(tag("Re: [PATCH v3 2/7] btree"), None);
        assert_eq!(tag("[DISCUSS] KIP-1"), None);
        assert_eq!(tag("no brackets"), None);
    }
}

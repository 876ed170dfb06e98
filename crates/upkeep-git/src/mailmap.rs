//! `.mailmap` with git's semantics (gitoxide's implementation): entries keyed
//! by old email, or by old name and old email, matched case-insensitively.

/// The `.mailmap` entries of one or more repositories.
#[derive(Default)]
pub struct Mailmap(gix::mailmap::Snapshot);

impl Mailmap {
    /// Adds the entries of a `.mailmap` file's content; unparsable lines are skipped, as git does.
    pub fn add(&mut self, content: &[u8]) {
        self.0.merge(gix::mailmap::parse_ignore_errors(content));
    }

    /// The canonical (name, email) of an identity; unchanged where no entry applies.
    pub fn canonical(&self, name: &str, email: &str) -> (String, String) {
        let signature = gix::actor::SignatureRef {
            name: name.into(),
            email: email.into(),
            time: "0 +0000",
        };
        match self.0.try_resolve_ref(signature) {
            Some(resolved) => {
                // gitoxide also rewrites the case of an address to the entry's;
                // git does not, and neither do we.
                let email = match resolved.email.map(|e| e.to_string()) {
                    Some(mapped) if !mapped.eq_ignore_ascii_case(email) => mapped,
                    _ => email.to_owned(),
                };
                (
                    resolved
                        .name
                        .map_or_else(|| name.to_owned(), |n| n.to_string()),
                    email,
                )
            }
            None => (name.to_owned(), email.to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Mailmap;

    #[test]
    fn git_semantics() {
        let mut map = Mailmap::default();
        map.add(
            b"# comment\n\
              Proper Name <proper@example.com>\n\
              <canonical@example.com> <old@example.com>\n\
              Both Name <both@example.com> Old Name <OLD2@example.com>\n",
        );
        let c = |n: &str, e: &str| map.canonical(n, e);
        // Name-only entry: keyed by email, replaces the name.
        assert_eq!(
            c("proper", "proper@example.com"),
            ("Proper Name".into(), "proper@example.com".into())
        );
        // Email-only entry: replaces the email, keeps the name.
        assert_eq!(
            c("Someone", "OLD@example.com"),
            ("Someone".into(), "canonical@example.com".into())
        );
        // Name and email key: only the matching name is mapped (names compare case-insensitively).
        assert_eq!(
            c("old name", "old2@example.com"),
            ("Both Name".into(), "both@example.com".into())
        );
        assert_eq!(
            c("Other", "old2@example.com"),
            ("Other".into(), "old2@example.com".into())
        );
        assert_eq!(
            c("Nobody", "nobody@example.com"),
            ("Nobody".into(), "nobody@example.com".into())
        );
    }
}

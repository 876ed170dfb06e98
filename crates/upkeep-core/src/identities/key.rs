//! How a person is keyed: one text that every table, metric and document
//! uses to say "this person". [`PersonKey`] is the only place that knows how
//! the kinds of keys are written.

use std::fmt;

/// What a person key names, borrowed from its text.
///
/// - an e-mail address, normalized (`ann@example.org`): a person who
///   committed or posted under it;
/// - a forge or tracker login (`login:octocat`; JIRA's `login:jira:ann`): a
///   person known only by an account;
/// - a name (`name:Ann Lee`): a person with neither.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PersonKey<'a> {
    /// An address.
    Address(&'a str),
    /// A login.
    Login(&'a str),
    /// A name.
    Name(&'a str),
}

const LOGIN: &str = "login:";
const NAME: &str = "name:";

impl<'a> PersonKey<'a> {
    /// What the key text `key` names.
    pub fn parse(key: &'a str) -> Self {
        if let Some(login) = key.strip_prefix(LOGIN) {
            PersonKey::Login(login)
        } else if let Some(name) = key.strip_prefix(NAME) {
            PersonKey::Name(name)
        } else {
            PersonKey::Address(key)
        }
    }

    /// The login the key names, if it names one.
    pub fn login(self) -> Option<&'a str> {
        match self {
            PersonKey::Login(login) => Some(login),
            _ => None,
        }
    }

    /// The key's text (the inverse of [`PersonKey::parse`]).
    pub fn text(self) -> String {
        self.to_string()
    }

    /// How a reader knows the key: an address as is, a login as `@login`, a
    /// name as the name.
    pub fn handle(self) -> String {
        match self {
            PersonKey::Address(address) => address.to_owned(),
            PersonKey::Login(login) => format!("@{login}"),
            PersonKey::Name(name) => name.to_owned(),
        }
    }
}

/// The key text of the login `login`.
pub fn login_key(login: &str) -> String {
    PersonKey::Login(login).text()
}

impl fmt::Display for PersonKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PersonKey::Address(address) => f.write_str(address),
            PersonKey::Login(login) => write!(f, "{LOGIN}{login}"),
            PersonKey::Name(name) => write!(f, "{NAME}{name}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_back_as_written() {
        for (text, key, handle) in [
            (
                "ann@example.org",
                PersonKey::Address("ann@example.org"),
                "ann@example.org",
            ),
            ("login:octocat", PersonKey::Login("octocat"), "@octocat"),
            ("login:jira:ann", PersonKey::Login("jira:ann"), "@jira:ann"),
            ("name:Ann Lee", PersonKey::Name("Ann Lee"), "Ann Lee"),
        ] {
            assert_eq!(PersonKey::parse(text), key);
            assert_eq!(key.text(), text);
            assert_eq!(key.handle(), handle);
        }
        assert_eq!(PersonKey::parse("login:octocat").login(), Some("octocat"));
        assert_eq!(PersonKey::parse("ann@example.org").login(), None);
        assert_eq!(login_key("bob"), "login:bob");
    }
}

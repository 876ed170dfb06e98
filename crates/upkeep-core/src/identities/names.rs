//! How people are shown: by the name they used most, as `git shortlog` and
//! dashboards do, with their address (or login) where two people share a name
//! or a person has none. Keys stay the stable identifiers; names are for
//! readers.

use super::key::PersonKey;
use super::people::Person;
use std::collections::HashMap;

/// The name to show for each person's key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    by_key: HashMap<String, String>,
}

impl Names {
    /// Names for `people`: each person's most used name; where several people
    /// share a name (in any case), each gets their address or `@login` after it.
    pub fn new(people: &[Person]) -> Names {
        let mut uses: HashMap<String, usize> = HashMap::new();
        for p in people {
            *uses.entry(p.name.trim().to_lowercase()).or_default() += 1;
        }
        let by_key = people
            .iter()
            .map(|p| {
                let name = p.name.trim();
                let shown = if name.is_empty() || name == handle(&p.key) {
                    handle(&p.key)
                } else if uses.get(&name.to_lowercase()).copied().unwrap_or(0) > 1 {
                    format!("{name} ({})", handle(&p.key))
                } else {
                    name.to_owned()
                };
                (p.key.clone(), shown)
            })
            .collect();
        Names { by_key }
    }

    /// The name to show for `key`; a key of nobody known is shown as its address or `@login`.
    pub fn of(&self, key: &str) -> String {
        self.by_key.get(key).cloned().unwrap_or_else(|| handle(key))
    }
}

/// A key as a reader knows it: an address as is, `login:NAME` as `@NAME`, `name:X` as X.
pub fn handle(key: &str) -> String {
    PersonKey::parse(key).handle()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(key: &str, name: &str) -> Person {
        Person {
            key: key.into(),
            name: name.into(),
            names: Default::default(),
            emails: Default::default(),
            logins: Default::default(),
            bot: None,
            kind: Default::default(),
            count: 1,
            facts: Vec::new(),
        }
    }

    #[test]
    fn names_with_addresses_only_where_they_disambiguate() {
        let names = Names::new(&[
            person("benjaminrk@gmail.com", "Min RK"),
            person("pat@x.example", "Pat Doe"),
            person("pat@y.example", "pat doe"),
            person("login:octocat", "@octocat"),
            person("anon@z.example", ""),
        ]);
        assert_eq!(names.of("benjaminrk@gmail.com"), "Min RK");
        assert_eq!(names.of("pat@x.example"), "Pat Doe (pat@x.example)");
        assert_eq!(names.of("pat@y.example"), "pat doe (pat@y.example)");
        assert_eq!(names.of("login:octocat"), "@octocat");
        assert_eq!(names.of("anon@z.example"), "anon@z.example");
        assert_eq!(names.of("login:ghost"), "@ghost");
    }
}

//! People: every name, address and login one person used, merged by rules
//! that do not guess: `.mailmap`, the same address (any case), the GitHub
//! login behind noreply addresses, and recorded decisions. People who merely
//! share a name are not merged (see [`super::suggest`]).

use super::bots::BotRules;
use super::email;
use super::key::{PersonKey, login_key};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// An identity as seen in the data: a name and an address (either may be empty),
/// and how many times it was seen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    /// The name as written.
    pub name: String,
    /// The address as written.
    pub email: String,
    /// How often it was seen (commits, trailers).
    pub count: u64,
    /// The forge login tied to it: the commit-author login a forge returns, or
    /// the login itself for someone seen only on the forge (then the name is
    /// `@login` and the address empty).
    pub login: Option<String>,
}

impl Seen {
    /// Someone seen only on a forge, by login.
    pub fn forge_only(login: &str) -> Self {
        Seen {
            name: format!("@{login}"),
            email: String::new(),
            count: 0,
            login: Some(login.to_owned()),
        }
    }
}

/// Where a fact about a person comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The repository's `.mailmap`.
    Mailmap,
    /// Two identities used the same address.
    SameEmail,
    /// A GitHub login names the person: a noreply address, or a forge's word.
    GithubNoreply,
    /// A name-only trailer matched exactly one person's name.
    TrailerName,
    /// A decision recorded in the configuration (`upkeep identities merge`).
    Decision,
    /// Bot rules.
    BotRules,
}

/// One fact about a person and where it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// What is known.
    pub text: String,
    /// Where it comes from.
    pub source: Source,
}

/// A person with every name, address and login they used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Person {
    /// A stable key: the person's most used address (or `login:…`, or `name:…`).
    pub key: String,
    /// The name they used most.
    pub name: String,
    /// Every name, as written and after `.mailmap`.
    pub names: BTreeSet<String>,
    /// Every address, lower-cased, as written and after `.mailmap`.
    pub emails: BTreeSet<String>,
    /// GitHub logins known from noreply addresses and forges.
    pub logins: BTreeSet<String>,
    /// Why this is not a person (a bot or an AI agent), if it is not.
    pub bot: Option<String>,
    /// What kind of account it is.
    pub kind: super::bots::AccountKind,
    /// How often their identities were seen.
    pub count: u64,
    /// How the identities were merged, and other facts, with their sources.
    pub facts: Vec<Fact>,
}

/// Recorded decisions: pairs of addresses (or `login:…`) to merge, or to keep apart.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decisions {
    /// Merge these two people.
    pub merges: Vec<(String, String)>,
    /// Never merge these two people, whatever the rules say.
    pub splits: Vec<(String, String)>,
}

/// Everyone seen, and which person each identity belongs to.
#[derive(Clone, Debug, Default)]
pub struct People {
    persons: Vec<Person>,
    by_identity: HashMap<(String, String), usize>,
    by_key: HashMap<String, usize>,
    by_login: HashMap<String, usize>,
}

/// A canonicalizer: `.mailmap` applied to a (name, email) pair.
pub type Canonical<'a> = &'a dyn Fn(&str, &str) -> (String, String);

struct Node {
    name: String,
    seen_name: String,
    email: String,
    seen_email: String,
    count: u64,
    keys: Vec<String>,
    mailmapped: bool,
}

impl People {
    /// Groups `seen` identities into people.
    ///
    /// `mailmap` maps an identity to its canonical one (git's rules); two
    /// identities are one person when their canonical addresses are equal
    /// (case-insensitive), when their addresses name the same GitHub login, or
    /// when a decision merges them, unless a decision splits them. An identity
    /// with a name but no address joins the one person with exactly that name,
    /// if there is one.
    pub fn resolve(
        seen: &[Seen],
        mailmap: Canonical<'_>,
        decisions: &Decisions,
        bots: &BotRules,
    ) -> People {
        let mut nodes: Vec<Node> = Vec::new();
        let mut index: HashMap<(String, String), usize> = HashMap::new();
        for s in seen {
            let (name, email_text) = mailmap(&s.name, &s.email);
            let key = (s.name.clone(), s.email.clone());
            let forge_login = s.login.as_ref().map(|l| login_key(&l.to_lowercase()));
            if let Some(&i) = index.get(&key) {
                nodes[i].count += s.count;
                if let Some(login) = forge_login
                    && !nodes[i].keys.contains(&login)
                {
                    nodes[i].keys.push(login);
                }
                continue;
            }
            let canonical = email::normalize(&email_text);
            let mut keys = Vec::new();
            if !canonical.is_empty() {
                keys.push(canonical.clone());
            }
            if let Some(login) =
                email::github_login(&canonical).or_else(|| email::github_login(&s.email))
            {
                keys.push(login_key(&login));
            }
            if let Some(login) = forge_login
                && !keys.contains(&login)
            {
                keys.push(login);
            }
            let mailmapped = name != s.name || canonical != email::normalize(&s.email);
            index.insert(key, nodes.len());
            nodes.push(Node {
                name,
                seen_name: s.name.clone(),
                seen_email: email::normalize(&s.email),
                email: canonical,
                count: s.count,
                keys,
                mailmapped,
            });
        }

        let mut sets = UnionFind::new(nodes.len());
        let mut reasons: Vec<Vec<Fact>> = vec![Vec::new(); nodes.len()];
        // For each split, the nodes that carry either address (as seen or after .mailmap).
        let carrying = |address: &str| -> Vec<usize> {
            (0..nodes.len())
                .filter(|&i| nodes[i].email == address || nodes[i].seen_email == address)
                .collect()
        };
        let split_pairs: Vec<(Vec<usize>, Vec<usize>)> = decisions
            .splits
            .iter()
            .map(|(a, b)| {
                (
                    carrying(&email::normalize(a)),
                    carrying(&email::normalize(b)),
                )
            })
            .collect();
        let mut first_with_key: HashMap<&str, usize> = HashMap::new();
        for (i, node) in nodes.iter().enumerate() {
            for key in &node.keys {
                match first_with_key.get(key.as_str()) {
                    None => {
                        first_with_key.insert(key, i);
                    }
                    Some(&j) => {
                        let source = if PersonKey::parse(key).login().is_some() {
                            Source::GithubNoreply
                        } else {
                            Source::SameEmail
                        };
                        if sets.union_unless_split(i, j, &split_pairs) {
                            reasons[i].push(Fact {
                                text: format!("{} <{}> joined by {}", node.name, node.email, key),
                                source,
                            });
                        }
                    }
                }
            }
        }
        for (a, b) in &decisions.merges {
            let (a, b) = (email::normalize(a), email::normalize(b));
            if let (Some(&i), Some(&j)) = (
                first_with_key.get(a.as_str()),
                first_with_key.get(b.as_str()),
            ) && sets.union_unless_split(i, j, &split_pairs)
            {
                reasons[i].push(Fact {
                    text: format!("{a} and {b} merged by a recorded decision"),
                    source: Source::Decision,
                });
            }
        }

        // Name-only identities join the one person with exactly that name.
        let mut names: HashMap<&str, BTreeSet<usize>> = HashMap::new();
        for (i, node) in nodes.iter().enumerate() {
            if !node.email.is_empty() {
                names
                    .entry(node.name.as_str())
                    .or_default()
                    .insert(sets.find(i));
            }
        }
        for (i, node) in nodes.iter().enumerate() {
            if node.email.is_empty()
                && node.keys.is_empty()
                && let Some(roots) = names.get(node.name.as_str())
                && roots.len() == 1
                && let Some(&root) = roots.iter().next()
            {
                sets.union(i, root);
                reasons[i].push(Fact {
                    text: format!("the name {} alone matched", node.name),
                    source: Source::TrailerName,
                });
            }
        }

        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..nodes.len() {
            groups.entry(sets.find(i)).or_default().push(i);
        }
        let mut built: Vec<(Person, Vec<usize>)> = groups
            .into_values()
            .map(|members| (person(&nodes, &members, &reasons, bots), members))
            .collect();
        built.sort_by(|(a, _), (b, _)| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
        let mut people = People::default();
        let mut node_person = vec![0; nodes.len()];
        for (at, (person, members)) in built.into_iter().enumerate() {
            for &m in &members {
                node_person[m] = at;
                people
                    .by_identity
                    .insert((nodes[m].name.clone(), nodes[m].email.clone()), at);
            }
            people.by_key.insert(person.key.clone(), at);
            for login in &person.logins {
                people.by_login.entry(login.clone()).or_insert(at);
            }
            people.persons.push(person);
        }
        // Index by the identities as seen (before .mailmap) too.
        for (seen, i) in index {
            people.by_identity.insert(seen, node_person[i]);
        }
        people
    }

    /// Everyone, most active first (ties by key).
    pub fn all(&self) -> &[Person] {
        &self.persons
    }

    /// The person an identity (as seen, or after `.mailmap`) belongs to.
    pub fn of(&self, name: &str, email_text: &str) -> Option<&Person> {
        self.by_identity
            .get(&(name.to_owned(), email_text.to_owned()))
            .or_else(|| {
                self.by_identity
                    .get(&(name.to_owned(), email::normalize(email_text)))
            })
            .map(|&i| &self.persons[i])
    }

    /// The person with a GitHub login (case-insensitive); the most active one if
    /// recorded decisions keep several apart.
    pub fn with_login(&self, login: &str) -> Option<&Person> {
        self.by_login
            .get(&login.trim().to_lowercase())
            .map(|&i| &self.persons[i])
    }

    /// The person whose key is exactly `key`.
    pub fn with_key(&self, key: &str) -> Option<&Person> {
        self.by_key.get(key).map(|&i| &self.persons[i])
    }

    /// People matching `query`: a key, an address, a login, or a name (case-insensitive).
    pub fn find(&self, query: &str) -> Vec<&Person> {
        let q = query.trim().to_lowercase();
        if let Some(&i) = self.by_key.get(&q) {
            return vec![&self.persons[i]];
        }
        self.persons
            .iter()
            .filter(|p| {
                p.emails.contains(&q)
                    || p.logins
                        .contains(PersonKey::parse(&q).login().unwrap_or(&q))
                    || p.names.iter().any(|n| n.to_lowercase() == q)
            })
            .collect()
    }
}

/// One person from the identity nodes `members` of one set.
fn person(nodes: &[Node], members: &[usize], reasons: &[Vec<Fact>], bots: &BotRules) -> Person {
    let mut person = Person {
        key: String::new(),
        name: String::new(),
        names: BTreeSet::new(),
        emails: BTreeSet::new(),
        logins: BTreeSet::new(),
        bot: None,
        kind: super::bots::AccountKind::Person,
        count: 0,
        facts: Vec::new(),
    };
    let mut name_counts: BTreeMap<&str, u64> = BTreeMap::new();
    let mut email_counts: BTreeMap<&str, u64> = BTreeMap::new();
    for &m in members {
        let node = &nodes[m];
        person.count += node.count;
        if !node.name.is_empty() {
            person.names.insert(node.name.clone());
            *name_counts.entry(&node.name).or_default() += node.count;
        }
        if !node.email.is_empty() {
            person.emails.insert(node.email.clone());
            *email_counts.entry(&node.email).or_default() += node.count;
        }
        // The identities as written too, before .mailmap.
        if !node.seen_email.is_empty() {
            person.emails.insert(node.seen_email.clone());
        }
        if !node.seen_name.is_empty() {
            person.names.insert(node.seen_name.clone());
        }
        person.logins.extend(
            node.keys
                .iter()
                .filter_map(|k| PersonKey::parse(k).login())
                .map(str::to_owned),
        );
        if node.mailmapped {
            person.facts.push(Fact {
                text: format!(
                    "{} <{}> is the .mailmap name of an identity",
                    node.name, node.email
                ),
                source: Source::Mailmap,
            });
        }
        person.facts.extend(reasons[m].iter().cloned());
        if person.bot.is_none() {
            let login = node.keys.iter().find_map(|k| PersonKey::parse(k).login());
            if let Some((kind, reason)) = bots.kind(&node.name, &node.email, login) {
                person.bot = Some(reason.to_owned());
                person.kind = kind;
                let what = match kind {
                    super::bots::AccountKind::Agent => "an AI agent",
                    _ => "a bot",
                };
                person.facts.push(Fact {
                    text: format!("{what}: {reason}"),
                    source: Source::BotRules,
                });
            }
        }
    }
    person.name = most_used(&name_counts).unwrap_or_default();
    person.key = most_used(&email_counts)
        .or_else(|| person.logins.iter().next().map(|l| login_key(l)))
        .unwrap_or_else(|| PersonKey::Name(&person.name).text());
    person
}

fn most_used(counts: &BTreeMap<&str, u64>) -> Option<String> {
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(k, _)| (*k).to_owned())
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent[ra.max(rb)] = ra.min(rb);
        }
    }

    /// Joins the sets of `a` and `b` unless that would put both sides of a
    /// split (the nodes carrying each address) in one set.
    fn union_unless_split(
        &mut self,
        a: usize,
        b: usize,
        splits: &[(Vec<usize>, Vec<usize>)],
    ) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let mut in_set = |nodes: &[usize], root: usize| nodes.iter().any(|&n| self.find(n) == root);
        let apart = splits
            .iter()
            .any(|(x, y)| (in_set(x, ra) && in_set(y, rb)) || (in_set(x, rb) && in_set(y, ra)));
        if apart {
            return false;
        }
        self.parent[ra.max(rb)] = ra.min(rb);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(name: &str, email: &str, count: u64) -> Seen {
        Seen {
            name: name.into(),
            email: email.into(),
            count,
            login: None,
        }
    }

    #[test]
    fn forge_logins_join_commit_identities_and_stand_alone() {
        let mut linked = seen("Ann Lee", "ann@work.example", 0);
        linked.login = Some("AnnL".into());
        let people = People::resolve(
            &[
                seen("Ann Lee", "ann@work.example", 5),
                seen("Ann", "ann@home.example", 2),
                linked,
                Seen::forge_only("annl"),
                Seen::forge_only("drive-by"),
                // A trailer naming someone "@drive-by" must not join the forge-only person by name.
                seen("bob", "", 1),
                Seen::forge_only("bob"),
            ],
            &|n: &str, e: &str| (n.to_owned(), e.to_owned()),
            &Decisions {
                merges: vec![("ann@home.example".into(), "login:annl".into())],
                splits: vec![],
            },
            &BotRules::default(),
        );
        let ann = people.find("login:annl");
        assert_eq!(ann.len(), 1);
        assert_eq!(people.with_login("AnnL"), Some(ann[0]));
        assert_eq!(ann[0].key, "ann@work.example");
        assert_eq!(
            ann[0].emails.len(),
            2,
            "the recorded decision joined her home address too"
        );
        let drive_by = people.find("login:drive-by");
        assert_eq!(
            (drive_by[0].key.as_str(), drive_by[0].name.as_str()),
            ("login:drive-by", "@drive-by")
        );
        // The trailer name "bob" stays apart from the forge login bob: nothing says they are one.
        assert_eq!(people.find("login:bob")[0].key, "login:bob");
        assert_eq!(people.all().len(), 4);
    }

    fn identity(name: &str, email: &str) -> (String, String) {
        (name.to_owned(), email.to_owned())
    }

    #[test]
    fn merges_by_email_noreply_and_mailmap_but_not_by_name() {
        let mailmap = |name: &str, email: &str| match email {
            "alice@old.example.com" => identity("Alice Liddell", "alice@example.com"),
            _ => identity(name, email),
        };
        let people = People::resolve(
            &[
                seen("Alice Liddell", "alice@example.com", 10),
                seen("alice", "ALICE@example.com", 2),
                seen("Alice L.", "alice@old.example.com", 3),
                seen("Bob", "12345+bob@users.noreply.github.com", 4),
                seen("Bob Builder", "bob@users.noreply.github.com", 1),
                seen("John Smith", "john@a.example", 5),
                seen("John Smith", "john@b.example", 5),
                seen("Alice Liddell", "", 1),
            ],
            &mailmap,
            &Decisions::default(),
            &BotRules::default(),
        );
        let keys: Vec<(&str, u64)> = people
            .all()
            .iter()
            .map(|p| (p.key.as_str(), p.count))
            .collect();
        // alice: 10 + 2 + 3 + 1 (name-only trailer); bob: 4 + 1; the two John Smiths stay apart.
        assert_eq!(
            keys,
            vec![
                ("alice@example.com", 16),
                ("12345+bob@users.noreply.github.com", 5),
                ("john@a.example", 5),
                ("john@b.example", 5),
            ]
        );
        let alice = people
            .of("Alice L.", "alice@old.example.com")
            .expect("alice");
        assert_eq!(alice.name, "Alice Liddell");
        assert_eq!(
            alice.emails.iter().collect::<Vec<_>>(),
            ["alice@example.com", "alice@old.example.com"]
        );
        assert_eq!(
            alice.names.iter().collect::<Vec<_>>(),
            ["Alice L.", "Alice Liddell", "alice"]
        );
        assert!(alice.facts.iter().any(|f| f.source == Source::Mailmap));
        let bob = people
            .of("Bob Builder", "bob@users.noreply.github.com")
            .expect("bob");
        assert_eq!(bob.logins.iter().collect::<Vec<_>>(), ["bob"]);
        assert!(bob.facts.iter().any(|f| f.source == Source::GithubNoreply));
        assert_eq!(people.find("login:bob").len(), 1);
        assert_eq!(people.find("john smith").len(), 2);
    }

    #[test]
    fn decisions_merge_and_split() {
        let decisions = Decisions {
            merges: vec![("john@a.example".into(), "john@b.example".into())],
            splits: vec![("pat@x.example".into(), "PAT@y.example".into())],
        };
        let mailmap = |name: &str, email: &str| match email {
            // A wrong .mailmap entry maps pat@y onto pat@x; the split keeps them apart.
            "pat@y.example" => identity("Pat", "pat@x.example"),
            _ => identity(name, email),
        };
        let people = People::resolve(
            &[
                seen("John Smith", "john@a.example", 5),
                seen("John Smith", "john@b.example", 1),
                seen("Pat", "pat@x.example", 2),
                seen("Pat", "pat@y.example", 1),
                seen(
                    "dependabot[bot]",
                    "49699333+dependabot[bot]@users.noreply.github.com",
                    7,
                ),
            ],
            &mailmap,
            &decisions,
            &BotRules::default(),
        );
        let john = people.of("John Smith", "john@b.example").expect("john");
        assert_eq!(john.count, 6);
        assert!(john.facts.iter().any(|f| f.source == Source::Decision));
        // Without the split, .mailmap would make them one person of 3.
        let pats: Vec<u64> = people.find("pat").iter().map(|p| p.count).collect();
        assert_eq!(pats, vec![2, 1]);
        let bot = people.find("login:dependabot[bot]");
        assert_eq!(bot.len(), 1);
        assert!(bot[0].bot.is_some());
    }
}

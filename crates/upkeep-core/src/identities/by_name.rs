//! The truck-factor paper's identities (Avelino et al., ICPC 2016, and its
//! reference implementation's `NewAliasHandler`): a developer is an e-mail
//! address, and addresses used under the same name are one developer, both
//! compared without regard to case. It joins transitively (an address shared
//! by two names joins them too), and an empty name joins nothing. This is not
//! upkeep's default (which follows `.mailmap` and never merges on a name
//! alone); the truck factor offers it to reproduce the published numbers.

use std::collections::HashMap;

/// For each `(name, email)` identity, the key of the developer it belongs to
/// under the paper's rule: the smallest lower-cased address of the group, or
/// `name:` and the lower-cased name for a group without any address.
pub fn developers(identities: &[(String, String)]) -> Vec<String> {
    // Union-find over node ids: one node per distinct address and per distinct name.
    let mut nodes: HashMap<String, usize> = HashMap::new();
    let mut parent: Vec<usize> = Vec::new();
    let mut node = |key: String, parent: &mut Vec<usize>| {
        *nodes.entry(key).or_insert_with(|| {
            parent.push(parent.len());
            parent.len() - 1
        })
    };
    let mut members = Vec::with_capacity(identities.len());
    for (name, email) in identities {
        let email = email.trim().to_lowercase();
        let name = name.trim().to_lowercase();
        let e = (!email.is_empty()).then(|| node(format!("email:{email}"), &mut parent));
        let n = (!name.is_empty()).then(|| node(format!("name:{name}"), &mut parent));
        if let (Some(a), Some(b)) = (e, n) {
            let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
            parent[ra.max(rb)] = ra.min(rb);
        }
        members.push(e.or(n));
    }
    // Each group's key: its smallest address, else its smallest name.
    let mut key_of_root: HashMap<usize, (u8, String)> = HashMap::new();
    for (key, &id) in &nodes {
        let r = root(&mut parent, id);
        let candidate = match key.strip_prefix("email:") {
            Some(email) => (0, email.to_owned()),
            None => (1, key.clone()),
        };
        let best = key_of_root.entry(r).or_insert_with(|| candidate.clone());
        if candidate < *best {
            *best = candidate;
        }
    }
    members
        .into_iter()
        .map(|m| match m {
            Some(id) => {
                let r = root(&mut parent, id);
                key_of_root.get(&r).map(|k| k.1.clone()).unwrap_or_default()
            }
            None => "name:".to_owned(),
        })
        .collect()
}

fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

#[cfg(test)]
mod tests {
    use super::developers;

    fn pair(name: &str, email: &str) -> (String, String) {
        (name.into(), email.into())
    }

    #[test]
    fn same_name_joins_addresses_transitively() {
        // Ann's two addresses share her name (in two cases); the work address is
        // also used as "A. Smith", which joins that name too. Bob stays apart, and
        // two identities with no name join nobody by it.
        let keys = developers(&[
            pair("Ann Smith", "ann@home.example"),
            pair("ann smith", "Ann@Work.example"),
            pair("A. Smith", "ann@work.example"),
            pair("A. Smith", "asmith@old.example"),
            pair("Bob", "bob@x.example"),
            pair("", "ci@x.example"),
            pair("", "build@x.example"),
            pair("Nameless", ""),
        ]);
        assert_eq!(
            keys,
            vec![
                "ann@home.example",
                "ann@home.example",
                "ann@home.example",
                "ann@home.example",
                "bob@x.example",
                "ci@x.example",
                "build@x.example",
                "name:nameless",
            ]
        );
    }
}

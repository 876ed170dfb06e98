//! Records that describe one vulnerability: joined when they share an id
//! (their own or an alias), transitively; withdrawn records left out.

use crate::advisories::osv::Record;
use std::collections::HashMap;

/// The live records of `records` in groups of one vulnerability each, in
/// the order of each group's first record.
pub fn groups<'a>(records: &[&'a Record]) -> Vec<Vec<&'a Record>> {
    let live: Vec<&Record> = records
        .iter()
        .copied()
        .filter(|r| r.withdrawn.is_none())
        .collect();
    // Union-find over record indices, joined through shared ids.
    let mut parent: Vec<usize> = (0..live.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, record) in live.iter().enumerate() {
        for id in record.ids() {
            match owner.get(id) {
                Some(&j) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a.max(b)] = a.min(b);
                }
                None => {
                    owner.insert(id, i);
                }
            }
        }
    }
    let mut order: Vec<usize> = Vec::new();
    let mut members: HashMap<usize, Vec<&Record>> = HashMap::new();
    for (i, record) in live.iter().enumerate() {
        let r = root(&mut parent, i);
        if !members.contains_key(&r) {
            order.push(r);
        }
        members.entry(r).or_default().push(record);
    }
    order
        .into_iter()
        .filter_map(|r| members.remove(&r))
        .collect()
}

/// The id a group is shown under (the first of all its ids, sorted: a CVE
/// when it has one) and the others, sorted.
pub fn named(group: &[&Record]) -> (String, Vec<String>) {
    let mut ids: Vec<String> = group
        .iter()
        .flat_map(|r| r.ids())
        .map(str::to_owned)
        .collect();
    ids.sort();
    ids.dedup();
    let id = if ids.is_empty() {
        String::new()
    } else {
        ids.remove(0)
    };
    (id, ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, aliases: &[&str]) -> Record {
        Record {
            id: id.into(),
            aliases: aliases.iter().map(|a| (*a).into()).collect(),
            ..Record::default()
        }
    }

    #[test]
    fn aliases_join_transitively() {
        // A–CVE-1, B–CVE-1 and C–B: one group; D alone.
        let records = [
            record("A", &["CVE-1"]),
            record("D", &[]),
            record("B", &["CVE-1"]),
            record("C", &["B"]),
        ];
        let refs: Vec<&Record> = records.iter().collect();
        let groups = groups(&refs);
        let ids: Vec<Vec<&str>> = groups
            .iter()
            .map(|g| g.iter().map(|r| r.id.as_str()).collect())
            .collect();
        assert_eq!(ids, [vec!["A", "B", "C"], vec!["D"]]);
    }
}

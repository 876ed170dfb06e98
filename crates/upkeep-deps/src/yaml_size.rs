//! The size a YAML document grows to once its aliases are expanded, counted
//! before anything is built: a few hundred bytes of nested aliases (`a: &a
//! [x, x]`, `b: &b [*a, *a]`, …) expand to billions of nodes, and the loader
//! expands every alias into a copy.

use yaml_rust2::Event;
use yaml_rust2::parser::{MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// The most nodes a lockfile may expand to: the largest real pnpm lockfiles
/// have a few hundred thousand.
pub const MAX_NODES: u64 = 20_000_000;

/// Counts nodes, each alias as the size of what it names.
#[derive(Default)]
struct Counter {
    /// Nodes so far, aliases expanded.
    total: u64,
    /// The size of each anchored node.
    sizes: std::collections::HashMap<usize, u64>,
    /// Open collections: their anchor and the total when they began.
    open: Vec<(usize, u64)>,
    /// Where the count first passed the limit.
    over: Option<Marker>,
}

impl MarkedEventReceiver for Counter {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(_, _, anchor, _) => {
                self.total += 1;
                if anchor > 0 {
                    self.sizes.insert(anchor, 1);
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.total += 1;
                self.open.push((anchor, self.total - 1));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, began)) = self.open.pop()
                    && anchor > 0
                {
                    self.sizes.insert(anchor, self.total - began);
                }
            }
            Event::Alias(anchor) => {
                let size = self.sizes.get(&anchor).copied().unwrap_or(1);
                self.total = self.total.saturating_add(size);
            }
            _ => {}
        }
        if self.total > MAX_NODES && self.over.is_none() {
            self.over = Some(mark);
        }
    }
}

/// Where `text` first grows past `limit` nodes with its aliases expanded,
/// if it does (syntax errors are left to the loader).
pub fn too_large(text: &str) -> Option<Marker> {
    let mut counter = Counter::default();
    let _ = Parser::new_from_str(text).load(&mut counter, true);
    counter.over
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_aliases_are_counted_expanded() {
        // Each level doubles: level k expands to about 2^k nodes; 30 levels
        // pass 20 million, 10 do not.
        let bomb = |levels: usize| {
            let mut text = String::from("l0: &l0 [x, x]\n");
            for k in 1..levels {
                text.push_str(&format!("l{k}: &l{k} [*l{}, *l{}]\n", k - 1, k - 1));
            }
            text
        };
        assert!(too_large(&bomb(10)).is_none());
        let at = too_large(&bomb(30)).expect("too large");
        assert!(at.line() > 20, "found at line {}", at.line());
        assert!(too_large("lockfileVersion: '9.0'\npackages: {}\n").is_none());
    }
}

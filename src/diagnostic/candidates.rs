//! The names valid in one place, indexed once so that each of many
//! mistakes ("unknown dependency `x`") finds its did-you-mean without
//! comparing against every name.

use std::collections::BTreeMap;

use fnv::FnvHashMap;

use super::did_you_mean;

/// Names, grouped by (first character, length in characters), with per
/// group the most times each character occurs in one of its names and the
/// characters found at each position. A group whose characters cannot be
/// close enough to a name is skipped whole: the answer is always the one
/// [`did_you_mean`] gives over all the names.
#[derive(Debug, Clone)]
pub struct Candidates<'a> {
    /// In the order given.
    names: Vec<&'a str>,
    /// How many times each name occurs in `names`: "and N more" is counted
    /// from it, not by scanning every name per mistake.
    occurrences: FnvHashMap<&'a str, usize>,
    groups: Vec<Group<'a>>,
}

#[derive(Debug, Clone)]
struct Group<'a> {
    first: Option<char>,
    length: usize,
    most: FnvHashMap<char, usize>,
    /// Per position, the characters some name of the group has there
    /// (sorted, each once).
    at: Vec<Vec<char>>,
    names: Vec<&'a str>,
}

/// At most this many names are listed when none is close.
pub const LISTED_AT_MOST: usize = 20;

impl<'a> Candidates<'a> {
    pub fn new(names: impl IntoIterator<Item = &'a str>) -> Candidates<'a> {
        let names: Vec<&str> = names.into_iter().collect();
        let mut groups: BTreeMap<(Option<char>, usize), Group<'a>> = BTreeMap::new();
        let mut occurrences: FnvHashMap<&'a str, usize> = FnvHashMap::default();
        for &name in &names {
            *occurrences.entry(name).or_insert(0) += 1;
            let length = name.chars().count();
            let first = name.chars().next();
            let group = groups.entry((first, length)).or_insert_with(|| Group {
                first,
                length,
                most: FnvHashMap::default(),
                at: vec![Vec::new(); length],
                names: Vec::new(),
            });
            for (c, n) in counts(name) {
                let most = group.most.entry(c).or_insert(0);
                *most = (*most).max(n);
            }
            for (seen, c) in group.at.iter_mut().zip(name.chars()) {
                if let Err(place) = seen.binary_search(&c) {
                    seen.insert(place, c);
                }
            }
            group.names.push(name);
        }
        Candidates {
            names,
            occurrences,
            groups: groups.into_values().collect(),
        }
    }

    /// The name closest to `name` (as [`did_you_mean`] decides), leaving
    /// out `excluded`.
    pub fn closest(&self, name: &str, excluded: Option<&str>) -> Option<&'a str> {
        did_you_mean(
            name,
            self.possible(name)
                .into_iter()
                .flat_map(|g| g.names.iter().copied())
                .filter(|c| Some(*c) != excluded),
        )
    }

    /// The groups that may hold a name close to `name`.
    fn possible(&self, name: &str) -> Vec<&Group<'a>> {
        let chars: Vec<char> = name.chars().collect();
        let first = chars.first().copied();
        let own = counts(name);
        let edits = (name.len() / 3).max(1);
        self.groups
            .iter()
            .filter(|group| {
                let shared: usize = own
                    .iter()
                    .map(|(c, n)| (*n).min(group.most.get(c).copied().unwrap_or(0)))
                    .sum();
                let matchable = shared.min(group.matchable(&chars));
                group.could_be_close(chars.len(), first, shared, matchable, edits)
            })
            .collect()
    }

    /// "did you mean `x`?" or a list of the names (at most
    /// [`LISTED_AT_MOST`], then how many more), leaving out `excluded`.
    pub fn suggestion(&self, name: &str, excluded: Option<&str>, what: &str) -> Option<String> {
        if let Some(close) = self.closest(name, excluded) {
            return Some(format!("did you mean `{close}`?"));
        }
        let shown: Vec<String> = self
            .names
            .iter()
            .filter(|n| Some(**n) != excluded)
            .take(LISTED_AT_MOST)
            .map(|c| format!("`{c}`"))
            .collect();
        if shown.is_empty() {
            return None;
        }
        let left_out = excluded.map_or(0, |e| self.occurrences.get(e).copied().unwrap_or(0));
        let more = self.names.len().saturating_sub(left_out + shown.len());
        let mut help = format!("{what}: {}", shown.join(", "));
        if more > 0 {
            help.push_str(&format!(" and {more} more"));
        }
        Some(help)
    }
}

impl Group<'_> {
    /// At most how many characters Jaro can match between `name` and a name
    /// of this group: Jaro pairs equal characters at most
    /// `max(lengths) / 2 - 1` positions apart (strsim's `search_range`),
    /// each position at most once, so a position of the group's names with
    /// no equal character of `name` that near matches nothing.
    fn matchable(&self, name: &[char]) -> usize {
        let range = (name.len().max(self.length) / 2).saturating_sub(1);
        self.at
            .iter()
            .enumerate()
            .filter(|(j, seen)| {
                let near = name
                    .get(j.saturating_sub(range)..name.len().min(j + range + 1))
                    .unwrap_or_default();
                near.iter().any(|c| seen.binary_search(c).is_ok())
            })
            .count()
    }

    /// Whether a name of `length` characters starting with `first`, with at
    /// most `shared` characters in common with a name of this group and at
    /// most `matchable` Jaro matches, can be close to one: Jaro-Winkler at
    /// least 0.8, or at most `edits` edits (each edit changes at most one
    /// character).
    fn could_be_close(
        &self,
        length: usize,
        first: Option<char>,
        shared: usize,
        matchable: usize,
        edits: usize,
    ) -> bool {
        if length == 0 || self.length == 0 {
            return true;
        }
        let longest = length.max(self.length);
        let by_edits = length.abs_diff(self.length) <= edits && shared + edits >= longest;
        let matches = matchable.min(length).min(self.length) as f64;
        let jaro = (matches / length as f64 + matches / self.length as f64 + 1.0) / 3.0;
        // Winkler's bonus needs a common first character; it adds at most
        // 0.4 of what Jaro lacks.
        let winkler = if first == self.first {
            jaro + 0.4 * (1.0 - jaro)
        } else {
            jaro
        };
        // A margin against rounding: skipping is only for the clearly far.
        by_edits || winkler >= 0.8 - 1e-9
    }
}

/// How many times each character occurs in `name`.
fn counts(name: &str) -> Vec<(char, usize)> {
    let mut counts: BTreeMap<char, usize> = BTreeMap::new();
    for c in name.chars() {
        *counts.entry(c).or_insert(0) += 1;
    }
    counts.into_iter().collect()
}

#[cfg(test)]
mod tests;

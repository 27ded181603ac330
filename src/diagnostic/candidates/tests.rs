use proptest::prelude::*;

use super::*;
use crate::diagnostic::suggestion;

#[test]
fn finds_what_did_you_mean_finds() {
    let names = ["api", "db", "cache", "worker", "web", "c1", "c10", "c100"];
    let candidates = Candidates::new(names);
    for name in [
        "apj", "dv", "cahce", "wrker", "missing1", "c1000", "x", "", "c10",
    ] {
        assert_eq!(
            candidates.closest(name, None),
            did_you_mean(name, names),
            "{name}"
        );
    }
    assert_eq!(candidates.closest("cahce", Some("cache")), None);
}

#[test]
fn a_long_name_skips_short_names_whose_characters_are_out_of_jaros_reach() {
    // `missing10500` shares five characters with `c1050`, enough for Jaro
    // by count, but they sit more than five places apart: no match.
    let names: Vec<String> = (0..11_000).map(|i| format!("c{i}")).collect();
    let candidates = Candidates::new(names.iter().map(String::as_str));
    for name in ["missing10500", "missing9000", "missing500"] {
        assert_eq!(candidates.possible(name).len(), 0, "{name}");
        assert_eq!(candidates.closest(name, None), None);
    }
    assert_eq!(candidates.closest("c1050x", None), Some("c1050"));
}

#[test]
fn lists_at_most_twenty_names_then_how_many_more() {
    let names: Vec<String> = (0..25).map(|i| format!("n{i:02}")).collect();
    let candidates = Candidates::new(names.iter().map(String::as_str));
    let help = candidates
        .suggestion("zzzzzzzzzzzz", Some("n00"), "components")
        .unwrap_or_default();
    assert_eq!(
        help,
        "components: `n01`, `n02`, `n03`, `n04`, `n05`, `n06`, `n07`, `n08`, `n09`, `n10`, \
         `n11`, `n12`, `n13`, `n14`, `n15`, `n16`, `n17`, `n18`, `n19`, `n20` and 4 more"
    );
    let few = Candidates::new(["a1", "b2"]);
    assert_eq!(
        few.suggestion("zzzzzz", None, "components"),
        suggestion("zzzzzz", &["a1", "b2"], "components")
    );
    assert_eq!(
        Candidates::new([]).suggestion("x", None, "components"),
        None
    );
}

proptest! {
    #[test]
    fn skipping_groups_of_numbered_names_never_changes_the_answer(
        names in proptest::collection::vec("(c|web|missing)[0-9]{0,5}", 0..60),
        name in "(c|web|missing|x)[0-9]{0,6}",
    ) {
        let candidates = Candidates::new(names.iter().map(String::as_str));
        prop_assert_eq!(
            candidates.closest(&name, None),
            did_you_mean(&name, names.iter().map(String::as_str))
        );
    }
}

proptest! {
    #[test]
    fn skipping_groups_never_changes_the_answer(
        names in proptest::collection::vec("[a-dé0-2-]{0,7}", 0..40),
        name in "[a-dé0-2-]{0,9}",
    ) {
        let candidates = Candidates::new(names.iter().map(String::as_str));
        prop_assert_eq!(
            candidates.closest(&name, None),
            did_you_mean(&name, names.iter().map(String::as_str))
        );
    }
}

proptest! {
    #[test]
    fn counts_the_names_not_listed_as_a_scan_would(
        names in proptest::collection::vec("[ab]{1,2}", 0..30),
        excluded in "[ab]{1,2}",
    ) {
        let candidates = Candidates::new(names.iter().map(String::as_str));
        let kept = names.iter().filter(|n| **n != excluded).count();
        let help = candidates
            .suggestion("zzzzzzzzzzzzzzz", Some(&excluded), "names")
            .unwrap_or_default();
        let expected = if kept > LISTED_AT_MOST {
            format!(" and {} more", kept - LISTED_AT_MOST)
        } else {
            String::new()
        };
        prop_assert_eq!(help.ends_with(&expected), true);
        prop_assert_eq!(help.contains(" more"), kept > LISTED_AT_MOST);
    }
}

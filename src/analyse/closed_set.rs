//! Help for a word that is not one of a closed set (the runners, the
//! strategies, the attributes of a block): the closest member when one is
//! close, and always the whole set, so a near miss never hides the choices.

use crate::diagnostic::did_you_mean;

/// `did you mean `bats`? the runners are `mocha`, ..., `shell``, or only
/// the list when no member is close. `what` names the set in the plural
/// (`runners`, `attributes of a component`); an empty set gives `None`.
pub fn help(name: &str, members: &[&str], what: &str) -> Option<String> {
    if members.is_empty() {
        return None;
    }
    let list = members
        .iter()
        .map(|m| format!("`{m}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Some(match did_you_mean(name, members.iter().copied()) {
        Some(close) => format!("did you mean `{close}`? the {what} are {list}"),
        None => format!("the {what} are {list}"),
    })
}

#[cfg(test)]
mod tests {
    use super::help;

    #[test]
    fn close_member_and_the_whole_set() {
        assert_eq!(
            help("bash", &["bats", "shell"], "runners").as_deref(),
            Some("did you mean `bats`? the runners are `bats`, `shell`")
        );
        assert_eq!(
            help("zzz", &["bats", "shell"], "runners").as_deref(),
            Some("the runners are `bats`, `shell`")
        );
        assert_eq!(help("x", &[], "runners"), None);
    }
}

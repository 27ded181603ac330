//! Text GitLab reads literally: variable values and the strings of
//! `rules: if:` expressions.

/// `text` as a `variables:` value GitLab does not expand: `$` doubled.
pub fn literal(text: &str) -> String {
    text.replace('$', "$$")
}

/// `$VARIABLE == "value"` (or `'value'`), true when the variable is exactly
/// `value`. GitLab's expression strings have no escapes: a value holding
/// both quote characters is matched with an anchored regular expression,
/// every character but letters and digits escaped.
pub fn equals(variable: &str, value: &str) -> String {
    if !value.contains('"') {
        format!("${variable} == \"{value}\"")
    } else if !value.contains('\'') {
        format!("${variable} == '{value}'")
    } else {
        let mut pattern = String::new();
        for c in value.chars() {
            if !c.is_ascii_alphanumeric() {
                pattern.push('\\');
            }
            pattern.push(c);
        }
        format!("${variable} =~ /^{pattern}$/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_stay_literal() {
        assert_eq!(literal("/var/$x"), "/var/$$x");
        assert_eq!(
            equals("CI_COMMIT_BRANCH", "main"),
            "$CI_COMMIT_BRANCH == \"main\""
        );
        assert_eq!(equals("B", "a\"b"), "$B == 'a\"b'");
        assert_eq!(equals("B", "a\"'/b"), "$B =~ /^a\\\"\\'\\/b$/");
    }
}

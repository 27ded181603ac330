//! Text GitHub reads literally in a workflow: `${{` escaped where a value
//! comes from the spec or a path, branch names as filter patterns and as
//! expression strings.

/// `text` with every `${{` written as an expression that yields it, so
/// GitHub evaluates nothing that came from the spec or a folder name.
pub fn literal(text: &str) -> String {
    text.replace("${{", "${{ '${{' }}")
}

/// `text` as a string literal inside `${{ }}`: single quotes, a `'`
/// doubled.
pub fn string(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A branch filter pattern that matches only the branch `name`: the
/// filter's special characters (`*`, `?`, `+`, `[`, `]`, `!`, `\`) escaped
/// with `\`. (`on:` holds no expressions: nothing else is escaped.)
pub fn branch_pattern(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if "*?+[]!\\".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_text_is_never_an_expression() {
        assert_eq!(literal("a ${{ x }} b"), "a ${{ '${{' }} x }} b");
        assert_eq!(literal("$HOME ${x}"), "$HOME ${x}");
        assert_eq!(string("it's"), "'it''s'");
        assert_eq!(branch_pattern("release+1!"), "release\\+1\\!");
        assert_eq!(branch_pattern("main"), "main");
    }
}

//! Compose project names.
//!
//! Compose accepts lowercase letters, digits, `_` and `-`, starting with a
//! letter or digit. stackc lowercases the name, writes `-` for any other
//! character, drops leading `_`/`-`, and falls back to `stack` when nothing
//! is left. Test stacks are `<stack>-test-<component>`, environment files
//! `<stack>-<environment>`, fragments `<stack>-<component>`.

/// The project of `component`'s test stack in `stack`: `<stack>-test-<component>`.
pub fn test_stack_project(stack: &str, component: &str) -> String {
    project_name(&[stack, "test", component])
}

/// The project of `environment`'s whole stack: `<stack>-<environment>`.
pub fn whole_stack_project(stack: &str, environment: &str) -> String {
    project_name(&[stack, environment])
}

/// `parts` joined with `-`, made a valid Compose project name.
pub fn project_name(parts: &[&str]) -> String {
    let raw = parts.join("-");
    let cleaned: String = raw
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let trimmed = cleaned.trim_start_matches(['-', '_']);
    if trimmed.is_empty() {
        "stack".to_string()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_compose_rules() {
        assert_eq!(
            project_name(&["newsroom", "test", "api"]),
            "newsroom-test-api"
        );
        assert_eq!(project_name(&["News.Room", "web_ui"]), "news-room-web_ui");
        assert_eq!(project_name(&["_x", "é"]), "x--");
        assert_eq!(project_name(&["--"]), "stack");
    }
}

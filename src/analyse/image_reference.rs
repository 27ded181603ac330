//! Docker's grammar for image references, so that `stackc check` refuses
//! what `docker pull` and Compose would (`distribution/reference`):
//!
//! ```text
//! reference  := name [":" tag] ["@" digest]
//! name       := [domain "/"] component ("/" component)*      at most 255 characters
//! domain     := host [":" port]      (the first part, when it holds `.` or `:`
//!                                     or is `localhost`, as the Docker daemon reads it)
//! component  := [a-z0-9]+ (([._] | "__" | "-"+) [a-z0-9]+)*
//! tag        := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
//! digest     := algorithm ":" [0-9a-fA-F]{32,}
//! ```

/// The longest name Docker takes (without tag and digest).
const NAME_MAX: usize = 255;
/// The longest tag Docker takes.
const TAG_MAX: usize = 128;

/// What is wrong with the literal image reference `image`, in words;
/// `None` when Docker takes it. `digest_known` is false when the digest is
/// only known at run time (it held a reference), so its form is not judged.
pub fn problem(image: &str, digest_known: bool) -> Option<String> {
    let (name_and_tag, digest) = match image.split_once('@') {
        Some((before, digest)) => (before, Some(digest)),
        None => (image, None),
    };
    if let Some(digest) = digest.filter(|_| digest_known) {
        if !is_digest(digest) {
            return Some(format!(
                "`{digest}` is not a digest: write `@sha256:` and the 64 hexadecimal digits"
            ));
        }
    }
    let last_slash = name_and_tag.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match name_and_tag.get(last_slash..).and_then(|t| t.find(':')) {
        Some(colon) => name_and_tag.split_at(last_slash + colon),
        None => (name_and_tag, ""),
    };
    if let Some(tag) = tag.strip_prefix(':') {
        if let Some(problem) = tag_problem(tag) {
            return Some(problem);
        }
    }
    name_problem(name)
}

fn tag_problem(tag: &str) -> Option<String> {
    let valid_start = tag
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    let valid = valid_start
        && tag.len() <= TAG_MAX
        && tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    (!valid).then(|| {
        if tag.is_empty() {
            "the tag after `:` is empty".to_string()
        } else {
            format!("`{tag}` is not a tag: at most {TAG_MAX} letters, digits, `_`, `.` and `-`, not starting with `.` or `-`")
        }
    })
}

fn name_problem(name: &str) -> Option<String> {
    if name.len() > NAME_MAX {
        return Some(format!(
            "the image name is {} characters long; Docker takes at most {NAME_MAX}",
            name.len()
        ));
    }
    let mut parts: Vec<&str> = name.split('/').collect();
    let first = parts.first().copied().unwrap_or("");
    let has_domain = parts.len() > 1 && (first.contains(['.', ':']) || first == "localhost");
    if has_domain {
        if !is_domain(first) {
            return Some(format!("`{first}` is not a registry host (`host[:port]`)"));
        }
        parts.remove(0);
    }
    let repository = parts.join("/");
    if repository.chars().any(|c| c.is_ascii_uppercase()) {
        return Some(format!(
            "the repository `{repository}` must be lower case: try `{}`",
            repository.to_ascii_lowercase()
        ));
    }
    parts
        .iter()
        .find(|part| !is_path_component(part))
        .map(|part| {
            if part.is_empty() {
                "the name has an empty part (`//`, or a `/` at an end)".to_string()
            } else {
                format!("`{part}` is not a repository name part: lower-case letters and digits, joined by `.`, `_`, `__` or dashes")
            }
        })
}

/// `[a-z0-9]+ (([._] | __ | -+) [a-z0-9]+)*`.
fn is_path_component(part: &str) -> bool {
    let alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    let mut separator = String::new();
    let mut previous_alnum = false;
    for c in part.chars() {
        if alnum(c) {
            if !separator.is_empty() && !is_separator(&separator) {
                return false;
            }
            separator.clear();
            previous_alnum = true;
        } else if matches!(c, '.' | '_' | '-') && (previous_alnum || !separator.is_empty()) {
            separator.push(c);
            previous_alnum = false;
        } else {
            return false;
        }
    }
    previous_alnum
}

fn is_separator(separator: &str) -> bool {
    matches!(separator, "." | "_" | "__") || separator.chars().all(|c| c == '-')
}

/// `host[:port]`: DNS labels joined by `.`, or an IPv6 address in brackets.
fn is_domain(domain: &str) -> bool {
    let (host, port) = match domain.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(':') => (host, Some(port)),
        _ => (domain, None),
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.parse::<std::net::Ipv6Addr>().is_ok();
    }
    !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// `algorithm:hex`, the hex part at least 32 digits.
fn is_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    let algorithm_valid = algorithm.split(['+', '.', '-', '_']).all(|part| {
        part.starts_with(|c: char| c.is_ascii_alphabetic())
            && part.chars().all(|c| c.is_ascii_alphanumeric())
    });
    algorithm_valid && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn docker_takes_these() {
        for image in [
            "redis",
            "redis:7",
            "postgres:16-alpine",
            "docker.io/library/redis:7",
            "registry.example:5000/team/api:1.4",
            "localhost/api",
            "LOCALHOST:5000/api",
            "My.Registry/api",
            "[::1]:5000/api:v1",
            "a__b/c---d/e.f_g:_x",
            "api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "api:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert_eq!(problem(image, true), None, "{image}");
        }
    }

    #[test]
    fn docker_refuses_these() {
        for image in [
            "Newsroom/api",
            "newsroom/API:1",
            "api:",
            "api:.hidden",
            "api:-x",
            &format!("api:{}", "x".repeat(129)),
            &"a".repeat(256),
            "api@sha256:abc",
            "api@",
            "team//api",
            "team/api/",
            "-api",
            "api-",
            "a..b",
            "a___b",
            "host:port/api",
        ] {
            assert!(problem(image, true).is_some(), "{image}");
        }
    }

    #[test]
    fn a_digest_known_at_run_time_is_not_judged() {
        assert_eq!(problem("api@x", false), None);
    }
}

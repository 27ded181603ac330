//! One route as a `use_backend` rule of the HTTP frontend: what it matches
//! and where it stands among the others.

use std::cmp::Reverse;

use serde::Serialize;

use crate::model::{Component, Route};

/// How a route's host is compared with the request's `Host` header, taken
/// without its port and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "pattern")]
pub enum HostMatch {
    /// `api.example.com`: that host exactly (pattern lower-cased).
    Exact(String),
    /// `*.example.com`: any host ending in `.example.com` (not
    /// `example.com` itself).
    Suffix(String),
    /// `*`: every host.
    Any,
}

impl HostMatch {
    /// The matcher for a route's `host`: a leading `*.` is a wildcard label;
    /// `*` alone matches every host. Any other `*` is compared as written
    /// (no request host holds one; the analyser's business).
    pub fn new(host: &str) -> HostMatch {
        let host = host.to_ascii_lowercase();
        if host == "*" {
            HostMatch::Any
        } else if let Some(rest) = host.strip_prefix('*') {
            if rest.starts_with('.') {
                HostMatch::Suffix(rest.to_string())
            } else {
                HostMatch::Exact(host)
            }
        } else {
            HostMatch::Exact(host)
        }
    }

    /// Exact hosts first, then wildcards by longest suffix, then `*`.
    fn rank(&self) -> (u8, Reverse<usize>) {
        match self {
            HostMatch::Exact(_) => (0, Reverse(0)),
            HostMatch::Suffix(suffix) => (1, Reverse(suffix.len())),
            HostMatch::Any => (2, Reverse(0)),
        }
    }

    fn pattern(&self) -> &str {
        match self {
            HostMatch::Exact(pattern) | HostMatch::Suffix(pattern) => pattern,
            HostMatch::Any => "",
        }
    }
}

/// A route as the frontend writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteRule {
    /// The backend: the component's name.
    pub backend: String,
    /// The route's name, for the comment and the ACL names.
    pub route: String,
    /// Host and path as the spec writes them, for the comment.
    pub host_written: String,
    pub path_written: String,
    pub host: HostMatch,
    /// The path prefix without trailing `/`: the request path equals it or
    /// starts with it followed by `/`. `None` for `/`, which matches every
    /// path.
    pub path: Option<String>,
    /// ACL names: `COMPONENT.ROUTE.host`, `COMPONENT.ROUTE.path` (component
    /// and route names hold no `.`, so they never collide).
    pub host_acl: String,
    pub path_acl: String,
}

impl RouteRule {
    pub fn new(component: &Component, route: &Route) -> RouteRule {
        let trimmed = route.path.trim_end_matches('/');
        let path = (!trimmed.is_empty()).then(|| trimmed.to_string());
        RouteRule {
            backend: component.name.clone(),
            route: route.name.clone(),
            host_written: route.host.clone(),
            path_written: route.path.clone(),
            host: HostMatch::new(&route.host),
            path,
            host_acl: format!("{}.{}.host", component.name, route.name),
            path_acl: format!("{}.{}.path", component.name, route.name),
        }
    }

    /// Every route of `components`, in the order the frontend tries them:
    /// the most specific host first (exact hosts, then wildcards by longest
    /// suffix, then `*`), and for one host the longest path first; ties by
    /// host, component and route name, so the order never depends on the
    /// order of the spec files.
    pub fn ordered<'m>(components: impl Iterator<Item = &'m Component>) -> Vec<RouteRule> {
        let mut rules: Vec<RouteRule> = components
            .flat_map(|c| c.routes.iter().map(move |r| RouteRule::new(c, r)))
            .collect();
        rules.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        rules
    }

    fn order_key(&self) -> (u8, Reverse<usize>, &str, Reverse<usize>, &str, &str) {
        let (rank, suffix) = self.host.rank();
        let path_len = self.path.as_ref().map_or(0, String::len);
        (
            rank,
            suffix,
            self.host.pattern(),
            Reverse(path_len),
            &self.backend,
            &self.route,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Component;

    fn component(name: &str, routes: &[(&str, &str, &str)]) -> Component {
        super::super::tests::component(name, routes, None)
    }

    #[test]
    fn hosts_are_exact_wildcard_or_any() {
        assert_eq!(
            HostMatch::new("API.Example.com"),
            HostMatch::Exact("api.example.com".into())
        );
        assert_eq!(
            HostMatch::new("*.example.com"),
            HostMatch::Suffix(".example.com".into())
        );
        assert_eq!(HostMatch::new("*"), HostMatch::Any);
        assert_eq!(HostMatch::new("a*b"), HostMatch::Exact("a*b".into()));
        assert_eq!(HostMatch::new("*x"), HostMatch::Exact("*x".into()));
    }

    #[test]
    fn paths_lose_their_trailing_slash_and_slash_alone_matches_all() {
        let c = component(
            "api",
            &[("a", "h", "/api/"), ("b", "h", "/"), ("c", "h", "//")],
        );
        let paths: Vec<Option<String>> = c
            .routes
            .iter()
            .map(|r| RouteRule::new(&c, r).path)
            .collect();
        assert_eq!(paths, [Some("/api".to_string()), None, None]);
    }

    #[test]
    fn specific_hosts_then_longest_paths_first() {
        let web = component("web", &[("public", "www.example.com", "/")]);
        let api = component(
            "api",
            &[
                ("public", "www.example.com", "/api"),
                ("v2", "www.example.com", "/api/v2"),
            ],
        );
        let any = component("any", &[("all", "*", "/x")]);
        let wild = component(
            "wild",
            &[("short", "*.com", "/"), ("long", "*.example.com", "/")],
        );
        let order: Vec<String> = RouteRule::ordered([&web, &any, &wild, &api].into_iter())
            .iter()
            .map(|r| format!("{}.{}", r.backend, r.route))
            .collect();
        assert_eq!(
            order,
            [
                "api.v2",
                "api.public",
                "web.public",
                "wild.long",
                "wild.short",
                "any.all"
            ]
        );
    }
}

use super::*;

fn graph(edges: &[(&str, &[&str])]) -> Option<Graph> {
    let direct = edges
        .iter()
        .map(|(n, deps)| (n.to_string(), deps.iter().map(|d| d.to_string()).collect()))
        .collect();
    Graph::build(&direct)
}

fn closure<'a>(g: &'a Graph, name: &str) -> Vec<&'a str> {
    g.closure(name).collect()
}

fn dependents<'a>(g: &'a Graph, name: &str) -> Vec<&'a str> {
    g.dependents(name).collect()
}

/// A web front, its API over a database and a cache, and a worker.
const WEB_API_WORKER: &[(&str, &[&str])] = &[
    ("web", &["api"]),
    ("api", &["db", "cache"]),
    ("db", &[]),
    ("cache", &[]),
    ("worker", &["db"]),
];

#[test]
fn order_closures_dependents() {
    let g = graph(WEB_API_WORKER).expect("acyclic");
    assert_eq!(g.order, ["cache", "db", "api", "web", "worker"]);
    assert_eq!(closure(&g, "web"), ["cache", "db", "api"]);
    assert_eq!(dependents(&g, "db"), ["api", "web", "worker"]);
    assert!(closure(&g, "db").is_empty());
    assert_eq!(g.closure_positions("web"), [0, 1, 2]);
    assert_eq!(g.dependents_positions("cache"), [2, 3]);
}

#[test]
fn a_diamond_lists_the_shared_dependency_once() {
    let g = graph(&[
        ("top", &["left", "right"]),
        ("left", &["base"]),
        ("right", &["base"]),
        ("base", &[]),
    ])
    .expect("acyclic");
    assert_eq!(g.order, ["base", "left", "right", "top"]);
    assert_eq!(closure(&g, "top"), ["base", "left", "right"]);
    assert_eq!(dependents(&g, "base"), ["left", "right", "top"]);
    assert_eq!(dependents(&g, "left"), ["top"]);
    assert!(g.depends_on("top", "base"));
    assert!(!g.depends_on("left", "right"));
    assert!(!g.depends_on("base", "top"));
}

#[test]
fn a_chain_closes_over_everything_below() {
    let g = graph(&[("d", &["c"]), ("c", &["b"]), ("b", &["a"]), ("a", &[])]).expect("acyclic");
    assert_eq!(closure(&g, "d"), ["a", "b", "c"]);
    assert_eq!(dependents(&g, "a"), ["b", "c", "d"]);
    assert!(g.depends_on("d", "a"));
    assert!(!g.depends_on("a", "d"));
    assert!(!g.depends_on("b", "b"));
}

#[test]
fn a_star_fans_in_and_out() {
    let g = graph(&[
        ("hub", &[]),
        ("s1", &["hub"]),
        ("s2", &["hub"]),
        ("s3", &["hub"]),
        ("all", &["s3", "s1", "s2", "hub"]),
    ])
    .expect("acyclic");
    assert_eq!(g.order, ["hub", "s1", "s2", "s3", "all"]);
    assert_eq!(closure(&g, "all"), ["hub", "s1", "s2", "s3"]);
    assert_eq!(dependents(&g, "hub"), ["s1", "s2", "s3", "all"]);
    assert_eq!(closure(&g, "s2"), ["hub"]);
}

#[test]
fn unknown_names_and_missing_dependencies_are_ignored() {
    let g = graph(&[("api", &["ghost", "db", "db"]), ("db", &[])]).expect("acyclic");
    assert_eq!(closure(&g, "api"), ["db"]);
    assert_eq!(dependents(&g, "db"), ["api"]);
    assert!(closure(&g, "ghost").is_empty());
    assert!(!g.depends_on("api", "ghost"));
    assert_eq!(g.position("ghost"), None);
    assert_eq!(g.name(1), Some("api"));
}

#[test]
fn cycle_is_none() {
    assert!(graph(&[("a", &["b"]), ("b", &["a"])]).is_none());
    assert!(graph(&[("a", &["a"])]).is_none());
}

#[test]
fn serializes_closures_and_dependents_by_name() {
    let g = graph(&[("b", &["a"]), ("a", &[]), ("c", &["b"])]).expect("acyclic");
    let json = serde_json::to_string(&g).expect("serializes");
    assert_eq!(
        json,
        r#"{"order":["a","b","c"],"closures":{"a":[],"b":["a"],"c":["a","b"]},"dependents":{"a":["b","c"],"b":["c"],"c":[]}}"#
    );
}

#[test]
fn walks_on_one_thread_do_not_see_each_others_marks() {
    let big = graph(&[("a", &["b"]), ("b", &["c"]), ("c", &[]), ("d", &["a"])]).expect("acyclic");
    let small = graph(&[("x", &["y"]), ("y", &[])]).expect("acyclic");
    for _ in 0..3 {
        assert_eq!(closure(&big, "d"), ["c", "b", "a"]);
        assert_eq!(closure(&small, "x"), ["y"]);
        assert_eq!(dependents(&big, "c"), ["b", "a", "d"]);
    }
    // The walk number wraps: the marks are cleared, nothing is skipped.
    let edges = vec![vec![], vec![0], vec![1]];
    let mut visits = Visits {
        walk: u32::MAX - 1,
        ..Visits::default()
    };
    for _ in 0..4 {
        assert_eq!(visits.reach(&edges, 2), [0, 1]);
    }
    assert_eq!(visits.walk, 3, "MAX, then 1 (wrapped), 2, 3");
}

#[test]
fn from_indices_is_build_by_position_and_ignores_indices_past_the_end() {
    // Sorted names: api 0, cache 1, db 2, web 3, worker 4.
    let names = ["api", "cache", "db", "web", "worker"];
    let direct = [vec![2, 1], vec![], vec![], vec![0, 9], vec![2, 2]];
    let g = Graph::from_indices(&names, &direct).expect("acyclic");
    let built = graph(WEB_API_WORKER).expect("acyclic");
    assert_eq!(g, built);
    assert_eq!(g.order, ["cache", "db", "api", "web", "worker"]);
    assert!(Graph::from_indices(&names, &[vec![3], vec![], vec![], vec![0]]).is_none());
}

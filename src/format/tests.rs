use super::*;

fn fmt(source: &str) -> String {
    let once = match format_source(FileId(0), source) {
        Ok(text) => text,
        Err(d) => panic!("does not parse: {d:?}\n{source}"),
    };
    let twice = format_source(FileId(0), &once).expect("formatted text parses");
    assert_eq!(once, twice, "not idempotent; first pass:\n{once}");
    once
}

fn snapshot(name: &str, source: &str) {
    let formatted = fmt(source);
    insta::with_settings!({snapshot_path => "../../snapshots/format", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(name, formatted);
    });
}

#[test]
fn messy_layout_becomes_canonical() {
    snapshot(
        "messy",
        r#"


# The stack.
stack   demo{registry="r.example:5000"}
include    "services/*.stack"



environment test{host="127.0.0.1"}
environment prod {
}
component api {
    image = "demo/api"
  build      = "services/api"
      ports = { http = 8080  admin = { container = 9000  publish = false } }
  depends_on = [db,cache,]


  health { http = "/health"  port = http  interval = 2s  timeout = 1m }
  kpi {
    error_rate < 0.5%
    response_time <= 300ms
    min_requests = 50
  }
  compose { labels = { "com.example.team" = "news"  "plain" = "x" } }
}
"#,
    );
}

#[test]
fn comments_are_kept_where_they_belong() {
    snapshot(
        "comments",
        r#"# header comment
# second line

stack demo { # trailing after brace
  # own line inside
  registry = "r"   # trailing after attribute

  # before nothing
}
component api {
  depends_on = [ # after bracket
    db,   # first
    # between
    cache
    # before close
  ]
  env {
    A = "1"
    # a note about B
    LONG_NAME = "2"  # why
  }
  image # between key and equals
    = "x"
} # after the block
# at the very end
"#,
    );
}

#[test]
fn multi_line_maps_and_long_lists() {
    snapshot(
        "multi_line",
        r#"component couchbase {
  ports = {
    admin = 8091
      kv = 11210

    query = 8093
  }
  compose {
    command = ["redis-server", "--appendonly", "yes", "--save", "60", "1000", "--loglevel", "warning", "--port", "6379"]
    ulimits = { nofile = { soft = 1  hard = 2 }  core = 0 }
  }
  empty_list = [
  ]
  empty_map = {
  }
}
"#,
    );
}

#[test]
fn values_are_kept_as_written() {
    let out = fmt(
        "x { a = 1m  b = 60s  c = 0.50%  d = \"\\u{e9}\\\"\\$\"  e = -3  f = true  g = web-ui }\n",
    );
    assert_eq!(
        out,
        "x { a = 1m  b = 60s  c = 0.50%  d = \"\\u{e9}\\\"\\$\"  e = -3  f = true  g = web-ui }\n"
    );
}

#[test]
fn crlf_and_tabs_become_lf_and_spaces() {
    let out = fmt("stack s {\r\n\tregistry = \"r\"\t# c\r\n}\r\n");
    assert_eq!(out, "stack s {\n  registry = \"r\"  # c\n}\n");
    assert!(is_formatted(
        "stack s {\r\n  registry = \"r\"  # c\r\n}\r\n",
        &out
    ));
}

#[test]
fn a_byte_order_mark_is_kept() {
    for (source, formatted) in [
        (
            "\u{feff}stack  s {registry=\"r\"}\n",
            "\u{feff}stack s { registry = \"r\" }\n",
        ),
        ("\u{feff}\n\n# c\nx = 1", "\u{feff}# c\nx = 1\n"),
        ("\u{feff}", "\u{feff}"),
    ] {
        assert_eq!(fmt(source), formatted, "{source:?}");
    }
    assert!(!fmt("stack s { }\n").starts_with('\u{feff}'));
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("\n\n  \n"), "");
    assert_eq!(fmt("# only\n\n\n# comments"), "# only\n\n# comments\n");
}

#[test]
fn a_block_too_wide_for_one_line_is_spread() {
    let source = format!(
        "component c {{ test t {{ command = \"{}\"  path = \"p\" }} }}\n",
        "x".repeat(80)
    );
    let out = fmt(&source);
    assert_eq!(
        out,
        format!(
            "component c {{\n  test t {{\n    command = \"{}\"\n    path    = \"p\"\n  }}\n}}\n",
            "x".repeat(80)
        )
    );
}

#[test]
fn formatting_keeps_the_tree() {
    let source = r#"
stack s { registry = "r" }   # c
component   api {
  ports = { "http" = 8080
    "a.b" = 1 }
  steps = [ 10%,
   100% ]
}
"#;
    let before = parse(FileId(0), source).unwrap();
    let after = parse(FileId(0), &fmt(source)).unwrap();
    assert_eq!(shape(&before), shape(&after));
}

#[test]
fn a_relative_value_has_one_space_around_its_operator() {
    assert_eq!(
        fmt("kpi { error_rate <  stable+0.5%\n response_time < stable -\n 50ms }"),
        "kpi {\n  error_rate    < stable + 0.5%\n  response_time < stable - 50ms\n}\n"
    );
    assert_eq!(
        fmt("kpi {\nerror_rate<stable   +1%\n}"),
        "kpi {\n  error_rate < stable + 1%\n}\n"
    );
    // Wherever the analyser will refuse it, it is formatted the same.
    assert_eq!(fmt("x = [canary+ \"1\"]"), "x = [canary + \"1\"]\n");
}

#[test]
fn a_dotted_key_is_kept() {
    assert_eq!(
        fmt("kpi { response_time.p99<300ms }"),
        "kpi { response_time.p99 < 300ms }\n"
    );
}

#[test]
fn dotted_env_names_and_port_protocols_are_kept() {
    let source = "component search {\n  ports = { dns = { container = 53  protocol = [\"tcp\", \"udp\"]  host_ip = \"127.0.0.1\" } }\n  env {\n    discovery.type = \"single-node\"\n    my-var = 1\n  }\n}\n";
    let formatted = fmt(source);
    assert!(
        formatted.contains("    discovery.type = \"single-node\"\n    my-var         = 1\n"),
        "{formatted}"
    );
    assert!(
        formatted.contains("protocol = [\"tcp\", \"udp\"]  host_ip = \"127.0.0.1\""),
        "{formatted}"
    );
    assert_eq!(fmt(&formatted), formatted);
}

/// The keys of a file of many components are padded in one pass: each byte
/// of the printed text is copied once, not once per padded key after it.
#[test]
fn padding_copies_the_text_once() {
    let mut source = String::new();
    for i in 0..500 {
        source.push_str(&format!(
            "component c{i} {{\n  image = \"x/c{i}\"\n  depends_on = []\n  env {{\n    A = \"1\"\n    LONG = \"2\"\n  }}\n}}\n"
        ));
    }
    let document = parse(FileId(0), &source).expect("parses");
    let (formatted, copied) = Formatter::new(&source, &document).format_counting_copies(&document);
    // Two padded keys per component: `image` (5 spaces) and `A` (3).
    let spaces = 500 * (5 + 3);
    assert!(
        formatted.contains("  image      = \"x/c499\"\n"),
        "{formatted}"
    );
    assert!(formatted.contains("    A    = \"1\"\n"), "{formatted}");
    assert_eq!(copied + spaces, formatted.len());
    assert_eq!(formatted, fmt(&source));
}

/// An empty list, map or block holds a comment only when one starts inside
/// it: found by a search among the comments left, whatever their number.
#[test]
fn empty_values_beside_many_comments() {
    let mut source = String::new();
    for i in 0..200 {
        source.push_str(&format!(
            "# c{i}\ncomponent c{i} {{\n  depends_on = [\n    # none yet\n  ]\n  ports = {{}}\n  env {{ }}\n}}\n"
        ));
    }
    let formatted = fmt(&source);
    assert_eq!(formatted.matches("# none yet").count(), 200);
    assert_eq!(formatted.matches("ports      = { }").count(), 200);
    assert_eq!(formatted.matches("env { }").count(), 200);
}

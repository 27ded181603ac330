//! The quoting filter's words read back exactly in a running HAProxy: each
//! hostile string is the body of an `http-request return ... string WORD`
//! rule (HAProxy sends that argument verbatim), fetched over HTTP.

use stackc::emit::haproxy::quote;

use crate::process::Haproxy;
use crate::tools;

/// Strings a configuration writer easily gets wrong. (HAProxy refuses an
/// empty `string` argument, so the empty string is left out; the unit tests
/// cover its quoting.)
const HOSTILE: &[&str] = &[
    "plain",
    "it's",
    "say \"hi\"",
    "back\\slash \\n not a newline",
    "$HOME",
    "${HOME}",
    "${STACK_X-default}",
    "\"${HOME}\"",
    "#not a comment",
    "two  spaces",
    " leading",
    "trailing ",
    "new\nline",
    "carriage\rreturn",
    "tab\there",
    "\u{1}control\u{7f}",
    "café ☕ 東京",
    "%[path] %{+Q}o",
    "-i",
    "if",
    "{ }",
    "'",
    "\"",
    "\\",
    "a'b\"c\\d$e#f g\nh",
];

#[test]
fn quoted_words_read_back_exactly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = tools::free_port();
    let mut config = format!(
        "global\n    maxconn 100\n\ndefaults\n    mode http\n    timeout connect 5s\n    \
         timeout client 20s\n    timeout server 20s\n\nfrontend readback\n    bind 127.0.0.1:{port}\n"
    );
    for (index, value) in HOSTILE.iter().enumerate() {
        config.push_str(&format!(
            "    http-request return status 200 content-type text/plain string {} if {{ path /{index} }}\n",
            quote(value)
        ));
    }
    let path = dir.path().join("readback.cfg");
    tools::write(&path, &config);
    // Variables the strings name, set: nothing may expand them.
    let vars = vec![
        ("HOME".to_string(), "EXPANDED".to_string()),
        ("STACK_X".to_string(), "EXPANDED".to_string()),
    ];
    let haproxy = Haproxy::start(&path, &vars, &dir.path().join("haproxy.log"), || {
        tools::get(port, "readback", "/0").is_ok()
    });
    let mut wrong = Vec::new();
    for (index, value) in HOSTILE.iter().enumerate() {
        match tools::get(port, "readback", &format!("/{index}")) {
            Ok(response) if response.status == 200 && response.body == value.as_bytes() => {}
            Ok(response) => wrong.push(format!(
                "{value:?} written {} read back as {:?} (status {})",
                quote(value),
                response.text(),
                response.status
            )),
            Err(error) => wrong.push(format!("{value:?}: {error}")),
        }
    }
    let log = haproxy.log();
    haproxy.stop();
    assert!(wrong.is_empty(), "{}\n{config}\n{log}", wrong.join("\n"));
}

//! `stackc check`: exit codes, summary line, plain and JSON diagnostics.

use std::path::Path;
use std::process::{Command, Output};

fn stackc(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stackc"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("stackc runs")
}

fn workspace(stackfile: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("Stackfile"), stackfile).expect("write");
    dir
}

#[test]
fn valid_workspace_exits_zero_with_a_summary() {
    let dir = workspace(
        "stack s { }\nenvironment dev { }\ncomponent a { }\ncomponent b { depends_on = [a] }\n",
    );
    let out = stackc(&["check"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "ok: 2 components, 2 environments, 1 file\n"
    );
}

#[test]
fn spec_errors_exit_one_with_plain_text_when_not_a_terminal() {
    let dir =
        workspace("stack s { }\ncomponent api { depends_on = [redsi] }\ncomponent redis { }\n");
    let out = stackc(&["check", "."], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains('\u{1b}'),
        "no colour when stderr is not a terminal: {stderr}"
    );
    assert!(
        stderr.contains("error[E0102]: unknown dependency `redsi`"),
        "{stderr}"
    );
    assert!(stderr.contains("--> Stackfile:2:31"), "{stderr}");
    assert!(stderr.contains("help: did you mean `redis`?"), "{stderr}");
}

#[test]
fn json_diagnostics_one_object_per_line() {
    let dir =
        workspace("stack s { }\ncomponent api { depends_on = [redsi] }\ncomponent redis { }\n");
    let out = stackc(&["check", "--message-format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(lines[0]).expect("valid JSON");
    assert_eq!(json["file"], "Stackfile");
    assert_eq!(json["line"], 2);
    assert_eq!(json["column"], 31);
    assert_eq!(json["end_column"], 36);
    assert_eq!(json["code"], "E0102");
    assert_eq!(json["severity"], "error");
    assert_eq!(json["help"], "did you mean `redis`?");
}

#[test]
fn forced_colour_is_styled() {
    let dir = workspace("stack s { }\ncomponent api { depends_on = [redsi] }\n");
    let out = stackc(&["check", "--color", "always"], dir.path());
    assert!(String::from_utf8_lossy(&out.stderr).contains('\u{1b}'));
}

#[test]
fn missing_workspace_and_bad_usage_exit_two() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = stackc(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no Stackfile in ."));
    let out = stackc(&["check", "--no-such-flag"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_and_version_exit_zero() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(stackc(&["--help"], dir.path()).status.code(), Some(0));
    let out = stackc(&["--version"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("stackc "));
}

#[test]
fn warnings_alone_exit_zero() {
    let dir = workspace("stack s { }\ncomponent a { env { X = \"$HOME\" } }\n");
    let out = stackc(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning[W0001]"));
}

#[test]
fn a_path_that_does_not_exist_is_named_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    for command in ["check", "build", "graph"] {
        let out = stackc(&[command, "nonexist"], dir.path());
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr, "error: nonexist does not exist\n", "{command}");
    }
    std::fs::create_dir(dir.path().join("empty")).expect("mkdir");
    let out = stackc(&["check", "empty"], dir.path());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no Stackfile in empty"));
}

#[test]
fn an_option_of_build_given_to_check_says_whose_it_is() {
    let dir = workspace("stack s { }\n");
    let out = stackc(&["check", "--repository-root", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "tip: `--repository-root` is an option of `stackc build` and `stackc diff` only"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("-- --repository-root"), "{stderr}");
}

/// One rule for every diagnostic, human or JSON: the file is named relative
/// to the current folder (`../` where needed), so a terminal, an editor or
/// a hook resolves it from where stackc ran.
#[test]
fn diagnostics_name_files_from_the_current_folder() {
    let dir = workspace("stack s { }\ninclude \"services/*.stack\"\n");
    let services = dir.path().join("services");
    std::fs::create_dir(&services).expect("mkdir");
    std::fs::write(
        services.join("api.stack"),
        "component api { depends_on = [redsi] }\n",
    )
    .expect("write");
    std::fs::create_dir(dir.path().join("elsewhere")).expect("mkdir");
    let cases = [
        (dir.path().to_path_buf(), ".", "services/api.stack"),
        (services.clone(), "..", "api.stack"),
        (dir.path().join("elsewhere"), "..", "../services/api.stack"),
    ];
    for (cwd, arg, file) in cases {
        let out = stackc(&["check", "--color", "never", arg], &cwd);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("--> {file}:1:31")),
            "{file}: {stderr}"
        );
        let out = stackc(&["check", "--message-format", "json", arg], &cwd);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let json: serde_json::Value =
            serde_json::from_str(stderr.lines().next().unwrap_or_default()).expect("JSON");
        assert_eq!(json["file"], file, "{stderr}");
        assert!(
            cwd.join(file).is_file(),
            "{file} resolves from {}",
            cwd.display()
        );
    }
}

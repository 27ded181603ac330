//! `stackc import`, judged by Docker Compose: for every case of the corpus
//! under `tests/import/corpus/` (see `tests/import/case.rs` for its
//! layout), `docker compose config --format json` of the original files
//! (of a fig file's current-format twin) and of the whole-stack file
//! `stackc build` writes from the imported workspace
//! (`generated/compose/environments/test.yml`) describe the same services,
//! field by field, apart from the differences `tests/import/difference.rs`
//! names and `docs/import.md` documents.
//!
//! Run with `cargo test --test import_roundtrip`. A missing Docker Compose
//! fails with the command that installs it; nothing is skipped.

#[allow(dead_code)]
#[path = "import/case.rs"]
mod case;
#[path = "import/difference.rs"]
mod difference;
#[path = "import/probe.rs"]
mod probe;
#[path = "import/record.rs"]
mod record;
#[allow(dead_code)]
#[path = "support/tools.rs"]
mod shared_tools;
#[allow(dead_code)]
#[path = "compose/tools.rs"]
mod tools;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use case::Case;
use difference::{Field, DIFFERENCES};
use record::{keys, Project};
use tools::Compose;

/// The whole-stack file of the imported workspace's `test` environment.
const WHOLE_STACK: &str = "generated/compose/environments/test.yml";

/// `docker compose -f FILE [--profile *] config --format json`, read as a
/// project; `Err` with Compose's message when it refuses the file.
fn compose_config(file: &Path, case: &Case, all_profiles: bool) -> Result<Project, String> {
    let mut args: Vec<String> = vec!["-f".into(), file.display().to_string()];
    if all_profiles {
        args.extend(["--profile".into(), "*".into()]);
    }
    args.extend(["config".into(), "--format".into(), "json".into()]);
    let out = Compose::get().run(&args, &case.vars);
    if !out.status.success() {
        return Err(format!(
            "docker compose {} failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let config: Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("Compose printed no JSON ({e}) for {}", file.display()))?;
    Ok(Project::from_config(&config))
}

/// The originals of `case` under `root` (the case's folder or a copy), each
/// read by Compose on its own, as one project.
fn originals(case: &Case, root: &Path) -> Result<Project, String> {
    let mut projects = Vec::new();
    for file in &case.originals {
        projects.push((
            file.clone(),
            compose_config(&root.join(file), case, case.all_profiles)?,
        ));
    }
    Project::union(projects)
}

/// `stackc ARGS` run in `dir`, never in colour.
fn stackc(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_stackc"))
        .args(["--color", "never"])
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run stackc")
}

fn output_text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A copy of `case` in a scratch folder named like the case without its
/// number (`webapp-postgres-redis`): the import names the stack after the
/// folder.
fn copy(case: &Case, scratch: &Path) -> PathBuf {
    let name = case.name.trim_start_matches(|c: char| c.is_ascii_digit());
    let dir = scratch.join(name.trim_start_matches('-'));
    case::copy_tree(&case.dir, &dir);
    dir
}

/// `stackc import --into . FILES` and `stackc build .` in `dir`; the
/// import's output, or what went wrong.
fn import_and_build(case: &Case, dir: &Path) -> Result<String, String> {
    let mut args = vec!["import", "--into", "."];
    args.extend(case.import.iter().map(String::as_str));
    let import = stackc(dir, &args);
    let report = output_text(&import);
    if !import.status.success() {
        return Err(format!(
            "`stackc {}` exited with {:?}:\n{report}",
            args.join(" "),
            import.status.code()
        ));
    }
    let build = stackc(dir, &["build", "."]);
    if !build.status.success() {
        let stackfiles = workspace_text(dir);
        return Err(format!(
            "`stackc build .` exited with {:?}:\n{}\nthe import said:\n{report}\nthe workspace:\n{stackfiles}",
            build.status.code(),
            output_text(&build)
        ));
    }
    Ok(report)
}

/// The imported workspace's spec files, for failure messages.
fn workspace_text(dir: &Path) -> String {
    let mut files = Vec::new();
    collect_specs(dir, dir, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|(path, text)| format!("--- {path}\n{text}"))
        .collect()
}

fn collect_specs(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() && entry.file_name() != "generated" {
            collect_specs(root, &path, out);
        } else if entry.file_name() == "Stackfile" || path.extension().is_some_and(|e| e == "stack")
        {
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .display()
                .to_string();
            out.push((name, std::fs::read_to_string(&path).unwrap_or_default()));
        }
    }
}

/// Compares the two projects; the differences no entry of [`DIFFERENCES`]
/// forgives, one line each, and marks the entries used.
fn compare(
    case: &Case,
    original: &Project,
    generated: &Project,
    used: &mut BTreeSet<&'static str>,
) -> Vec<String> {
    let mut failures = Vec::new();
    let want_services: BTreeSet<&String> = original.services.keys().collect();
    let got_services: BTreeSet<&String> = generated.services.keys().collect();
    if want_services != got_services {
        failures.push(format!(
            "services: original {want_services:?}, imported {got_services:?}"
        ));
    }
    let mut judge =
        |service: Option<&str>, key: &str, want: Option<&Value>, got: Option<&Value>| {
            if want == got {
                return;
            }
            let field = Field {
                service,
                key,
                want,
                got,
                original,
                generated,
                vars: &case.vars,
            };
            match difference::forgiven(&field) {
                Some(ids) => used.extend(ids),
                None => failures.push(format!(
                    "{} {key}:\n      original: {}\n      imported: {}",
                    service.unwrap_or("(top level)"),
                    show(want),
                    show(got)
                )),
            }
        };
    for service in want_services.intersection(&got_services) {
        let want = &original.services[*service];
        let got = &generated.services[*service];
        for key in keys(want, got) {
            judge(Some(service), key, want.get(key), got.get(key));
        }
    }
    for key in keys(&original.resources, &generated.resources) {
        judge(
            None,
            key,
            original.resources.get(key),
            generated.resources.get(key),
        );
    }
    failures
}

fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| "(absent)".to_owned(), Value::to_string)
}

/// Every original file of the corpus (a fig file's twin in its place) is a
/// Compose file that `docker compose config` accepts; a service in several
/// originals is written the same in each; every build context holds a
/// `Dockerfile` (stackc's analyser requires it).
#[test]
fn the_corpus_is_read_by_compose() {
    let mut failures = Vec::new();
    for case in Case::all() {
        match originals(&case, &case.dir) {
            Err(e) if case.is_report() => {
                // A case whose files differ on purpose: each must still be
                // read on its own.
                if !e.starts_with("service ") {
                    failures.push(format!("{}: {e}", case.name));
                }
            }
            Err(e) => failures.push(format!("{}: {e}", case.name)),
            Ok(project) => {
                for (name, service) in &project.services {
                    if let Some(context) = service.get("build.context").and_then(Value::as_str) {
                        if !Path::new(context).join("Dockerfile").is_file() {
                            failures.push(format!(
                                "{}: {name}: build context {context} has no Dockerfile",
                                case.name
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A fig file's twin holds the same services with the same keys, in the
/// current format (fig's `net` is Compose's `network_mode`), as PyYAML
/// reads both.
#[test]
fn every_fig_file_has_a_faithful_twin() {
    let mut failures = Vec::new();
    let mut figs = 0;
    for case in Case::all() {
        let Some(fig) = case.import.iter().find(|f| case::is_fig(f)) else {
            continue;
        };
        figs += 1;
        let twin = &case.originals[0];
        let files = shared_tools::pyyaml(&case.dir, &[fig, twin], &case.name);
        let fig_services = files[fig.as_str()].as_object().cloned().unwrap_or_default();
        let twin_services = files[twin.as_str()]["services"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let names = |m: &serde_json::Map<String, Value>| m.keys().cloned().collect::<Vec<_>>();
        if names(&fig_services) != names(&twin_services) {
            failures.push(format!(
                "{}: fig services {:?}, twin services {:?}",
                case.name,
                names(&fig_services),
                names(&twin_services)
            ));
            continue;
        }
        for (name, service) in &fig_services {
            let mut fig_service = service.clone();
            if let Some(map) = fig_service.as_object_mut() {
                if let Some(net) = map.remove("net") {
                    map.insert("network_mode".into(), net);
                }
            }
            if fig_service != twin_services[name] {
                failures.push(format!(
                    "{}: service {name}: fig {fig_service}, twin {}",
                    case.name, twin_services[name]
                ));
            }
        }
    }
    assert!(figs >= 2, "only {figs} fig cases in the corpus");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The round trip: Compose's reading of each original and of the
/// whole-stack file stackc builds from its import are the same, apart from
/// the documented differences, each of which some case needs.
#[test]
fn imported_workspaces_describe_the_same_services() {
    let scratch = tempfile::tempdir().expect("scratch folder");
    let mut used = BTreeSet::new();
    let mut failures = Vec::new();
    let cases: Vec<Case> = Case::all().into_iter().filter(|c| !c.is_report()).collect();
    for case in &cases {
        let dir = copy(case, scratch.path());
        let result = originals(case, &dir).and_then(|original| {
            let report = import_and_build(case, &dir)?;
            let generated = compose_config(&dir.join(WHOLE_STACK), case, false)?;
            Ok((compare(case, &original, &generated, &mut used), report))
        });
        match result {
            Ok((differences, _)) if differences.is_empty() => {}
            Ok((differences, report)) => failures.push(format!(
                "{}: {} difference(s):\n    {}\n  the import reported:\n{}\n  the workspace:\n{}",
                case.name,
                differences.len(),
                differences.join("\n    "),
                indent(&report_places(&report)),
                indent(&workspace_text(&dir))
            )),
            Err(e) => failures.push(format!("{}: {}", case.name, indent(&e))),
        }
    }
    let failed = failures.len();
    let unused: Vec<&str> = DIFFERENCES
        .iter()
        .map(|d| d.id)
        .filter(|id| !used.contains(id))
        .collect();
    if failures.is_empty() && !unused.is_empty() {
        failures.push(format!(
            "documented differences no case needs (remove them): {unused:?}"
        ));
    } else if !failures.is_empty() {
        failures.push(format!(
            "(documented differences no passing case has needed yet: {unused:?})"
        ));
    }
    assert!(
        failures.is_empty(),
        "{failed} of {} cases fail the round trip:\n\n{}",
        cases.len(),
        failures.join("\n\n")
    );
}

/// The first line and the place of each of the import's reports.
fn report_places(report: &str) -> String {
    report
        .lines()
        .filter(|line| {
            line.starts_with("warning")
                || line.starts_with("error")
                || line.trim_start().starts_with("--> ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The same service written differently in two files: the import names
/// both places, file and line (`report:` in the case's `case.txt`).
#[test]
fn a_service_written_differently_in_two_files_is_reported() {
    let scratch = tempfile::tempdir().expect("scratch folder");
    let cases: Vec<Case> = Case::all().into_iter().filter(Case::is_report).collect();
    assert!(!cases.is_empty(), "no `report:` case in the corpus");
    let mut failures = Vec::new();
    for case in &cases {
        let dir = copy(case, scratch.path());
        let mut args = vec!["import", "--into", "."];
        args.extend(case.import.iter().map(String::as_str));
        let out = stackc(&dir, &args);
        let text = output_text(&out);
        if out.status.code() != Some(1) || dir.join("Stackfile").exists() {
            failures.push(format!(
                "{}: the import exited with {:?} (want 1, an error, with nothing written):\n{}",
                case.name,
                out.status.code(),
                indent(&text)
            ));
        }
        for expected in &case.report {
            if !text.contains(expected.as_str()) {
                failures.push(format!(
                    "{}: the import's output does not name {expected}:\n{}",
                    case.name,
                    indent(&text)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `docs/import.md`'s "Round-trip differences" lists exactly the
/// differences the round trip forgives, one line each: `- `id`: why`.
#[test]
fn the_docs_list_every_forgiven_difference() {
    let path = shared_tools::manifest_dir().join("docs/import.md");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let section = text
        .split("\n## Round-trip differences\n")
        .nth(1)
        .unwrap_or_else(|| panic!("docs/import.md has no `## Round-trip differences`"));
    let section = section.split("\n## ").next().unwrap_or(section);
    let documented: Vec<&str> = section
        .lines()
        .filter(|line| line.starts_with("- `"))
        .collect();
    let expected: Vec<String> = DIFFERENCES
        .iter()
        .map(|d| format!("- `{}`: {}", d.id, d.why))
        .collect();
    assert_eq!(
        documented, expected,
        "docs/import.md's `## Round-trip differences` lists each difference of \
         tests/import/difference.rs, in its order, as `- `id`: why`"
    );
}

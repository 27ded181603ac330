//! `stackc build` and `build --check` / `diff`: where the roots are, then
//! the output layer.

use camino::{Utf8Path, Utf8PathBuf};

use super::paths::{regenerate_command, shown, BuildArgs};
use super::{front, say, Cli, DEFAULT_OUT_DIR};
use crate::load::Workspace;
use crate::output::{
    check_tracked, find_repository_root, record_folder, tool_identity, write_tracked, Artifact,
    BuildInputs, BuildRecord, CheckReport, Layout, Roots,
};

/// Builds (or, with `check`, compares) and returns the exit code.
pub(super) fn build(cli: &Cli, args: BuildArgs<'_>, check: bool) -> u8 {
    let Some(compilation) = front(cli, args.path) else {
        return 2;
    };
    let Some(model) = &compilation.model else {
        return 1;
    };
    let workspace = &compilation.workspace.root;
    let spec_root = model
        .stack
        .ci
        .as_ref()
        .and_then(|ci| ci.repository_root.as_deref());
    let roots = match roots(args, workspace, spec_root) {
        Ok(roots) => roots,
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    let layout = match Layout::new(&roots, workspace) {
        Ok(layout) => layout,
        Err(error) => {
            eprintln!("error: {error}");
            return 2;
        }
    };
    let artifacts = crate::emit::artifacts(model, &layout);
    let record = build_record(&compilation.workspace, &roots, &layout);
    if check {
        return compare(&artifacts, &roots, args, record.as_ref());
    }
    match write_tracked(&artifacts, &roots, record.as_ref()) {
        Ok(report) => {
            say(&format!("wrote {}: {report}\n", roots.output()));
            0
        }
        Err(error) => {
            eprintln!("error: {error}");
            2
        }
    }
}

/// The output folder (`--out`, else `generated/` beside the Stackfile) and
/// the repository root, shown from the current folder: `--repository-root`,
/// else the spec's `ci { repository_root }` (`spec_root`, `.` or `..`
/// segments, seen from the workspace root), else found from `.git`;
/// refused where generated files do not belong (see
/// [`Roots::check_placement`]).
fn roots(
    args: BuildArgs<'_>,
    workspace: &Utf8Path,
    spec_root: Option<&str>,
) -> Result<Roots, String> {
    let output = args.out.map_or_else(
        || shown(&workspace.join(DEFAULT_OUT_DIR)),
        Utf8Path::to_path_buf,
    );
    let repository: Utf8PathBuf = match args.repository_root {
        Some(folder) if folder.is_dir() => folder.to_path_buf(),
        Some(folder) if folder.exists() => {
            return Err(format!(
                "the repository root {folder} (--repository-root) is not a folder"
            ))
        }
        Some(folder) => {
            return Err(format!(
                "the repository root {folder} (--repository-root) does not exist"
            ))
        }
        None => match spec_root {
            Some(relative) => shown(&workspace.join(relative)),
            None => shown(&find_repository_root(workspace)),
        },
    };
    let roots = Roots::new(output, repository).map_err(|error| error.to_string())?;
    roots
        .check_placement(&shown(workspace))
        .map_err(|error| error.to_string())?;
    Ok(roots)
}

/// The record that lets a build with unchanged inputs skip rendering
/// (docs/workflow.md, "Incremental builds"): the inputs are this stackc,
/// the workspace root, the roots and layout, and the path and text of
/// every spec file loaded. Nothing else feeds the Model: the analyser's
/// look at the disk (build contexts, Dockerfiles) only adds diagnostics,
/// and a build with an error diagnostic writes nothing. `None` when there
/// is no cache folder.
fn build_record(workspace: &Workspace, roots: &Roots, layout: &Layout) -> Option<BuildRecord> {
    let folder = record_folder()?;
    let mut inputs = BuildInputs::new(&tool_identity());
    inputs.option("workspace", workspace.root.as_str());
    inputs.placement(roots, layout);
    for (_, file) in workspace.sources.files() {
        inputs.source(&file.path, &file.text);
    }
    Some(BuildRecord::new(&folder, roots, inputs.digest()))
}

/// `build --check`: prints the differences; 0 when there are none.
fn compare(
    artifacts: &[Artifact<'_>],
    roots: &Roots,
    args: BuildArgs<'_>,
    record: Option<&BuildRecord>,
) -> u8 {
    match check_tracked(artifacts, roots, &mut |diff| say(diff), record) {
        Ok(report) if report.is_clean() => {
            say(&format!(
                "ok: the {} generated files in {} are up to date\n",
                report.up_to_date,
                roots.output()
            ));
            0
        }
        Ok(report) => {
            say(&report.render(roots));
            eprintln!("error: {}", report.summary(roots.output().as_ref()));
            eprintln!("help: {}", check_help(&report, roots, args));
            1
        }
        Err(error) => {
            eprintln!("error: {error}");
            2
        }
    }
}

/// What to do after a failed `build --check`: regenerate, after moving
/// out of the way whatever `build` would refuse.
fn check_help(report: &CheckReport, roots: &Roots, args: BuildArgs<'_>) -> String {
    let command = regenerate_command(args);
    if report.manifest_missing {
        return format!(
            "if {} holds nothing but files stackc generated, delete it; otherwise move \
             the files marked `in the way:` out of it first; then run `{command}` and \
             commit the result",
            roots.output()
        );
    }
    if report.in_the_way.is_empty() {
        return format!("regenerate with `{command}` and commit the result");
    }
    format!(
        "move what is marked `in the way:` out of the way first (`stackc build` will not \
         replace or delete it), then run `{command}` and commit the result"
    )
}

//! Finding the repository root: where files that other tools read from
//! fixed places (`.github/workflows/`, `.gitlab-ci.yml`) go.

use camino::{Utf8Path, Utf8PathBuf};

/// The nearest folder at or above `workspace` holding `.git` (a folder, or a
/// file as in a git worktree or submodule); `workspace` itself when none
/// does. `workspace` should be absolute (the loader's root is).
pub fn find_repository_root(workspace: &Utf8Path) -> Utf8PathBuf {
    workspace
        .ancestors()
        .find(|folder| std::fs::symlink_metadata(folder.join(".git")).is_ok())
        .unwrap_or(workspace)
        .to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_git_folder_or_file_wins_else_the_workspace() {
        let dir = tempfile::tempdir().unwrap();
        let base = Utf8PathBuf::from_path_buf(dir.path().canonicalize().unwrap()).unwrap();
        let workspace = base.join("repo/apps/shop");
        std::fs::create_dir_all(&workspace).unwrap();
        // Without `.git` the workspace is the root (checked only when no
        // folder above the temporary one holds `.git`).
        if !base.ancestors().any(|f| f.join(".git").exists()) {
            assert_eq!(find_repository_root(&workspace), workspace);
        }
        std::fs::create_dir(base.join("repo/.git")).unwrap();
        assert_eq!(find_repository_root(&workspace), base.join("repo"));
        // A worktree's `.git` is a file.
        std::fs::write(base.join("repo/apps/.git"), "gitdir: elsewhere\n").unwrap();
        assert_eq!(find_repository_root(&workspace), base.join("repo/apps"));
    }
}

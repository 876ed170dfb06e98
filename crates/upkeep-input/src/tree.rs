//! Folders walked without looping, and a project's files kept inside it.

use crate::{InputError, Reason};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Every entry under `path` that is not a directory (`path` itself when it
/// is not one), sorted. Each directory is entered once, by its canonical
/// path: a symbolic link back up the tree (a loop) ends the walk there.
pub fn files_under(path: &Path) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    walk(path, &mut HashSet::new(), &mut out)?;
    out.sort();
    Ok(out)
}

fn walk(
    path: &Path,
    seen: &mut HashSet<PathBuf>,
    out: &mut Vec<PathBuf>,
) -> Result<(), InputError> {
    let io = |e| InputError::new(path, e);
    if !path.is_dir() {
        out.push(path.to_owned());
        return Ok(());
    }
    if !seen.insert(path.canonicalize().map_err(io)?) {
        return Ok(());
    }
    for entry in std::fs::read_dir(path).map_err(io)? {
        walk(&entry.map_err(io)?.path(), seen, out)?;
    }
    Ok(())
}

/// Refuses `file`, found in the project directory `dir`, when it is a link
/// that leads outside the project.
pub fn inside(dir: &Path, file: &Path) -> Result<(), InputError> {
    let io = |e| InputError::new(file, e);
    let root = dir.canonicalize().map_err(io)?;
    let target = file.canonicalize().map_err(io)?;
    match target.starts_with(&root) {
        true => Ok(()),
        false => Err(InputError::new(file, Reason::OutsideProject(target))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn a_link_loop_is_entered_once() {
        // a/1.mbox, a/b/2.mbox, a/b/up -> a (a loop), a/c -> a/b (entered once).
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("a");
        std::fs::create_dir_all(a.join("b")).expect("mkdir");
        std::fs::write(a.join("1.mbox"), "").expect("writes");
        std::fs::write(a.join("b/2.mbox"), "").expect("writes");
        symlink(&a, a.join("b/up")).expect("links");
        symlink(a.join("b"), a.join("c")).expect("links");
        let files = files_under(&a).expect("walks");
        assert_eq!(files, vec![a.join("1.mbox"), a.join("b/2.mbox")]);
        // A file given itself is its own list.
        assert_eq!(
            files_under(&a.join("1.mbox")).expect("one"),
            vec![a.join("1.mbox")]
        );
    }

    #[test]
    fn a_link_out_of_the_project_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let project = dir.path().join("project");
        std::fs::create_dir(&project).expect("mkdir");
        std::fs::write(dir.path().join("elsewhere.lock"), "").expect("writes");
        std::fs::write(project.join("own.lock"), "").expect("writes");
        symlink(
            dir.path().join("elsewhere.lock"),
            project.join("Cargo.lock"),
        )
        .expect("links");
        symlink(project.join("own.lock"), project.join("yarn.lock")).expect("links");
        let err = inside(&project, &project.join("Cargo.lock")).expect_err("out");
        assert!(
            err.to_string().contains("outside the project directory"),
            "{err}"
        );
        inside(&project, &project.join("yarn.lock")).expect("a link inside is fine");
    }
}

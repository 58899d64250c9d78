//! Directories that hold PHI or could (data, logs) are owner-only.

use std::io;
use std::path::Path;

/// Creates `dir` (and parents) if needed and makes it accessible to its owner only.
///
/// An existing directory with wider permissions is tightened rather than refused: the usual
/// cause is an older install or a copy made with a permissive umask, and leaving it open is
/// worse than fixing it.
pub fn ensure_private_dir(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(dir)?;
        if meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

/// Makes every file and directory this process creates from now on owner-only (umask 077), so
/// that files created by libraries (log rotation, SQLite's WAL and journal) are private too.
pub fn restrict_new_files() {
    #[cfg(unix)]
    {
        rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn creates_owner_only_and_tightens_existing() {
        let tmp = tempfile::tempdir().unwrap();
        let fresh = tmp.path().join("a/b/data");
        ensure_private_dir(&fresh).unwrap();
        assert_eq!(
            std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777,
            0o700
        );

        let open = tmp.path().join("open");
        std::fs::create_dir(&open).unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).unwrap();
        ensure_private_dir(&open).unwrap();
        assert_eq!(
            std::fs::metadata(&open).unwrap().permissions().mode() & 0o777,
            0o700
        );
    }
}

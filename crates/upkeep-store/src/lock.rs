//! The lock that keeps two runs from mining into one database at once.

use crate::OpenError;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

/// An exclusive advisory lock on `<database>.lock`, released when dropped
/// (or when the process dies, however it dies).
pub(crate) struct Lock {
    _file: File,
}

impl Lock {
    pub(crate) fn acquire(db: &Path, on_wait: impl FnOnce()) -> Result<Lock, OpenError> {
        let mut name = db.as_os_str().to_owned();
        name.push(".lock");
        let path = std::path::PathBuf::from(name);
        let io = |source| OpenError::Io {
            path: path.clone(),
            source,
        };
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                on_wait();
                file.lock().map_err(io)?;
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        Ok(Lock { _file: file })
    }
}

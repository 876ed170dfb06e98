//! Bounded reading of what the user names.
//!
//! Every file upkeep reads because a user named it goes through [`read`] or
//! [`read_text`] with its [`Kind`]: only regular files are read (a device,
//! FIFO or socket may never end), at most the kind's limit of bytes, which an
//! environment variable raises; the error names the file, the limit and the
//! variable. [`files_under`] walks a folder entering each directory once
//! (a symbolic-link loop ends), [`inside`] keeps a project's files inside the
//! project, and [`gunzip`] inflates with a cap on size and ratio.

mod error;
mod file;
mod gzip;
mod kind;
mod tree;

pub use error::{InputError, Reason};
pub use file::{read, read_text};
pub use gzip::{Inflate, gunzip};
pub use kind::Kind;
pub use tree::{files_under, inside};

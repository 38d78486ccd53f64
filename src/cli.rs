//! shellgate's own subcommands (`check`, `explain`, `rules`), parsed with clap.

use crate::error::{Error, Result};
use std::ffi::OsString;

/// Run `shellgate SUBCOMMAND ...` (`args` starts at the subcommand name).
pub fn run(args: Vec<OsString>) -> Result<i32> {
    let _ = args;
    Err(Error::Usage("not implemented yet".to_string()))
}

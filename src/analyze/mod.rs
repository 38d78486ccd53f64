//! The parse and analysis stages: from a line of shell to every command it would run.
//!
//! [`analyze`] parses with brush-parser ([`crate::parse`]), expands words statically
//! ([`words`]), walks every command ([`walk`]) and follows what each one runs in turn
//! ([`wrappers`], [`interpreters`]), attaching the code it consumes ([`inline`]).

pub mod command;
pub mod deadline;
pub mod inline;
pub mod interpreters;
pub mod walk;
pub mod words;
pub mod wrappers;

pub use command::{
    Analysis, Arg, Command, Context, Opaque, Payload, PayloadSource, Redirect, RedirectKind,
    WorkDir,
};

/// Analyse shell source (a `-c` line or a script) in `ctx`.
pub fn analyze(source: &str, ctx: &Context) -> Analysis {
    let mut walker = walk::Walker::new(ctx);
    walker.top(source);
    walker.finish()
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

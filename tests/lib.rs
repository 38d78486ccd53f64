//! The integration test binary: every test drives the real `shellgate` binary through
//! [`test::Test`], in a temporary `HOME` and working directory, with the recorder standing in for
//! the real shell unless a test asks for a real one. The corpus scorer (`corpus`) is the exception:
//! it runs hundreds of labelled lines through the library in-process and executes nothing.

mod agents;
mod approval;
mod blocking;
mod corpus;
mod docs;
mod invocation;
mod misconfig;
mod prompt;
mod strict;
mod test;
mod transparency;

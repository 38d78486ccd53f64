//! The integration test binary: every test drives the real `shellgate` binary through
//! [`test::Test`], in a temporary `HOME` and working directory, with the recorder standing in for
//! the real shell unless a test asks for a real one.

mod agents;
mod approval;
mod blocking;
mod docs;
mod invocation;
mod misconfig;
mod prompt;
mod strict;
mod test;
mod transparency;

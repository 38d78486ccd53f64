//! The parse stage: shell source → bash syntax tree, with caps on size and nesting.

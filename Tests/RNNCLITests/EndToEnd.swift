import Testing

/// The end-to-end tests: each runs the built `rnnsweep` binary as real processes on real SQLite files.
///
/// They run one at a time: every sweep keeps two worker processes busy, and on a two-core machine parallel tests
/// would only stretch every trial (nothing depends on timing, but the suite would not get faster).
@Suite(.serialized) enum EndToEnd {}

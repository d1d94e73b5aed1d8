//! HTTP fetching of feeds and pages: bounded concurrency, per-host limits,
//! timeouts, conditional GET, a decompressed-size cap; `file://` and plain paths.

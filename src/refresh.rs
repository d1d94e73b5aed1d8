//! Refreshing feeds: fetch concurrently, parse off the async threads, write each
//! feed in one transaction, and report progress as messages.

//! Logging to a file in the data directory (never to the terminal the UI draws on).

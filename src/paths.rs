//! Where khabar's files live: the config file, the database, the log file and the
//! user's themes directory, from `--config`/`--db` (or `KHABAR_CONFIG`/`KHABAR_DB`)
//! and the platform directories.

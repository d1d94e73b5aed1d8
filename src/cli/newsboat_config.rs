//! `khabar import --newsboat-config FILE`: reads a newsboat `config` file (and
//! the files it `include`s), translates it (`config::newsboat_config`, pure)
//! and writes the TOML as the user's config file when there is none yet, or
//! adds to an existing one what it does not set (`newsboat_config::merge`,
//! which keeps its comments, order and every value the user chose). A file
//! that does not load (not TOML, an unknown key), or would not load once
//! merged, is left as it is and the TOML printed for the user to add.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;

use crate::config::Config;
use crate::config::newsboat_config::{merge, translate};
use crate::text::plural;
use crate::text::sanitize::clean_inline;

/// Translates `file`; `config_path` is where khabar's config is (or would be).
pub fn run(file: &Path, config_path: &Path) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let shown = clean_inline(&file.display().to_string());
    let base = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut read = |path: &str| {
        let path = resolve(&base, path);
        let name = clean_inline(&path.display().to_string());
        std::fs::read_to_string(&path)
            .map(|text| (name.clone(), text))
            .map_err(|error| format!("cannot read {name}: {error}"))
    };
    let out = translate(&shown, &text, &mut read);
    for line in &out.skipped {
        eprintln!(
            "{}:{}: not translated: {}: {}",
            line.place.file,
            line.place.line,
            clean_inline(&line.command),
            clean_inline(&line.reason)
        );
    }
    // The translator makes only what the schema takes; checked all the same,
    // so a file that would not load is never written.
    Config::from_user_toml(&out.toml, Path::new("(translated)"))
        .context("the translated config does not load; please report this")?;
    let summary = format!(
        "{} {} translated, {} not (listed above)",
        out.translated,
        plural(out.translated as u64, "line", "lines"),
        out.skipped.len()
    );
    if !config_path.as_os_str().is_empty() && config_path.exists() {
        return merge_into(config_path, &out.toml, &summary);
    }
    if !config_path.as_os_str().is_empty() && out.translated > 0 {
        crate::config_file::replace(config_path, &out.toml)
            .with_context(|| format!("cannot write {}", config_path.display()))?;
        println!(
            "{summary}; wrote {}",
            clean_inline(&config_path.display().to_string())
        );
    } else {
        print!("{}", out.toml);
        eprintln!("{summary}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Adds the translated `toml` to the existing config file at `path`. When the
/// file cannot be read, does not load or would not load merged, it is not
/// touched: the TOML is printed instead, with why, and the exit status is 1.
fn merge_into(path: &Path, toml: &str, summary: &str) -> anyhow::Result<ExitCode> {
    let shown = clean_inline(&path.display().to_string());
    let not_merged = |why: String| {
        print!("{toml}");
        eprintln!("{why}");
        eprintln!(
            "{summary}; {shown} was not changed: add what you want from the TOML above by hand"
        );
        Ok(ExitCode::FAILURE)
    };
    let existing = match std::fs::read_to_string(path) {
        Ok(existing) => existing,
        Err(error) => return not_merged(format!("cannot read {shown}: {error}")),
    };
    // The file's own mistakes (not TOML, an unknown key) are reported as
    // loading it reports them, with its lines and hints, before any merge.
    if let Err(own) = Config::from_user_toml(&existing, path) {
        return not_merged(clean_inline(&own.to_string()));
    }
    let merged = match merge(&existing, toml) {
        Ok(merged) => merged,
        Err(error) => {
            return not_merged(format!(
                "{shown}:{}: not TOML: {}",
                error.line,
                clean_inline(&error.message)
            ));
        }
    };
    for kept in &merged.kept {
        eprintln!(
            "{shown}: kept your {} = {} (newsboat's config says {})",
            clean_inline(&kept.key),
            clean_inline(&kept.yours),
            clean_inline(&kept.theirs)
        );
    }
    let kept = format!("kept {} of yours", merged.kept.len());
    if merged.added == 0 {
        println!("{summary}; nothing to add to {shown}, {kept}");
        return Ok(ExitCode::SUCCESS);
    }
    // Checked as the translation was: a merge that would not load (a
    // [[command]] on a key the file uses) is not written.
    if let Err(error) = Config::from_user_toml(&merged.toml, path) {
        // The file loads on its own: a clash the merge made (a line number is
        // the merged text's).
        return not_merged(format!(
            "with the translation added, {shown} would not load (a line number below is \
             the merged text's): {}",
            clean_inline(&error.to_string())
        ));
    }
    crate::config_file::replace(path, &merged.toml)
        .with_context(|| format!("cannot write {}", path.display()))?;
    println!(
        "{summary}; merged {} {} into {shown}, {kept}",
        merged.added,
        plural(merged.added as u64, "setting", "settings")
    );
    Ok(ExitCode::SUCCESS)
}

/// An `include`d path as newsboat reads it: `~/` is the home directory, a
/// relative path is next to the including file.
fn resolve(base: &Path, path: &str) -> PathBuf {
    if let Some(rest) = path.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return Path::new(&home).join(rest);
    }
    base.join(path)
}

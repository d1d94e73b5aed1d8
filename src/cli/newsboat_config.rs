//! `khabar import --newsboat-config FILE`: reads a newsboat `config` file (and
//! the files it `include`s), translates it (`config::newsboat_config`, pure)
//! and either writes the TOML as the user's config file, when there is none
//! yet, or prints it for them to add: an existing config is never changed, so
//! nothing the user wrote there is overwritten or reordered behind their back.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;

use crate::config::Config;
use crate::config::newsboat_config::translate;
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
    let writable = !config_path.as_os_str().is_empty() && !config_path.exists();
    if writable && out.translated > 0 {
        crate::config_file::replace(config_path, &out.toml)
            .with_context(|| format!("cannot write {}", config_path.display()))?;
        println!(
            "{summary}; wrote {}",
            clean_inline(&config_path.display().to_string())
        );
    } else {
        print!("{}", out.toml);
        if config_path.exists() {
            eprintln!(
                "{summary}; {} exists and was not changed: merge the TOML above into it \
                 (keys of a table it already has go inside that table; a key it sets \
                 already is yours to choose)",
                clean_inline(&config_path.display().to_string())
            );
        } else {
            eprintln!("{summary}");
        }
    }
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

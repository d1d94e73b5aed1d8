//! newsboat's settings (`browser`, `reload-threads`, `urls-source` with its
//! server's address and secret, `ignore-article`, …) and what khabar's TOML
//! calls each, decided once the whole file is read: some only mean something
//! together (`reload-time` with `auto-reload`, `miniflux-url` with
//! `urls-source "miniflux"`), and the last of a setting given twice wins, as
//! in newsboat.

use std::collections::BTreeMap;

use super::keys::Keys;
use super::{Line, Place, Skipped};

/// Everything gathered from the file.
#[derive(Default)]
pub(crate) struct Out {
    /// Setting name -> where and its value (the last one given).
    values: BTreeMap<String, (Place, String)>,
    /// Settings given again later: reported when the file is done.
    overridden: Vec<Skipped>,
    /// Bindings and macros.
    pub keys: Keys,
}

/// Settings with one value that khabar keeps under a name of its own.
const SIMPLE: &[&str] = &[
    "browser",
    "reload-threads",
    "download-timeout",
    "user-agent",
    "keep-articles-days",
    "auto-reload",
    "reload-time",
    "notify-program",
    "notify-format",
    "urls-source",
    "show-read-feeds",
    "show-read-articles",
];

/// A `urls-source`, khabar's provider for it, and its settings' `[sync]` keys.
type Server = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const SERVERS: &[Server] = &[
    (
        "miniflux",
        "miniflux",
        &[
            ("miniflux-url", "url"),
            ("miniflux-login", "username"),
            ("miniflux-password", "password"),
            ("miniflux-passwordfile", "password_file"),
            ("miniflux-passwordeval", "password_command"),
            ("miniflux-token", "token"),
        ],
    ),
    (
        "freshrss",
        "greader",
        &[
            ("freshrss-url", "url"),
            ("freshrss-login", "username"),
            ("freshrss-password", "password"),
            ("freshrss-passwordfile", "password_file"),
            ("freshrss-passwordeval", "password_command"),
        ],
    ),
];

/// Takes one setting line; `Err` says why it is not translated.
pub(crate) fn take(line: &Line, out: &mut Out) -> Result<(), String> {
    let name = line.command.as_str();
    if name == "ignore-article" {
        return ignore(line);
    }
    let known = SIMPLE.contains(&name)
        || SERVERS
            .iter()
            .any(|(_, _, keys)| keys.iter().any(|(n, _)| *n == name));
    if !known {
        return Err(no_equivalent(name));
    }
    let [value] = line.args.as_slice() else {
        return Err(format!("{name} takes one value"));
    };
    if let Some((earlier, _)) = out.values.get(name) {
        out.overridden.push(Skipped {
            place: earlier.clone(),
            command: name.to_string(),
            reason: format!("set again on line {}; that one is used", line.place.line),
        });
    }
    out.values
        .insert(name.to_string(), (line.place.clone(), value.text.clone()));
    Ok(())
}

fn no_equivalent(name: &str) -> String {
    match name {
        "color" => "khabar's colours are in a theme file (themes/NAME.toml, chosen by \
                    [general] theme), whose parts are not newsboat's; set them there"
            .to_string(),
        "max-items" => "khabar keeps no number of items per feed; [cleanup] keep_read_days \
                        removes read items by age"
            .to_string(),
        "text-width" => "khabar wraps the article at the width of the terminal".to_string(),
        "ignore-mode" => "khabar's [[ignore]] rules keep items out of the database, \
                          as newsboat's ignore-mode \"download\""
            .to_string(),
        _ => match crate::config::newsboat_names::setting(name) {
            Some(ours) => format!("no exact equivalent (see {ours})"),
            None => "khabar has no equivalent".to_string(),
        },
    }
}

/// `ignore-article FEED EXPR`: reported, never written, with the rule that
/// comes nearest. A view may find a little more than newsboat's query feed
/// did; a rule that drops more loses items: khabar's words match anywhere in
/// the item and by their start (newsboat's `title =~ "x"`, the title alone),
/// `tag:` also the item's categories, `feed:` also title words.
fn ignore(line: &Line) -> Result<(), String> {
    let [feed, expr] = line.args.as_slice() else {
        return Err("ignore-article takes a feed (or \"*\") and an expression".to_string());
    };
    let whole = if feed.text == "*" {
        expr.text.clone()
    } else {
        // rssurl = "…" is the feed's URL exactly; quotes in it cannot be written.
        if feed.text.contains('"') {
            return Err("a feed URL with a quote in it cannot be matched".to_string());
        }
        format!("rssurl = \"{}\" and ({})", feed.text, expr.text)
    };
    let query = crate::query::newsboat::translate(&whole)
        .map_err(|error| format!("cannot translate {error}"))?;
    Err(format!(
        "khabar's rules can drop more than newsboat's (words anywhere in the item, tags \
         with categories), so none is written; the nearest, to check and add by hand: \
         [[ignore]] query = {}",
        toml_edit::Value::from(query.as_str())
    ))
}

impl Out {
    /// The TOML, the number of lines translated, and the lines found not to be
    /// once every setting is known.
    pub(crate) fn finish(mut self) -> (String, usize, Vec<Skipped>) {
        let mut doc = toml_edit::DocumentMut::new();
        let mut skipped = std::mem::take(&mut self.overridden);
        let mut translated = 0;
        let set =
            |doc: &mut toml_edit::DocumentMut, table: &str, key: &str, value: toml_edit::Item| {
                let section = doc
                    .entry(table)
                    .or_insert_with(|| toml_edit::Item::Table(toml_edit::Table::new()));
                if let Some(section) = section.as_table_mut() {
                    section.insert(key, value);
                }
            };
        let values = std::mem::take(&mut self.values);
        for (name, (place, value)) in &values {
            let skip = |reason: String| Skipped {
                place: place.clone(),
                command: name.clone(),
                reason,
            };
            match setting(name, value, &values) {
                Ok(Some((table, key, item))) => {
                    set(&mut doc, table, key, item);
                    translated += 1;
                }
                // The same as khabar's own default: nothing to write, nothing lost.
                Ok(None) => translated += 1,
                Err(reason) => skipped.push(skip(reason)),
            }
        }
        let (keys_translated, keys_skipped) = self.keys.write(&mut doc);
        translated += keys_translated;
        skipped.extend(keys_skipped);
        let mut toml = doc.to_string();
        // A file ends with a newline (toml_edit leaves the last value's off).
        if !toml.is_empty() && !toml.ends_with('\n') {
            toml.push('\n');
        }
        (toml, translated, skipped)
    }
}

type Written = Option<(&'static str, &'static str, toml_edit::Item)>;

/// One setting's TOML, given the others (`text_of`).
fn setting(
    name: &str,
    value: &str,
    values: &BTreeMap<String, (Place, String)>,
) -> Result<Written, String> {
    let text_of = |name: &str| values.get(name).map(|(_, v)| v.as_str());
    let number = |max: i64, min: i64| -> Result<i64, String> {
        value
            .parse::<i64>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| format!("\"{value}\" is not a whole number from {min} to {max}"))
    };
    let text = |table, key| Ok(Some((table, key, toml_edit::value(value))));
    match name {
        "browser" => text("general", "browser"),
        "user-agent" => text("fetch", "user_agent"),
        "reload-threads" => Ok(Some((
            "fetch",
            "concurrency",
            toml_edit::value(number(4096, 1)?),
        ))),
        "download-timeout" => Ok(Some((
            "fetch",
            "timeout_secs",
            toml_edit::value(number(i64::MAX, 1)?),
        ))),
        "keep-articles-days" => match number(i64::from(u32::MAX), 0)? {
            0 => Ok(Some(("cleanup", "keep_read_days", toml_edit::value(0)))),
            _ => Err(
                "newsboat deletes every article older than that, unread ones too; \
                      khabar's [cleanup] keep_read_days removes only read, unstarred items"
                    .to_string(),
            ),
        },
        "auto-reload" => match yes(value)? {
            // newsboat reloads every reload-time minutes (60 unless set).
            true => {
                let minutes = match text_of("reload-time") {
                    Some(m) => m.parse::<i64>().ok().filter(|m| *m >= 1),
                    None => Some(60),
                };
                let minutes = minutes.ok_or("reload-time is not a whole number of minutes")?;
                Ok(Some((
                    "general",
                    "refresh_interval_minutes",
                    toml_edit::value(minutes),
                )))
            }
            false => Ok(Some((
                "general",
                "refresh_interval_minutes",
                toml_edit::value(0),
            ))),
        },
        // Used by auto-reload above; alone it does nothing in newsboat either.
        "reload-time" => match text_of("auto-reload").map(yes) {
            Some(Ok(_)) => Ok(None),
            _ => Err("auto-reload is not on, so newsboat does not use it".to_string()),
        },
        "notify-format" => match text_of("notify-program") {
            Some(_) => Ok(None),
            None => Err("no notify-program uses it".to_string()),
        },
        "notify-program" => notify(value, text_of("notify-format")),
        "show-read-feeds" | "show-read-articles" => match yes(value)? {
            true => Ok(None),
            false => Err(
                "khabar starts with every feed and item shown; `u` shows only \
                          unread ones until you quit"
                    .to_string(),
            ),
        },
        "urls-source" => match SERVERS.iter().find(|(source, ..)| *source == value) {
            Some((_, provider, _)) => Ok(Some(("sync", "provider", toml_edit::value(*provider)))),
            None if value == "local" => Ok(None),
            None => Err(format!(
                "khabar syncs with Miniflux and FreshRSS, not \"{value}\""
            )),
        },
        _ => server_key(name, value, text_of("urls-source")),
    }
}

/// A `miniflux-*` or `freshrss-*` setting, used only with its `urls-source`.
fn server_key(name: &str, value: &str, source: Option<&str>) -> Result<Written, String> {
    for (wanted, _, keys) in SERVERS {
        if let Some((_, key)) = keys.iter().find(|(n, _)| *n == name) {
            if source != Some(*wanted) {
                return Err(format!(
                    "urls-source is not \"{wanted}\", so newsboat does not use it"
                ));
            }
            return Ok(Some(("sync", key, toml_edit::value(value))));
        }
    }
    Err("khabar has no equivalent".to_string())
}

/// newsboat runs notify-program with the message as its first argument; khabar
/// runs a shell line, so the program and the message are quoted, with newsboat's
/// counts that khabar has put in as khabar's placeholders.
fn notify(program: &str, format: Option<&str>) -> Result<Written, String> {
    let format = format.ok_or(
        "newsboat's default message counts unread feeds (%f), which khabar does not; \
         set notify-format with %d and %n only, or write [general] notify_command",
    )?;
    let mut run = crate::config::command::shell_quote(program);
    run.push(' ');
    let mut literal = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            literal.push(c);
            continue;
        }
        let ours = match chars.next() {
            Some('d') => "%n",
            Some('n') => "%u",
            Some('%') => {
                literal.push('%');
                continue;
            }
            other => {
                return Err(format!(
                    "notify-format's %{} has no khabar equivalent (khabar has %d and %n's counts)",
                    other.map(String::from).unwrap_or_default()
                ));
            }
        };
        run.push_str(&crate::config::command::shell_quote(&literal).replace('%', "%%"));
        literal.clear();
        run.push_str(ours);
    }
    run.push_str(&crate::config::command::shell_quote(&literal).replace('%', "%%"));
    Ok(Some(("general", "notify_command", toml_edit::value(run))))
}

fn yes(value: &str) -> Result<bool, String> {
    match value {
        "yes" | "true" => Ok(true),
        "no" | "false" => Ok(false),
        other => Err(format!("\"{other}\" is not yes or no")),
    }
}

//! newsboat's `bind-key`, `unbind-key` and `macro` lines as khabar's `[keys]`
//! and `[[command]]`s. newsboat adds a bound key to an operation's keys, while
//! a `[keys]` entry replaces an action's keys, so an action written here lists
//! its default keys (less those bound or unbound elsewhere) and then the new ones.

use std::collections::BTreeMap;

use crate::config::keymap::{Action, Key};

use super::{Line, Place, Skipped};

/// The key lines, in file order.
#[derive(Default)]
pub(crate) struct Keys {
    /// Key -> the action it gets (`None`: unbound), with the line.
    changes: Vec<(Place, Key, Option<Action>)>,
    /// Macros made `[[command]]`s: key, run line, name.
    macros: Vec<(Place, Key, String, String)>,
}

/// newsboat's key name (`^D`, `ENTER`, `NPAGE`, `F1`, `j`) as a khabar key.
fn key(name: &str) -> Option<Key> {
    let named = match name {
        "ENTER" => "enter",
        "ESC" => "esc",
        "SPACE" => "space",
        "TAB" => "tab",
        "BACKSPACE" => "backspace",
        "DEL" | "DELETE" => "delete",
        "UP" => "up",
        "DOWN" => "down",
        "LEFT" => "left",
        "RIGHT" => "right",
        "HOME" => "home",
        "END" => "end",
        "NPAGE" => "pagedown",
        "PPAGE" => "pageup",
        _ => "",
    };
    if !named.is_empty() {
        return Key::parse(named);
    }
    if let Some(letter) = name.strip_prefix('^').filter(|l| l.chars().count() == 1) {
        return Key::parse(&format!("ctrl-{}", letter.to_ascii_lowercase()));
    }
    if let Some(n) = name.strip_prefix('F').filter(|n| n.parse::<u8>().is_ok()) {
        return Key::parse(&format!("f{n}"));
    }
    (name.chars().count() == 1)
        .then(|| Key::parse(name))
        .flatten()
}

fn key_of(name: &str) -> Result<Key, String> {
    key(name).ok_or_else(|| format!("\"{name}\" is not a key khabar can name"))
}

/// Takes one `bind-key`, `unbind-key` or `macro` line.
pub(crate) fn take(line: &Line, keys: &mut Keys) -> Result<(), String> {
    let args: Vec<&str> = line.args.iter().map(|w| w.text.as_str()).collect();
    match (line.command.as_str(), args.as_slice()) {
        ("bind-key", [_, _, _context]) | ("unbind-key", [_, _context]) => Err(
            "khabar's keys are the same on every screen; a key for one screen has no equivalent"
                .to_string(),
        ),
        ("bind-key", [name, op]) => {
            let action = match crate::config::newsboat_names::exact_action(op) {
                Some(Ok(action)) => action,
                Some(Err((near, why))) => {
                    return Err(format!("not the same as khabar's {near}: {why}"));
                }
                None => return Err(format!("khabar has no action like newsboat's {op}")),
            };
            let action = Action::from_name(action).ok_or("khabar has no such action")?;
            keys.changes
                .push((line.place.clone(), key_of(name)?, Some(action)));
            Ok(())
        }
        ("unbind-key", ["-a"]) => Err("khabar cannot leave every action without a key".to_string()),
        ("unbind-key", [name]) => {
            keys.changes.push((line.place.clone(), key_of(name)?, None));
            Ok(())
        }
        ("macro", [name, ..]) => {
            let (run, title) = browser_macro(&line.args[1..])?;
            keys.macros
                .push((line.place.clone(), key_of(name)?, run, title));
            Ok(())
        }
        _ => Err(format!(
            "{} has the wrong number of arguments",
            line.command
        )),
    }
}

/// The one kind of macro with an exact khabar equivalent: open the link with
/// another program (`set browser "mpv %u"; open-in-browser; set browser …`).
fn browser_macro(words: &[super::line::Word]) -> Result<(String, String), String> {
    let not = || {
        "only a macro that opens the link with a program (set browser \"…\"; open-in-browser) \
         is a [[command]]; write other ones as [[command]]s yourself"
            .to_string()
    };
    let (body, title) = match words.iter().position(|w| w.text == "--" && !w.quoted) {
        Some(at) => (
            &words[..at],
            words
                .get(at + 1)
                .map(|w| w.text.clone())
                .unwrap_or_default(),
        ),
        None => (words, String::new()),
    };
    let commands: Vec<Vec<&str>> = body
        .split(|w| w.text == ";" && !w.quoted)
        .map(|c| c.iter().map(|w| w.text.as_str()).collect())
        .filter(|c: &Vec<&str>| !c.is_empty())
        .collect();
    let run = match commands.as_slice() {
        [first, open, rest @ ..]
            if matches!(
                open.as_slice(),
                ["open-in-browser"] | ["open-in-browser-noninteractively"]
            ) && rest.len() <= 1
                && rest
                    .iter()
                    .all(|c| matches!(c.as_slice(), ["set", "browser", _])) =>
        {
            match first.as_slice() {
                ["set", "browser", program] => program.to_string(),
                _ => return Err(not()),
            }
        }
        _ => return Err(not()),
    };
    // newsboat appends the link when the command has no %u.
    let run = if run.contains("%u") {
        run
    } else {
        format!("{run} %u")
    };
    crate::config::command::Template::parse(&run)
        .map_err(|error| format!("the program line has {error}"))?;
    Ok((run, title))
}

impl Keys {
    /// Writes `[keys]` and the `[[command]]`s; the lines translated and those
    /// that turned out not to be.
    pub(crate) fn write(self, doc: &mut toml_edit::DocumentMut) -> (usize, Vec<Skipped>) {
        let mut skipped = Vec::new();
        let mut translated = 0;
        // The last line for a key wins, as in newsboat.
        let total = self.changes.len();
        let mut last: BTreeMap<Key, (Place, Option<Action>)> = BTreeMap::new();
        for (place, key, action) in self.changes {
            if let Some((earlier, _)) = last.insert(key, (place.clone(), action)) {
                skipped.push(Skipped {
                    command: "bind-key".to_string(),
                    reason: format!(
                        "{key} is bound again on line {}; that one is used",
                        place.line
                    ),
                    place: earlier,
                });
            }
        }
        let default_of = |key: Key| {
            Action::all().find(|a| a.default_keys().iter().any(|k| Key::parse(k) == Some(key)))
        };
        let mut touched: Vec<Action> = Vec::new();
        for (key, (_, action)) in &last {
            touched.extend(action.iter().copied());
            touched.extend(default_of(*key));
        }
        touched.sort();
        touched.dedup();
        let mut table = toml_edit::Table::new();
        let mut bound: Vec<Key> = Vec::new();
        for action in Action::all() {
            let defaults = action.default_keys().iter().filter_map(|k| Key::parse(k));
            let list: Vec<Key> = defaults
                .filter(|k| !last.contains_key(k))
                .chain(
                    last.iter()
                        .filter(|(_, (_, a))| *a == Some(action))
                        .map(|(k, _)| *k),
                )
                .collect();
            if !touched.contains(&action) {
                bound.extend(list);
                continue;
            }
            // Its keys all went to other actions: the loader takes a built-in's
            // key for the action named with it (as newsboat's bind-key does), so
            // nothing is written for this one.
            let unbound = last
                .iter()
                .any(|(k, (_, a))| a.is_none() && default_of(*k) == Some(action));
            if list.is_empty() && !unbound {
                continue;
            }
            if list.is_empty() {
                for (key, (place, _)) in last
                    .iter_mut()
                    .filter(|(k, (_, a))| a.is_none() && default_of(**k) == Some(action))
                {
                    skipped.push(Skipped {
                        place: place.clone(),
                        command: "unbind-key".to_string(),
                        reason: format!(
                            "{key} is khabar's only key for {}, and an action needs one",
                            action.name()
                        ),
                    });
                }
                bound.extend(action.default_keys().iter().filter_map(|k| Key::parse(k)));
                continue;
            }
            let mut array = toml_edit::Array::new();
            for key in &list {
                array.push(key.to_string());
            }
            table.insert(action.name(), toml_edit::value(array));
            bound.extend(list);
        }
        translated += total.saturating_sub(skipped.len());
        if !table.is_empty() {
            doc.insert("keys", toml_edit::Item::Table(table));
        }
        let mut commands = toml_edit::ArrayOfTables::new();
        for (place, key, run, name) in self.macros {
            if bound.contains(&key) {
                skipped.push(Skipped {
                    place,
                    command: "macro".to_string(),
                    reason: format!(
                        "{key} is a khabar key already (a [[command]] is on its key, without newsboat's macro prefix); give the command a free key"
                    ),
                });
                continue;
            }
            bound.push(key);
            let mut command = toml_edit::Table::new();
            command.insert("key", toml_edit::value(key.to_string()));
            if !name.is_empty() {
                command.insert("name", toml_edit::value(name));
            }
            command.insert("run", toml_edit::value(run));
            commands.push(command);
            translated += 1;
        }
        if !commands.is_empty() {
            doc.insert("command", toml_edit::Item::ArrayOfTables(commands));
        }
        (translated, skipped)
    }
}

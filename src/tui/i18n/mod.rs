//! The interface's words in each locale. Every fixed word the reader shows
//! (screen names, labels, status and error messages, help lines, key hints,
//! counts) is a [`Text`] looked up here; the English and Persian wording sits
//! side by side in one table (`table.rs`) that a translator can read and edit
//! without reading the code. `{name}` marks a value filled in at run time.
//!
//! Pure: no IO. Direction (mirroring) is the view's business; this module only
//! says whether a locale reads right to left.

mod query_error;
mod table;

pub use crate::config::Locale;
pub use query_error::query_error_text;
pub use table::Text;

use super::keymap::Action;

/// Whether the interface reads right to left (the screens are mirrored).
pub fn is_rtl(locale: Locale) -> bool {
    locale == Locale::Fa
}

/// The wording of `text` in `locale`.
pub fn tr(locale: Locale, text: Text) -> &'static str {
    let (en, fa) = table::words(text);
    match locale {
        Locale::En => en,
        Locale::Fa => fa,
    }
}

/// The wording of `text` with each `{name}` replaced by its value.
pub fn trf(locale: Locale, text: Text, args: &[(&str, &str)]) -> String {
    fill(tr(locale, text), args)
}

/// Replaces `{name}` in `template` with the value given for `name`; a name with
/// no value is left as written (a test keeps templates and callers in step).
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(key, _)| *key == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// `1 item`, `2 items` (`۲ مطلب`): a count with its noun in the right number.
/// `n` is the number as it should be written (digits already chosen).
pub fn counted(locale: Locale, count: u64, n: &str, one: Text, many: Text) -> String {
    trf(locale, crate::text::plural(count, one, many), &[("n", n)])
}

/// What an action does, for the help screen.
pub fn action_help(locale: Locale, action: Action) -> &'static str {
    tr(locale, table::action_text(action))
}

#[cfg(test)]
mod tests;

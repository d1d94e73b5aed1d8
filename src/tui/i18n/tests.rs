//! The table is complete: every English text has a Persian counterpart with the
//! same `{values}`, and the help lines match the keymap's own descriptions.

use super::table::ROWS;
use super::*;

fn placeholders(text: &str) -> Vec<&str> {
    let mut names: Vec<&str> = text
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    names.sort_unstable();
    names
}

fn has_persian_letter(text: &str) -> bool {
    text.chars().any(|c| ('\u{060C}'..='\u{06FF}').contains(&c))
}

#[test]
fn every_english_text_has_a_persian_counterpart_with_the_same_values() {
    let mut missing = Vec::new();
    for (text, en, fa) in ROWS {
        if fa.trim().is_empty() || !has_persian_letter(fa) || fa == en {
            missing.push(format!("{text:?} ({en:?}) has no Persian"));
        } else if placeholders(en) != placeholders(fa) {
            missing.push(format!("{text:?}: {en:?} and {fa:?} name different values"));
        }
        assert_eq!(super::table::words(*text), (*en, *fa));
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn the_check_catches_a_row_without_persian() {
    // The same checks as above, on rows a translator might leave behind.
    assert!(!has_persian_letter(""));
    assert!(!has_persian_letter("{n} items"));
    assert_ne!(placeholders("{n} items"), placeholders("مطلب"));
}

#[test]
fn help_lines_in_english_are_the_keymaps_descriptions() {
    for action in Action::all() {
        assert_eq!(action_help(Locale::En, action), action.description());
        assert!(has_persian_letter(action_help(Locale::Fa, action)));
    }
}

#[test]
fn values_are_filled_in_and_counts_choose_their_form() {
    assert_eq!(trf(Locale::En, Text::HintHelp, &[("key", "?")]), "?: help");
    assert_eq!(fill("{a} and {b} {c", &[("a", "1")]), "1 and {b} {c");
    assert_eq!(
        counted(Locale::En, 1, "1", Text::ItemsOne, Text::ItemsMany),
        "1 item"
    );
    assert_eq!(
        counted(Locale::En, 2, "2", Text::ItemsOne, Text::ItemsMany),
        "2 items"
    );
    assert_eq!(
        counted(Locale::Fa, 2, "۲", Text::ItemsOne, Text::ItemsMany),
        "۲ مطلب"
    );
}

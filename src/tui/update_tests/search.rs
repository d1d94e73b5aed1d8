//! The search line: typing runs the query (two or more characters), a newer
//! query replaces the older one, a bad query shows what and where, Backspace and
//! the arrows edit by character, Ctrl-W/U/K delete as in a shell, Enter opens a match and marks it read, and keys
//! bound to actions (`q`, `Q`) are typed, not acted on.

use super::*;
use crate::query::parse;

fn typed(model: &mut Model, text: &str) -> Vec<Command> {
    let mut commands = Vec::new();
    for c in text.chars() {
        let k = if c == ' ' {
            "space".to_string()
        } else {
            c.to_string()
        };
        commands.extend(key(model, &k));
    }
    commands
}

fn search_requests(commands: &[Command]) -> Vec<(u64, String)> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Db(DbRequest::LoadSearch {
                generation, query, ..
            }) => Some((*generation, query.to_string())),
            _ => None,
        })
        .collect()
}

#[test]
fn typing_runs_the_query_from_two_characters_newest_replacing_older() {
    let mut m = model();
    assert!(key(&mut m, "/").is_empty());
    assert!(m.search.is_some());
    // One character: nothing runs yet.
    assert!(search_requests(&typed(&mut m, "ب")).is_empty());
    let second = search_requests(&typed(&mut m, "و"));
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].1, "بو");
    let third = search_requests(&typed(&mut m, "ر"));
    assert!(third[0].0 > second[0].0, "a newer generation");
    assert_eq!(
        m.list().map(|l| l.source.clone()),
        Some(ListSource::Search(parse("بور").unwrap()))
    );
    // The answer to the older query is ignored.
    update(
        &mut m,
        Msg::ItemsLoaded {
            newest: i64::MAX,
            generation: second[0].0,
            request: WindowRequest::Ranked(0),
            limit: PAGE,
            rows: vec![item(9, 1, false)],
        },
    );
    assert!(m.list().unwrap().rows.is_empty());
}

#[test]
fn action_keys_are_typed_into_the_line() {
    let mut m = model();
    key(&mut m, "/");
    typed(&mut m, "qQ?");
    assert_eq!(m.search.as_ref().unwrap().text, "qQ?");
    assert!(m.overlay.is_none());
    // Ctrl-C still quits.
    assert_eq!(key(&mut m, "ctrl-c"), vec![Command::Quit]);
}

#[test]
fn a_bad_query_says_what_and_where_and_keeps_the_results() {
    let mut m = model();
    key(&mut m, "/");
    typed(&mut m, "bank after");
    let generation = m.list().unwrap().generation;
    typed(&mut m, ":");
    let error = m.search.as_ref().unwrap().error.clone().unwrap();
    assert_eq!(error.to_string(), "after: needs a date, at column 12");
    assert_eq!(m.list().unwrap().generation, generation);
    let commands = typed(&mut m, "7d");
    assert!(m.search.as_ref().unwrap().error.is_none());
    assert_eq!(search_requests(&commands)[0].1, "bank after:7d");
}

#[test]
fn backspace_removes_the_last_typed_character_and_arrows_step_by_character() {
    let mut m = model();
    key(&mut m, "/");
    typed(&mut m, "کتاب");
    key(&mut m, "backspace");
    assert_eq!(m.search.as_ref().unwrap().text, "کتا");
    // Right-to-left line: Right steps back through the text, Left forward.
    key(&mut m, "right");
    key(&mut m, "right");
    typed(&mut m, "ل");
    assert_eq!(m.search.as_ref().unwrap().text, "کلتا");
    key(&mut m, "left");
    key(&mut m, "backspace");
    assert_eq!(m.search.as_ref().unwrap().text, "کلا");
    // Left-to-right line: the arrows point the other way.
    let mut m = model();
    key(&mut m, "/");
    typed(&mut m, "bank");
    key(&mut m, "left");
    key(&mut m, "backspace");
    assert_eq!(m.search.as_ref().unwrap().text, "bak");
}

/// The line-editing keys of readline and the shells: Ctrl-W deletes the word
/// before the cursor (a ZWNJ joins, it does not split), Ctrl-U all before it,
/// Ctrl-K all after it, Ctrl-A and Ctrl-E go to the start and the end. Each
/// change runs the query again.
#[test]
fn ctrl_w_u_k_a_e_edit_the_line_as_in_a_shell() {
    let mut m = model();
    key(&mut m, "/");
    typed(&mut m, "بانک  می\u{200c}خواهم ");
    assert_eq!(search_requests(&key(&mut m, "ctrl-w")).len(), 1);
    assert_eq!(m.search.as_ref().unwrap().text, "بانک  ");
    key(&mut m, "ctrl-w");
    assert_eq!(m.search.as_ref().unwrap().text, "");
    typed(&mut m, "central bank rates");
    key(&mut m, "ctrl-a");
    key(&mut m, "ctrl-k");
    assert_eq!(m.search.as_ref().unwrap().text, "");
    typed(&mut m, "central bank rates");
    key(&mut m, "ctrl-a");
    for _ in 0.."central ".len() {
        key(&mut m, "right");
    }
    key(&mut m, "ctrl-u");
    assert_eq!(m.search.as_ref().unwrap().text, "bank rates");
    assert_eq!(m.search.as_ref().unwrap().cursor, 0);
    key(&mut m, "ctrl-e");
    typed(&mut m, "s");
    assert_eq!(m.search.as_ref().unwrap().text, "bank ratess");
    // Ctrl-W at the start deletes nothing; the line stays open.
    key(&mut m, "ctrl-a");
    key(&mut m, "ctrl-w");
    assert_eq!(m.search.as_ref().unwrap().text, "bank ratess");
}

#[test]
fn enter_opens_the_selected_match_and_marks_it_read_esc_closes() {
    let mut m = model();
    key(&mut m, "/");
    typed(&mut m, "item");
    let generation = m.list().unwrap().generation;
    update(
        &mut m,
        Msg::Counted {
            newest: i64::MAX,
            generation,
            total: 2,
        },
    );
    update(
        &mut m,
        Msg::ItemsLoaded {
            newest: i64::MAX,
            generation,
            // A search for words pages by rank position.
            request: WindowRequest::Ranked(0),
            limit: PAGE,
            rows: vec![item(1, 1, false), item(2, 1, false)],
        },
    );
    key(&mut m, "down");
    let commands = key(&mut m, "enter");
    assert!(m.search.is_none());
    assert!(commands.contains(&Command::Db(DbRequest::LoadArticle(102))));
    assert!(commands.contains(&Command::Db(DbRequest::SetRead {
        ids: vec![102],
        read: true
    })));
    assert!(matches!(m.screen, Screen::Article { .. }));
    // `/` again starts from the shown search's text; Esc closes the line.
    key(&mut m, "/");
    assert_eq!(m.search.as_ref().unwrap().text, "item");
    key(&mut m, "esc");
    assert!(m.search.is_none());
    // Marking a search list read marks its matches, not everything.
    key(&mut m, "q");
    assert_eq!(
        key(&mut m, "A"),
        vec![Command::Db(DbRequest::MarkSearchRead {
            query: parse("item").unwrap(),
            upto: i64::MAX,
        })]
    );
}

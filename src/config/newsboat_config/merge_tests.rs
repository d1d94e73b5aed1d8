//! Tests of `merge`: the exact text it writes for small, realistic files.

use super::*;

#[test]
fn comments_order_and_values_of_the_file_stay() {
    let mine = "# mine\n[general]\nbrowser = \"lynx\" # mine too\n\n[fetch]\ntimeout_secs = 20\n";
    let theirs = "[general]\nbrowser = \"firefox\"\nrefresh_interval_minutes = 30\n\n[fetch]\nconcurrency = 8\n";
    let out = merge(mine, theirs).unwrap();
    assert_eq!(
        out.toml,
        "# mine\n[general]\nbrowser = \"lynx\" # mine too\nrefresh_interval_minutes = 30\n\n\
         [fetch]\ntimeout_secs = 20\nconcurrency = 8\n"
    );
    assert_eq!(out.added, 2);
    assert_eq!(
        out.kept,
        vec![Kept {
            key: "general.browser".to_string(),
            yours: "\"lynx\"".to_string(),
            theirs: "\"firefox\"".to_string(),
        }]
    );
}

#[test]
fn the_same_value_written_otherwise_is_not_reported() {
    let mine = "[keys]\ndown = [\n  'down', # arrow\n  'j',\n]\n";
    let theirs = "[keys]\ndown = [\"down\", \"j\"]\n";
    let out = merge(mine, theirs).unwrap();
    assert_eq!(out.toml, mine);
    assert_eq!(out.added, 0);
    assert!(out.kept.is_empty());
}

#[test]
fn a_differing_array_is_shown_on_one_line() {
    let mine = "[keys]\ndown = [\n  'down', # arrow\n]\n";
    let theirs = "[keys]\ndown = [\"down\", \"j\"]\n";
    let out = merge(mine, theirs).unwrap();
    assert_eq!(out.kept[0].yours, "['down']");
    assert_eq!(out.kept[0].theirs, "[\"down\", \"j\"]");
}

#[test]
fn missing_tables_go_at_the_end() {
    let mine = "[fetch]\nconcurrency = 2\n\n[[feed]]\nurl = \"https://a.example/\"\n# the end\n";
    let theirs = "[sync]\nprovider = \"miniflux\"\n\n[fetch]\nconcurrency = 8\n";
    let out = merge(mine, theirs).unwrap();
    assert_eq!(
        out.toml,
        "[fetch]\nconcurrency = 2\n\n[[feed]]\nurl = \"https://a.example/\"\n\n\
         [sync]\nprovider = \"miniflux\"\n# the end\n"
    );
    assert_eq!(out.added, 1);
    assert_eq!(out.kept.len(), 1);
}

#[test]
fn entries_of_an_array_of_tables_are_added_once() {
    let mine = "[[command]]\nkey = 'v'\nname = \"play in mpv\"\nrun = \"mpv %u\"\n";
    let theirs = "[[command]]\nkey = \"v\"\nname = \"play in mpv\"\nrun = \"mpv %u\"\n\n\
                  [[command]]\nkey = \"w\"\nrun = \"w3m %u\"\n";
    let out = merge(mine, theirs).unwrap();
    assert_eq!(out.added, 1);
    assert_eq!(
        out.toml,
        format!("{mine}\n[[command]]\nkey = \"w\"\nrun = \"w3m %u\"\n")
    );
    let again = merge(&out.toml, theirs).unwrap();
    assert_eq!(again.added, 0);
    assert_eq!(again.toml, out.toml);
}

#[test]
fn an_inline_table_gets_the_new_keys_too() {
    let mine = "general = { browser = \"lynx\" }\n";
    let theirs = "[general]\nrefresh_interval_minutes = 30\n";
    let out = merge(mine, theirs).unwrap();
    assert_eq!(out.added, 1);
    let back: DocumentMut = out.toml.parse().unwrap();
    assert_eq!(
        back["general"]["refresh_interval_minutes"].as_integer(),
        Some(30)
    );
    assert_eq!(back["general"]["browser"].as_str(), Some("lynx"));
}

#[test]
fn a_file_that_is_not_toml_is_an_error_with_its_line() {
    let error = merge(
        "# fine\n[fetch]\nconcurrency = \n",
        "[fetch]\nconcurrency = 8\n",
    )
    .unwrap_err();
    assert_eq!(error.line, 3);
    assert!(!error.message.is_empty());
}

#[test]
fn an_empty_file_takes_the_whole_translation() {
    let theirs = "[fetch]\nconcurrency = 8\n";
    let out = merge("", theirs).unwrap();
    assert_eq!(out.added, 1);
    let back: DocumentMut = out.toml.parse().unwrap();
    assert_eq!(back["fetch"]["concurrency"].as_integer(), Some(8));
}

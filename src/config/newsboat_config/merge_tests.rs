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
    // The file's closing comment stays after the table it closed.
    assert_eq!(
        out.toml,
        "[fetch]\nconcurrency = 2\n\n[[feed]]\nurl = \"https://a.example/\"\n# the end\n\n\
         [sync]\nprovider = \"miniflux\"\n"
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

/// A translation adding keys to `[fetch]` (the file's last table) and a new
/// `[sync]` after it.
const FETCH_AND_SYNC: &str = "[fetch]\nconcurrency = 8\n\n[sync]\nprovider = \"miniflux\"\n";

#[test]
fn a_crlf_file_stays_crlf_throughout() {
    let mine = "# یادداشت‌های من\r\n[general]\r\nbrowser = \"lynx\" # مرورگر\r\n\r\n\
                [fetch]\r\ntimeout_secs = 20\r\n";
    let out = merge(mine, FETCH_AND_SYNC).unwrap();
    assert_eq!(
        out.toml,
        "# یادداشت‌های من\r\n[general]\r\nbrowser = \"lynx\" # مرورگر\r\n\r\n\
         [fetch]\r\ntimeout_secs = 20\r\nconcurrency = 8\r\n\r\n\
         [sync]\r\nprovider = \"miniflux\"\r\n"
    );
}

#[test]
fn a_multi_line_string_in_a_crlf_file_keeps_its_crlf() {
    let mine = "[fetch]\r\nuser_agent = \"\"\"\r\nkhabar\r\n\"\"\"\r\n";
    let out = merge(mine, FETCH_AND_SYNC).unwrap();
    assert_eq!(
        out.toml,
        "[fetch]\r\nuser_agent = \"\"\"\r\nkhabar\r\n\"\"\"\r\nconcurrency = 8\r\n\r\n\
         [sync]\r\nprovider = \"miniflux\"\r\n"
    );
}

#[test]
fn a_file_mixing_line_endings_takes_the_one_most_lines_have() {
    let mine = "[fetch]\r\ntimeout_secs = 20\n# retries\r\nretries = 2\r\n";
    let out = merge(mine, "[fetch]\nconcurrency = 8\n").unwrap();
    assert_eq!(
        out.toml,
        "[fetch]\r\ntimeout_secs = 20\r\n# retries\r\nretries = 2\r\nconcurrency = 8\r\n"
    );
    let mostly_lf = "[fetch]\ntimeout_secs = 20\r\nretries = 2\n";
    let out = merge(mostly_lf, "[fetch]\nconcurrency = 8\n").unwrap();
    assert_eq!(
        out.toml,
        "[fetch]\ntimeout_secs = 20\nretries = 2\nconcurrency = 8\n"
    );
}

#[test]
fn a_byte_order_mark_is_kept() {
    let mine = "\u{feff}# mine\n[fetch]\ntimeout_secs = 20\n";
    let out = merge(mine, "[fetch]\nconcurrency = 8\n").unwrap();
    assert_eq!(
        out.toml,
        "\u{feff}# mine\n[fetch]\ntimeout_secs = 20\nconcurrency = 8\n"
    );
}

#[test]
fn a_file_without_a_final_newline_gets_one() {
    let mine = "[fetch]\ntimeout_secs = 20";
    let out = merge(mine, FETCH_AND_SYNC).unwrap();
    assert_eq!(
        out.toml,
        "[fetch]\ntimeout_secs = 20\nconcurrency = 8\n\n[sync]\nprovider = \"miniflux\"\n"
    );
}

#[test]
fn a_closing_comment_stays_with_the_last_table_and_new_tables_follow_it() {
    // Right under the last key: keys added to that table go above it, as they
    // would above a comment before the next table's header, and new tables
    // below it.
    let mine = "[general]\nbrowser = \"lynx\"\n\n[fetch]\ntimeout_secs = 20\n\
                # یادداشت: 60 was too slow on the train\n";
    let out = merge(mine, FETCH_AND_SYNC).unwrap();
    assert_eq!(
        out.toml,
        "[general]\nbrowser = \"lynx\"\n\n[fetch]\ntimeout_secs = 20\nconcurrency = 8\n\
         # یادداشت: 60 was too slow on the train\n\n[sync]\nprovider = \"miniflux\"\n"
    );
    // After a blank line, and without a final newline: the same, the blank
    // line kept.
    let mine = "[fetch]\ntimeout_secs = 20\n\n# my notes\n# more notes";
    let out = merge(mine, FETCH_AND_SYNC).unwrap();
    assert_eq!(
        out.toml,
        "[fetch]\ntimeout_secs = 20\nconcurrency = 8\n\n# my notes\n# more notes\n\n\
         [sync]\nprovider = \"miniflux\"\n"
    );
}

#[test]
fn a_closing_comment_with_only_keys_added_stays_last() {
    let mine = "[fetch]\ntimeout_secs = 20\n\n# my notes\n";
    let out = merge(mine, "[fetch]\nconcurrency = 8\n").unwrap();
    assert_eq!(
        out.toml,
        "[fetch]\ntimeout_secs = 20\nconcurrency = 8\n\n# my notes\n"
    );
}

#[test]
fn a_file_of_comments_only_keeps_them_first() {
    let mine = "# khabar's config: see `khabar --help`\n";
    let out = merge(mine, FETCH_AND_SYNC).unwrap();
    assert_eq!(
        out.toml,
        "# khabar's config: see `khabar --help`\n\n[fetch]\nconcurrency = 8\n\n\
         [sync]\nprovider = \"miniflux\"\n"
    );
}

#[test]
fn an_empty_file_starts_with_the_first_table() {
    let out = merge("", FETCH_AND_SYNC).unwrap();
    assert_eq!(out.toml, FETCH_AND_SYNC);
}

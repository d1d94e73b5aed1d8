//! newsboat's names for what khabar's config calls otherwise: its key operations
//! (`bind-key J next-unread`) and its config settings (`reload-time 30`), so that
//! an error on a name copied from a newsboat config says which khabar name does
//! that job instead of only listing every name. Pure tables, no IO.

/// newsboat operation → khabar `[keys]` action that does that job, and, when
/// it is only the nearest one, how it differs (`khabar import
/// --newsboat-config` translates only the exact ones; an error's hint names
/// either).
const ACTIONS: &[(&str, &str, Option<&str>)] = &[
    ("open", "open", None),
    ("up", "up", None),
    ("down", "down", None),
    ("quit", "back", None),
    ("hard-quit", "quit", None),
    ("reload", "refresh", None),
    ("reload-all", "refresh_all", None),
    ("next-unread", "next_unread", None),
    ("prev-unread", "prev_unread", None),
    ("next-unread-feed", "next_unread_feed", None),
    ("prev-unread-feed", "prev_unread_feed", None),
    ("next-feed", "next_feed", None),
    ("prev-feed", "prev_feed", None),
    ("toggle-article-read", "toggle_read", None),
    ("mark-feed-read", "mark_all_read", None),
    (
        "edit-flags",
        "toggle_starred",
        Some("khabar has one flag, the star, which toggle_starred turns on and off"),
    ),
    ("open-in-browser", "open_in_browser", None),
    (
        "open-in-browser-and-mark-read",
        "open_in_browser",
        Some("open_in_browser does not mark the item read"),
    ),
    ("open-in-browser-noninteractively", "open_in_browser", None),
    (
        "toggle-show-read-feeds",
        "toggle_unread_only",
        Some("toggle_unread_only hides read items, not read feeds"),
    ),
    ("search", "search", None),
    ("help", "help", None),
    ("set-tag", "tags", None),
    ("select-tag", "tags", None),
    ("home", "top", None),
    ("end", "bottom", None),
    ("pageup", "page_up", None),
    ("pagedown", "page_down", None),
    ("halfpageup", "half_page_up", None),
    ("halfpagedown", "half_page_down", None),
];

/// newsboat setting → where khabar's config keeps the same thing.
const SETTINGS: &[(&str, &str)] = &[
    ("browser", "[general] browser"),
    ("reload-time", "[general] refresh_interval_minutes"),
    (
        "auto-reload",
        "[general] refresh_interval_minutes (0 is off)",
    ),
    ("notify-program", "[general] notify_command"),
    ("reload-threads", "[fetch] concurrency"),
    ("download-timeout", "[fetch] timeout_secs"),
    ("user-agent", "[fetch] user_agent"),
    ("keep-articles-days", "[cleanup] keep_read_days"),
    ("ignore-article", "an [[ignore]] rule"),
    ("macro", "a [[command]]"),
    ("bind-key", "the [keys] table"),
    ("color", "a theme ([general] theme)"),
];

/// The khabar action for newsboat's operation `name`, if there is one.
pub(crate) fn action(name: &str) -> Option<&'static str> {
    ACTIONS
        .iter()
        .find(|(n, ..)| *n == name)
        .map(|(_, a, _)| *a)
}

/// The khabar action for newsboat's operation `name`: `Ok` when it does the
/// same, `Err` with how it differs when it is only the nearest; `None` when
/// khabar has nothing near.
pub(crate) fn exact_action(
    name: &str,
) -> Option<Result<&'static str, (&'static str, &'static str)>> {
    ACTIONS
        .iter()
        .find(|(n, ..)| *n == name)
        .map(|(_, a, near)| match near {
            None => Ok(*a),
            Some(why) => Err((*a, *why)),
        })
}

/// Where khabar keeps newsboat's setting `name`, if it has one.
pub(crate) fn setting(name: &str) -> Option<&'static str> {
    SETTINGS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::keymap::Action;

    #[test]
    fn every_action_named_is_one_khabar_has() {
        for (newsboat, khabar, _) in ACTIONS {
            assert!(
                Action::from_name(khabar).is_some(),
                "{newsboat} -> {khabar}"
            );
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(action("mark-feed-read"), Some("mark_all_read"));
        assert_eq!(action("mark_all_read"), None);
        assert_eq!(exact_action("reload"), Some(Ok("refresh")));
        assert!(matches!(
            exact_action("edit-flags"),
            Some(Err(("toggle_starred", _)))
        ));
        assert_eq!(exact_action("toggle-feed-read"), None);
        assert_eq!(
            setting("reload-time"),
            Some("[general] refresh_interval_minutes")
        );
        assert_eq!(setting("theme"), None);
    }
}

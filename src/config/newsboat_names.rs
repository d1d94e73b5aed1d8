//! newsboat's names for what khabar's config calls otherwise: its key operations
//! (`bind-key J next-unread`) and its config settings (`reload-time 30`), so that
//! an error on a name copied from a newsboat config says which khabar name does
//! that job instead of only listing every name. Pure tables, no IO.

/// newsboat operation → khabar `[keys]` action, where one does the same job.
const ACTIONS: &[(&str, &str)] = &[
    ("open", "open"),
    ("quit", "back"),
    ("hard-quit", "quit"),
    ("reload", "refresh"),
    ("reload-all", "refresh_all"),
    ("next-unread", "next_unread"),
    ("prev-unread", "prev_unread"),
    ("next-unread-feed", "next_unread_feed"),
    ("prev-unread-feed", "prev_unread_feed"),
    ("next-feed", "next_feed"),
    ("prev-feed", "prev_feed"),
    ("toggle-article-read", "toggle_read"),
    ("mark-feed-read", "mark_all_read"),
    ("edit-flags", "toggle_starred"),
    ("open-in-browser", "open_in_browser"),
    ("open-in-browser-and-mark-read", "open_in_browser"),
    ("open-in-browser-noninteractively", "open_in_browser"),
    ("toggle-show-read-feeds", "toggle_unread_only"),
    ("search", "search"),
    ("help", "help"),
    ("set-tag", "tags"),
    ("select-tag", "tags"),
    ("home", "top"),
    ("end", "bottom"),
    ("pageup", "page_up"),
    ("pagedown", "page_down"),
    ("halfpageup", "half_page_up"),
    ("halfpagedown", "half_page_down"),
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
    ACTIONS.iter().find(|(n, _)| *n == name).map(|(_, a)| *a)
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
        for (newsboat, khabar) in ACTIONS {
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
        assert_eq!(
            setting("reload-time"),
            Some("[general] refresh_interval_minutes")
        );
        assert_eq!(setting("theme"), None);
    }
}

//! Dates as the lists and the article header show them: local time, optionally
//! in the Jalali calendar (formatted by `text::jalali`) and with Persian digits.

use chrono::{DateTime, FixedOffset};

use crate::text::jalali::JalaliDate;
use crate::text::persian::localize_digits;

use super::i18n::{Locale, Text, tr, trf};

/// How dates are written in lists and articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateStyle {
    /// Jalali (Solar Hijri) calendar instead of the Gregorian one.
    pub jalali: bool,
    /// Persian digits (۰–۹) in dates and counts.
    pub persian_digits: bool,
    /// The local time zone's offset from UTC in seconds, as of the last clock
    /// message (so a daylight-saving change shows within a second).
    pub utc_offset: i32,
    /// The interface language, for the words of relative dates.
    pub locale: Locale,
    /// Recent items in lists as `14:05`, `yesterday`, `3 days ago` (needs `now`).
    pub relative: bool,
    /// The time of the last clock message, for relative dates.
    pub now: Option<i64>,
}

impl DateStyle {
    /// `text` with its digits as this style asks.
    pub fn digits(self, text: String) -> String {
        localize_digits(text, self.persian_digits)
    }
}

fn local(ts: i64, style: DateStyle) -> Option<DateTime<FixedOffset>> {
    let offset = FixedOffset::east_opt(style.utc_offset)?;
    Some(DateTime::from_timestamp(ts, 0)?.with_timezone(&offset))
}

fn jalali(t: &DateTime<FixedOffset>, style: DateStyle) -> Option<JalaliDate> {
    if style.jalali {
        JalaliDate::from_naive(t.date_naive())
    } else {
        None
    }
}

/// `2024-10-06` (or `10-06` when `short`), for list columns; Jalali dates are
/// written `۱۴۰۳/۰۷/۱۶`, as Persian readers expect. With `relative`, an item of
/// the last week reads `۱۴:۰۵` (today), `دیروز`, `۳ روز پیش` (`۳ روز` when short).
pub fn list_date(ts: i64, style: DateStyle, short: bool) -> String {
    let Some(t) = local(ts, style) else {
        return String::new();
    };
    if let Some(text) = relative(&t, style, short) {
        return text;
    }
    if let Some(date) = jalali(&t, style) {
        return if short {
            date.format_month_day(style.persian_digits)
        } else {
            date.format(style.persian_digits)
        };
    }
    let text = t.format(if short { "%m-%d" } else { "%Y-%m-%d" });
    style.digits(text.to_string())
}

/// A recent date in words, when the style asks for it and `t` is in the last
/// week of the local calendar (a date after now is written in full).
fn relative(t: &DateTime<FixedOffset>, style: DateStyle, short: bool) -> Option<String> {
    if !style.relative {
        return None;
    }
    let now = local(style.now?, style)?;
    let days = (now.date_naive() - t.date_naive()).num_days();
    let n = style.digits(days.to_string());
    match days {
        0 => Some(style.digits(t.format("%H:%M").to_string())),
        1 => Some(tr(style.locale, Text::Yesterday).to_string()),
        2..=6 if short => Some(trf(style.locale, Text::DaysAgoShort, &[("n", &n)])),
        2..=6 => Some(trf(style.locale, Text::DaysAgo, &[("n", &n)])),
        _ => None,
    }
}

/// `2024-10-06 14:05`, for the article header.
pub fn full_date(ts: i64, style: DateStyle) -> String {
    let Some(t) = local(ts, style) else {
        return String::new();
    };
    let time = style.digits(t.format("%H:%M").to_string());
    match jalali(&t, style) {
        Some(date) => format!("{} {time}", date.format(style.persian_digits)),
        None => style.digits(format!("{} {time}", t.format("%Y-%m-%d"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_relative_dates_for_the_last_week() {
        // 2024-11-19 10:00 UTC is 13:30 in Tehran.
        let now = 1_732_010_400;
        let fa = DateStyle {
            jalali: true,
            persian_digits: true,
            utc_offset: 3 * 3600 + 1800,
            locale: Locale::Fa,
            relative: true,
            now: Some(now),
        };
        assert_eq!(list_date(now - 3600, fa, false), "۱۲:۳۰");
        assert_eq!(list_date(now - 86_400, fa, false), "دیروز");
        assert_eq!(list_date(now - 3 * 86_400, fa, false), "۳ روز پیش");
        assert_eq!(list_date(now - 3 * 86_400, fa, true), "۳ روز");
        // A week or more ago, and dates after now: the Jalali date.
        assert_eq!(list_date(now - 7 * 86_400, fa, false), "۱۴۰۳/۰۸/۲۲");
        assert_eq!(list_date(now + 2 * 86_400, fa, true), "۰۹/۰۱");
        // Without a clock yet, or without `relative`: dates as before.
        let no_clock = DateStyle { now: None, ..fa };
        assert_eq!(list_date(now - 3600, no_clock, false), "۱۴۰۳/۰۸/۲۹");
        let plain = DateStyle {
            relative: false,
            ..fa
        };
        assert_eq!(list_date(now - 86_400, plain, true), "۰۸/۲۸");
    }

    #[test]
    fn dates_use_the_offset() {
        let style = DateStyle {
            utc_offset: 3 * 3600 + 1800,
            ..Default::default()
        };
        // 2024-10-06 22:00 UTC is 2024-10-07 01:30 in Tehran.
        assert_eq!(full_date(1_728_252_000, style), "2024-10-07 01:30");
        assert_eq!(list_date(1_728_252_000, style, true), "10-07");
        let persian = DateStyle {
            jalali: true,
            persian_digits: true,
            ..style
        };
        // 2024-10-07 is 1403-07-16.
        assert_eq!(list_date(1_728_252_000, persian, false), "۱۴۰۳/۰۷/۱۶");
    }

    #[test]
    fn t15_jalali_dates_use_slashes() {
        let jalali = DateStyle {
            jalali: true,
            ..Default::default()
        };
        // 2026-11-26 12:00 UTC is 1405-09-05.
        assert_eq!(full_date(1_795_694_400, jalali), "1405/09/05 12:00");
        assert_eq!(list_date(1_795_694_400, jalali, true), "09/05");
        assert_eq!(
            list_date(1_795_694_400, DateStyle::default(), false),
            "2026-11-26"
        );
    }
}

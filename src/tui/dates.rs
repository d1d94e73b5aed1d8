//! Dates as the lists and the article header show them: local time, optionally
//! in the Jalali calendar and with Persian digits.

use chrono::{DateTime, Datelike, FixedOffset, Timelike};

use crate::text::jalali::JalaliDate;
use crate::text::persian::to_persian_digits;

use super::model::DateStyle;

fn local(ts: i64, style: DateStyle) -> Option<DateTime<FixedOffset>> {
    let offset = FixedOffset::east_opt(style.utc_offset)?;
    Some(DateTime::from_timestamp(ts, 0)?.with_timezone(&offset))
}

fn ymd(ts: i64, style: DateStyle) -> Option<(i32, u32, u32, u32, u32)> {
    let t = local(ts, style)?;
    let (y, m, d) = if style.jalali {
        to_jalali(t.year(), t.month(), t.day()).unwrap_or((t.year(), t.month(), t.day()))
    } else {
        (t.year(), t.month(), t.day())
    };
    Some((y, m, d, t.hour(), t.minute()))
}

fn digits(text: String, style: DateStyle) -> String {
    if style.persian_digits {
        to_persian_digits(&text)
    } else {
        text
    }
}

fn to_jalali(y: i32, m: u32, d: u32) -> Option<(i32, u32, u32)> {
    let date = JalaliDate::from_gregorian(y, u8::try_from(m).ok()?, u8::try_from(d).ok()?)?;
    Some((date.year, u32::from(date.month), u32::from(date.day)))
}

/// Jalali dates are written `۱۴۰۳/۰۷/۱۶`, as Persian readers expect; others ISO-like.
fn separator(style: DateStyle) -> char {
    if style.jalali { '/' } else { '-' }
}

/// `2024-10-06` (or `10-06` when `short`), for list columns.
pub fn list_date(ts: i64, style: DateStyle, short: bool) -> String {
    let Some((y, m, d, _, _)) = ymd(ts, style) else {
        return String::new();
    };
    let s = separator(style);
    let text = if short {
        format!("{m:02}{s}{d:02}")
    } else {
        format!("{y:04}{s}{m:02}{s}{d:02}")
    };
    digits(text, style)
}

/// `2024-10-06 14:05`, for the article header.
pub fn full_date(ts: i64, style: DateStyle) -> String {
    let Some((y, m, d, h, min)) = ymd(ts, style) else {
        return String::new();
    };
    let s = separator(style);
    digits(format!("{y:04}{s}{m:02}{s}{d:02} {h:02}:{min:02}"), style)
}

#[cfg(test)]
mod tests {
    use super::*;

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

//! Lenient timestamps: RFC 3339 and RFC 2822 with the usual feed mistakes, and the
//! Jalali (Persian calendar) dates Iranian sites put in `pubDate`, converted to
//! Gregorian. Anything else is `None`; the store then uses the first-seen time.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use icu_calendar::Date;

/// Iran Standard Time (+03:30), the zone of Jalali timestamps on Iranian sites.
const IRAN_OFFSET_SECS: i32 = 3 * 3600 + 1800;

const JALALI_MONTHS: [&str; 12] = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
];

/// Parses any timestamp khabar understands.
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    // The usual RFC 2822 / RFC 3339 shapes first, without a copy (issue 7).
    super::dates_fast::parse_common(text.trim()).or_else(|| parse_general(text))
}

/// [`parse_timestamp`] without the fast path for the common shapes: the
/// reference its tests compare that path with.
pub(super) fn parse_general(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let ascii_digits = persian_digits_to_ascii(text);
    if let Some(date) = parse_jalali(&ascii_digits) {
        return Some(date);
    }
    parse_rfc3339_lenient(&ascii_digits).or_else(|| parse_rfc2822_lenient(&ascii_digits))
}

/// Persian (U+06F0..) and Arabic-Indic (U+0660..) digits to ASCII.
fn persian_digits_to_ascii(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            _ => c,
        })
        .collect()
}

/// `1403/05/19 11:20:16`, `1403-05-19`, `1403/05/20 - 09:05`, or
/// `شنبه ۲۰ مرداد ۱۴۰۳ ساعت ۰۹:۰۵` (digits already ASCII).
fn parse_jalali(text: &str) -> Option<DateTime<Utc>> {
    // Month names are not ASCII, so the RFC dates of most feeds skip the search.
    let month_word = if text.is_ascii() {
        None
    } else {
        JALALI_MONTHS
            .iter()
            .position(|m| text.contains(m))
            .map(|i| i as u32 + 1)
    };
    if month_word.is_none() {
        // Without a month name a Jalali date starts `YYYY/` or `YYYY-`: checked
        // before anything is collected, as every RFC 2822 date fails here.
        let first = text.split(|c: char| !c.is_ascii_digit()).next()?;
        if first.len() != 4 || !text[4..].starts_with(['/', '-']) {
            return None;
        }
    }
    let numbers: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().ok())
        .collect::<Option<Vec<u32>>>()?;
    let (year, month, day, time) = match month_word {
        Some(month) => {
            // day, year in words order: "<weekday> DD <month> YYYY [ساعت HH:MM[:SS]]"
            let (day, year) = (*numbers.first()?, *numbers.get(1)?);
            (year, month, day, &numbers[2..])
        }
        None => (
            *numbers.first()?,
            *numbers.get(1)?,
            *numbers.get(2)?,
            &numbers[3..],
        ),
    };
    if !(1200..1600).contains(&year) {
        return None;
    }
    // Checked, not `as u8`: 1403/257/271 must not wrap to 1403/01/15.
    let (month, day) = (u8::try_from(month).ok()?, u8::try_from(day).ok()?);
    let persian = Date::try_new_persian(i32::try_from(year).ok()?, month, day).ok()?;
    let iso = persian.to_calendar(icu_calendar::Iso);
    let date = NaiveDate::from_ymd_opt(
        iso.year().extended_year(),
        u32::from(iso.month().ordinal),
        u32::from(iso.day_of_month().0),
    )?;
    let hour = twelve_hour_clock(text, time.first().copied().unwrap_or(0));
    let minute = time.get(1).copied().unwrap_or(0);
    let second = time.get(2).copied().unwrap_or(0);
    let time = NaiveTime::from_hms_opt(hour, minute, second).unwrap_or(NaiveTime::MIN);
    let zone = FixedOffset::east_opt(IRAN_OFFSET_SECS)?;
    let local = zone
        .from_local_datetime(&NaiveDateTime::new(date, time))
        .single()?;
    Some(local.with_timezone(&Utc))
}

fn parse_rfc3339_lenient(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(date) = DateTime::parse_from_rfc3339(text) {
        return Some(date.with_timezone(&Utc));
    }
    let bytes = text.as_bytes();
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN)));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f %z",
    ] {
        if let Ok(date) = DateTime::parse_from_str(text, format) {
            return Some(date.with_timezone(&Utc));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(date) = NaiveDateTime::parse_from_str(text, format) {
            return Some(Utc.from_utc_datetime(&date));
        }
    }
    None
}

fn parse_rfc2822_lenient(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(date) = DateTime::parse_from_rfc2822(text) {
        return Some(date.with_timezone(&Utc));
    }
    // Drop any weekday (it is often wrong or not English), normalise zone names and
    // long month names, and put "Dec 16 2023" into day-month order.
    let mut words: Vec<String> = text
        .split_whitespace()
        .map(|w| w.trim_end_matches(',').to_string())
        .collect();
    if words.first().is_some_and(|w| {
        w.chars().all(|c| c.is_alphabetic()) && w.len() >= 3 && month_number(w).is_none()
    }) {
        words.remove(0);
    }
    for word in &mut words {
        if let Some(month) = month_number(word) {
            *word = MONTHS[month].to_string();
        }
        match word.as_str() {
            "Z" | "UTC" | "-0000" => *word = "+0000".to_string(),
            "24:00:00" => *word = "00:00:00".to_string(),
            _ => {}
        }
    }
    if words.len() >= 3 && month_number(&words[0]).is_some() {
        words.swap(0, 1);
    }
    if let Some(time) = words
        .get_mut(3)
        .filter(|t| t.len() == 7 && t.as_bytes()[1] == b':')
    {
        time.insert(0, '0');
    }
    let fixed = words.join(" ");
    if let Ok(date) = DateTime::parse_from_rfc2822(&fixed) {
        return Some(date.with_timezone(&Utc));
    }
    // "Sat, Dec 16 2023 02:02:33 PM" and other 12-hour clocks.
    for format in ["%d %b %Y %I:%M:%S %p", "%d %b %Y %H:%M:%S", "%d %b %Y"] {
        if let Ok(date) = NaiveDateTime::parse_from_str(&fixed, format) {
            return Some(Utc.from_utc_datetime(&date));
        }
        if let Ok(date) = NaiveDate::parse_from_str(&fixed, format) {
            return Some(Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN)));
        }
    }
    None
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month_number(word: &str) -> Option<usize> {
    if word.len() < 3 || !word.is_ascii() {
        return None;
    }
    let prefix = &word[..3];
    MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(prefix))
        .filter(|_| word.chars().all(|c| c.is_ascii_alphabetic()))
}

/// Iranian sites often write a 12-hour clock with a marker: `ب.ظ` (after noon)
/// or `ق.ظ` (before noon), sometimes spelled out or in Latin letters.
fn twelve_hour_clock(text: &str, hour: u32) -> u32 {
    const AFTERNOON: &[&str] = &["ب.ظ", "ب ظ", "بعدازظهر", "بعد از ظهر", "PM", "pm", "p.m."];
    const MORNING: &[&str] = &["ق.ظ", "ق ظ", "قبل از ظهر", "قبل‌ازظهر", "AM", "am", "a.m."];
    if hour < 12 && AFTERNOON.iter().any(|m| text.contains(m)) {
        hour + 12
    } else if hour == 12 && MORNING.iter().any(|m| text.contains(m)) {
        0
    } else {
        hour
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (QA F10): `ب.ظ` (p.m.) was ignored, putting the item 12 hours early.
    #[test]
    fn jalali_with_afternoon_or_morning_marker() {
        assert_eq!(iso("1403/05/19 ب.ظ 02:20"), "2024-08-09T10:50:00+00:00");
        assert_eq!(iso("۱۴۰۳/۰۵/۱۹ - ۰۲:۲۰ ب.ظ"), "2024-08-09T10:50:00+00:00");
        assert_eq!(iso("1403/05/19 ق.ظ 12:05"), "2024-08-08T20:35:00+00:00");
        assert_eq!(iso("1403/05/19 ب.ظ 12:05"), "2024-08-09T08:35:00+00:00");
        assert_eq!(iso("1403/05/19 14:20"), "2024-08-09T10:50:00+00:00");
    }

    /// Regression (issue 8, defect 9): out-of-range months and days were
    /// truncated by `as u8`, so 1403/257/271 was read as 1403/01/15.
    #[test]
    fn defect_9_jalali_out_of_range_is_no_date() {
        assert_eq!(iso("1403/257/271"), "none");
        assert_eq!(iso("1403/05/271"), "none");
        assert_eq!(iso("1403/13/01"), "none");
        assert_eq!(iso("1403/05/19"), "2024-08-08T20:30:00+00:00");
    }

    fn iso(text: &str) -> String {
        parse_timestamp(text)
            .map(|d| d.to_rfc3339())
            .unwrap_or_else(|| "none".into())
    }

    #[test]
    fn jalali_numeric_becomes_gregorian_in_tehran_time() {
        // 1403-05-19 is 2024-08-09; 11:20:16 at +03:30 is 07:50:16 UTC.
        assert_eq!(iso("1403/05/19 11:20:16"), "2024-08-09T07:50:16+00:00");
    }

    #[test]
    fn jalali_with_persian_digits_and_words() {
        assert_eq!(iso("۱۴۰۳/۰۵/۲۰ - ۰۹:۰۵"), "2024-08-10T05:35:00+00:00");
        assert_eq!(
            iso("شنبه ۲۰ مرداد ۱۴۰۳ ساعت ۰۹:۰۵"),
            "2024-08-10T05:35:00+00:00"
        );
        assert_eq!(iso("1404/01/01"), "2025-03-20T20:30:00+00:00");
    }

    #[test]
    fn impossible_jalali_date_is_none() {
        assert_eq!(iso("1404/12/30"), "none");
        assert_eq!(iso("۱۴۰۳/۱۳/۰۱"), "none");
    }

    #[test]
    fn common_gregorian_forms() {
        assert_eq!(
            iso("Tue, 15 Nov 2022 20:15:04 +0000"),
            "2022-11-15T20:15:04+00:00"
        );
        assert_eq!(
            iso("Tue, 15 Nov 2022 20:15:04 Z"),
            "2022-11-15T20:15:04+00:00"
        );
        assert_eq!(
            iso("06 Jan 2017 20:41:43 +0300"),
            "2017-01-06T17:41:43+00:00"
        );
        assert_eq!(
            iso("Sat, Dec 16 2023 02:02:33 PM"),
            "2023-12-16T14:02:33+00:00"
        );
        assert_eq!(
            iso("Thursday, 13 July 2011 07:38:00 GMT"),
            "2011-07-13T07:38:00+00:00"
        );
        assert_eq!(iso("2022-12-17"), "2022-12-17T00:00:00+00:00");
        assert_eq!(iso("2005-07-31T12:29:29Z"), "2005-07-31T12:29:29+00:00");
        assert_eq!(
            iso("Sun, 10 Dec 17 13:01:36 -0800"),
            "2017-12-10T21:01:36+00:00"
        );
    }

    #[test]
    fn jalali_check_skips_only_what_cannot_be_jalali() {
        // ASCII RFC dates go straight to the RFC parsers; Jalali forms with ASCII
        // digits, Persian digits or month words are still read as Jalali.
        assert_eq!(
            iso("Sun, 01 Nov 2026 10:00:00 +0000"),
            "2026-11-01T10:00:00+00:00"
        );
        assert_eq!(iso("2026-11-01T10:00:00Z"), "2026-11-01T10:00:00+00:00");
        assert_eq!(iso("1403/05/19"), iso("۱۴۰۳/۰۵/۱۹"));
        assert_ne!(iso("1403/05/19"), "none");
        assert_ne!(iso("۲۰ مرداد ۱۴۰۳"), "none");
        assert_eq!(iso("140/05/19"), "none");
    }

    #[test]
    fn nonsense_is_none() {
        assert_eq!(iso(""), "none");
        assert_eq!(iso("yesterday"), "none");
    }
}

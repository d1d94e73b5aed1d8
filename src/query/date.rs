//! Dates in queries: ISO (`2024-08-01`), Jalali (`1403/05/01`, Persian digits
//! too) and spans back from now (`7d`, `2w`).
//!
//! A year below 1700 is Jalali whatever the separator (`1403-05-01` too): no news
//! item is dated in Gregorian 1403, and every Jalali year of the web era is below.

use chrono::NaiveDate;
use icu_calendar::{Date, Iso};

use super::ast::{AgoUnit, DateSpec};
use crate::text::jalali::JalaliDate;

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not in any of the accepted forms.
    #[error("\"{0}\" is not a date (use 2024-08-01, 1403/05/01, 7d or 2w)")]
    Form(String),
    /// The right form, but no such day (`2024-02-30`, `1404/12/30`).
    #[error("there is no day {0}")]
    NoSuchDay(String),
}

/// First Gregorian year read as Gregorian; earlier years are Jalali.
const FIRST_GREGORIAN_YEAR: i32 = 1700;

/// Reads a date as written after `after:` / `before:`.
pub fn parse_date(text: &str) -> Result<DateSpec, DateError> {
    let ascii: String = text.chars().map(ascii_digit).collect();
    if let Some(spec) = relative(&ascii) {
        return Ok(spec);
    }
    let parts: Vec<&str> = ascii.split(['-', '/']).collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(DateError::Form(text.to_string()));
    };
    let all_digits =
        |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(y)
        && y.len() == 4
        && all_digits(m)
        && m.len() <= 2
        && all_digits(d)
        && d.len() <= 2)
    {
        return Err(DateError::Form(text.to_string()));
    }
    let (Ok(year), Ok(month), Ok(day)) = (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>())
    else {
        return Err(DateError::Form(text.to_string()));
    };
    if year < FIRST_GREGORIAN_YEAR {
        let date = JalaliDate { year, month, day };
        jalali_to_gregorian(date).ok_or_else(|| DateError::NoSuchDay(text.to_string()))?;
        Ok(DateSpec::Jalali(date))
    } else {
        NaiveDate::from_ymd_opt(year, u32::from(month), u32::from(day))
            .map(DateSpec::Gregorian)
            .ok_or_else(|| DateError::NoSuchDay(text.to_string()))
    }
}

/// `7d`, `2w`: a number and a unit.
fn relative(text: &str) -> Option<DateSpec> {
    let unit = match text.chars().last()? {
        'd' | 'D' => AgoUnit::Days,
        'w' | 'W' => AgoUnit::Weeks,
        _ => return None,
    };
    let number = &text[..text.len() - 1];
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    number.parse().ok().map(|n| DateSpec::Ago(n, unit))
}

fn ascii_digit(c: char) -> char {
    match c {
        '\u{06F0}'..='\u{06F9}' => char::from_u32(c as u32 - 0x06F0 + u32::from(b'0')).unwrap_or(c),
        '\u{0660}'..='\u{0669}' => char::from_u32(c as u32 - 0x0660 + u32::from(b'0')).unwrap_or(c),
        c => c,
    }
}

/// The Gregorian day of a Jalali date; `None` when the Jalali date does not exist.
pub(crate) fn jalali_to_gregorian(date: JalaliDate) -> Option<NaiveDate> {
    let persian = Date::try_new_persian(date.year, date.month, date.day).ok()?;
    // icu clamps nothing here: an out-of-range day is an error above.
    let iso = persian.to_calendar(Iso);
    NaiveDate::from_ymd_opt(
        iso.year().extended_year(),
        u32::from(iso.month().ordinal),
        u32::from(iso.day_of_month().0),
    )
}

/// How a date prints back: the form it was read from.
pub(crate) fn format_date(spec: &DateSpec) -> String {
    match spec {
        DateSpec::Gregorian(day) => day.format("%Y-%m-%d").to_string(),
        DateSpec::Jalali(day) => day.format(false),
        DateSpec::Ago(n, AgoUnit::Days) => format!("{n}d"),
        DateSpec::Ago(n, AgoUnit::Weeks) => format!("{n}w"),
    }
}

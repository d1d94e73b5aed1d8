//! The Jalali (Solar Hijri, Persian) calendar for dates shown to Persian readers.

use icu_calendar::{Date, cal::Persian};

use super::persian::localize_digits;

/// A date in the Jalali calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JalaliDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl JalaliDate {
    /// Converts a Gregorian (proleptic ISO) date; `None` if the date does not exist.
    pub fn from_gregorian(year: i32, month: u8, day: u8) -> Option<JalaliDate> {
        let iso = Date::try_new_iso(year, month, day).ok()?;
        let persian = iso.to_calendar(Persian);
        Some(JalaliDate {
            year: persian.era_year().year,
            month: persian.month().ordinal,
            day: persian.day_of_month().0,
        })
    }

    /// Converts a chrono date.
    pub fn from_naive(date: chrono::NaiveDate) -> Option<JalaliDate> {
        use chrono::Datelike;
        let month = u8::try_from(date.month()).ok()?;
        let day = u8::try_from(date.day()).ok()?;
        Self::from_gregorian(date.year(), month, day)
    }

    /// Formats as `1403/07/15`, or `۱۴۰۳/۰۷/۱۵` with Persian digits.
    pub fn format(&self, persian_digits: bool) -> String {
        let ascii = format!("{:04}/{:02}/{:02}", self.year, self.month, self.day);
        localize_digits(ascii, persian_digits)
    }

    /// Formats month and day only, as `07/15` (or `۰۷/۱۵`), for narrow columns.
    pub fn format_month_day(&self, persian_digits: bool) -> String {
        localize_digits(format!("{:02}/{:02}", self.month, self.day), persian_digits)
    }
}

/// Converts and formats a Gregorian date in one go; `None` if it does not exist.
pub fn format_gregorian(year: i32, month: u8, day: u8, persian_digits: bool) -> Option<String> {
    JalaliDate::from_gregorian(year, month, day).map(|d| d.format(persian_digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        let d = JalaliDate::from_gregorian(2024, 10, 6).unwrap();
        assert_eq!((d.year, d.month, d.day), (1403, 7, 15));
        let nowruz = JalaliDate::from_gregorian(2025, 3, 21).unwrap();
        assert_eq!((nowruz.year, nowruz.month, nowruz.day), (1404, 1, 1));
        let last = JalaliDate::from_gregorian(2025, 3, 20).unwrap();
        assert_eq!((last.year, last.month, last.day), (1403, 12, 30));
    }

    #[test]
    fn formatting() {
        assert_eq!(format_gregorian(2024, 10, 6, true).unwrap(), "۱۴۰۳/۰۷/۱۵");
        assert_eq!(format_gregorian(2024, 10, 6, false).unwrap(), "1403/07/15");
        let d = JalaliDate::from_gregorian(2024, 10, 6).unwrap();
        assert_eq!(d.format_month_day(true), "۰۷/۱۵");
        assert_eq!(d.format_month_day(false), "07/15");
        let d = chrono::NaiveDate::from_ymd_opt(2024, 10, 6).unwrap();
        assert_eq!(
            JalaliDate::from_naive(d).unwrap().format(false),
            "1403/07/15"
        );
    }

    #[test]
    fn invalid_gregorian_is_none() {
        assert_eq!(JalaliDate::from_gregorian(2024, 2, 30), None);
        assert_eq!(JalaliDate::from_gregorian(2024, 13, 1), None);
    }
}

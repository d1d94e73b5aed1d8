//! The two date shapes nearly every feed writes, read without the general
//! path: `Sun, 01 Nov 2026 00:00:00 +0000` (RSS `pubDate`, RFC 2822) and
//! `2026-11-01T00:00:00Z` / `…+03:30` (Atom, RFC 3339).
//!
//! The general path ([`super::dates::parse_timestamp`]) first copies the text
//! to turn Persian digits into ASCII, tests it for a Jalali date, then tries
//! chrono's parsers: ~3,800 instructions a date, twice per item on a first
//! refresh (issue 7). Here only the exact shapes are read, by position; any
//! other text (two-digit years, zone names, fractions of a second, a year that
//! could be Jalali, out-of-range fields) gives `None` and goes the general way.
//! For what it accepts the result is the general path's (tests compare them).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// A strict RFC 2822 or RFC 3339 timestamp, or `None` (not an error: the
/// caller then uses the general parser). `text` is already trimmed.
pub(super) fn parse_common(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    if b.get(4) == Some(&b'-') {
        rfc3339(b)
    } else {
        rfc2822(b)
    }
}

const WEEKDAYS: [&[u8; 3]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// `Www, DD Mon YYYY HH:MM:SS +HHMM` (or `GMT`), the weekday optional, the
/// day one or two digits. A wrong weekday is ignored, as the general path does
/// (it drops the weekday when chrono rejects it).
fn rfc2822(b: &[u8]) -> Option<DateTime<Utc>> {
    let b = match b {
        [w0, w1, w2, b',', b' ', rest @ ..] if WEEKDAYS.contains(&&[*w0, *w1, *w2]) => rest,
        _ => b,
    };
    let (day, b) = match b {
        [d0, d1, b' ', rest @ ..] if d0.is_ascii_digit() && d1.is_ascii_digit() => {
            (u32::from(d0 - b'0') * 10 + u32::from(d1 - b'0'), rest)
        }
        [d0, b' ', rest @ ..] if d0.is_ascii_digit() => (u32::from(d0 - b'0'), rest),
        _ => return None,
    };
    let [m0, m1, m2, b' ', y0, y1, y2, y3, b' ', rest @ ..] = b else {
        return None;
    };
    let month = MONTHS.iter().position(|m| **m == [*m0, *m1, *m2])? as u32 + 1;
    let year = digits(&[*y0, *y1, *y2, *y3])?;
    let [h0, h1, b':', n0, n1, b':', s0, s1, b' ', zone @ ..] = rest else {
        return None;
    };
    let (hour, minute, second) = (
        digits(&[*h0, *h1])?,
        digits(&[*n0, *n1])?,
        digits(&[*s0, *s1])?,
    );
    let offset = match zone {
        b"GMT" => 0,
        [sign @ (b'+' | b'-'), zh0, zh1, zm0, zm1] => {
            signed_offset(*sign, digits(&[*zh0, *zh1])?, digits(&[*zm0, *zm1])?)?
        }
        _ => return None,
    };
    build(year, month, day, hour, minute, second, offset)
}

/// `YYYY-MM-DDTHH:MM:SS` then `Z` or `+HH:MM` / `-HH:MM`.
fn rfc3339(b: &[u8]) -> Option<DateTime<Utc>> {
    let [
        y0,
        y1,
        y2,
        y3,
        b'-',
        mo0,
        mo1,
        b'-',
        d0,
        d1,
        b'T',
        h0,
        h1,
        b':',
        n0,
        n1,
        b':',
        s0,
        s1,
        zone @ ..,
    ] = b
    else {
        return None;
    };
    let offset = match zone {
        b"Z" => 0,
        [sign @ (b'+' | b'-'), zh0, zh1, b':', zm0, zm1] => {
            signed_offset(*sign, digits(&[*zh0, *zh1])?, digits(&[*zm0, *zm1])?)?
        }
        _ => return None,
    };
    build(
        digits(&[*y0, *y1, *y2, *y3])?,
        digits(&[*mo0, *mo1])?,
        digits(&[*d0, *d1])?,
        digits(&[*h0, *h1])?,
        digits(&[*n0, *n1])?,
        digits(&[*s0, *s1])?,
        offset,
    )
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &d| {
        d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
    })
}

/// Seconds east of UTC; hours and minutes in range only.
fn signed_offset(sign: u8, hours: u32, minutes: u32) -> Option<i32> {
    if hours > 23 || minutes > 59 {
        return None;
    }
    let seconds = i32::try_from(hours * 3600 + minutes * 60).ok()?;
    Some(if sign == b'-' { -seconds } else { seconds })
}

/// The instant, for a Gregorian year the general path would not read as
/// Jalali (1200..1600) and fields in range (no leap second).
fn build(
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    offset: i32,
) -> Option<DateTime<Utc>> {
    if !(1600..=9999).contains(&year) || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    let time = NaiveTime::from_hms_opt(hour, minute, second)?;
    let zone = FixedOffset::east_opt(offset)?;
    let local = zone
        .from_local_datetime(&NaiveDateTime::new(date, time))
        .single()?;
    Some(local.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::feed::dates::parse_general;

    fn agrees(text: &str) {
        if let Some(fast) = parse_common(text) {
            assert_eq!(Some(fast), parse_general(text), "{text:?}");
        }
    }

    #[test]
    fn common_shapes_are_read() {
        for (text, iso) in [
            (
                "Sun, 01 Nov 2026 00:00:00 +0000",
                "2026-11-01T00:00:00+00:00",
            ),
            ("Sun, 1 Nov 2026 13:37:00 GMT", "2026-11-01T13:37:00+00:00"),
            (
                "Mon, 01 Nov 2026 00:00:00 +0330",
                "2026-10-31T20:30:00+00:00",
            ),
            ("01 Nov 2026 00:00:00 -0500", "2026-11-01T05:00:00+00:00"),
            ("2026-11-01T00:00:00Z", "2026-11-01T00:00:00+00:00"),
            ("2026-11-01T10:00:00+03:30", "2026-11-01T06:30:00+00:00"),
            ("2026-11-01T10:00:00-01:00", "2026-11-01T11:00:00+00:00"),
        ] {
            let parsed = parse_common(text).map(|d| d.to_rfc3339());
            assert_eq!(parsed.as_deref(), Some(iso), "{text}");
            agrees(text);
        }
    }

    #[test]
    fn anything_else_goes_the_general_way() {
        for text in [
            "",
            "1403/05/19 11:20",
            "1400-05-19T10:00:00Z",
            "Sun, 01 Nov 26 00:00:00 +0000",
            "Sun, 01 Nov 2026 00:00 +0000",
            "Sun, 01 Nov 2026 00:00:00 EST",
            "Sun, 01 Nov 2026 00:00:00 UT",
            "Sun, 01 Nov 2026 24:00:00 +0000",
            "Sun, 31 Nov 2026 00:00:00 +0000",
            "Sun, 01 Nov 2026 00:00:60 +0000",
            "Sun, 01 November 2026 00:00:00 +0000",
            "Sunday, 01 Nov 2026 00:00:00 +0000",
            "Sun 01 Nov 2026 00:00:00 +0000",
            "2026-11-01T00:00:00.5Z",
            "2026-11-01 00:00:00Z",
            "2026-11-01t00:00:00z",
            "2026-11-01T00:00:00+0330",
            "2026-11-01T00:00:00",
            "2026-11-01",
            "۲۰۲۶-۱۱-۰۱T00:00:00Z",
        ] {
            assert_eq!(parse_common(text), None, "{text}");
        }
    }

    proptest! {
        #[test]
        fn what_is_read_is_what_the_general_path_reads(
            text in "((Mon|Sun|Xyz), )?[0-9]{1,2} (Jan|Feb|Jun|Dec|Foo) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} ([+-][0-9]{4}|GMT|UTC)"
        ) {
            agrees(&text);
        }

        #[test]
        fn what_is_read_is_what_the_general_path_reads_3339(
            text in "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})"
        ) {
            agrees(&text);
        }

        #[test]
        fn plausible_dates_agree(
            year in 1600u32..2100, month in 1u32..=12, day in 1u32..=31, hour in 0u32..24,
            minute in 0u32..60, second in 0u32..60, weekday in 0usize..7,
            east in proptest::bool::ANY, zh in 0u32..15, zm in 0u32..60,
        ) {
            let sign = if east { '+' } else { '-' };
            let wd = std::str::from_utf8(WEEKDAYS[weekday]).unwrap();
            let mon = std::str::from_utf8(MONTHS[month as usize - 1]).unwrap();
            let a = format!("{wd}, {day:02} {mon} {year} {hour:02}:{minute:02}:{second:02} {sign}{zh:02}{zm:02}");
            let b = format!("{year}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{sign}{zh:02}:{zm:02}");
            agrees(&a);
            agrees(&b);
            if NaiveDate::from_ymd_opt(year as i32, month, day).is_some() {
                prop_assert!(parse_common(&a).is_some(), "{}", a);
                prop_assert!(parse_common(&b).is_some(), "{}", b);
            }
        }
    }
}

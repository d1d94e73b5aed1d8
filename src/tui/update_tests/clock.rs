//! The clock message: the local offset it carries reaches every date on screen
//! (a daylight-saving change shows without restarting the reader).

use super::super::dates::list_date;
use super::*;

fn header_date(m: &Model) -> String {
    let article = m.article().unwrap();
    article
        .blocks
        .iter()
        .map(|b| b.runs.iter().map(|r| r.text.as_str()).collect::<String>())
        .find(|t| t.starts_with("Date: "))
        .unwrap()
}

#[test]
fn a_new_utc_offset_from_the_clock_rewrites_list_and_article_dates() {
    let mut m = in_list(vec![item(0, 1, false)]);
    key(&mut m, "enter");
    let detail = ItemDetail {
        row: item(0, 1, true),
        published: Some(1_700_000_000),
        ..Default::default()
    };
    update(
        &mut m,
        Msg::ArticleLoaded {
            id: 100,
            detail: Some(Box::new(detail)),
        },
    );
    // 2023-11-14 22:13:20 UTC.
    update(
        &mut m,
        Msg::Tick {
            now: 1_700_000_100,
            utc_offset: 0,
        },
    );
    assert_eq!(header_date(&m), "Date: 2023-11-14 22:13");
    // The zone moves forward by an hour (summer time): past midnight, the next day.
    update(
        &mut m,
        Msg::Tick {
            now: 1_700_000_101,
            utc_offset: 7200,
        },
    );
    assert_eq!(m.dates.utc_offset, 7200);
    assert_eq!(header_date(&m), "Date: 2023-11-15 00:13");
    let row = m.list().unwrap().rows[0].sort_time;
    assert_eq!(list_date(row, m.dates, false), "2023-11-15");
}

//! Messages in a Persian interface: the same events, worded from the table,
//! with Persian digits; the English wording stays as it was.

use super::super::i18n::Locale;
use super::super::msg::OpenError;
use super::*;
use crate::refresh::RefreshSummary;

fn persian_model() -> Model {
    let mut m = model();
    m.dates = DateStyle {
        jalali: true,
        persian_digits: true,
        locale: Locale::Fa,
        relative: true,
        ..DateStyle::default()
    };
    m
}

#[test]
fn messages_are_worded_in_the_interface_language() {
    let mut fa = persian_model();
    let mut en = model();
    for m in [&mut fa, &mut en] {
        update(m, Msg::MarkedAllRead(3));
    }
    assert_eq!(fa.message.as_deref(), Some("۳ مطلب خوانده شد"));
    assert_eq!(en.message.as_deref(), Some("marked 3 items read"));

    for m in [&mut fa, &mut en] {
        update(
            m,
            Msg::Refresh(RefreshEvent::Finished(RefreshSummary {
                feeds: 1,
                new_items: 12,
                ignored: 0,
                failed: 0,
                ..Default::default()
            })),
        );
    }
    assert_eq!(
        fa.message.as_deref(),
        Some("۱ خوراک تازه شد: ۱۲ مطلب تازه، ۰ ناموفق")
    );
    assert_eq!(
        en.message.as_deref(),
        Some("refreshed 1 feed: 12 new items, 0 failed")
    );

    for m in [&mut fa, &mut en] {
        update(m, Msg::DbFailed("database is locked".into()));
    }
    assert_eq!(
        fa.last_error.as_deref(),
        Some("پایگاه داده: database is locked")
    );
    assert_eq!(
        en.last_error.as_deref(),
        Some("database: database is locked")
    );

    for m in [&mut fa, &mut en] {
        update(
            m,
            Msg::WriteFailed {
                write: DbRequest::SetRead {
                    ids: vec![1],
                    read: true,
                },
                error: super::super::msg::DbError::FileReplaced {
                    path: "/tmp/k.db".into(),
                },
            },
        );
    }
    assert_eq!(
        fa.last_error.as_deref(),
        Some(
            "پروندهٔ پایگاه داده پاک یا جایگزین شد (/tmp/k.db)؛ این تغییر ذخیره نشد — khabar را دوباره باز کنید"
        )
    );

    let missing = OpenError::NotFound {
        program: "firefox".into(),
    };
    for m in [&mut fa, &mut en] {
        update(m, Msg::OpenFailed(missing.clone()));
    }
    assert!(
        fa.last_error
            .as_deref()
            .unwrap()
            .starts_with("اجرای firefox ممکن نیست"),
        "{:?}",
        fa.last_error
    );
    assert_eq!(en.last_error, Some(missing.to_string()));
}

#[test]
fn the_same_keys_give_the_same_commands_in_both_languages() {
    let rows = vec![item(0, 1, false), item(1, 1, true), item(2, 1, false)];
    let mut fa = persian_model();
    let mut en = model();
    for k in [
        "G", "enter", "j", "m", "s", "enter", "o", "q", "A", "u", "q", "R", "Q",
    ] {
        let (a, b) = (key(&mut en, k), key(&mut fa, k));
        assert_eq!(a, b, "after {k}");
        if k == "enter" && en.list().is_some_and(|l| l.total.is_none()) {
            for m in [&mut en, &mut fa] {
                let generation = m.list().unwrap().generation;
                update(
                    m,
                    Msg::Counted {
                        newest: i64::MAX,
                        generation,
                        total: rows.len() as u64,
                    },
                );
                update(
                    m,
                    Msg::ItemsLoaded {
                        newest: i64::MAX,
                        generation,
                        request: WindowRequest::Top,
                        limit: PAGE,
                        rows: rows.clone(),
                    },
                );
            }
        }
        assert_eq!(en.message.is_some(), fa.message.is_some(), "after {k}");
    }
}

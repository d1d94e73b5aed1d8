//! Opening and reading articles: marks, layout, paging, links.

use super::*;

#[test]
fn open_article_marks_read_and_lays_out() {
    let mut m = in_list(vec![item(0, 1, true), item(1, 1, false)]);
    key(&mut m, "j");
    let commands = key(&mut m, "enter");
    assert!(matches!(m.screen, Screen::Article { .. }));
    assert_eq!(
        commands,
        vec![
            Command::Db(DbRequest::LoadArticle(101)),
            Command::Db(DbRequest::SetRead {
                ids: vec![101],
                read: true
            })
        ]
    );
    assert!(m.list().unwrap().rows[1].read);
    assert_eq!(m.feeds[0].unread, 1);
    assert_eq!(m.unread_total, 2);
    let detail = ItemDetail {
        row: item(1, 1, true),
        content_html: Some("<p>body</p>".into()),
        ..Default::default()
    };
    update(
        &mut m,
        Msg::ArticleLoaded {
            id: 101,
            detail: Some(Box::new(detail)),
        },
    );
    let article = m.article().unwrap();
    assert!(!article.lines.is_empty());
    assert_eq!(article.laid_width, 80);
    key(&mut m, "q");
    assert!(matches!(m.screen, Screen::Headlines(_)));
    key(&mut m, "q");
    assert!(matches!(m.screen, Screen::Feeds));
}

#[test]
fn article_loaded_for_another_item_is_ignored() {
    let mut m = in_list(vec![item(0, 1, false)]);
    key(&mut m, "enter");
    update(
        &mut m,
        Msg::ArticleLoaded {
            id: 999,
            detail: Some(Box::default()),
        },
    );
    assert!(m.article().unwrap().detail.is_none());
    update(
        &mut m,
        Msg::ArticleLoaded {
            id: 100,
            detail: None,
        },
    );
    assert!(m.article().unwrap().missing);
}

pub(super) fn open_long_article(m: &mut Model) {
    key(m, "enter");
    // Many links make many lines whatever the HTML converter does with the body.
    let detail = ItemDetail {
        row: item(0, 1, true),
        content_html: Some("<p>body</p>".into()),
        enclosures: (0..100)
            .map(|i| crate::feed::Enclosure {
                url: format!("http://e/{i}"),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    let id = m.article().unwrap().id;
    update(
        m,
        Msg::ArticleLoaded {
            id,
            detail: Some(Box::new(detail)),
        },
    );
}

#[test]
fn space_pages_the_article_and_resize_lays_out_again() {
    let mut m = in_list(vec![item(0, 1, false)]);
    open_long_article(&mut m);
    key(&mut m, "space");
    assert_eq!(m.article().unwrap().scroll, m.body_height());
    key(&mut m, "k");
    assert_eq!(m.article().unwrap().scroll, m.body_height() - 1);
    key(&mut m, "G");
    let a = m.article().unwrap();
    assert_eq!(a.scroll, a.lines.len() - m.body_height());
    update(
        &mut m,
        Msg::Resize {
            width: 40,
            height: 12,
        },
    );
    assert_eq!(m.article().unwrap().laid_width, 40);
}

#[test]
fn digits_then_o_open_link_n_and_other_keys_cancel_the_count() {
    let mut m = in_list(vec![item(0, 1, false)]);
    key(&mut m, "enter");
    let detail = ItemDetail {
        row: item(0, 1, true),
        enclosures: vec![
            crate::feed::Enclosure {
                url: "http://e/1".into(),
                ..Default::default()
            },
            crate::feed::Enclosure {
                url: "http://e/2".into(),
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    update(
        &mut m,
        Msg::ArticleLoaded {
            id: 100,
            detail: Some(Box::new(detail)),
        },
    );
    let links = m.article().unwrap().links.clone();
    assert!(links.len() >= 2, "{links:?}");
    key(&mut m, "2");
    assert_eq!(m.count, Some(2));
    let commands = key(&mut m, "o");
    assert_eq!(commands, vec![Command::OpenUrl(links[1].clone())]);
    assert_eq!(m.count, None);
    key(&mut m, "9");
    key(&mut m, "9");
    assert_eq!(m.count, Some(99));
    assert!(key(&mut m, "o").is_empty());
    assert!(m.message.as_deref().unwrap().contains("no link [99]"));
    key(&mut m, "1");
    key(&mut m, "x");
    assert_eq!(m.count, None);
    assert_eq!(
        key(&mut m, "o"),
        vec![Command::OpenUrl("http://127.0.0.1/item/0".into())]
    );
    assert_eq!(
        key(&mut m, "y"),
        vec![Command::Copy("http://127.0.0.1/item/0".into())]
    );
}

#[test]
fn o_and_y_in_the_list_use_the_item_link() {
    let mut m = in_list(vec![item(0, 1, false)]);
    assert_eq!(
        key(&mut m, "o"),
        vec![Command::OpenUrl("http://127.0.0.1/item/0".into())]
    );
    assert_eq!(
        key(&mut m, "y"),
        vec![Command::Copy("http://127.0.0.1/item/0".into())]
    );
}

/// A feed's links are anyone's: only web and mail links go to the browser; a
/// `javascript:` or `file:` link is refused with a message (and can be copied).
#[test]
fn o_opens_only_web_and_mail_links() {
    for (link, opens) in [
        ("javascript:alert(1)", false),
        ("file:///etc/passwd", false),
        ("data:text/html,<script>x</script>", false),
        ("not a link", false),
        ("mailto:editor@example.org", true),
        ("https://example.org/a", true),
    ] {
        let mut row = item(0, 1, false);
        row.link = Some(link.to_string());
        let mut m = in_list(vec![row]);
        let commands = key(&mut m, "o");
        if opens {
            assert_eq!(commands, vec![Command::OpenUrl(link.to_string())]);
        } else {
            assert!(commands.is_empty(), "{link}: {commands:?}");
            let message = m.message.as_deref().unwrap();
            assert!(message.starts_with("not opened"), "{message}");
            assert_eq!(key(&mut m, "y"), vec![Command::Copy(link.to_string())]);
        }
    }
}

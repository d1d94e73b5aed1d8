//! A wrong `[sync] url` against a real Miniflux and a web server that is not
//! one: the error is one line that names the key to fix, never a JSON parser's
//! complaint or a web page's markup, and never blames the password.

use super::*;

/// `khabar sync` with `url` and the right password: its one-line error.
fn sync_error(s: &Setup, provider: &str, url: &str) -> String {
    s.write_config(provider, url, &s.mf.password.clone());
    let out = s.run(&["sync", "--now"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains("check [sync] url"), "names the key: {err}");
    assert!(!err.contains("password"), "the password is right: {err}");
    assert!(!err.contains('<'), "no markup: {err}");
    err
}

#[test]
fn a_wrong_url_is_one_line_naming_the_key() {
    let Some(s) = Setup::new("2.3") else { return };
    s.feed("alpha", 1..3);
    s.sync();
    // A path Miniflux does not serve: it redirects to its login page.
    let err = sync_error(&s, "miniflux", &format!("{}/nothere", s.mf.url()));
    assert!(err.contains("does not answer as the Miniflux API"), "{err}");
    // Another web server: an HTML 404 page.
    s.feeds.route(
        "/v1/version",
        Reply::Fixed {
            status: 404,
            headers: vec![("Content-Type".into(), "text/html".into())],
            body: b"<!DOCTYPE HTML>\n<html>\n<p>Error code: 404</p>\n</html>\n".to_vec(),
        },
    );
    let err = sync_error(&s, "miniflux", &s.feeds.url(""));
    assert!(err.contains("HTTP 404 for /v1/version"), "{err}");
    // The Google Reader API at a path the server does not have.
    s.mf.enable_greader();
    let err = sync_error(&s, "greader", &format!("{}/api/greader.php", s.mf.url()));
    assert!(
        err.contains("does not answer as a Google Reader API"),
        "{err}"
    );
    let err = sync_error(&s, "greader", &s.feeds.url(""));
    assert!(err.contains("HTTP 404 for /accounts/ClientLogin"), "{err}");
    assert_eq!(s.items().len(), 2, "local data untouched");
}

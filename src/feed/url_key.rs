//! When two feed URLs name the same feed (issue 8, defect 6): `http://h/good`,
//! `HTTP://h/good`, `http://h/good#frag`, `http://h/./good` and
//! `http://h:80/good` are one subscription. Pure: no IO.

use url::Url;

/// The form of a feed URL that subscriptions are compared by: for http(s), the
/// WHATWG-normalised URL (scheme and host lower-cased, default port and dot
/// segments removed, percent-encoding normalised) without its fragment, which
/// never reaches the server; anything else (a path) trimmed, as it is.
pub fn feed_url_key(url: &str) -> String {
    let trimmed = url.trim();
    match Url::parse(trimmed) {
        Ok(mut parsed) if matches!(parsed.scheme(), "http" | "https") => {
            parsed.set_fragment(None);
            parsed.into()
        }
        _ => trimmed.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defect_6_spellings_of_one_feed_have_one_key() {
        let key = feed_url_key("http://h/good");
        for same in [
            "HTTP://h/good",
            "http://H/good#frag",
            "http://h/./good",
            "http://h:80/good",
            "http://h/x/../good",
            " http://h/good ",
        ] {
            assert_eq!(feed_url_key(same), key, "{same}");
        }
        assert_ne!(feed_url_key("https://h/good"), key);
        assert_ne!(feed_url_key("http://h/Good"), key);
        assert_ne!(feed_url_key("http://h/good?a=1"), key);
        assert_eq!(feed_url_key("/tmp/feed.xml"), "/tmp/feed.xml");
    }
}

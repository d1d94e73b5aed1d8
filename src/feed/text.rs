//! Small text helpers for feed fields: HTML to plain text for titles, a short
//! excerpt for untitled items, and making relative `href`/`src` links absolute.

use std::borrow::Cow;

use url::Url;

/// Strips tags (and the text of `<script>`/`<style>`) and decodes entities.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..lt]));
        let tag = &rest[lt..];
        let Some(gt) = tag.find('>') else {
            // A lone '<' is text.
            out.push_str(&decode_entities(tag));
            rest = "";
            break;
        };
        let name: String = tag[1..gt]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &tag[gt + 1..];
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = match lower.find(&close) {
                Some(at) => rest[at..].find('>').map_or("", |gt| &rest[at + gt + 1..]),
                None => "",
            };
        } else if matches!(name.as_str(), "br" | "p" | "div" | "li") {
            out.push(' ');
        }
    }
    out.push_str(&decode_entities(rest));
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes `&amp;`-style named entities (the common ones) and numeric references.
pub fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let candidate = &rest[amp..];
        let decoded = candidate
            .find(';')
            .filter(|&semi| semi <= 10)
            .and_then(|semi| decode_entity(&candidate[1..semi]).map(|c| (c, semi)));
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &candidate[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &candidate[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn decode_entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| !c.is_control() || c.is_whitespace());
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "zwnj" => '\u{200c}',
        "zwj" => '\u{200d}',
        "rlm" => '\u{200f}',
        "lrm" => '\u{200e}',
        "laquo" => '«',
        "raquo" => '»',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "copy" => '©',
        _ => return None,
    })
}

/// At most `max_chars` characters, cut at a word boundary, with an ellipsis when cut.
pub fn first_words(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split_whitespace() {
        if out.chars().count() + word.chars().count() + 1 > max_chars {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        out = text.chars().take(max_chars).collect();
    }
    out.push('…');
    out
}

/// Makes relative `href="…"` and `src="…"` values in `html` absolute against `base`.
/// Borrowed work is avoided: most content has only absolute links.
pub fn resolve_relative_links(html: &str, base: Option<&Url>) -> String {
    let Some(base) = base else {
        return html.to_string();
    };
    if !html.contains("href=") && !html.contains("src=") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(eq) = rest.find('=') {
        let before = &rest[..eq];
        let is_link_attr = [" href", " src", "\nhref", "\nsrc", "\thref", "\tsrc"]
            .iter()
            .any(|attr| before.ends_with(attr));
        out.push_str(&rest[..=eq]);
        rest = &rest[eq + 1..];
        if !is_link_attr {
            continue;
        }
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let Some(close) = rest[1..].find(quote) else {
            continue;
        };
        let value = &rest[1..1 + close];
        out.push(quote);
        out.push_str(&absolute(value, base));
        out.push(quote);
        rest = &rest[close + 2..];
    }
    out.push_str(rest);
    out
}

fn absolute<'a>(value: &'a str, base: &Url) -> Cow<'a, str> {
    let trimmed = value.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Cow::Borrowed(value);
    }
    match Url::parse(trimmed) {
        Err(url::ParseError::RelativeUrlWithoutBase) => base
            .join(&decode_entities(trimmed))
            .map(|u| Cow::Owned(u.to_string()))
            .unwrap_or(Cow::Borrowed(value)),
        _ => Cow::Borrowed(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_title_to_text() {
        assert_eq!(
            html_to_text("Rust &amp;#8211; <b>fast</b>"),
            "Rust &#8211; fast"
        );
        assert_eq!(html_to_text("A &#8211; B"), "A – B");
        assert_eq!(html_to_text("x<script>alert(1)</script>y"), "xy");
        assert_eq!(html_to_text("a < b"), "a < b");
    }

    #[test]
    fn relative_links_become_absolute() {
        let base = Url::parse("https://example.com/blog/post/").unwrap();
        let html = r##"<a href="/about">a</a> <img src="img.png"> <a href="https://x.org/">x</a> <a href="#top">t</a>"##;
        assert_eq!(
            resolve_relative_links(html, Some(&base)),
            r##"<a href="https://example.com/about">a</a> <img src="https://example.com/blog/post/img.png"> <a href="https://x.org/">x</a> <a href="#top">t</a>"##
        );
    }

    #[test]
    fn excerpt_cuts_at_words() {
        assert_eq!(first_words("one two three", 9), "one two…");
        assert_eq!(first_words("short", 9), "short");
    }
}

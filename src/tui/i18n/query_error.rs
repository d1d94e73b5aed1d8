//! A query's parse error in the interface's words: its kind picks a row of the
//! table and fills in the words it is about; the column is the caller's, in the
//! interface's digits.

use crate::query::{DateError, ErrorKind, Needed};

use super::Text;

/// The table row saying what `kind` is, with the values it names.
pub fn query_error_text(kind: &ErrorKind) -> (Text, Vec<(&'static str, String)>) {
    let one = |name: &'static str, value: &str| vec![(name, value.to_string())];
    match kind {
        ErrorKind::Empty => (Text::QeEmpty, Vec::new()),
        ErrorKind::MinusNeedsTerm => (Text::QeMinusNeedsTerm, Vec::new()),
        ErrorKind::UnknownFilter(word) => (Text::QeUnknownFilter, one("word", word)),
        ErrorKind::QuoteNotClosed => (Text::QeQuoteNotClosed, Vec::new()),
        ErrorKind::ParenNotClosed => (Text::QeParenNotClosed, Vec::new()),
        ErrorKind::ParenClosesNothing => (Text::QeParenClosesNothing, Vec::new()),
        ErrorKind::EmptyParens => (Text::QeEmptyParens, Vec::new()),
        ErrorKind::OrNeedsTerms => (Text::QeOrNeedsTerms, Vec::new()),
        ErrorKind::AndNeedsTerms => (Text::QeAndNeedsTerms, Vec::new()),
        ErrorKind::TermMissing => (Text::QeTermMissing, Vec::new()),
        ErrorKind::TooDeep => (
            Text::QeTooDeep,
            one("n", &crate::query::MAX_NESTING.to_string()),
        ),
        ErrorKind::WordNotSearchable(word) => (Text::QeWordNotSearchable, one("word", word)),
        ErrorKind::PhraseNotSearchable => (Text::QePhraseNotSearchable, Vec::new()),
        ErrorKind::Needs(Needed::TagName) => (Text::QeNeedsTag, Vec::new()),
        ErrorKind::Needs(Needed::FeedValue) => (Text::QeNeedsFeed, Vec::new()),
        ErrorKind::Needs(Needed::State) => (Text::QeNeedsState, Vec::new()),
        ErrorKind::Needs(Needed::Date(key)) => (Text::QeNeedsDate, one("key", key)),
        ErrorKind::Needs(Needed::Sort) => (Text::QeNeedsSort, Vec::new()),
        ErrorKind::BadState(value) => (Text::QeBadState, one("value", value)),
        ErrorKind::BadSort(value) => (Text::QeBadSort, one("value", value)),
        ErrorKind::SortTwice => (Text::QeSortTwice, Vec::new()),
        ErrorKind::SortInOr => (Text::QeSortInOr, Vec::new()),
        ErrorKind::SortNested => (Text::QeSortNested, Vec::new()),
        ErrorKind::BadDate(key, DateError::Form(value)) => (
            Text::QeNotADate,
            vec![("key", key.to_string()), ("value", value.clone())],
        ),
        ErrorKind::BadDate(key, DateError::NoSuchDay(value)) => (
            Text::QeNoSuchDay,
            vec![("key", key.to_string()), ("value", value.clone())],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Locale;
    use crate::query::parse;
    use crate::tui::i18n::trf;

    /// Every error the parser gives reads in English exactly as its message.
    #[test]
    fn english_wording_is_the_parsers_message() {
        for text in [
            "",
            "a -",
            "tga:x",
            "\"a",
            "(a",
            "a)",
            "()",
            "or a",
            "and a",
            "(",
            "!!!",
            "\"!!\"",
            "tag:",
            "feed:",
            "is:",
            "after:",
            "sort:",
            "is:new",
            "sort:size",
            "a sort:date sort:date",
            "sort:date or a",
            "(sort:date)",
            "after:x",
            "before:2024-02-30",
        ] {
            let err = parse(text).unwrap_err();
            let (row, args) = query_error_text(&err.kind);
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            assert_eq!(trf(Locale::En, row, &args), err.message, "{text:?}");
            let fa = trf(Locale::Fa, row, &args);
            assert!(!fa.contains('{'), "{text:?}: {fa}");
        }
        let deep = "(".repeat(100);
        let err = parse(&deep).unwrap_err();
        let (row, args) = query_error_text(&err.kind);
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(trf(Locale::En, row, &args), err.message);
    }
}

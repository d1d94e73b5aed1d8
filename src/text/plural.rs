//! Counts in words: the one place that picks `item` or `items` for a number, for
//! the CLI's messages and the reader's status line alike.

/// The word for `n` things: `one` for exactly one, else `many`.
pub fn plural<'a>(n: u64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// `1 item`, `2 items`: a count with its noun in the right number.
pub fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", plural(n, one, many))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_everything_else_plural() {
        assert_eq!(counted(0, "item", "items"), "0 items");
        assert_eq!(counted(1, "item", "items"), "1 item");
        assert_eq!(counted(2, "new item", "new items"), "2 new items");
        assert_eq!(
            plural(1, "entry that is", "entries that are"),
            "entry that is"
        );
        assert_eq!(plural(7, "y is", "ies are"), "ies are");
    }
}

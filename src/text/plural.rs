//! Counts in words: the one place that picks `item` or `items` for a number, for
//! the CLI's messages and the reader's interface words (`tui::i18n`) alike.

/// The word for `n` things: `one` for exactly one, else `many`. Generic so the
/// reader can choose between its translatable texts the same way.
pub fn plural<T>(n: u64, one: T, many: T) -> T {
    if n == 1 { one } else { many }
}

/// `1 item`, `2 items`: a count with its noun in the right number.
pub fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", plural(n, one, many))
}

/// `1204` → `1,204`: counts in the CLI's summary lines.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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

//! Eight bytes at a time: which bytes can be copied into the index text as they
//! are (ASCII letters and digits, and single spaces between them), by range tests
//! on a `u64` ("SIMD within a register"), so the fast path's copying loop takes
//! English text eight bytes at a time instead of one.

/// The high bit of every byte.
const HIGH: u64 = 0x8080_8080_8080_8080;
/// One in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;
/// An ASCII space (0x20) in every byte.
const SPACES: u64 = ONES * 0x20;

/// The high bit of every byte of `x` (each below 0x80) that is at least `lo`.
/// Adding `0x80 - lo` to a byte below 0x80 cannot carry into the next byte.
#[inline]
fn at_least(x: u64, lo: u8) -> u64 {
    x.wrapping_add(ONES * u64::from(0x80 - lo))
}

/// The high bit of every byte of `x` (each below 0x80) that is in `lo..=hi`.
#[inline]
fn in_range(x: u64, lo: u8, hi: u8) -> u64 {
    at_least(x, lo) & !at_least(x, hi + 1) & HIGH
}

/// What [`scan`] found in eight bytes.
pub(super) struct Eight {
    /// How many bytes, from the first, can be copied: ASCII letters, digits and
    /// spaces, but not the second of two spaces. 8 when all of them.
    pub copied: usize,
    /// Some byte of the eight (copied or not) is an ASCII uppercase letter.
    pub upper: bool,
}

/// The eight bytes of `chunk` (in text order).
#[inline]
pub(super) fn scan(chunk: [u8; 8]) -> Eight {
    let x = u64::from_le_bytes(chunk);
    let low = x & !HIGH;
    // Setting 0x20 maps 'A'..='Z' onto 'a'..='z' and nothing else there.
    let letter = in_range(low | SPACES, b'a', b'z');
    let digit = in_range(low, b'0', b'9');
    // A byte of `low ^ spaces` is zero exactly for a space (or 0xA0, not ASCII).
    let space = !((low ^ SPACES).wrapping_add(ONES * 0x7F)) & HIGH;
    let ascii = !x & HIGH;
    let copied = (letter | digit | space) & ascii & !(space & (space << 8));
    Eight {
        copied: ((!copied & HIGH).trailing_zeros() / 8) as usize,
        // An uppercase letter is a letter without 0x20 (moved to the high bit).
        upper: letter & ascii & !(low << 2) != 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_in_every_position_is_classified_as_alone() {
        for b in 0..=255u8 {
            for position in 0..8 {
                for filler in [b'a', b' ', 0xD8, b'Z', b'.'] {
                    let mut bytes = [filler; 8];
                    bytes[position] = b;
                    let eight = scan(bytes);
                    let copied = bytes
                        .iter()
                        .enumerate()
                        .take_while(|&(i, &c)| {
                            c.is_ascii_alphanumeric()
                                || c == b' ' && (i == 0 || bytes[i - 1] != b' ')
                        })
                        .count();
                    assert_eq!(eight.copied, copied, "{bytes:?}");
                    assert_eq!(
                        eight.upper,
                        bytes.iter().any(u8::is_ascii_uppercase),
                        "{bytes:?}"
                    );
                }
            }
        }
    }
}

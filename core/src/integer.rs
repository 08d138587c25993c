//! Integers wider than Rust's, as a sign and little-endian `u64` words (how
//! JavaScript's `BigInt` reaches a native addon), written out in decimal:
//! an integer `id` or a widget's assistant id (see `crate::host`).

/// How many bits the magnitude `words` (little-endian `u64` words) has:
/// 0 for zero, as Python's `int.bit_length()` counts it.
///
/// ```
/// use teamweb_identity::host::integer_words_bit_length;
/// assert_eq!(integer_words_bit_length(&[]), 0);
/// assert_eq!(integer_words_bit_length(&[255, 0]), 8);
/// assert_eq!(integer_words_bit_length(&[0, 1]), 65);
/// ```
pub fn integer_words_bit_length(words: &[u64]) -> u64 {
    match words.iter().rposition(|&word| word != 0) {
        None => 0,
        Some(top) => top as u64 * 64 + u64::from(64 - words[top].leading_zeros()),
    }
}

/// The decimal text of the integer `-magnitude` (if `negative`) or
/// `magnitude`, the magnitude given as little-endian `u64` words; `None` if
/// the magnitude has more than `max_bits` bits. Zero is `"0"` whatever its
/// sign.
///
/// The work grows with the square of the number of words, hence the bound:
/// a caller takes integers from outside only up to a width it chose.
///
/// ```
/// use teamweb_identity::host::integer_words_to_decimal;
/// // 2^64 + 5
/// assert_eq!(integer_words_to_decimal(true, &[5, 1], 128).as_deref(), Some("-18446744073709551621"));
/// assert_eq!(integer_words_to_decimal(true, &[0], 128).as_deref(), Some("0"));
/// assert_eq!(integer_words_to_decimal(false, &[0, 1], 64), None);
/// ```
pub fn integer_words_to_decimal(negative: bool, words: &[u64], max_bits: u64) -> Option<String> {
    if integer_words_bit_length(words) > max_bits {
        return None;
    }
    // 10^19, the largest power of ten in a u64.
    const CHUNK: u128 = 10_000_000_000_000_000_000;
    let mut magnitude = words.to_vec();
    // Base-10^19 digits, least significant first, by repeated long division.
    let mut chunks = Vec::new();
    loop {
        while magnitude.last() == Some(&0) {
            magnitude.pop();
        }
        if magnitude.is_empty() {
            break;
        }
        let mut rest: u128 = 0;
        for word in magnitude.iter_mut().rev() {
            let current = (rest << 64) | u128::from(*word);
            // current < CHUNK * 2^64, so the quotient fits in a u64.
            *word = (current / CHUNK) as u64;
            rest = current % CHUNK;
        }
        chunks.push(rest as u64);
    }
    let Some((top, lower)) = chunks.split_last() else {
        return Some("0".to_owned());
    };
    let mut text = String::with_capacity(1 + 19 * chunks.len());
    if negative {
        text.push('-');
    }
    text.push_str(&top.to_string());
    for chunk in lower.iter().rev() {
        text.push_str(&format!("{chunk:019}"));
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::{check_id_bits as check_integer_id_bits, id_from_integer_words, MAX_INTEGER_BITS as MAX_INTEGER_ID_BITS};
    use crate::UserId;

    /// The words of a u128.
    fn words(n: u128) -> [u64; 2] {
        [n as u64, (n >> 64) as u64]
    }

    /// 2^exp in decimal, by doubling decimal digits (a reference that shares
    /// nothing with the long division under test).
    fn power_of_two(exp: u32) -> String {
        let mut digits = vec![1_u8]; // least significant first
        for _ in 0..exp {
            let mut carry = 0;
            for digit in &mut digits {
                let doubled = *digit * 2 + carry;
                *digit = doubled % 10;
                carry = doubled / 10;
            }
            if carry > 0 {
                digits.push(carry);
            }
        }
        digits.iter().rev().map(|d| char::from(b'0' + d)).collect()
    }

    /// The words of 2^exp.
    fn power_words(exp: u32) -> Vec<u64> {
        let mut words = vec![0; exp as usize / 64 + 1];
        words[exp as usize / 64] = 1 << (exp % 64);
        words
    }

    #[test]
    fn bit_length() {
        assert_eq!(integer_words_bit_length(&[]), 0);
        assert_eq!(integer_words_bit_length(&[0, 0, 0]), 0);
        assert_eq!(integer_words_bit_length(&[1]), 1);
        assert_eq!(integer_words_bit_length(&[u64::MAX]), 64);
        assert_eq!(integer_words_bit_length(&[u64::MAX, 1, 0, 0]), 65);
        assert_eq!(integer_words_bit_length(&power_words(851)), 852);
    }

    #[test]
    fn decimal_matches_rust_formatting_of_u128_and_i128() {
        let values = [
            0,
            1,
            9,
            10,
            u128::from(u64::MAX),
            u128::from(u64::MAX) + 1,
            10_000_000_000_000_000_000,
            9_999_999_999_999_999_999,
            100_000_000_000_000_000_000_000_000_000_000_000_000, // 10^38: three chunks
            0x0123_4567_89ab_cdef_fedc_ba98_7654_3210,
            i128::MAX as u128,
            u128::MAX,
        ];
        for n in values {
            assert_eq!(integer_words_to_decimal(false, &words(n), 128).unwrap(), n.to_string());
            if n <= i128::MAX as u128 {
                let negative = -(n as i128);
                assert_eq!(integer_words_to_decimal(n != 0, &words(n), 128).unwrap(), negative.to_string());
            }
        }
        assert_eq!(integer_words_to_decimal(true, &words(1 << 127), 128).unwrap(), i128::MIN.to_string());
        // Zero, however it is spelt, and with a sign bit (-0n cannot exist in
        // JavaScript, but the words could say so).
        for zero in [&[][..], &[0], &[0, 0, 0]] {
            assert_eq!(integer_words_to_decimal(true, zero, 0).unwrap(), "0");
            assert_eq!(integer_words_to_decimal(false, zero, 0).unwrap(), "0");
        }
    }

    #[test]
    fn decimal_of_known_big_numbers() {
        assert_eq!(integer_words_to_decimal(false, &power_words(128), 256).unwrap(), "340282366920938463463374607431768211456");
        assert_eq!(
            integer_words_to_decimal(false, &power_words(256), 257).unwrap(),
            "115792089237316195423570985008687907853269984665640564039457584007913129639936"
        );
        // 2^256 - 1, all ones over four words.
        assert_eq!(
            integer_words_to_decimal(true, &[u64::MAX; 4], 256).unwrap(),
            "-115792089237316195423570985008687907853269984665640564039457584007913129639935"
        );
        for exp in [64, 100, 191, 500, 850, 851, 4095] {
            assert_eq!(integer_words_to_decimal(false, &power_words(exp), 4096).unwrap(), power_of_two(exp), "2^{exp}");
        }
    }

    #[test]
    fn decimal_refuses_what_is_wider_than_the_bound() {
        assert_eq!(integer_words_to_decimal(false, &power_words(64), 64), None);
        assert!(integer_words_to_decimal(false, &power_words(63), 64).is_some());
        // Leading zero words do not count.
        assert!(integer_words_to_decimal(false, &[1, 0, 0, 0, 0], 1).is_some());
    }

    #[test]
    fn integer_ids_up_to_851_bits_are_written_out() {
        // 2^851 - 1: 851 bits, 257 digits: written out (the length rule
        // refuses it at encryption, as it does the same text given as text).
        let mut max = vec![u64::MAX; 13];
        max.push((1 << (851 - 13 * 64)) - 1);
        assert_eq!(integer_words_bit_length(&max), u64::from(MAX_INTEGER_ID_BITS));
        let id = id_from_integer_words(false, &max).unwrap();
        let two_851 = power_of_two(851);
        let expected = format!("{}{}", &two_851[..two_851.len() - 1], (two_851.as_bytes()[two_851.len() - 1] - b'0' - 1));
        assert_eq!(id.as_str(), expected);
        assert_eq!(id.as_str().len(), 257);
        // -(2^850): 851 bits, 256 digits and a sign.
        let id = id_from_integer_words(true, &power_words(850)).unwrap();
        assert_eq!(id.as_str(), format!("-{}", power_of_two(850)));
        assert_eq!(id_from_integer_words(false, &[]).unwrap().as_str(), "0");
        assert_eq!(id_from_integer_words(true, &[7, 0]).unwrap().as_str(), "-7");
        assert_eq!(id_from_integer_words(false, &words(u128::MAX)).unwrap(), UserId::from(u128::MAX));
    }

    #[test]
    fn integer_ids_of_852_bits_or_more_are_refused_before_they_are_written_out() {
        for (negative, exp) in [(false, 851), (true, 851), (false, 4096), (true, 100_000)] {
            let err = id_from_integer_words(negative, &power_words(exp)).unwrap_err();
            assert_eq!(err.code(), "invalid_identity");
            assert_eq!(err, check_integer_id_bits(u64::from(exp) + 1).unwrap_err());
        }
    }
}

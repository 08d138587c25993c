//! Base64 of the 32-byte secret in constant time.
//!
//! The token codec in [`crate::b64`] looks characters up in tables, and the
//! time a lookup takes depends on which cache line it hits: harmless for
//! tokens, which are public, but the secret should not leave such a trace
//! (as in libsodium's `sodium_base642bin` and BoringSSL's constant-time
//! base64). Here every character is mapped with arithmetic on masks, with no
//! table and no branch on the secret; only the length of the text and the
//! final verdict (a key, or not) are public.
//!
//! The text accepted is exactly what [`crate::b64`] accepts for 32 bytes:
//! 43 characters of one alphabet (standard or URL-safe), optionally one `=`,
//! and the last character's two unused bits zero. Anything else gets `None`,
//! and the caller asks [`crate::b64`] what is wrong with it, to explain the
//! refusal; timing then only concerns a text that is not a key.

use zeroize::Zeroizing;

/// Characters of 32 bytes without padding (256 bits in 6-bit characters).
const CHARS: usize = 43;

/// All ones if `lo <= c <= hi`, else zero (`c`, `lo`, `hi` below 256).
fn in_range(c: i16, lo: u8, hi: u8) -> i16 {
    ((i16::from(lo) - 1 - c) & (c - i16::from(hi) - 1)) >> 15
}

/// A character's 6-bit value (in the low bits) and masks: valid in either
/// alphabet, standard-only (`+/`), URL-safe-only (`-_`). No branch, no
/// table.
fn value(c: u8) -> (i16, i16, i16, i16) {
    let c = i16::from(c);
    let upper = in_range(c, b'A', b'Z');
    let lower = in_range(c, b'a', b'z');
    let digit = in_range(c, b'0', b'9');
    let (plus, slash) = (in_range(c, b'+', b'+'), in_range(c, b'/', b'/'));
    let (minus, underscore) = (in_range(c, b'-', b'-'), in_range(c, b'_', b'_'));
    let v = (upper & (c - 65)) | (lower & (c - 71)) | (digit & (c + 4)) | ((plus | minus) & 62) | ((slash | underscore) & 63);
    (v, upper | lower | digit | plus | slash | minus | underscore, plus | slash, minus | underscore)
}

/// A 6-bit value's character in the standard alphabet. No branch, no table.
fn character(v: u8) -> u8 {
    let v = i16::from(v);
    let c = (in_range(v, 0, 25) & (v + 65))
        | (in_range(v, 26, 51) & (v + 71))
        | (in_range(v, 52, 61) & (v - 4))
        | (in_range(v, 62, 62) & i16::from(b'+'))
        | (in_range(v, 63, 63) & i16::from(b'/'));
    // `c` is an ASCII character.
    c as u8
}

/// The 32 bytes of a secret in the SPEC's base64 (already trimmed), or
/// `None` if `text` is not one, in constant time for a given length.
pub(crate) fn decode(text: &str) -> Option<Zeroizing<[u8; 32]>> {
    let bytes = text.as_bytes();
    let chars = match bytes {
        [chars @ .., b'='] if bytes.len() == CHARS + 1 => chars,
        _ if bytes.len() == CHARS => bytes,
        _ => return None,
    };
    let mut out = Zeroizing::new([0u8; 32]);
    let (mut valid, mut standard, mut url_safe) = (-1i16, 0i16, 0i16);
    // 258 bits in, 256 out: the accumulator never holds more than 14 bits
    // (the 8 of the byte being taken plus a character's 6).
    let (mut acc, mut bits, mut at) = (0u32, 0u32, 0usize);
    for &c in chars {
        let (v, ok, std_only, url_only) = value(c);
        valid &= ok;
        standard |= std_only;
        url_safe |= url_only;
        acc = acc << 6 | u32::from(v as u16 & 0x3f);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out[at] = (acc >> bits) as u8;
            at += 1;
            acc &= (1 << bits) - 1;
        }
    }
    // The two bits left over must be zero; one alphabet only.
    let canonical = i16::from(acc == 0);
    let verdict = valid & !(standard & url_safe) & -canonical;
    (verdict != 0).then_some(out)
}

/// The secret as padded standard base64 (44 characters), in constant time.
pub(crate) fn encode(secret: &[u8; 32]) -> String {
    let mut out = String::with_capacity(CHARS + 1);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &byte in secret {
        acc = acc << 8 | u32::from(byte);
        bits += 8;
        while bits >= 6 {
            bits -= 6;
            out.push(char::from(character(((acc >> bits) & 0x3f) as u8)));
        }
        acc &= (1 << bits) - 1;
    }
    // 256 = 42 * 6 + 4: one last character from 4 bits, then the padding.
    out.push(char::from(character(((acc << (6 - bits)) & 0x3f) as u8)));
    out.push('=');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::b64;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    use base64::Engine as _;
    use proptest::prelude::*;

    #[test]
    fn every_character_maps_as_the_tables_do() {
        let standard = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for c in 0..=255u8 {
            let (v, ok, std_only, url_only) = value(c);
            match standard.iter().position(|&s| s == c) {
                Some(i) => assert_eq!((v, ok, std_only, url_only), (i as i16, -1, -i16::from(i >= 62), 0), "{c}"),
                None => match c {
                    b'-' => assert_eq!((v, ok, std_only, url_only), (62, -1, 0, -1)),
                    b'_' => assert_eq!((v, ok, std_only, url_only), (63, -1, 0, -1)),
                    _ => assert_eq!(ok, 0, "{c}"),
                },
            }
        }
        for v in 0..64u8 {
            assert_eq!(character(v), standard[usize::from(v)]);
        }
    }

    #[test]
    fn refuses_what_the_token_codec_refuses() {
        let key = [0xa5u8; 32];
        let good = STANDARD.encode(key);
        assert!(decode(&good).is_some());
        let mut cases = vec![
            String::new(),
            good[..43].to_owned() + "==",
            good[..42].to_owned(),
            good.clone() + "A",
            // Mixed alphabets.
            URL_SAFE.encode([0xfbu8; 32]).replacen('-', "+", 1),
            // Non-zero unused bits in the last character.
            good[..42].to_owned() + "R=",
            good[..42].to_owned() + "R",
        ];
        for bad in [" ", "*", "=", "\u{e9}", "\0"] {
            cases.push(good[..10].to_owned() + bad + &good[10 + bad.len()..]);
        }
        for case in cases {
            assert!(decode(&case).is_none(), "{case:?}");
            let mut out = Vec::new();
            let table = b64::decode_into(&case, &mut out);
            assert!(table.is_err() || out.len() != 32, "{case:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn decodes_every_spelling_and_encodes_as_the_base64_crate(key in any::<[u8; 32]>()) {
            prop_assert_eq!(encode(&key), STANDARD.encode(key));
            for spelling in [STANDARD.encode(key), STANDARD_NO_PAD.encode(key), URL_SAFE.encode(key), URL_SAFE_NO_PAD.encode(key)] {
                prop_assert_eq!(decode(&spelling).map(|k| *k), Some(key));
            }
        }

        #[test]
        fn agrees_with_the_token_codec(text in "[A-Za-z0-9+/_=-]{42,45}") {
            let mut out = Vec::new();
            let table = b64::decode_into(&text, &mut out).ok().filter(|()| out.len() == 32).map(|()| out.clone());
            prop_assert_eq!(decode(&text).map(|k| k.to_vec()), table, "{}", text);
        }
    }
}

//! The bindings' entry: every rule about values that come from a host
//! language, in one place, so that every package behaves the same.
//!
//! A binding (Python, Node and its WebAssembly build, the JVM, Ruby, PHP,
//! the C ABI that Go and C use) converts its language's values with these
//! functions and nothing else; it keeps no rule of its own. Users of the
//! Rust crate never need this module: the crate's root is their API.
//!
//! | host value | rule | function |
//! |---|---|---|
//! | identity field (`id`, `name`, `email`) | strict: ill-formed text (a lone surrogate, bytes that are not UTF-8) is `invalid_identity`; a field over its byte limit is refused from its length, before any copy | [`field_from_utf8`], [`field_from_utf16`], [`field_from_replaced_utf16`], [`optional_field_from_utf8`], [`optional_field_from_utf16`], [`optional_field_from_replaced_utf16`] |
//! | secret | lenient: ill-formed text becomes U+FFFD and the secret rules then refuse it (`invalid_secret`); every copy is wiped | [`key_from_utf8`], [`key_from_utf16`] |
//! | token | lenient; held to the 65,536-character bound before trimming and the 8,192-character cap after it, on the host's own text, before any copy or transcoding (`malformed_token`) | [`token_from_utf8`], [`token_from_utf16`], [`check_token_len`], [`check_token_utf16_len`] |
//! | integer `id` | at most [`MAX_INTEGER_BITS`] bits, checked from the bit length before the integer becomes text (`invalid_identity`) | [`check_id_bits`], [`id_from_integer_words`] |
//! | integer assistant id | the same bound (`invalid_identity`, naming `assistant_id`) | [`check_assistant_id_bits`], [`assistant_id_from_integer_words`] |
//! | output buffers given by the caller (the C ABI) | the most bytes a token or an opened identity can take | [`max_token_len`], [`max_identity_len`] |
//! | script-tag text | never an error: ill-formed text becomes U+FFFD (see [`lossy_from_utf8`]) | [`script_tag_utf8`], [`script_tag_utf16`] |
//!
//! The one replacement rule for ill-formed text, the same from UTF-8 and
//! UTF-16 hosts: each lone surrogate (UTF-16), each 3-byte encoded
//! surrogate (`ED A0..BF 80..BF`: WTF-8, or Python's `surrogatepass`, which
//! is how a UTF-8 host spells a lone surrogate), and each other maximal
//! ill-formed UTF-8 sequence becomes one U+FFFD.

use std::borrow::Cow;

use zeroize::Zeroizing;

pub use crate::identity::Field;
pub use crate::integer::{integer_words_bit_length, integer_words_to_decimal};
pub use crate::key::{max_identity_len, max_token_len};
use crate::identity::{invalid, max_bytes, not_unicode, too_long};
use crate::key::token_too_long;
use crate::{widget_script_tag, Error, IdentityKey, UserId, MAX_TOKEN_CHARS, MAX_UNTRIMMED_TOKEN_CHARS};

/// Most bits an integer `id` or assistant id may have (its magnitude's bit
/// length, as Python's `int.bit_length()` counts it). A wider integer is at
/// least 2^851, over 10^256: more than 256 digits, so never a valid id.
pub const MAX_INTEGER_BITS: u32 = 851;

/// An identity field from UTF-8 bytes, strictly: text that is not UTF-8
/// (a lone surrogate spelled as WTF-8, or any other ill-formed sequence) is
/// [`Error::InvalidIdentity`]. A field longer than its limit is refused from
/// its length alone.
///
/// ```
/// use teamweb_identity::host::{field_from_utf8, Field};
/// assert_eq!(field_from_utf8(Field::Id, b"u1").unwrap(), "u1");
/// let err = field_from_utf8(Field::Name, b"\xed\xa0\x80").unwrap_err();
/// assert_eq!(err.to_string(), "name is not valid Unicode (it contains a lone surrogate)");
/// let err = field_from_utf8(Field::Name, b"\xff").unwrap_err();
/// assert_eq!(err.to_string(), "name is not valid Unicode (it is not well-formed UTF-8)");
/// ```
pub fn field_from_utf8(field: Field, bytes: &[u8]) -> Result<&str, Error> {
    if bytes.len() > max_bytes(field) {
        return Err(too_long(field, bytes.len()));
    }
    std::str::from_utf8(bytes).map_err(|err| {
        let at = err.valid_up_to();
        if is_encoded_surrogate(&bytes[at..]) {
            not_unicode(field)
        } else {
            invalid(field, "is not valid Unicode (it is not well-formed UTF-8)")
        }
    })
}

/// An identity field from UTF-16 code units, strictly: a lone surrogate is
/// [`Error::InvalidIdentity`]. The length limit is checked first, on the
/// UTF-8 length the text would have (a lone surrogate counted as the three
/// bytes a UTF-8 host would spell it with), so both kinds of host give the
/// same error for the same text.
///
/// ```
/// use teamweb_identity::host::{field_from_utf16, Field};
/// assert_eq!(field_from_utf16(Field::Name, &[0x41, 0xD83D, 0xDE00]).unwrap(), "A😀");
/// assert_eq!(field_from_utf16(Field::Name, &[0xD800]).unwrap_err().code(), "invalid_identity");
/// ```
pub fn field_from_utf16(field: Field, units: &[u16]) -> Result<String, Error> {
    let len = utf8_len_of_utf16(units);
    if len > max_bytes(field) {
        return Err(too_long(field, len));
    }
    let mut out = String::with_capacity(len);
    for c in char::decode_utf16(units.iter().copied()) {
        out.push(c.map_err(|_| not_unicode(field))?);
    }
    Ok(out)
}

/// An optional field from UTF-8: `None` or empty means absent.
pub fn optional_field_from_utf8(field: Field, bytes: Option<&[u8]>) -> Result<Option<&str>, Error> {
    match bytes {
        None | Some([]) => Ok(None),
        Some(bytes) => field_from_utf8(field, bytes).map(Some),
    }
}

/// An optional field from UTF-16: `None` or empty means absent.
pub fn optional_field_from_utf16(field: Field, units: Option<&[u16]>) -> Result<Option<String>, Error> {
    match units {
        None | Some([]) => Ok(None),
        Some(units) => field_from_utf16(field, units).map(Some),
    }
}

/// An identity field from a host that hands over UTF-16 text already
/// converted to UTF-8 with each lone surrogate replaced by U+FFFD (a
/// WebAssembly module's strings, converted by `TextEncoder`), together with
/// whether the original was well-formed (`String.prototype.isWellFormed`):
/// the same text, and the same error, as [`field_from_utf16`] gives on the
/// original code units (a lone surrogate and U+FFFD both count 3 bytes
/// toward the limit, which is checked first).
///
/// ```
/// use teamweb_identity::host::{field_from_replaced_utf16, field_from_utf16, Field};
/// assert_eq!(field_from_replaced_utf16(Field::Name, "A\u{FFFD}", true).unwrap(), "A\u{FFFD}");
/// assert_eq!(field_from_replaced_utf16(Field::Name, "A\u{FFFD}", false).unwrap_err(),
///     field_from_utf16(Field::Name, &[0x41, 0xD800]).unwrap_err());
/// ```
pub fn field_from_replaced_utf16(field: Field, text: &str, well_formed: bool) -> Result<&str, Error> {
    if text.len() > max_bytes(field) {
        return Err(too_long(field, text.len()));
    }
    if well_formed {
        Ok(text)
    } else {
        Err(not_unicode(field))
    }
}

/// An optional field as [`field_from_replaced_utf16`] reads it: `None` or
/// empty means absent.
pub fn optional_field_from_replaced_utf16(field: Field, text: Option<&str>, well_formed: bool) -> Result<Option<&str>, Error> {
    match text {
        None | Some("") => Ok(None),
        Some(text) => field_from_replaced_utf16(field, text, well_formed).map(Some),
    }
}

/// A key from the secret's text as UTF-8 bytes (docs/FORMAT.md, section 4).
/// Lenient: ill-formed text becomes U+FFFD, which the secret rules then
/// refuse with [`Error::InvalidSecret`]. Any copy made here is wiped.
///
/// ```
/// use teamweb_identity::host::key_from_utf8;
/// assert!(key_from_utf8(b" q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=\n").is_ok());
/// assert_eq!(key_from_utf8(b"q83v\xff").unwrap_err().code(), "invalid_secret");
/// ```
pub fn key_from_utf8(secret: &[u8]) -> Result<IdentityKey, Error> {
    match std::str::from_utf8(secret) {
        Ok(text) => IdentityKey::from_base64(text),
        Err(_) => {
            let text = Zeroizing::new(lossy_from_utf8(secret).into_owned());
            IdentityKey::from_base64(&text)
        }
    }
}

/// A key from the secret's text as UTF-16 code units; see [`key_from_utf8`].
/// The UTF-8 copy is made at its final size (no reallocation leaves a
/// piece of it behind) and wiped.
pub fn key_from_utf16(secret: &[u16]) -> Result<IdentityKey, Error> {
    let text = Zeroizing::new(lossy_from_utf16(secret));
    IdentityKey::from_base64(&text)
}

/// Token text from UTF-8 bytes, for [`IdentityKey::decrypt`]: borrowed
/// when it is UTF-8 (ill-formed text becomes U+FFFD, which decrypting
/// then refuses as not base64). Text over [`MAX_UNTRIMMED_TOKEN_CHARS`]
/// characters is [`Error::MalformedToken`] (one that must be, from its
/// length, before anything is copied); surrounding spaces, tabs, CR and LF
/// are trimmed, and text over [`MAX_TOKEN_CHARS`] characters after that is
/// refused too.
///
/// ```
/// use teamweb_identity::host::token_from_utf8;
/// assert_eq!(token_from_utf8(b"  abcd\n").unwrap(), "abcd");
/// let huge = vec![b'A'; 100_000];
/// assert_eq!(token_from_utf8(&huge).unwrap_err().code(), "malformed_token");
/// ```
pub fn token_from_utf8(token: &[u8]) -> Result<Cow<'_, str>, Error> {
    // More bytes than 4 per character of the untrimmed bound: more
    // characters than it, refused before anything is copied.
    if token.len() > 4 * MAX_UNTRIMMED_TOKEN_CHARS {
        return Err(token_too_long());
    }
    Ok(match lossy_from_utf8(token) {
        Cow::Borrowed(text) => Cow::Borrowed(trimmed_token(text)?),
        Cow::Owned(text) => Cow::Owned(trimmed_token(&text)?.to_owned()),
    })
}

/// Token text from UTF-16 code units; see [`token_from_utf8`]. Only text
/// that can be within the bounds is transcoded.
pub fn token_from_utf16(token: &[u16]) -> Result<String, Error> {
    check_token_utf16_len(token.len())?;
    let text = lossy_from_utf16(token);
    let trimmed = trimmed_token(&text)?;
    // Nothing trimmed (the usual case): the text itself, not a copy.
    Ok(if trimmed.len() == text.len() { text } else { trimmed.to_owned() })
}

/// docs/FORMAT.md, section 3, step 1 on text of bounded size: the
/// untrimmed bound, the trim, the cap.
fn trimmed_token(text: &str) -> Result<&str, Error> {
    if text.len() > MAX_UNTRIMMED_TOKEN_CHARS && text.chars().count() > MAX_UNTRIMMED_TOKEN_CHARS {
        return Err(token_too_long());
    }
    let trimmed = text.trim_matches(|c| is_token_space(c as u32));
    if trimmed.len() > MAX_TOKEN_CHARS && trimmed.chars().count() > MAX_TOKEN_CHARS {
        return Err(token_too_long());
    }
    Ok(trimmed)
}

/// For hosts that know a string's length in UTF-16 code units before
/// copying it (JavaScript, the JVM): refuses a token text of `units` code
/// units that must be longer than [`MAX_UNTRIMMED_TOKEN_CHARS`] characters
/// (more than 2 units per character), so that it is never copied. Any text
/// that passes is at most 2 x 65,536 units, a bounded copy.
///
/// ```
/// use teamweb_identity::host::check_token_utf16_len;
/// assert!(check_token_utf16_len(131_072).is_ok());
/// assert_eq!(check_token_utf16_len(131_073).unwrap_err().code(), "malformed_token");
/// ```
pub fn check_token_utf16_len(units: usize) -> Result<(), Error> {
    if units > 2 * MAX_UNTRIMMED_TOKEN_CHARS {
        return Err(token_too_long());
    }
    Ok(())
}

/// For hosts that know a string's length in code points before converting
/// it (Python): refuses a token text of more than
/// [`MAX_UNTRIMMED_TOKEN_CHARS`] code points, so that it is never
/// converted. Any text that passes is at most 65,536 code points, a bounded
/// conversion; the trim and the cap after it are the core's, as for any
/// token.
///
/// ```
/// use teamweb_identity::host::check_token_len;
/// assert!(check_token_len(65_536).is_ok());
/// assert_eq!(check_token_len(65_537).unwrap_err().code(), "malformed_token");
/// ```
pub fn check_token_len(code_points: usize) -> Result<(), Error> {
    if code_points > MAX_UNTRIMMED_TOKEN_CHARS {
        return Err(token_too_long());
    }
    Ok(())
}

/// Refuses an integer `id` of `bits` bits, before it is turned into text
/// (see [`MAX_INTEGER_BITS`]).
///
/// ```
/// use teamweb_identity::host::check_id_bits;
/// assert!(check_id_bits(851).is_ok());
/// assert_eq!(check_id_bits(852).unwrap_err().to_string(),
///     "id is an integer of 852 bits, more than 256 digits; at most 256 UTF-8 bytes are allowed");
/// ```
pub fn check_id_bits(bits: u64) -> Result<(), Error> {
    crate::identity::check_integer_id_bits(bits)
}

/// Refuses an integer assistant id of `bits` bits, before it is turned
/// into text: the same bound as an integer `id`, as
/// [`Error::InvalidIdentity`] naming `assistant_id`.
///
/// ```
/// use teamweb_identity::host::check_assistant_id_bits;
/// assert!(check_assistant_id_bits(851).is_ok());
/// assert_eq!(check_assistant_id_bits(3_321_929).unwrap_err().to_string(),
///     "assistant_id is an integer of 3321929 bits, more than 256 digits; at most 851 bits are allowed");
/// ```
pub fn check_assistant_id_bits(bits: u64) -> Result<(), Error> {
    if bits > u64::from(MAX_INTEGER_BITS) {
        return Err(Error::InvalidIdentity(format!(
            "assistant_id is an integer of {bits} bits, more than 256 digits; at most {MAX_INTEGER_BITS} bits are allowed"
        )));
    }
    Ok(())
}

/// An integer `id` given as a sign and its magnitude's little-endian `u64`
/// words (how JavaScript's `BigInt` reaches a native addon), bounded by
/// [`check_id_bits`].
///
/// ```
/// use teamweb_identity::host::id_from_integer_words;
/// assert_eq!(id_from_integer_words(true, &[42])?.as_str(), "-42");
/// let mut words = [0_u64; 14];
/// words[13] = 1 << 19; // 2^851: 852 bits
/// assert_eq!(id_from_integer_words(false, &words).unwrap_err().code(), "invalid_identity");
/// # Ok::<(), teamweb_identity::Error>(())
/// ```
pub fn id_from_integer_words(negative: bool, words: &[u64]) -> Result<UserId, Error> {
    check_id_bits(integer_words_bit_length(words))?;
    Ok(UserId::from(decimal(negative, words)))
}

/// An integer assistant id from a sign and little-endian `u64` words, as
/// decimal text, bounded by [`check_assistant_id_bits`].
pub fn assistant_id_from_integer_words(negative: bool, words: &[u64]) -> Result<String, Error> {
    check_assistant_id_bits(integer_words_bit_length(words))?;
    Ok(decimal(negative, words))
}

/// An integer as hexadecimal text (`-` for a negative one, as
/// JavaScript's `BigInt.prototype.toString(16)` writes it, which takes
/// linear time) in the form [`id_from_integer_words`] and
/// [`assistant_id_from_integer_words`] take: the sign and the magnitude's
/// little-endian `u64` words. `None` for text that is not hexadecimal.
///
/// ```
/// use teamweb_identity::host::integer_words_from_hex;
/// assert_eq!(integer_words_from_hex("-2a"), Some((true, vec![42])));
/// assert_eq!(integer_words_from_hex("10000000000000000"), Some((false, vec![0, 1])));
/// assert_eq!(integer_words_from_hex("12g"), None);
/// assert_eq!(integer_words_from_hex("+1"), None);
/// assert_eq!(integer_words_from_hex("-"), None);
/// ```
pub fn integer_words_from_hex(hex: &str) -> Option<(bool, Vec<u64>)> {
    let (negative, digits) = match hex.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, hex),
    };
    // `from_str_radix` alone would take a `+` and an empty text.
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let words = digits
        .as_bytes()
        .rchunks(16)
        .map(|chunk| std::str::from_utf8(chunk).ok().and_then(|chunk| u64::from_str_radix(chunk, 16).ok()))
        .collect::<Option<Vec<u64>>>()?;
    Some((negative, words))
}

fn decimal(negative: bool, words: &[u64]) -> String {
    integer_words_to_decimal(negative, words, u64::from(MAX_INTEGER_BITS)).expect("the width was checked")
}

/// [`widget_script_tag`] over UTF-8 host text; ill-formed text becomes
/// U+FFFD (see the module's replacement rule), never an error.
///
/// ```
/// use teamweb_identity::host::script_tag_utf8;
/// assert_eq!(script_tag_utf8(b"/w.js", b"a\xed\xa0\x80", None),
///     "<script src=\"/w.js\" data-assistant-id=\"a\u{FFFD}\"></script>");
/// ```
pub fn script_tag_utf8(src: &[u8], assistant_id: &[u8], user_token: Option<&[u8]>) -> String {
    let token = user_token.map(lossy_from_utf8);
    widget_script_tag(&lossy_from_utf8(src), lossy_from_utf8(assistant_id), token.as_deref())
}

/// [`widget_script_tag`] over UTF-16 host text; each lone surrogate
/// becomes U+FFFD, never an error.
///
/// ```
/// use teamweb_identity::host::script_tag_utf16;
/// let src: Vec<u16> = "/w.js".encode_utf16().collect();
/// assert_eq!(script_tag_utf16(&src, &[0x61, 0xD800], None),
///     "<script src=\"/w.js\" data-assistant-id=\"a\u{FFFD}\"></script>");
/// ```
pub fn script_tag_utf16(src: &[u16], assistant_id: &[u16], user_token: Option<&[u16]>) -> String {
    let token = user_token.map(lossy_from_utf16);
    widget_script_tag(&lossy_from_utf16(src), lossy_from_utf16(assistant_id), token.as_deref())
}

/// UTF-8 bytes as text, borrowed when well-formed; otherwise each encoded
/// surrogate (`ED A0..BF 80..BF`, three bytes) and each other maximal
/// ill-formed sequence becomes one U+FFFD.
///
/// ```
/// use teamweb_identity::host::lossy_from_utf8;
/// assert_eq!(lossy_from_utf8(b"a\xed\xa0\x80b"), "a\u{FFFD}b");
/// assert_eq!(lossy_from_utf8(b"a\xffb"), "a\u{FFFD}b");
/// ```
pub fn lossy_from_utf8(bytes: &[u8]) -> Cow<'_, str> {
    let mut rest = match std::str::from_utf8(bytes) {
        Ok(text) => return Cow::Borrowed(text),
        Err(_) => bytes,
    };
    let mut out = String::with_capacity(bytes.len() + 2);
    loop {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                out.push_str(text);
                return Cow::Owned(out);
            }
            Err(err) => {
                let (good, bad) = rest.split_at(err.valid_up_to());
                // `good` is what from_utf8 just found to be UTF-8.
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                out.push(char::REPLACEMENT_CHARACTER);
                let skip = if is_encoded_surrogate(bad) { 3 } else { err.error_len().unwrap_or(bad.len()) };
                rest = &bad[skip..];
            }
        }
    }
}

/// UTF-16 code units as text; each lone surrogate becomes U+FFFD. The
/// result is allocated at its final size.
pub fn lossy_from_utf16(units: &[u16]) -> String {
    // ASCII (every token, most ids): one byte per unit, no decoding.
    // (An OR over every unit rather than `all`, which stops early and so
    // does not vectorize: about 3x faster for a token.)
    if units.iter().fold(0, |acc, &u| acc | u) < 0x80 {
        let bytes: Vec<u8> = units.iter().map(|&u| u as u8).collect();
        // ASCII is UTF-8.
        return String::from_utf8(bytes).unwrap_or_default();
    }
    let mut out = String::with_capacity(utf8_len_of_utf16(units));
    out.extend(char::decode_utf16(units.iter().copied()).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)));
    out
}

/// `ED A0..BF 80..BF`: a surrogate code point encoded as if it were a
/// character (WTF-8, CESU-8, Python's `surrogatepass`).
fn is_encoded_surrogate(bytes: &[u8]) -> bool {
    matches!(bytes, [0xED, 0xA0..=0xBF, 0x80..=0xBF, ..])
}

/// The UTF-8 length of UTF-16 text, a lone surrogate counted as 3 bytes
/// (its WTF-8 length, and that of the U+FFFD replacing it).
fn utf8_len_of_utf16(units: &[u16]) -> usize {
    char::decode_utf16(units.iter().copied()).map(|c| c.map_or(3, char::len_utf8)).sum()
}

/// The characters docs/FORMAT.md, section 3, step 1 trims around a token.
fn is_token_space(c: u32) -> bool {
    matches!(c, 0x20 | 0x09 | 0x0A | 0x0D)
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_hosts_replace_ill_formed_text_alike() {
        let wtf8 = b"x\xed\xa0\x80y\xed\xbf\xbfz";
        let utf16 = [0x78, 0xD800, 0x79, 0xDFFF, 0x7A];
        assert_eq!(lossy_from_utf8(wtf8), lossy_from_utf16(&utf16));
        assert_eq!(lossy_from_utf8(wtf8), "x\u{FFFD}y\u{FFFD}z");
        // A real 3-byte character starting with ED stays itself.
        assert_eq!(lossy_from_utf8("\u{D7FF}".as_bytes()), "\u{D7FF}");
        // Truncated and stray bytes: one U+FFFD per maximal ill-formed part.
        assert_eq!(lossy_from_utf8(b"a\xe2\x82"), "a\u{FFFD}");
        assert_eq!(lossy_from_utf8(b"\x80\x80"), "\u{FFFD}\u{FFFD}");
        assert_eq!(script_tag_utf8(b"/w", wtf8, Some(b"t\xff")), script_tag_utf16(&[0x2F, 0x77], &utf16, Some(&[0x74, 0xDC00])));
    }

    #[test]
    fn fields_from_either_host_give_the_same_errors() {
        let name: Vec<u16> = "é".repeat(129).encode_utf16().collect();
        let utf16 = field_from_utf16(Field::Name, &name).unwrap_err();
        let utf8 = field_from_utf8(Field::Name, "é".repeat(129).as_bytes()).unwrap_err();
        assert_eq!(utf16, utf8);
        assert_eq!(utf8.to_string(), "name is 258 UTF-8 bytes long; at most 256 are allowed");
        let lone16 = field_from_utf16(Field::Email, &[0x61, 0xDC00]).unwrap_err();
        let lone8 = field_from_utf8(Field::Email, b"a\xed\xb0\x80").unwrap_err();
        assert_eq!(lone16, lone8);
        // Length first, counting a lone surrogate as 3 bytes on both sides.
        let mut long16 = vec![0x61_u16; 254];
        long16.push(0xD800);
        let mut long8 = vec![b'a'; 254];
        long8.extend_from_slice(b"\xed\xa0\x80");
        assert_eq!(field_from_utf16(Field::Id, &long16).unwrap_err(), field_from_utf8(Field::Id, &long8).unwrap_err());
        assert_eq!(optional_field_from_utf16(Field::Name, Some(&[])).unwrap(), None);
        assert_eq!(optional_field_from_utf8(Field::Name, None).unwrap(), None);
    }

    #[test]
    fn tokens_are_trimmed_and_capped_before_any_copy() {
        let spaced = format!("{}abc{}", " ".repeat(30_000), "\n".repeat(30_000));
        assert_eq!(token_from_utf8(spaced.as_bytes()).unwrap(), "abc");
        let units: Vec<u16> = spaced.encode_utf16().collect();
        assert_eq!(token_from_utf16(&units).unwrap(), "abc");
        let long = "A".repeat(4 * MAX_TOKEN_CHARS + 1);
        assert_eq!(token_from_utf8(long.as_bytes()).unwrap_err().code(), "malformed_token");
        let long16 = vec![0x41_u16; 2 * MAX_TOKEN_CHARS + 1];
        assert_eq!(token_from_utf16(&long16).unwrap_err(), token_from_utf8(long.as_bytes()).unwrap_err());
        // Past the untrimmed bound, whitespace or not, from the length alone.
        let padded = format!("{}abc", " ".repeat(MAX_UNTRIMMED_TOKEN_CHARS));
        let key = IdentityKey::generate();
        for err in [
            token_from_utf8(padded.as_bytes()).and_then(|t| key.decrypt(&t).map(|_| ())).unwrap_err(),
            key.decrypt(&padded).unwrap_err(),
            check_token_len(MAX_UNTRIMMED_TOKEN_CHARS + 1).unwrap_err(),
            check_token_utf16_len(2 * MAX_UNTRIMMED_TOKEN_CHARS + 1).unwrap_err(),
        ] {
            assert_eq!(err.to_string(), "malformed token: it is longer than 8192 characters");
        }
        assert!(check_token_len(MAX_UNTRIMMED_TOKEN_CHARS).is_ok());
        assert!(check_token_len(0).is_ok());
    }

    #[test]
    fn replaced_utf16_fields_read_as_utf16_fields() {
        let texts: [&[u16]; 8] = [
            &[0x41],
            &[0xD800],
            &[0x41, 0xDC00, 0x42],
            &[0xD83D, 0xDE00],
            &[0xFFFD],
            &[0x41; 257],
            &[0xD800; 86],
            &[0xD800; 85],
        ];
        for units in texts {
            let well_formed = char::decode_utf16(units.iter().copied()).all(|c| c.is_ok());
            let replaced = lossy_from_utf16(units);
            for field in [Field::Id, Field::Name, Field::Email] {
                let expected = field_from_utf16(field, units);
                let got = field_from_replaced_utf16(field, &replaced, well_formed).map(str::to_owned);
                assert_eq!(got, expected, "{units:?}");
                let optional = optional_field_from_replaced_utf16(field, Some(&replaced), well_formed).map(|t| t.map(str::to_owned));
                assert_eq!(optional, optional_field_from_utf16(field, Some(units)), "{units:?}");
            }
        }
        assert_eq!(optional_field_from_replaced_utf16(Field::Name, Some(""), true), Ok(None));
        assert_eq!(optional_field_from_replaced_utf16(Field::Name, None, false), Ok(None));
    }

    #[test]
    fn huge_secrets_are_refused_from_their_length() {
        let huge = "A".repeat(10_000_000);
        let err = key_from_utf8(huge.as_bytes()).unwrap_err();
        assert_eq!(err.to_string(), "invalid secret: it is 10000000 bytes long; the secret must be the base64 of 32 bytes (43 or 44 characters)");
        let decodes = "A".repeat(1024);
        assert_eq!(key_from_utf8(decodes.as_bytes()).unwrap_err().to_string(),
            "invalid secret: it decodes to 768 bytes; the secret must be the base64 of 32 bytes");
    }

    #[test]
    fn integer_bounds() {
        let mut words = [0_u64; 14];
        words[13] = 1 << 18; // 2^850: 851 bits
        assert_eq!(assistant_id_from_integer_words(true, &words).unwrap().len(), 257);
        words[13] = 1 << 19;
        assert_eq!(assistant_id_from_integer_words(false, &words).unwrap_err().code(), "invalid_identity");
        assert_eq!(id_from_integer_words(false, &[7]).unwrap().as_str(), "7");
    }
}

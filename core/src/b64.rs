//! Base64 as the SPEC reads it: the standard or the URL-safe alphabet (not
//! both in one text), padding optional, but padding that is present must be
//! the right amount, and the unused low bits of the last character must be
//! zero (so every byte string has exactly two accepted spellings per
//! alphabet).

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;

/// Why a text is not base64. Never carries the text itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    Empty,
    /// A character outside both alphabets (or a character of the other
    /// alphabet), at this character position.
    InvalidCharacter(usize),
    MixedAlphabets,
    BadPadding,
    /// The length cannot be base64 (a lone final character).
    BadLength,
    /// The last character has non-zero unused bits.
    TrailingBits,
}

impl Problem {
    pub(crate) fn describe(self) -> String {
        match self {
            Problem::Empty => "it is empty".to_owned(),
            Problem::InvalidCharacter(at) => format!(
                "it is not base64: character {} is outside the base64 alphabet",
                at + 1
            ),
            Problem::MixedAlphabets => {
                "it is not base64: it mixes the standard (+/) and URL-safe (-_) alphabets".to_owned()
            }
            Problem::BadPadding => "it is not base64: its '=' padding is wrong".to_owned(),
            Problem::BadLength => "it is not base64: its length is impossible for base64".to_owned(),
            Problem::TrailingBits => {
                "it is not base64: its last character has non-zero unused bits".to_owned()
            }
        }
    }
}

const fn engine(alphabet: &alphabet::Alphabet, padding: DecodePaddingMode) -> GeneralPurpose {
    GeneralPurpose::new(
        alphabet,
        GeneralPurposeConfig::new()
            .with_encode_padding(true)
            .with_decode_allow_trailing_bits(false)
            .with_decode_padding_mode(padding),
    )
}

const STANDARD_PADDED: GeneralPurpose = engine(&alphabet::STANDARD, DecodePaddingMode::RequireCanonical);
const STANDARD_UNPADDED: GeneralPurpose = engine(&alphabet::STANDARD, DecodePaddingMode::RequireNone);
const URL_SAFE_PADDED: GeneralPurpose = engine(&alphabet::URL_SAFE, DecodePaddingMode::RequireCanonical);
const URL_SAFE_UNPADDED: GeneralPurpose = engine(&alphabet::URL_SAFE, DecodePaddingMode::RequireNone);

/// Padded standard base64, the form every token and exported secret takes.
pub(crate) fn encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Decodes `text` (already trimmed by the caller) into `out`.
pub(crate) fn decode_into(text: &str, out: &mut Vec<u8>) -> Result<(), Problem> {
    if text.is_empty() {
        return Err(Problem::Empty);
    }
    let len = out.len();
    // Fast path: the spelling every package writes, standard and padded
    // (or standard unpadded). Any failure is diagnosed below.
    if standard_form(text).decode_vec(text, out).is_ok() {
        return Ok(());
    }
    out.truncate(len);
    engine_for(text)?.decode_vec(text, out).map_err(problem)
}

/// Decodes `text` into `out` when it fits; `Ok(None)` when `out` is too
/// small (the caller then uses [`decode_into`]).
pub(crate) fn decode_to_slice(text: &str, out: &mut [u8]) -> Result<Option<usize>, Problem> {
    if text.is_empty() {
        return Err(Problem::Empty);
    }
    if text.len() / 4 * 3 + 3 > out.len() {
        return Ok(None);
    }
    if let Ok(n) = standard_form(text).decode_slice(text, out) {
        return Ok(Some(n));
    }
    engine_for(text)?.decode_slice(text, out).map(Some).map_err(|e| match e {
        base64::DecodeSliceError::DecodeError(e) => problem(e),
        // The room was checked above; report it as a length problem.
        base64::DecodeSliceError::OutputSliceTooSmall => Problem::BadLength,
    })
}

/// The standard alphabet with complete padding or none: tried first.
fn standard_form(text: &str) -> &'static GeneralPurpose {
    if text.ends_with('=') {
        &STANDARD_PADDED
    } else {
        &STANDARD_UNPADDED
    }
}

/// Picks the engine for `text` after checking what the engines do not:
/// one alphabet only, and padding either absent or complete.
fn engine_for(text: &str) -> Result<&'static GeneralPurpose, Problem> {
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        return Err(Problem::Empty);
    }
    let mut standard = false;
    let mut url_safe = false;
    let mut first_pad = None;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' if first_pad.is_none() => {}
            b'+' | b'/' if first_pad.is_none() => standard = true,
            b'-' | b'_' if first_pad.is_none() => url_safe = true,
            b'=' => {
                first_pad.get_or_insert(i);
            }
            _ if first_pad.is_some() => return Err(Problem::BadPadding),
            _ => return Err(Problem::InvalidCharacter(text[..i].chars().count())),
        }
    }
    if standard && url_safe {
        return Err(Problem::MixedAlphabets);
    }
    let padded = first_pad.is_some();
    if padded && bytes.len() % 4 != 0 {
        return Err(Problem::BadPadding);
    }
    Ok(match (url_safe, padded) {
        (false, true) => &STANDARD_PADDED,
        (false, false) => &STANDARD_UNPADDED,
        (true, true) => &URL_SAFE_PADDED,
        (true, false) => &URL_SAFE_UNPADDED,
    })
}

fn problem(e: base64::DecodeError) -> Problem {
    match e {
        base64::DecodeError::InvalidPadding => Problem::BadPadding,
        base64::DecodeError::InvalidLength(_) => Problem::BadLength,
        base64::DecodeError::InvalidLastSymbol(_, _) => Problem::TrailingBits,
        // '=' inside the text, or too many of them.
        base64::DecodeError::InvalidByte(_, b'=') => Problem::BadPadding,
        base64::DecodeError::InvalidByte(at, _) => Problem::InvalidCharacter(at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Result<Vec<u8>, Problem> {
        let mut v = Vec::new();
        let heap = decode_into(s, &mut v).map(|_| v);
        let mut buf = [0u8; 64];
        let slice = decode_to_slice(s, &mut buf).map(|n| buf[..n.unwrap()].to_vec());
        assert_eq!(heap, slice, "{s}");
        heap
    }

    #[test]
    fn spellings() {
        assert_eq!(dec("+/8=").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(dec("+/8").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(dec("-_8=").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(dec("-_8").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(dec("QQ==").unwrap(), b"A");
        assert_eq!(dec("QQ").unwrap(), b"A");
    }

    #[test]
    fn refusals() {
        assert_eq!(dec(""), Err(Problem::Empty));
        assert_eq!(dec("QQ="), Err(Problem::BadPadding));
        assert_eq!(dec("QQ==="), Err(Problem::BadPadding));
        assert_eq!(dec("QQ=A"), Err(Problem::BadPadding));
        assert_eq!(dec("Q==="), Err(Problem::BadPadding));
        assert_eq!(dec("QR=="), Err(Problem::TrailingBits));
        assert_eq!(dec("QR"), Err(Problem::TrailingBits));
        assert_eq!(dec("Q"), Err(Problem::BadLength));
        assert_eq!(dec("+-AA"), Err(Problem::MixedAlphabets));
        assert_eq!(dec("ab*d"), Err(Problem::InvalidCharacter(2)));
        assert_eq!(dec("aé*d"), Err(Problem::InvalidCharacter(1)));
        assert_eq!(dec("ab d"), Err(Problem::InvalidCharacter(2)));
        assert_eq!(dec("===="), Err(Problem::BadPadding));
    }
}

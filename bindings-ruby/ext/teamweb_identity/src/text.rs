//! Ruby values as the core's host entry takes them. Only conversion happens
//! here: every rule (strict identity fields, lenient secrets and tokens,
//! integer bounds, the script tag's treatment of ill-formed text) is the
//! core's (`teamweb_identity::host`).
//!
//! A Ruby String is bytes plus an encoding. UTF-8, US-ASCII and binary
//! (ASCII-8BIT) Strings reach the core as their bytes, read as UTF-8 (so a
//! binary String may carry WTF-8, e.g. an encoded lone surrogate, which the
//! core refuses in an identity field and replaces in a script tag). A String
//! in any other encoding is first transcoded to UTF-8 by Ruby (`String#encode`):
//! for an identity field strictly (bytes invalid in their own encoding raise
//! Ruby's `EncodingError`), for other text with invalid bytes replaced.

use magnus::{encoding::EncodingCapable, kwargs, prelude::*, Error, Integer, RString, Ruby, Value};

/// How a String in an encoding other than UTF-8, US-ASCII or binary is
/// transcoded to UTF-8.
#[derive(Clone, Copy)]
pub enum Transcode {
    /// Bytes invalid in the String's encoding raise `EncodingError`.
    Strict,
    /// Such bytes become U+FFFD.
    Replace,
}

/// `value` as a String whose bytes the core reads as UTF-8: the String
/// itself when it is UTF-8, US-ASCII or binary, else transcoded by Ruby.
/// Anything that is not a String (nor converts with `to_str`) is a
/// `TypeError`.
pub fn utf8_string(ruby: &Ruby, value: Value, how: Transcode) -> Result<RString, Error> {
    let string = RString::try_convert(value)?;
    let index = string.enc_get();
    if index == ruby.utf8_encindex() || index == ruby.usascii_encindex() || index == ruby.ascii8bit_encindex() {
        return Ok(string);
    }
    let utf8 = ruby.utf8_encoding();
    match how {
        Transcode::Strict => string.funcall("encode", (utf8,)),
        Transcode::Replace => string.funcall(
            "encode",
            (utf8, kwargs!("invalid" => ruby.to_symbol("replace"), "undef" => ruby.to_symbol("replace"))),
        ),
    }
}

/// An optional String (`nil` is absent).
pub fn optional_utf8_string(ruby: &Ruby, value: Option<Value>, how: Transcode) -> Result<Option<RString>, Error> {
    match value {
        Some(v) if !v.is_nil() => utf8_string(ruby, v, how).map(Some),
        _ => Ok(None),
    }
}

/// The bytes of a String returned by [`utf8_string`].
///
/// # Safety
///
/// The slice borrows the String's buffer: the caller must not let Ruby run
/// (allocate, call a method, release the GVL) while it holds the slice, so
/// that the String is neither changed nor moved. The String's `VALUE` is on
/// the caller's stack, which keeps it alive and pinned.
pub unsafe fn bytes(string: &RString) -> &[u8] {
    // SAFETY: upheld by the caller, as documented above.
    unsafe { string.as_slice() }
}

/// A value that is a String or an Integer (an `id`, an assistant id).
pub enum TextOrInteger {
    /// A String, already in a form the core reads as UTF-8.
    Text(RString),
    /// An Integer's decimal text, made after the core accepted its width.
    Integer(String),
}

impl TextOrInteger {
    /// `value` as text, or as the decimal text of an Integer once
    /// `check_bits` (the core's bound for this value) accepts its width.
    pub fn new(
        ruby: &Ruby,
        value: Value,
        how: Transcode,
        check_bits: fn(u64) -> Result<(), teamweb_identity::Error>,
    ) -> Result<Self, Error> {
        let Some(integer) = Integer::from_value(value) else {
            return utf8_string(ruby, value, how).map(TextOrInteger::Text);
        };
        if let Ok(small) = integer.to_i64() {
            check_bits(u64::from(u64::BITS - small.unsigned_abs().leading_zeros())).map_err(crate::error::raise)?;
            return Ok(TextOrInteger::Integer(small.to_string()));
        }
        // A Bignum: its width first, so a huge one is never written out.
        let magnitude: Integer = integer.funcall("abs", ())?;
        let bits: u64 = magnitude.funcall("bit_length", ())?;
        check_bits(bits).map_err(crate::error::raise)?;
        let decimal: RString = integer.funcall("to_s", ())?;
        Ok(TextOrInteger::Integer(decimal.to_string()?))
    }

    /// The bytes for the core.
    ///
    /// # Safety
    ///
    /// As for [`bytes`].
    pub unsafe fn bytes(&self) -> &[u8] {
        match self {
            // SAFETY: upheld by the caller.
            TextOrInteger::Text(s) => unsafe { bytes(s) },
            TextOrInteger::Integer(s) => s.as_bytes(),
        }
    }
}

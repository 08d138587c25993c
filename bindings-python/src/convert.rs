//! Python values to core types. The binding keeps no rule of its own: what
//! a valid identity field, secret, token or integer is, and what happens to
//! text that is not well-formed, is decided by the core's host entry
//! (`teamweb_identity::host`). This module only reaches a Python value's
//! UTF-8 bytes, its integer words, or (for a token) its code points, and
//! checks Python types.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyInt, PyString};
use teamweb_identity::host::{self, Field};
use teamweb_identity::{Error, IdentityFields, IdentityKey};

use crate::errors::guard;

fn type_error(what: &str, expected: &str, got: &Bound<'_, PyAny>) -> PyErr {
    let type_name = got.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into());
    PyTypeError::new_err(format!("{what} must be {expected}, not {type_name}"))
}

/// The UTF-8 form of a Python value, as the core's host functions take it.
pub enum Utf8<'a, 'py> {
    /// A well-formed `str`, borrowed (CPython's own UTF-8 of it: the `str`
    /// itself when ASCII, no copy).
    Str(&'a str),
    /// A `str` with lone surrogates: its `surrogatepass` encoding, in which
    /// each lone surrogate is the 3-byte sequence (`ED A0..BF 80..BF`) the
    /// core recognizes.
    Surrogates(Bound<'py, PyBytes>),
    /// An `int`'s decimal text, made by the core.
    Decimal(String),
}

impl Utf8<'_, '_> {
    pub fn bytes(&self) -> &[u8] {
        match self {
            Utf8::Str(text) => text.as_bytes(),
            Utf8::Surrogates(bytes) => bytes.as_bytes(),
            Utf8::Decimal(text) => text.as_bytes(),
        }
    }
}

/// A `str` as UTF-8 bytes for the core (see [`Utf8`]).
pub fn utf8<'a, 'py>(s: &'a Bound<'py, PyString>) -> PyResult<Utf8<'a, 'py>> {
    match s.to_str() {
        Ok(text) => Ok(Utf8::Str(text)),
        Err(_) => Ok(Utf8::Surrogates(s.call_method1("encode", ("utf-8", "surrogatepass"))?.cast_into::<PyBytes>()?)),
    }
}

/// A `str` argument as UTF-8 bytes for the core.
pub fn str_utf8<'a, 'py>(what: &str, value: &'a Bound<'py, PyAny>) -> PyResult<Utf8<'a, 'py>> {
    utf8(value.cast::<PyString>().map_err(|_| type_error(what, "a str", value))?)
}

/// An `int` (not a `bool`) in the core's integer form, a sign and the
/// magnitude as little-endian `u64` words, handed to `make`. One that does
/// not fit an `i64` is first checked by the core's bound (`check_bits`) on
/// its `int.bit_length()`, which takes constant time, before it is
/// converted at all (turning a 10**1000000 into text would hold the GIL for
/// many seconds).
fn from_int<T>(
    py: Python<'_>,
    i: &Bound<'_, PyInt>,
    check_bits: fn(u64) -> Result<(), Error>,
    make: fn(bool, &[u64]) -> Result<T, Error>,
) -> PyResult<T> {
    if let Ok(small) = i.extract::<i64>() {
        return guard(py, || make(small < 0, &[small.unsigned_abs()]));
    }
    let bits: u64 = i.call_method0("bit_length")?.extract()?;
    guard(py, || check_bits(bits))?;
    let negative = i.lt(0)?;
    let magnitude = i.call_method0("__abs__")?.call_method1("to_bytes", (bits.div_ceil(64) * 8, "little"))?;
    let words: Vec<u64> = magnitude
        .cast::<PyBytes>()?
        .as_bytes()
        .chunks_exact(8)
        .map(|w| u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]))
        .collect();
    guard(py, || make(negative, &words))
}

/// A `str`, or an `int` (not a `bool`) as the decimal text the core makes of
/// it, under the core's bound for `what` (an id or an assistant id).
fn str_or_int<'a, 'py>(
    py: Python<'py>,
    what: &str,
    value: &'a Bound<'py, PyAny>,
    check_bits: fn(u64) -> Result<(), Error>,
    make: fn(bool, &[u64]) -> Result<String, Error>,
) -> PyResult<Utf8<'a, 'py>> {
    if let Ok(s) = value.cast::<PyString>() {
        utf8(s)
    } else if value.is_instance_of::<PyBool>() {
        Err(PyTypeError::new_err(format!("{what} must be a str or an int, not bool")))
    } else if let Ok(i) = value.cast::<PyInt>() {
        from_int(py, i, check_bits, make).map(Utf8::Decimal)
    } else {
        Err(type_error(what, "a str or an int", value))
    }
}

/// An identity's `id`: a `str`, or an `int` (not a `bool`) whose decimal
/// text is the id (the core refuses one wider than 851 bits from its bit
/// length).
fn id_utf8<'a, 'py>(py: Python<'py>, id: &'a Bound<'py, PyAny>) -> PyResult<Utf8<'a, 'py>> {
    str_or_int(py, "id", id, host::check_id_bits, |negative, words| {
        host::id_from_integer_words(negative, words).map(|id| id.into_string())
    })
}

/// The widget's `assistant_id`: a `str`, or an `int` (not a `bool`) under
/// the same 851-bit bound as an integer id.
pub fn assistant_id_utf8<'a, 'py>(py: Python<'py>, id: &'a Bound<'py, PyAny>) -> PyResult<Utf8<'a, 'py>> {
    str_or_int(py, "assistant_id", id, host::check_assistant_id_bits, host::assistant_id_from_integer_words)
}

/// An optional text argument: `None` (or not given), or a `str`.
pub fn optional_utf8<'a, 'py>(what: &str, value: Option<&'a Bound<'py, PyAny>>) -> PyResult<Option<Utf8<'a, 'py>>> {
    match value {
        Some(v) if !v.is_none() => match v.cast::<PyString>() {
            Ok(s) => utf8(s).map(Some),
            Err(_) => Err(type_error(what, "a str or None", v)),
        },
        _ => Ok(None),
    }
}

/// One field's text: a well-formed `str` as it is (the identity rules are
/// checked when a token is made, or by `validate()`, as for the core's own
/// `UserIdentity`, so that every identity `decrypt` returns can be built
/// again); a `str` with a lone surrogate, which no identity can hold,
/// through the core's strict rule for host text, which refuses it
/// (`host::optional_field_from_utf8`, its message).
fn field_text<'t>(field: Field, value: Option<&'t Utf8<'_, '_>>) -> Result<Option<&'t str>, Error> {
    match value {
        Some(Utf8::Str(text)) => Ok(Some(text)),
        Some(Utf8::Decimal(text)) => Ok(Some(text)),
        value => host::optional_field_from_utf8(field, value.map(Utf8::bytes)),
    }
}

/// The identity from `encrypt`'s or `UserIdentity(...)`'s arguments, handed
/// to `with` as fields borrowed from the Python strings (no copy of
/// well-formed text). A lone surrogate is refused with
/// `InvalidIdentityError` and the core's message.
pub fn with_fields<T>(
    py: Python<'_>,
    id: &Bound<'_, PyAny>,
    name: Option<&Bound<'_, PyAny>>,
    email: Option<&Bound<'_, PyAny>>,
    with: impl FnOnce(IdentityFields<'_>) -> PyResult<T>,
) -> PyResult<T> {
    let id = id_utf8(py, id)?;
    let name = optional_utf8(Field::Name.as_str(), name)?;
    let email = optional_utf8(Field::Email.as_str(), email)?;
    let fields = guard(py, || {
        Ok(IdentityFields {
            id: field_text(Field::Id, Some(&id))?.unwrap_or_default(),
            name: field_text(Field::Name, name.as_ref())?,
            email: field_text(Field::Email, email.as_ref())?,
        })
    })?;
    with(fields)
}

/// A key from the secret text, parsed by the core, which holds every copy
/// of the secret it makes in `Zeroizing` memory. (The `str` itself, and the
/// `bytes` of one with lone surrogates, are Python's and are not wiped.)
pub fn key_from_secret(py: Python<'_>, secret: &Bound<'_, PyAny>) -> PyResult<IdentityKey> {
    let secret = str_utf8("secret", secret)?;
    guard(py, || host::key_from_utf8(secret.bytes()))
}

/// Opens a token with `open`. A `str` of more code points than the core's
/// untrimmed bound is refused from its length before any of it is
/// converted; the rest becomes UTF-8 (a bounded conversion) and goes to the
/// core, which trims it and checks the cap: a well-formed `str` as it is
/// (CPython's own UTF-8 of it, no copy when ASCII), one with a lone
/// surrogate through the core's lenient rule for tokens
/// (`host::token_from_utf8`: U+FFFD, which is not base64).
pub fn with_token<T>(
    py: Python<'_>,
    token: &Bound<'_, PyAny>,
    open: impl FnOnce(&str) -> Result<T, Error>,
) -> PyResult<T> {
    let s = token.cast::<PyString>().map_err(|_| type_error("token", "a str", token))?;
    let len = s.len()?;
    guard(py, || host::check_token_len(len))?;
    match utf8(s)? {
        Utf8::Str(text) => guard(py, || open(text)),
        text => guard(py, || open(&host::token_from_utf8(text.bytes())?)),
    }
}

//! Python values to core types: type checks and string extraction only.
//! Every rule about what a valid identity, secret or token is lives in the core.

use std::borrow::Cow;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyInt, PyString};
use teamweb_identity::host::{check_id_bits as check_integer_id_bits, field_from_utf8, Field};
use teamweb_identity::{IdentityFields, UserId, UserIdentity};

use crate::errors::to_py_err;

fn type_error(what: &str, expected: &str, got: &Bound<'_, PyAny>) -> PyErr {
    let type_name = got.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into());
    PyTypeError::new_err(format!("{what} must be {expected}, not {type_name}"))
}

/// The text of an identity field. A string the core cannot hold (a lone
/// surrogate) goes to the core as its `surrogatepass` bytes, which the core
/// refuses with `invalid_identity`.
fn field_text<'a>(py: Python<'_>, field: Field, s: &'a Bound<'_, PyString>) -> PyResult<Cow<'a, str>> {
    match s.to_str() {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(_) => {
            let bytes = s.call_method1("encode", ("utf-8", "surrogatepass"))?;
            let bytes: &[u8] = bytes.extract()?;
            field_from_utf8(field, bytes).map(|s| Cow::Owned(s.to_owned())).map_err(|e| to_py_err(py, e))
        }
    }
}

/// An `int` as decimal text: one that fits i128 directly, a wider one
/// through `decimal.Decimal`, which is exact and, unlike `str(int)`, not
/// limited by `sys.set_int_max_str_digits`.
fn int_text(py: Python<'_>, i: &Bound<'_, PyInt>) -> PyResult<String> {
    if let Ok(small) = i.extract::<i128>() {
        return Ok(UserId::from(small).into_string());
    }
    static DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let decimal = DECIMAL.get_or_try_init(py, || py.import("decimal")?.getattr("Decimal").map(Bound::unbind))?;
    Ok(decimal.bind(py).call1((i,))?.str()?.to_str()?.to_owned())
}

/// A `str`, or an `int` (not a `bool`) as its decimal text.
fn str_or_int_text<'a>(py: Python<'_>, value: &'a Bound<'_, PyAny>, check_int: impl FnOnce(&Bound<'_, PyInt>) -> PyResult<()>) -> PyResult<Cow<'a, str>> {
    if let Ok(s) = value.cast::<PyString>() {
        field_text(py, Field::Id, s)
    } else if value.is_instance_of::<PyBool>() {
        Err(PyTypeError::new_err("id must be a str or an int, not bool"))
    } else if let Ok(i) = value.cast::<PyInt>() {
        check_int(i)?;
        int_text(py, i).map(Cow::Owned)
    } else {
        Err(type_error("id", "a str or an int", value))
    }
}

/// An identity's `id`: a `str`, or an `int` (not a `bool`) that becomes its
/// decimal text. An `int` wider than any valid id is refused by the core
/// from its bit length (`int.bit_length()`, constant time) before it is
/// turned into text, which takes quadratic time (about a minute for
/// `10**1000000`).
pub fn id_text<'a>(py: Python<'_>, id: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, str>> {
    str_or_int_text(py, id, |i| {
        let bits: u64 = i.call_method0("bit_length")?.extract()?;
        check_integer_id_bits(bits).map_err(|e| to_py_err(py, e))
    })
}

/// The widget's `assistant_id`: a `str`, or an `int` (not a `bool`) as its
/// decimal text. No identity rule applies to it.
pub fn assistant_id_text<'a>(py: Python<'_>, id: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, str>> {
    str_or_int_text(py, id, |_| Ok(()))
}

fn optional_text<'a>(
    py: Python<'_>,
    field: Field,
    value: Option<&'a Bound<'_, PyAny>>,
) -> PyResult<Option<Cow<'a, str>>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => match v.cast::<PyString>() {
            Ok(s) => field_text(py, field, s).map(Some),
            Err(_) => Err(type_error(field.as_str(), "a str or None", v)),
        },
    }
}

/// The identity from `encrypt`'s arguments, handed to `with` as borrowed
/// fields (no copy of the text). Checks types only; the core checks the
/// rules when it encrypts.
pub fn with_fields<T>(
    py: Python<'_>,
    id: &Bound<'_, PyAny>,
    name: Option<&Bound<'_, PyAny>>,
    email: Option<&Bound<'_, PyAny>>,
    with: impl FnOnce(IdentityFields<'_>) -> PyResult<T>,
) -> PyResult<T> {
    let id = id_text(py, id)?;
    let name = optional_text(py, Field::Name, name)?;
    let email = optional_text(py, Field::Email, email)?;
    with(IdentityFields { id: &id, name: name.as_deref(), email: email.as_deref() })
}

/// The identity from `UserIdentity(...)`'s arguments.
pub fn identity(
    py: Python<'_>,
    id: &Bound<'_, PyAny>,
    name: Option<&Bound<'_, PyAny>>,
    email: Option<&Bound<'_, PyAny>>,
) -> PyResult<UserIdentity> {
    with_fields(py, id, name, email, |fields| Ok(UserIdentity::from(fields)))
}

/// A secret or a token as text. One the core cannot hold (a lone surrogate)
/// goes to it with U+FFFD in place of the surrogate, which is not base64,
/// so the core refuses it with its usual error (`invalid_secret`,
/// `malformed_token`).
pub fn lenient_text<'a>(what: &str, value: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, str>> {
    match value.cast::<PyString>() {
        Ok(s) => Ok(match s.to_str() {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => Cow::Owned(s.to_string_lossy().into_owned()),
        }),
        Err(_) => Err(type_error(what, "a str", value)),
    }
}

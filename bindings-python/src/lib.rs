//! `teamweb_identity._native`: the pyo3 module behind the Python package
//! `teamweb_identity`. It converts Python values to core types and core
//! errors to Python exceptions, nothing more; see `python/teamweb_identity/`
//! for the public package and `_native.pyi` for the typed API.
//!
//! The GIL is kept during calls: a token takes well under a microsecond, less
//! than releasing and re-taking the GIL would cost.

mod convert;
mod errors;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};
use teamweb_identity as tw;
use zeroize::Zeroizing;

use crate::convert::{assistant_id_utf8, key_from_secret, optional_utf8, str_utf8, with_fields, with_token};
use crate::errors::guard;

/// Builds the identity from `encrypt`'s arguments and makes the token with `make`.
fn encrypt_via(
    py: Python<'_>,
    id: &Bound<'_, PyAny>,
    name: Option<&Bound<'_, PyAny>>,
    email: Option<&Bound<'_, PyAny>>,
    make: impl FnOnce(tw::IdentityFields<'_>) -> Result<String, tw::Error>,
) -> PyResult<String> {
    with_fields(py, id, name, email, |fields| guard(py, || make(fields)))
}

/// Opens `token` with `open`.
fn decrypt_via(
    py: Python<'_>,
    token: &Bound<'_, PyAny>,
    open: impl FnOnce(&str) -> Result<tw::UserIdentity, tw::Error>,
) -> PyResult<PyUserIdentity> {
    with_token(py, token, open).map(PyUserIdentity::from)
}

/// Keys travel as secrets (environment, secret manager), never pickled.
fn refuse_pickle(what: &str) -> PyErr {
    PyTypeError::new_err(format!(
        "an {what} cannot be pickled; give each process the secret (e.g. from the environment) instead"
    ))
}

/// An AES-256-GCM identity key, parsed once from the channel's secret.
///
/// Make one per secret (at start-up) and share it: keys are immutable and
/// safe to use from many threads and from forked worker processes.
/// ``repr()`` and ``str()`` never show the key, and keys cannot be pickled.
#[pyclass(name = "IdentityKey", module = "teamweb_identity", frozen, skip_from_py_object)]
struct PyIdentityKey {
    inner: tw::IdentityKey,
}

#[pymethods]
impl PyIdentityKey {
    /// Parse the secret as the channel's settings page shows it: the base64
    /// of 32 bytes (standard or URL-safe alphabet, padding optional,
    /// surrounding whitespace ignored).
    ///
    /// Raises ``InvalidSecretError`` (whose message never contains the
    /// secret) or ``TypeError`` if ``secret`` is not a ``str``.
    #[staticmethod]
    fn from_base64(py: Python<'_>, secret: &Bound<'_, PyAny>) -> PyResult<Self> {
        key_from_secret(py, secret).map(|inner| Self { inner })
    }

    /// A new random key from 32 bytes of the operating system's CSPRNG.
    #[staticmethod]
    fn generate() -> Self {
        Self { inner: tw::IdentityKey::generate() }
    }

    /// The secret as padded standard base64 (44 characters), the form the
    /// settings page uses. Treat the result as the secret it is (a Python
    /// ``str``, which is never wiped).
    fn secret_base64<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        // The core's text is wiped once the Python str is made from it.
        let text = Zeroizing::new(self.inner.secret_base64());
        PyString::new(py, &text)
    }

    /// Make a token for the visitor, with a fresh random nonce.
    ///
    /// ``id`` is a ``str`` or an ``int`` (which becomes its decimal text; one
    /// wider than 851 bits is refused before that, as too long);
    /// ``name`` and ``email`` are optional (``None`` or ``""`` means absent).
    /// Raises ``InvalidIdentityError`` if the identity breaks a rule, or
    /// ``TypeError`` for an argument of the wrong type.
    #[pyo3(signature = (id, *, name = None, email = None))]
    fn encrypt<'py>(
        &self,
        py: Python<'py>,
        id: &Bound<'py, PyAny>,
        name: Option<&Bound<'py, PyAny>>,
        email: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyString>> {
        // The token goes straight from the core's buffer into a Python str.
        with_fields(py, id, name, email, |fields| {
            guard(py, || self.inner.encrypt_fields_with(fields, |token| PyString::new(py, token)))
        })
    }

    /// Open a token made with this key by any TeamWeb identity package or by
    /// the public page's examples.
    ///
    /// Raises ``MalformedTokenError``, ``AuthenticationFailedError`` or
    /// ``InvalidPayloadError``.
    fn decrypt(&self, py: Python<'_>, token: &Bound<'_, PyAny>) -> PyResult<PyUserIdentity> {
        decrypt_via(py, token, |token| self.inner.decrypt(token))
    }

    fn __repr__(&self) -> &'static str {
        "IdentityKey(<redacted>)"
    }

    fn __reduce__(&self) -> PyResult<()> {
        Err(refuse_pickle("IdentityKey"))
    }

    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
    }
}

/// Several keys, for rotating the secret without breaking tokens in flight.
///
/// ``IdentityKeyring([new_key, old_key])`` encrypts with the first key and
/// decrypts with each key in turn (moving on only when a key's
/// authentication fails). An empty list raises ``InvalidSecretError``.
#[pyclass(name = "IdentityKeyring", module = "teamweb_identity", frozen, skip_from_py_object)]
struct PyIdentityKeyring {
    inner: tw::IdentityKeyring,
    keys: Py<PyTuple>,
}

#[pymethods]
impl PyIdentityKeyring {
    #[new]
    fn new(py: Python<'_>, keys: &Bound<'_, PyAny>) -> PyResult<Self> {
        if keys.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err("keys must be an iterable of IdentityKey, not str"));
        }
        // The Python objects first; then the core's copies of the keys, in a
        // list allocated at its final size, so that no growth leaves key
        // bytes behind in a freed buffer.
        let held = keys
            .try_iter()?
            .map(|item| {
                item?.cast_into::<PyIdentityKey>().map_err(|_| {
                    PyTypeError::new_err("keys must be an iterable of IdentityKey (use IdentityKey.from_base64)")
                })
            })
            .collect::<PyResult<Vec<_>>>()?;
        let mut core_keys = Vec::with_capacity(held.len());
        core_keys.extend(held.iter().map(|key| key.get().inner.clone()));
        let inner = guard(py, || tw::IdentityKeyring::new(core_keys))?;
        Ok(Self { inner, keys: PyTuple::new(py, held)?.unbind() })
    }

    /// The keys, the encrypting one first.
    #[getter]
    fn keys(&self, py: Python<'_>) -> Py<PyTuple> {
        self.keys.clone_ref(py)
    }

    /// Make a token with the first key. Same arguments as
    /// ``IdentityKey.encrypt``.
    #[pyo3(signature = (id, *, name = None, email = None))]
    fn encrypt<'py>(
        &self,
        py: Python<'py>,
        id: &Bound<'py, PyAny>,
        name: Option<&Bound<'py, PyAny>>,
        email: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyString>> {
        with_fields(py, id, name, email, |fields| {
            guard(py, || self.inner.encrypt_fields_with(fields, |token| PyString::new(py, token)))
        })
    }

    /// Open a token with whichever key made it. Same errors as
    /// ``IdentityKey.decrypt``.
    fn decrypt(&self, py: Python<'_>, token: &Bound<'_, PyAny>) -> PyResult<PyUserIdentity> {
        decrypt_via(py, token, |token| self.inner.decrypt(token))
    }

    fn __repr__(&self) -> String {
        format!("IdentityKeyring({} keys, <redacted>)", self.inner.keys().len())
    }

    fn __reduce__(&self) -> PyResult<()> {
        Err(refuse_pickle("IdentityKeyring"))
    }

    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
    }
}

/// Who the visitor is: ``id``, and optionally ``name`` and ``email``
/// (``None`` when absent). Immutable, hashable, comparable.
///
/// ``decrypt`` returns one. ``UserIdentity(id, name=None, email=None)``
/// builds one (checking types only; the identity rules are checked when a
/// token is made, or by ``validate()``); ``""`` means absent. An ``int`` id
/// wider than 851 bits (more than 256 digits, so never a valid id) raises
/// ``InvalidIdentityError`` at once, before it is turned into text.
#[pyclass(name = "UserIdentity", module = "teamweb_identity", frozen, eq, hash, skip_from_py_object)]
#[derive(PartialEq, Eq, Hash)]
struct PyUserIdentity {
    inner: tw::UserIdentity,
}

/// `(id, name, email)`, the arguments that rebuild a `UserIdentity`.
type Parts = (String, Option<String>, Option<String>);

impl From<tw::UserIdentity> for PyUserIdentity {
    fn from(inner: tw::UserIdentity) -> Self {
        Self { inner }
    }
}

#[pymethods]
impl PyUserIdentity {
    #[new]
    #[pyo3(signature = (id, name = None, email = None))]
    fn new(
        py: Python<'_>,
        id: &Bound<'_, PyAny>,
        name: Option<&Bound<'_, PyAny>>,
        email: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        with_fields(py, id, name, email, |fields| Ok(Self::from(tw::UserIdentity::from(fields))))
    }

    /// The visitor's id, as text (an ``int`` id is its decimal text).
    #[getter]
    fn id(&self) -> &str {
        self.inner.id()
    }

    /// The visitor's name, or ``None``.
    #[getter]
    fn name(&self) -> Option<&str> {
        self.inner.name()
    }

    /// The visitor's email, or ``None``.
    #[getter]
    fn email(&self) -> Option<&str> {
        self.inner.email()
    }

    /// Check the identity rules without making a token; raises
    /// ``InvalidIdentityError``.
    fn validate(&self, py: Python<'_>) -> PyResult<()> {
        guard(py, || self.inner.validate())
    }

    /// ``{"id": ..., "name": ... or None, "email": ... or None}``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("id", self.inner.id())?;
        dict.set_item("name", self.inner.name())?;
        dict.set_item("email", self.inner.email())?;
        Ok(dict)
    }

    #[classattr]
    fn __match_args__() -> (&'static str, &'static str, &'static str) {
        ("id", "name", "email")
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let repr = |s: Option<&str>| -> PyResult<String> {
            match s {
                Some(s) => Ok(PyString::new(py, s).repr()?.to_str()?.to_owned()),
                None => Ok("None".to_owned()),
            }
        };
        Ok(format!(
            "UserIdentity(id={}, name={}, email={})",
            repr(Some(self.inner.id()))?,
            repr(self.inner.name())?,
            repr(self.inner.email())?
        ))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Parts)> {
        let me = slf.get();
        Ok((
            slf.get_type().into_any(),
            (me.inner.id().to_owned(), me.inner.name().map(str::to_owned), me.inner.email().map(str::to_owned)),
        ))
    }
}

/// Make a token in one call from the secret text. Parsing the secret costs
/// more than the token: a server making many tokens should keep one
/// ``IdentityKey``. Raises ``InvalidSecretError`` or ``InvalidIdentityError``.
#[pyfunction]
#[pyo3(signature = (secret, id, *, name = None, email = None))]
fn encrypt_user_token(
    py: Python<'_>,
    secret: &Bound<'_, PyAny>,
    id: &Bound<'_, PyAny>,
    name: Option<&Bound<'_, PyAny>>,
    email: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let key = key_from_secret(py, secret)?;
    encrypt_via(py, id, name, email, |fields| key.encrypt_fields(fields))
}

/// Open a token in one call with the secret text. Raises
/// ``InvalidSecretError`` or the errors of ``IdentityKey.decrypt``.
#[pyfunction]
fn decrypt_user_token(py: Python<'_>, secret: &Bound<'_, PyAny>, token: &Bound<'_, PyAny>) -> PyResult<PyUserIdentity> {
    let key = key_from_secret(py, secret)?;
    decrypt_via(py, token, |token| key.decrypt(token))
}

/// The ``<script>`` tag that loads the chat widget:
/// ``<script src="…" data-assistant-id="…" data-user-token="…"></script>``,
/// every value HTML-attribute-escaped; without a token there is no
/// ``data-user-token`` attribute. ``assistant_id`` is a ``str`` or an ``int``
/// (an ``int`` wider than 851 bits raises ``InvalidIdentityError`` before it
/// is turned into text). A lone surrogate in any argument is written as
/// U+FFFD, as in every TeamWeb identity package.
#[pyfunction]
#[pyo3(signature = (src, assistant_id, user_token = None))]
fn widget_script_tag(
    py: Python<'_>,
    src: &Bound<'_, PyAny>,
    assistant_id: &Bound<'_, PyAny>,
    user_token: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let src = str_utf8("src", src)?;
    let assistant_id = assistant_id_utf8(py, assistant_id)?;
    let user_token = optional_utf8("user_token", user_token)?;
    Ok(tw::host::script_tag_utf8(src.bytes(), assistant_id.bytes(), user_token.as_ref().map(|t| t.bytes())))
}

/// Make a token with a fixed 12-byte nonce, for conformance tests only: a
/// nonce used twice under one key breaks AES-GCM. Public as
/// ``teamweb_identity.testing.encrypt_with_nonce``.
#[pyfunction]
#[pyo3(signature = (key, nonce, id, *, name = None, email = None))]
fn encrypt_with_nonce(
    py: Python<'_>,
    key: &Bound<'_, PyAny>,
    nonce: &Bound<'_, PyAny>,
    id: &Bound<'_, PyAny>,
    name: Option<&Bound<'_, PyAny>>,
    email: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let key = key.cast::<PyIdentityKey>().map_err(|_| PyTypeError::new_err("key must be an IdentityKey"))?;
    let nonce: &[u8] = nonce.extract().map_err(|_| PyTypeError::new_err("nonce must be bytes"))?;
    let nonce: [u8; 12] = nonce
        .try_into()
        .map_err(|_| PyValueError::new_err(format!("nonce must be 12 bytes, not {}", nonce.len())))?;
    encrypt_via(py, id, name, email, |fields| tw::testing::encrypt_with_nonce(&key.get().inner, nonce, &fields.into()))
}

/// The native half of ``teamweb_identity``; import the package instead.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<PyIdentityKey>()?;
    m.add_class::<PyIdentityKeyring>()?;
    m.add_class::<PyUserIdentity>()?;
    m.add_function(wrap_pyfunction!(encrypt_user_token, m)?)?;
    m.add_function(wrap_pyfunction!(decrypt_user_token, m)?)?;
    m.add_function(wrap_pyfunction!(widget_script_tag, m)?)?;
    m.add_function(wrap_pyfunction!(encrypt_with_nonce, m)?)?;
    Ok(())
}

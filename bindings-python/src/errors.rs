//! The one place where core errors become Python exceptions.
//!
//! The exception classes themselves are plain Python (`teamweb_identity._errors`),
//! so they carry docstrings, `.code` and ordinary `ValueError` behaviour; this
//! module maps each [`ErrorKind`] to its class, once.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use teamweb_identity::{Error, ErrorKind};

/// Python class names, in the order of [`ErrorKind::ALL`].
const CLASS_NAMES: [(ErrorKind, &str); 5] = [
    (ErrorKind::InvalidSecret, "InvalidSecretError"),
    (ErrorKind::InvalidIdentity, "InvalidIdentityError"),
    (ErrorKind::MalformedToken, "MalformedTokenError"),
    (ErrorKind::AuthenticationFailed, "AuthenticationFailedError"),
    (ErrorKind::InvalidPayload, "InvalidPayloadError"),
];

static CLASSES: PyOnceLock<Vec<Py<PyType>>> = PyOnceLock::new();

fn class_of<'py>(py: Python<'py>, kind: ErrorKind) -> PyResult<Bound<'py, PyType>> {
    let classes = CLASSES.get_or_try_init(py, || -> PyResult<Vec<Py<PyType>>> {
        let module = py.import("teamweb_identity._errors")?;
        CLASS_NAMES
            .iter()
            .map(|(_, name)| Ok(module.getattr(*name)?.cast_into::<PyType>()?.unbind()))
            .collect()
    })?;
    let index = CLASS_NAMES.iter().position(|(k, _)| *k == kind).unwrap_or(0);
    Ok(classes[index].bind(py).clone())
}

/// The Python exception for a core error: the subclass of
/// `IdentityTokenError` for its kind, with the core's message (which never
/// contains a secret or a token).
pub fn to_py_err(py: Python<'_>, err: Error) -> PyErr {
    match class_of(py, err.kind()) {
        Ok(class) => PyErr::from_type(class, err.message().to_owned()),
        Err(import_failed) => import_failed,
    }
}

/// Runs a call into the core, turning its error into the Python exception.
/// (A panic, which would be a bug, pyo3 already turns into its
/// `PanicException` at the boundary of every function and method.)
pub fn guard<T>(py: Python<'_>, f: impl FnOnce() -> Result<T, Error>) -> PyResult<T> {
    f().map_err(|err| to_py_err(py, err))
}

//! The addon's one error module: how failures reach JavaScript.
//!
//! Every error the addon throws is a JavaScript `Error` whose `code` says
//! what it is: one of the core's five stable codes (`invalid_secret`,
//! `invalid_identity`, `malformed_token`, `authentication_failed`,
//! `invalid_payload`), `type_error` for a value of the wrong JavaScript
//! type, or napi-rs's own `InvalidArg` when its argument check
//! (`#[napi(strict)]`) refuses a value (or another Node-API status, should
//! Node-API fail while reading a value that passed that check). The package's `errors.js` turns them
//! into its error classes (and `TypeError`s) by that code; [`error_codes`]
//! lets it check at load time that it knows every code of the core.
//!
//! Panics are caught by napi-rs itself (`#[napi(catch_unwind)]` on every
//! export) and thrown as plain `Error`s.

use napi_derive::napi;
use teamweb_identity as tw;

/// The `code` of a thrown error (napi-rs sets it from [`AsRef<str>`]).
pub enum Code {
    /// One of the core's stable codes.
    Core(tw::ErrorKind),
    /// A value of the wrong JavaScript type (errors.js throws a `TypeError`).
    Type,
    /// Node-API itself failed while reading a value napi-rs had already
    /// type-checked: napi-rs's own status, as its own errors carry it.
    Napi(napi::Status),
}

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        match self {
            Code::Core(kind) => kind.code(),
            Code::Type => "type_error",
            Code::Napi(status) => status.as_ref(),
        }
    }
}

/// An error on its way to JavaScript.
pub type Error = napi::Error<Code>;

/// What the addon's functions return.
pub type Result<T> = std::result::Result<T, Error>;

/// A core error, thrown with its code and its message (which never holds a
/// secret, a key or a token).
pub fn core(err: tw::Error) -> Error {
    Error::new(Code::Core(err.kind()), err.message())
}

/// A value of the wrong JavaScript type; `what` says what was expected
/// (never the value).
pub fn type_error(what: &str) -> Error {
    Error::new(Code::Type, what)
}

/// A failure of Node-API itself (napi-rs's error, its status kept as the code).
pub fn napi(err: napi::Error) -> Error {
    Error::new(Code::Napi(err.status), err.reason.clone())
}

/// The core's stable error codes (`ErrorKind::ALL`), so that errors.js can
/// check at load time that it maps every one of them.
#[napi(catch_unwind)]
pub fn error_codes() -> Vec<&'static str> {
    tw::ErrorKind::ALL.iter().map(|kind| kind.code()).collect()
}

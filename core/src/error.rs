//! The one error type of the crate.

use std::fmt;

/// Everything that can go wrong when making or opening a token.
///
/// Each variant has a stable [`code`](Error::code) string, the same in every
/// language the SDK ships in. The text carried by a variant explains what was
/// wrong in words a user can act on; it never contains a secret, a key or
/// the text of a token.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The secret is not the base64 of exactly 32 bytes (`invalid_secret`).
    InvalidSecret(String),
    /// The identity breaks one of the identity rules (`invalid_identity`).
    InvalidIdentity(String),
    /// The token is not base64 of at least 28 bytes, or is too long
    /// (`malformed_token`).
    MalformedToken(String),
    /// AES-GCM refused the token: wrong key or a changed byte
    /// (`authentication_failed`). Deliberately carries no detail.
    AuthenticationFailed,
    /// The token decrypted, but its plaintext is not an identity object
    /// (`invalid_payload`).
    InvalidPayload(String),
}

/// The kind of an [`Error`], without its message; what bindings map to
/// their language's exception classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// See [`Error::InvalidSecret`].
    InvalidSecret,
    /// See [`Error::InvalidIdentity`].
    InvalidIdentity,
    /// See [`Error::MalformedToken`].
    MalformedToken,
    /// See [`Error::AuthenticationFailed`].
    AuthenticationFailed,
    /// See [`Error::InvalidPayload`].
    InvalidPayload,
}

impl ErrorKind {
    /// Every kind, in the order of docs/FORMAT.md, section 6.
    pub const ALL: [ErrorKind; 5] = [
        ErrorKind::InvalidSecret,
        ErrorKind::InvalidIdentity,
        ErrorKind::MalformedToken,
        ErrorKind::AuthenticationFailed,
        ErrorKind::InvalidPayload,
    ];

    /// The stable code string: `invalid_secret`, `invalid_identity`,
    /// `malformed_token`, `authentication_failed` or `invalid_payload`.
    pub const fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidSecret => "invalid_secret",
            ErrorKind::InvalidIdentity => "invalid_identity",
            ErrorKind::MalformedToken => "malformed_token",
            ErrorKind::AuthenticationFailed => "authentication_failed",
            ErrorKind::InvalidPayload => "invalid_payload",
        }
    }
}

const AUTHENTICATION_FAILED: &str =
    "token authentication failed: it was not made with this key, or it was changed";

impl Error {
    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidSecret(_) => ErrorKind::InvalidSecret,
            Error::InvalidIdentity(_) => ErrorKind::InvalidIdentity,
            Error::MalformedToken(_) => ErrorKind::MalformedToken,
            Error::AuthenticationFailed => ErrorKind::AuthenticationFailed,
            Error::InvalidPayload(_) => ErrorKind::InvalidPayload,
        }
    }

    /// The stable code string of this error, e.g. `"invalid_secret"`.
    ///
    /// ```
    /// let err = teamweb_identity::IdentityKey::from_base64("nope").unwrap_err();
    /// assert_eq!(err.code(), "invalid_secret");
    /// ```
    pub fn code(&self) -> &'static str {
        self.kind().code()
    }

    /// The human-readable message, without the code.
    pub fn message(&self) -> &str {
        match self {
            Error::InvalidSecret(m)
            | Error::InvalidIdentity(m)
            | Error::MalformedToken(m)
            | Error::InvalidPayload(m) => m,
            Error::AuthenticationFailed => AUTHENTICATION_FAILED,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({}: {})", self.code(), self.message())
    }
}

impl std::error::Error for Error {}

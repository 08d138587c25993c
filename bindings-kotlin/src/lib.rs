//! uniffi scaffolding for the Kotlin/JVM package `ai.teamweb:teamweb-identity`.
//!
//! One native library per platform holds both ways into the core:
//!
//! - what uniffi generates Kotlin for (here): making, freeing and copying
//!   keys and keyrings, with the core's errors as a typed exception;
//! - the C ABI of `bindings-c` (`tw_*`, linked into this library as an
//!   rlib, so its functions are exported from it), which the hand-written
//!   facade calls through JNA direct mapping for every per-call operation
//!   (key and keyring encrypt/decrypt, the one-shots, the script tag, the
//!   testing call): caller-provided buffers, no allocation per call, and no
//!   JNA `Structure`s (uniffi's generated calls allocate several, which costs
//!   tens of microseconds per call on the JVM; see README.md).
//!
//! This crate only converts types: every rule about host text and every
//! check lives in the core (`teamweb_identity::host`); it has no `extern
//! "C"` function of its own. A key or keyring object owns the `bindings-c`
//! handle ([`TwKey`], [`TwKeyring`]) whose address [`FfiKey::handle`] gives
//! to the facade, which keeps the object alive and open during each call.
//!
//! Secrets travel from the JVM as the little-endian bytes of their UTF-16
//! code units (uniffi's string conversion cannot carry a lone surrogate);
//! [`teamweb_identity::host::key_from_utf16`] reads them leniently, and
//! every copy here is zeroized.

use std::fmt;
use std::sync::Arc;

use c_abi::{TwKey, TwKeyring};
use teamweb_identity::host;
use teamweb_identity::{Error, ErrorKind, IdentityKey, IdentityKeyring};
use zeroize::Zeroizing;

uniffi::setup_scaffolding!("teamweb_identity");

/// A refused call: one variant per core [`ErrorKind`]. The Kotlin facade
/// maps each to its `IdentityTokenException` subclass in its one error
/// module (`internal/Errors.kt`).
#[derive(Debug, uniffi::Error)]
#[uniffi(flat_error)]
pub enum TokenError {
    /// `invalid_secret`
    InvalidSecret(String),
    /// `invalid_identity`
    InvalidIdentity(String),
    /// `malformed_token`
    MalformedToken(String),
    /// `authentication_failed`
    AuthenticationFailed(String),
    /// `invalid_payload`
    InvalidPayload(String),
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (TokenError::InvalidSecret(m)
        | TokenError::InvalidIdentity(m)
        | TokenError::MalformedToken(m)
        | TokenError::AuthenticationFailed(m)
        | TokenError::InvalidPayload(m)) = self;
        f.write_str(m)
    }
}

impl From<Error> for TokenError {
    fn from(err: Error) -> Self {
        let message = err.message().to_owned();
        match err.kind() {
            ErrorKind::InvalidSecret => TokenError::InvalidSecret(message),
            ErrorKind::InvalidIdentity => TokenError::InvalidIdentity(message),
            ErrorKind::MalformedToken => TokenError::MalformedToken(message),
            ErrorKind::AuthenticationFailed => TokenError::AuthenticationFailed(message),
            ErrorKind::InvalidPayload => TokenError::InvalidPayload(message),
        }
    }
}

/// A key, as the C ABI's handle.
#[derive(uniffi::Object)]
pub struct FfiKey(TwKey);

#[uniffi::export]
impl FfiKey {
    /// Reads a secret given as the little-endian bytes of its UTF-16 code
    /// units (see [`host::key_from_utf16`]).
    #[uniffi::constructor]
    pub fn from_base64(secret_utf16le: Vec<u8>) -> Result<Arc<Self>, TokenError> {
        let secret_utf16le = Zeroizing::new(secret_utf16le);
        let units: Zeroizing<Vec<u16>> =
            Zeroizing::new(secret_utf16le.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]])).collect());
        Ok(Arc::new(FfiKey(TwKey::new(host::key_from_utf16(&units)?))))
    }

    /// See [`IdentityKey::generate`].
    #[uniffi::constructor]
    pub fn generate() -> Arc<Self> {
        Arc::new(FfiKey(TwKey::new(IdentityKey::generate())))
    }

    /// The address of the `tw_key` the C functions take: valid while this
    /// object is alive (the Kotlin facade guarantees that during each call).
    pub fn handle(&self) -> i64 {
        self.0.as_ptr() as usize as i64
    }

    /// See [`IdentityKey::secret_base64`].
    pub fn secret_base64(&self) -> String {
        self.0.key().secret_base64()
    }
}

/// A keyring, as the C ABI's handle.
#[derive(uniffi::Object)]
pub struct FfiKeyring(TwKeyring);

#[uniffi::export]
impl FfiKeyring {
    /// See [`IdentityKeyring::new`]: no keys is `invalid_secret`.
    #[uniffi::constructor]
    pub fn new(keys: Vec<Arc<FfiKey>>) -> Result<Arc<Self>, TokenError> {
        let mut copies = Vec::with_capacity(keys.len());
        copies.extend(keys.iter().map(|k| k.0.key().clone()));
        Ok(Arc::new(FfiKeyring(TwKeyring::new(IdentityKeyring::new(copies)?))))
    }

    /// The address of the `tw_keyring` the C functions take (see
    /// [`FfiKey::handle`]).
    pub fn handle(&self) -> i64 {
        self.0.as_ptr() as usize as i64
    }

    /// Number of keys (an `Int` in Kotlin, callable from Java as is).
    pub fn size(&self) -> i32 {
        i32::try_from(self.0.keyring().keys().len()).unwrap_or(i32::MAX)
    }
}

/// Panics, so the Kotlin tests can check that a Rust panic reaches the
/// caller as an exception and leaves the JVM running. Not part of the API.
#[uniffi::export]
pub fn ffi_self_test_panic() -> Result<(), TokenError> {
    panic!("deliberate panic from the self-test entry point")
}

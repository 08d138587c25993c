//! uniffi scaffolding for the Kotlin/JVM package `ai.teamweb:teamweb-identity`.
//!
//! This crate only converts types: every rule, the JSON, base64, escaping and
//! the crypto live in the `teamweb-identity` core. The Kotlin code that
//! `uniffi-bindgen` generates from this library lands in the internal package
//! `ai.teamweb.identity.ffi`; the public API is the hand-written facade in
//! `src/main/kotlin/ai/teamweb/identity/`, which makes and frees keys and
//! keyrings through what is exported here, and makes and opens tokens (key
//! and keyring encrypt/decrypt, the one-shots, the script tag, the testing
//! call) through the plain C functions of the `fast` module, one call each:
//! each call through uniffi's generated JNA code costs tens of microseconds;
//! see README.md. The uniffi exports below stay complete (every operation,
//! with typed errors) for other uniffi-generated packages.
//!
//! Text from the JVM travels as UTF-16 code units (the little-endian bytes of
//! a `String`'s chars), not as uniffi strings: uniffi's string conversion
//! cannot carry a lone surrogate (it fails in Kotlin with a
//! `CharacterCodingException`). Identity fields go through
//! [`teamweb_identity::host::field_from_utf16`], which refuses lone surrogates with
//! `invalid_identity`; other text (secrets, tokens, script-tag values) is
//! decoded with U+FFFD replacement, which the core then refuses as it refuses
//! any other character that is not base64.

use std::fmt;
use std::sync::Arc;

use teamweb_identity::host::{field_from_utf16 as text_from_utf16, Field};
use teamweb_identity::{
    decrypt_user_token, encrypt_user_token, testing, widget_script_tag, Error, ErrorKind,
    IdentityKey, IdentityKeyring, UserIdentity,
};

mod fast;

uniffi::setup_scaffolding!("teamweb_identity");

/// A refused call: one variant per core [`ErrorKind`], plus `Argument` for a
/// host value of the wrong shape (a nonce that is not 12 bytes). The Kotlin
/// facade maps each variant to its `IdentityTokenException` subclass in one
/// place (`Errors.kt`).
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
    /// A host argument of the wrong shape (Kotlin: `IllegalArgumentException`).
    Argument(String),
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (TokenError::InvalidSecret(m)
        | TokenError::InvalidIdentity(m)
        | TokenError::MalformedToken(m)
        | TokenError::AuthenticationFailed(m)
        | TokenError::InvalidPayload(m)
        | TokenError::Argument(m)) = self;
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

/// An identity as the JVM holds it: each field as the little-endian bytes of
/// its UTF-16 code units (a `String`'s chars, copied without encoding).
#[derive(uniffi::Record)]
pub struct Utf16Identity {
    /// The `id`.
    pub id: Vec<u8>,
    /// The `name`, if any.
    pub name: Option<Vec<u8>>,
    /// The `email`, if any.
    pub email: Option<Vec<u8>>,
}

/// UTF-16 code units from their little-endian bytes (the facade always
/// sends an even number of bytes; a stray last byte is ignored).
fn units(bytes: &[u8]) -> Vec<u16> {
    bytes.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]])).collect()
}

/// An identity field: lone surrogates are refused by the core.
fn text(field: Field, bytes: &[u8]) -> Result<String, TokenError> {
    Ok(text_from_utf16(field, &units(bytes))?)
}

/// Any other text: lone surrogates become U+FFFD.
fn lossy(bytes: &[u8]) -> String {
    String::from_utf16_lossy(&units(bytes))
}

impl Utf16Identity {
    fn to_core(&self) -> Result<UserIdentity, TokenError> {
        let optional = |field, value: &Option<Vec<u8>>| value.as_deref().map(|b| text(field, b)).transpose();
        Ok(UserIdentity::from_parts(
            text(Field::Id, &self.id)?,
            optional(Field::Name, &self.name)?,
            optional(Field::Email, &self.email)?,
        ))
    }
}

/// An opened identity; absent fields are `None`.
#[derive(uniffi::Record)]
pub struct OpenedIdentity {
    /// The `id`, as text.
    pub id: String,
    /// The `name`, if present.
    pub name: Option<String>,
    /// The `email`, if present.
    pub email: Option<String>,
}

impl From<UserIdentity> for OpenedIdentity {
    fn from(identity: UserIdentity) -> Self {
        let (id, name, email) = identity.into_parts();
        OpenedIdentity { id, name, email }
    }
}

/// An [`IdentityKey`].
#[derive(uniffi::Object)]
pub struct FfiKey(IdentityKey);

#[uniffi::export]
impl FfiKey {
    /// See [`IdentityKey::from_base64`].
    #[uniffi::constructor]
    pub fn from_base64(secret: Vec<u8>) -> Result<Arc<Self>, TokenError> {
        Ok(Arc::new(FfiKey(IdentityKey::from_base64(&lossy(&secret))?)))
    }

    /// See [`IdentityKey::generate`].
    #[uniffi::constructor]
    pub fn generate() -> Arc<Self> {
        Arc::new(FfiKey(IdentityKey::generate()))
    }

    /// The address of the core key, for the direct functions in `fast.rs`: valid
    /// while this object is alive (the Kotlin facade guarantees that).
    pub fn fast_handle(&self) -> i64 {
        &self.0 as *const IdentityKey as usize as i64
    }

    /// See [`IdentityKey::secret_base64`].
    pub fn secret_base64(&self) -> String {
        self.0.secret_base64()
    }

    /// See [`IdentityKey::encrypt`].
    pub fn encrypt(&self, identity: Utf16Identity) -> Result<String, TokenError> {
        Ok(self.0.encrypt(&identity.to_core()?)?)
    }

    /// See [`IdentityKey::decrypt`].
    pub fn decrypt(&self, token: Vec<u8>) -> Result<OpenedIdentity, TokenError> {
        Ok(self.0.decrypt(&lossy(&token))?.into())
    }

    /// See [`testing::encrypt_with_nonce`].
    pub fn encrypt_with_nonce(&self, nonce: Vec<u8>, identity: Utf16Identity) -> Result<String, TokenError> {
        let nonce = <[u8; 12]>::try_from(nonce.as_slice())
            .map_err(|_| TokenError::Argument(format!("the nonce must be 12 bytes, not {}", nonce.len())))?;
        Ok(testing::encrypt_with_nonce(&self.0, nonce, &identity.to_core()?)?)
    }
}

/// An [`IdentityKeyring`].
#[derive(uniffi::Object)]
pub struct FfiKeyring(IdentityKeyring);

#[uniffi::export]
impl FfiKeyring {
    /// See [`IdentityKeyring::new`].
    #[uniffi::constructor]
    pub fn new(keys: Vec<Arc<FfiKey>>) -> Result<Arc<Self>, TokenError> {
        Ok(Arc::new(FfiKeyring(IdentityKeyring::new(keys.iter().map(|k| k.0.clone()))?)))
    }

    /// The address of the core keyring, for the direct functions in `fast.rs`:
    /// valid while this object is alive (the Kotlin facade guarantees that).
    pub fn fast_handle(&self) -> i64 {
        &self.0 as *const IdentityKeyring as usize as i64
    }

    /// Number of keys (an `Int` in Kotlin, callable from Java as is).
    pub fn size(&self) -> i32 {
        i32::try_from(self.0.keys().len()).unwrap_or(i32::MAX)
    }

    /// See [`IdentityKeyring::encrypt`].
    pub fn encrypt(&self, identity: Utf16Identity) -> Result<String, TokenError> {
        Ok(self.0.encrypt(&identity.to_core()?)?)
    }

    /// See [`IdentityKeyring::decrypt`].
    pub fn decrypt(&self, token: Vec<u8>) -> Result<OpenedIdentity, TokenError> {
        Ok(self.0.decrypt(&lossy(&token))?.into())
    }
}

/// See [`teamweb_identity::encrypt_user_token`].
#[uniffi::export]
pub fn ffi_encrypt_user_token(secret: Vec<u8>, identity: Utf16Identity) -> Result<String, TokenError> {
    Ok(encrypt_user_token(&lossy(&secret), &identity.to_core()?)?)
}

/// See [`teamweb_identity::decrypt_user_token`].
#[uniffi::export]
pub fn ffi_decrypt_user_token(secret: Vec<u8>, token: Vec<u8>) -> Result<OpenedIdentity, TokenError> {
    Ok(decrypt_user_token(&lossy(&secret), &lossy(&token))?.into())
}

/// See [`teamweb_identity::widget_script_tag`]; the facade turns an integer
/// assistant id into its decimal text.
#[uniffi::export]
pub fn ffi_widget_script_tag(src: Vec<u8>, assistant_id: Vec<u8>, user_token: Option<Vec<u8>>) -> String {
    widget_script_tag(&lossy(&src), lossy(&assistant_id), user_token.map(|t| lossy(&t)).as_deref())
}

/// Panics, so the Kotlin tests can check that a Rust panic reaches the
/// caller as an exception and leaves the JVM running. Not part of the API.
#[uniffi::export]
pub fn ffi_self_test_panic() -> Result<(), TokenError> {
    panic!("deliberate panic from the self-test entry point")
}

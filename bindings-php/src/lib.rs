//! The PHP extension `teamweb_identity` (namespace `TeamwebIdentity`) over
//! the teamweb-identity core, on ext-php-rs.
//!
//! It only converts: PHP strings (bytes) go to the core's host entry
//! (`teamweb_identity::host`), PHP ints are i64, and the core's errors become
//! the exceptions of `errors.rs`. Every rule and message is the core's.
#![cfg_attr(windows, feature(abi_vectorcall))]

mod convert;
mod errors;

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::exception::PhpException;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use teamweb_identity::{self as tw, host};


use convert::{Fields, TextOrInt};
use errors::{to_php, type_error};

type Bytes<'a> = BinarySlice<'a, u8>;

fn bytes<'a>(value: &Option<Bytes<'a>>) -> Option<&'a [u8]> {
    value.as_ref().map(|b| **b)
}

/// An AES-256-GCM identity key, parsed once from the channel's secret.
///
/// Make one per secret (at start-up, e.g. in a service container) and use
/// it for every token. A key never shows its bytes: `var_dump`, `print_r`,
/// `var_export` and `json_encode` show no property, it cannot be serialised
/// (`serialize()` throws) or cloned, and its 32 bytes and expanded AES/GHASH
/// keys are wiped when it is freed.
#[php_class]
#[php(name = "TeamwebIdentity\\IdentityKey")]
#[php(flags = ClassFlags::Final)]
pub struct IdentityKey {
    inner: tw::IdentityKey,
}

#[php_impl]
impl IdentityKey {
    /// The key of a secret as the channel's settings page shows it: the
    /// base64 of 32 bytes (standard or URL-safe alphabet, padding optional,
    /// surrounding whitespace ignored).
    ///
    /// @throws InvalidSecretException (its message never contains the secret)
    pub fn from_base64(secret: Bytes) -> PhpResult<Self> {
        host::key_from_utf8(&secret).map(|inner| Self { inner }).map_err(to_php)
    }

    /// A new key from 32 bytes of the operating system's CSPRNG.
    pub fn generate() -> Self {
        Self { inner: tw::IdentityKey::generate() }
    }

    /// The secret of this key as padded standard base64 (44 characters).
    /// The returned string is a PHP string: PHP does not wipe it.
    pub fn secret_base64(&self) -> String {
        self.inner.secret_base64()
    }

    /// A token for this identity, with a fresh nonce from the OS's CSPRNG.
    ///
    /// @param string|int $id the user's id (an int becomes its decimal text)
    /// @param ?string $name optional; null or "" is absent
    /// @param ?string $email optional; null or "" is absent
    /// @throws InvalidIdentityException
    pub fn encrypt(&self, id: &Zval, name: Option<Bytes>, email: Option<Bytes>) -> PhpResult<String> {
        let id = TextOrInt::from_zval(id, "TeamwebIdentity\\IdentityKey::encrypt", 1, "id")?;
        Fields::new(id, bytes(&name), bytes(&email)).with(|fields| self.inner.encrypt_fields(fields))
    }

    /// Opens a token made with this key.
    ///
    /// @throws MalformedTokenException|AuthenticationFailedException|InvalidPayloadException
    pub fn decrypt(&self, token: Bytes) -> PhpResult<UserIdentity> {
        let token = host::token_from_utf8(&token).map_err(to_php)?;
        self.inner.decrypt(&token).map(UserIdentity::from).map_err(to_php)
    }
}

/// Several keys, for rotating the secret without breaking tokens in flight:
/// encrypts with the first key, decrypts with each key in turn (moving on
/// only when a key's authentication fails). Not serialisable, like a key.
#[php_class]
#[php(name = "TeamwebIdentity\\IdentityKeyring")]
#[php(flags = ClassFlags::Final)]
pub struct IdentityKeyring {
    inner: tw::IdentityKeyring,
}

#[php_impl]
impl IdentityKeyring {
    /// @param IdentityKey[] $keys the encrypting key first
    /// @throws InvalidSecretException when $keys is empty
    pub fn __construct(keys: &ZendHashTable) -> PhpResult<Self> {
        let mut ring = Vec::with_capacity(keys.len());
        for (position, value) in keys.values().enumerate() {
            match value.extract::<&IdentityKey>() {
                Some(key) => ring.push(key.inner.clone()),
                None => {
                    return Err(type_error(format!(
                        "TeamwebIdentity\\IdentityKeyring::__construct(): Argument #1 ($keys) must contain only TeamwebIdentity\\IdentityKey objects, element {position} is not one"
                    )))
                }
            }
        }
        tw::IdentityKeyring::new(ring).map(|inner| Self { inner }).map_err(to_php)
    }

    /// A token made with the first key. See IdentityKey::encrypt().
    ///
    /// @param string|int $id
    /// @throws InvalidIdentityException
    pub fn encrypt(&self, id: &Zval, name: Option<Bytes>, email: Option<Bytes>) -> PhpResult<String> {
        let id = TextOrInt::from_zval(id, "TeamwebIdentity\\IdentityKeyring::encrypt", 1, "id")?;
        Fields::new(id, bytes(&name), bytes(&email))
            .with(|fields| self.inner.encrypt_fields_with(fields, str::to_owned))
    }

    /// Opens a token with whichever key made it.
    ///
    /// @throws MalformedTokenException|AuthenticationFailedException|InvalidPayloadException
    pub fn decrypt(&self, token: Bytes) -> PhpResult<UserIdentity> {
        let token = host::token_from_utf8(&token).map_err(to_php)?;
        self.inner.decrypt(&token).map(UserIdentity::from).map_err(to_php)
    }
}

/// Who the visitor is: `id`, and `name` and `email` (null when absent).
/// Read-only. `decrypt()` returns one; `new UserIdentity($id, $name,
/// $email)` builds one (checking that the text is UTF-8; the identity rules
/// are checked when a token is made). `""` is absent, so `==` holds between
/// an identity and its own round trip.
#[php_class]
#[php(name = "TeamwebIdentity\\UserIdentity")]
#[php(flags = ClassFlags::Final)]
pub struct UserIdentity {
    inner: tw::UserIdentity,
}

impl From<tw::UserIdentity> for UserIdentity {
    fn from(inner: tw::UserIdentity) -> Self {
        Self { inner }
    }
}

#[php_impl]
impl UserIdentity {
    /// @param string|int $id
    /// @throws InvalidIdentityException when a field is not UTF-8
    pub fn __construct(id: &Zval, name: Option<Bytes>, email: Option<Bytes>) -> PhpResult<Self> {
        let id = TextOrInt::from_zval(id, "TeamwebIdentity\\UserIdentity::__construct", 1, "id")?;
        Fields::new(id, bytes(&name), bytes(&email))
            .with(|fields| Ok(tw::UserIdentity::from(fields)))
            .map(Self::from)
    }

    /// The user's id, as text (an int id is its decimal text).
    #[php(getter)]
    pub fn get_id(&self) -> String {
        self.inner.id().to_owned()
    }

    /// The user's name, or null.
    #[php(getter)]
    pub fn get_name(&self) -> Option<String> {
        self.inner.name().map(str::to_owned)
    }

    /// The user's email, or null.
    #[php(getter)]
    pub fn get_email(&self) -> Option<String> {
        self.inner.email().map(str::to_owned)
    }
}

/// Entry points for tests only.
#[php_class]
#[php(name = "TeamwebIdentity\\Testing")]
#[php(flags = ClassFlags::Final)]
pub struct Testing;

#[php_impl]
impl Testing {
    /// A token made with the given 12-byte nonce instead of a fresh random
    /// one: for conformance tests only. A nonce used twice under one key
    /// breaks AES-GCM (anyone can then forge tokens); never use this outside
    /// tests.
    ///
    /// @param string $nonce 12 raw bytes
    /// @param string|int $id
    /// @throws InvalidIdentityException
    pub fn encrypt_with_nonce(
        key: &IdentityKey,
        nonce: Bytes,
        id: &Zval,
        name: Option<Bytes>,
        email: Option<Bytes>,
    ) -> PhpResult<String> {
        let nonce: [u8; 12] = (*nonce).try_into().map_err(|_| {
            PhpException::new(
                format!(
                    "TeamwebIdentity\\Testing::encryptWithNonce(): Argument #2 ($nonce) must be 12 bytes, {} given",
                    nonce.len()
                ),
                0,
                ext_php_rs::zend::ce::value_error(),
            )
        })?;
        let id = TextOrInt::from_zval(id, "TeamwebIdentity\\Testing::encryptWithNonce", 3, "id")?;
        Fields::new(id, bytes(&name), bytes(&email))
            .with(|fields| tw::testing::encrypt_with_nonce(&key.inner, nonce, &fields.into()))
    }
}

/// A token for this identity from the secret in one call. A server that
/// makes many tokens should keep one IdentityKey instead.
///
/// @param string|int $id
/// @throws InvalidSecretException|InvalidIdentityException
#[php_function]
#[php(name = "TeamwebIdentity\\encryptUserToken")]
pub fn encrypt_user_token(secret: Bytes, id: &Zval, name: Option<Bytes>, email: Option<Bytes>) -> PhpResult<String> {
    let id = TextOrInt::from_zval(id, "TeamwebIdentity\\encryptUserToken", 2, "id")?;
    let key = host::key_from_utf8(&secret).map_err(to_php)?;
    Fields::new(id, bytes(&name), bytes(&email)).with(|fields| key.encrypt_fields(fields))
}

/// Opens a token with the secret in one call.
///
/// @throws InvalidSecretException|MalformedTokenException|AuthenticationFailedException|InvalidPayloadException
#[php_function]
#[php(name = "TeamwebIdentity\\decryptUserToken")]
pub fn decrypt_user_token(secret: Bytes, token: Bytes) -> PhpResult<UserIdentity> {
    let key = host::key_from_utf8(&secret).map_err(to_php)?;
    let token = host::token_from_utf8(&token).map_err(to_php)?;
    key.decrypt(&token).map(UserIdentity::from).map_err(to_php)
}

mod script_tag {
    // PHP's parameter names are the Rust ones: $assistantId, $userToken.
    #![allow(non_snake_case)]
    use super::*;

    /// The widget's `<script>` tag, every value HTML-attribute-escaped; no
    /// `data-user-token` attribute when $userToken is null. Text that is not
    /// UTF-8 is shown with U+FFFD; this never throws for a string.
    ///
    /// @param string|int $assistantId
    #[php_function]
    #[php(name = "TeamwebIdentity\\widgetScriptTag")]
    pub fn widget_script_tag(src: Bytes, assistantId: &Zval, userToken: Option<Bytes>) -> PhpResult<String> {
        let assistant_id = TextOrInt::from_zval(assistantId, "TeamwebIdentity\\widgetScriptTag", 2, "assistantId")?;
        Ok(host::script_tag_utf8(&src, &assistant_id.bytes(), bytes(&userToken)))
    }

    pub fn register(module: ModuleBuilder) -> ModuleBuilder {
        module.function(wrap_function!(widget_script_tag))
    }
}

#[php_module]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    let module = errors::register(module.name("teamweb_identity"));
    script_tag::register(module)
        .class::<IdentityKey>()
        .class::<IdentityKeyring>()
        .class::<UserIdentity>()
        .class::<Testing>()
        .function(wrap_function!(encrypt_user_token))
        .function(wrap_function!(decrypt_user_token))
}

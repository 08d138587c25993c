//! The WebAssembly build: the native addon's functions, of the same names
//! and arguments, as `#[wasm_bindgen]` exports (`wasm32-unknown-unknown`,
//! bound by `wasm-bindgen`), for the runtimes that load no `.node` file.
//! api.js makes the package's API over either build.
//!
//! JavaScript strings reach Rust through `TextEncoder`, which replaces each
//! lone surrogate with U+FFFD: the core's lenient rule for secrets, tokens
//! and script-tag text, as [`host::lossy_from_utf16`] gives. Identity
//! fields are strict, so each also says whether it was well-formed
//! (`String.prototype.isWellFormed`), and the core refuses it with the
//! error it gives UTF-16 hosts ([`host::field_from_replaced_utf16`]). A
//! token longer than the core's untrimmed bound is refused from its
//! UTF-16 length before it is copied.
//!
//! Errors are JavaScript `Error`s with a `code`, as the native addon
//! throws them: one of the core's five codes (with the core's message) or
//! `type_error` for a value of the wrong type; errors.js makes them the
//! package's classes. Nonces and new keys come from
//! `crypto.getRandomValues` (getrandom's `wasm_js` backend).

use js_sys::{BigInt, Function, JsString, Uint8Array};
use teamweb_identity as tw;
use teamweb_identity::host::{self, Field};
use teamweb_identity::IdentityFields;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use zeroize::Zeroizing;

use crate::{safe_integer, Identity, Keys, ASSISTANT_TYPE, ID_TYPE, KEY_TYPE, NONCE_TYPE};

/// A JavaScript `Error` with the `code` errors.js reads.
fn coded_error(code: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    // Setting a property on a new plain Error cannot fail.
    let _ = js_sys::Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(code));
    error.into()
}

/// A core error, thrown with its code and its message (which never holds a
/// secret, a key or a token).
fn core(err: tw::Error) -> JsValue {
    coded_error(err.kind().code(), err.message())
}

/// A value of the wrong JavaScript type; `what` says what was expected
/// (never the value).
fn type_error(what: &str) -> JsValue {
    coded_error("type_error", what)
}

/// The core's key or keyring, as the WebAssembly build hands it to api.js
/// (see [`Keys`]; freed, and the key wiped, when the object is collected).
#[wasm_bindgen]
pub struct WasmKeys {
    keys: Keys,
}

/// A lenient text argument (secret, token, script-tag text): the string,
/// each lone surrogate as U+FFFD.
fn lenient(value: &JsValue, what: &str) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| type_error(what))
}

/// A strict identity field: absent for `undefined` and `null` (and `""`,
/// by the core's rule), else a string the core accepts.
fn field(field: Field, value: &JsValue, what: &str) -> Result<Option<String>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let text = value
        .dyn_ref::<JsString>()
        .ok_or_else(|| type_error(what))?;
    let replaced = String::from(text);
    // `is_well_formed`: `String.prototype.isWellFormed`.
    host::optional_field_from_replaced_utf16(field, Some(&replaced), text.is_well_formed())
        .map(|text| text.map(str::to_owned))
        .map_err(core)
}

/// A bigint as the core's integer form (its sign and little-endian `u64`
/// words), from its hexadecimal text, which V8 writes in linear time: the
/// core then checks the bound on the bit length before any decimal text
/// is made.
fn bigint_words(value: &BigInt) -> Result<(bool, Vec<u64>), JsValue> {
    let hex = String::from(value.to_string(16).map_err(JsValue::from)?);
    host::integer_words_from_hex(&hex).ok_or_else(|| type_error(ID_TYPE))
}

impl Identity {
    fn new(id: &JsValue, name: &JsValue, email: &JsValue) -> Result<Self, JsValue> {
        let id = if id.is_undefined() || id.is_null() {
            String::new()
        } else if id.is_string() {
            field(Field::Id, id, ID_TYPE)?.unwrap_or_default()
        } else if let Some(number) = id.as_f64() {
            safe_integer(number)
                .ok_or_else(|| type_error(ID_TYPE))?
                .to_string()
        } else if let Some(big) = id.dyn_ref::<BigInt>() {
            let (negative, words) = bigint_words(big)?;
            host::id_from_integer_words(negative, &words)
                .map_err(core)?
                .into_string()
        } else {
            return Err(type_error(ID_TYPE));
        };
        Ok(Identity {
            id,
            name: field(Field::Name, name, "identity.name must be a string")?,
            email: field(Field::Email, email, "identity.email must be a string")?,
        })
    }
}

/// A token argument: refused from its UTF-16 length when the core must
/// refuse it anyway, before it is copied.
fn token(value: &JsValue) -> Result<String, JsValue> {
    let text = value
        .dyn_ref::<JsString>()
        .ok_or_else(|| type_error("token must be a string"))?;
    host::check_token_utf16_len(text.length() as usize).map_err(core)?;
    Ok(String::from(text))
}

/// What `make` (api.js's function that makes the package's identity
/// object) returns for the fields the core lends, an absent one `null`.
fn make_identity(fields: IdentityFields<'_>, make: &Function) -> Result<JsValue, JsValue> {
    let optional = |text: Option<&str>| text.map_or(JsValue::NULL, JsValue::from_str);
    make.call3(
        &JsValue::UNDEFINED,
        &JsValue::from_str(fields.id),
        &optional(fields.name),
        &optional(fields.email),
    )
}

/// Reads a secret as the channel's settings page shows it (`invalid_secret`
/// otherwise).
#[wasm_bindgen(js_name = keyFromBase64)]
pub fn key_from_base64(secret: &JsValue) -> Result<WasmKeys, JsValue> {
    // The Rust copy is wiped when dropped (the JavaScript string is the
    // caller's, and is not).
    let secret = Zeroizing::new(lenient(secret, "secret must be a string")?);
    host::key_from_utf8(secret.as_bytes())
        .map(|key| WasmKeys {
            keys: Keys::Key(key),
        })
        .map_err(core)
}

/// A new random key from `crypto.getRandomValues`.
#[wasm_bindgen(js_name = keyGenerate)]
pub fn key_generate() -> WasmKeys {
    WasmKeys {
        keys: Keys::Key(tw::IdentityKey::generate()),
    }
}

/// A key's secret as padded standard base64.
#[wasm_bindgen(js_name = keySecretBase64)]
pub fn key_secret_base64(key: &WasmKeys) -> Result<String, JsValue> {
    key.keys
        .key()
        .map(tw::IdentityKey::secret_base64)
        .ok_or_else(|| type_error(KEY_TYPE))
}

/// A copy of a key (a keyring takes its keys by value).
#[wasm_bindgen(js_name = keyClone)]
pub fn key_clone(key: &WasmKeys) -> Result<WasmKeys, JsValue> {
    key.keys
        .key()
        .map(|key| WasmKeys {
            keys: Keys::Key(key.clone()),
        })
        .ok_or_else(|| type_error(KEY_TYPE))
}

/// A keyring of `keys`, the encrypting one first (`invalid_secret` if there
/// are none).
#[wasm_bindgen(js_name = keyringNew)]
pub fn keyring_new(keys: Vec<WasmKeys>) -> Result<WasmKeys, JsValue> {
    let keys = keys
        .iter()
        .map(|key| key.keys.key().cloned().ok_or_else(|| type_error(KEY_TYPE)))
        .collect::<Result<Vec<_>, _>>()?;
    tw::IdentityKeyring::new(keys)
        .map(|ring| WasmKeys {
            keys: Keys::Ring(ring),
        })
        .map_err(core)
}

/// Makes a token with a key, or with a keyring's first key.
#[wasm_bindgen]
pub fn encrypt(
    keys: &WasmKeys,
    id: &JsValue,
    name: &JsValue,
    email: &JsValue,
) -> Result<String, JsValue> {
    seal(&keys.keys, &Identity::new(id, name, email)?)
}

/// A token for `identity` made with `keys`.
fn seal(keys: &Keys, identity: &Identity) -> Result<String, JsValue> {
    keys.encrypt_fields_with(identity.fields(), str::to_owned)
        .map_err(core)
}

/// Opens the token argument `token` with `keys`: what `make` returns for
/// its fields.
fn open(keys: &Keys, token: &JsValue, make: &Function) -> Result<JsValue, JsValue> {
    keys.decrypt_fields_with(&self::token(token)?, |fields| make_identity(fields, make))
        .map_err(core)?
}

/// Opens a token: what `make` returns for `(id, name, email)`.
#[wasm_bindgen]
pub fn decrypt(keys: &WasmKeys, token: &JsValue, make: &Function) -> Result<JsValue, JsValue> {
    open(&keys.keys, token, make)
}

/// Makes a token from the secret text in one call (the identity's values
/// first, then the secret, as the native addon reads them).
#[wasm_bindgen(js_name = encryptUserToken)]
pub fn encrypt_user_token(
    secret: &JsValue,
    id: &JsValue,
    name: &JsValue,
    email: &JsValue,
) -> Result<String, JsValue> {
    let identity = Identity::new(id, name, email)?;
    seal(&key_from_base64(secret)?.keys, &identity)
}

/// Opens a token with the secret text in one call.
#[wasm_bindgen(js_name = decryptUserToken)]
pub fn decrypt_user_token(
    secret: &JsValue,
    token: &JsValue,
    make: &Function,
) -> Result<JsValue, JsValue> {
    open(&key_from_base64(secret)?.keys, token, make)
}

/// The `<script>` tag that loads the chat widget (each lone surrogate
/// becomes U+FFFD, never an error).
#[wasm_bindgen(js_name = widgetScriptTag)]
pub fn widget_script_tag(
    src: &JsValue,
    assistant_id: &JsValue,
    user_token: &JsValue,
) -> Result<String, JsValue> {
    let src = lenient(src, "src must be a string")?;
    let user_token = if user_token.is_undefined() || user_token.is_null() {
        None
    } else {
        Some(lenient(user_token, "userToken must be a string")?)
    };
    let assistant_id = if let Some(text) = assistant_id.as_string() {
        text
    } else if let Some(number) = assistant_id.as_f64() {
        safe_integer(number)
            .ok_or_else(|| type_error(ASSISTANT_TYPE))?
            .to_string()
    } else if let Some(big) = assistant_id.dyn_ref::<BigInt>() {
        let (negative, words) = bigint_words(big).map_err(|_| type_error(ASSISTANT_TYPE))?;
        host::assistant_id_from_integer_words(negative, &words)
            .map_err(core)?
            .to_string()
    } else {
        return Err(type_error(ASSISTANT_TYPE));
    };
    Ok(host::script_tag_utf8(
        src.as_bytes(),
        assistant_id.as_bytes(),
        user_token.as_deref().map(str::as_bytes),
    ))
}

/// Makes a token with a fixed nonce (`teamweb-identity/testing` only).
#[wasm_bindgen(js_name = encryptWithNonce)]
pub fn encrypt_with_nonce(
    key: &WasmKeys,
    nonce: &JsValue,
    id: &JsValue,
    name: &JsValue,
    email: &JsValue,
) -> Result<String, JsValue> {
    let key = key.keys.key().ok_or_else(|| type_error(KEY_TYPE))?;
    let nonce = nonce
        .dyn_ref::<Uint8Array>()
        .ok_or_else(|| type_error(NONCE_TYPE))?;
    let nonce =
        <[u8; 12]>::try_from(nonce.to_vec().as_slice()).map_err(|_| type_error(NONCE_TYPE))?;
    let identity = Identity::new(id, name, email)?;
    tw::testing::encrypt_with_nonce(key, nonce, &tw::UserIdentity::from(identity.fields()))
        .map_err(core)
}

/// The core's stable error codes, so that errors.js can check at load time
/// that it maps every one of them.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Vec<String> {
    tw::ErrorKind::ALL
        .iter()
        .map(|kind| kind.code().to_owned())
        .collect()
}

/// The module's linear memory, in bytes (for the benchmark's check that it
/// stays small over many calls; not part of the package's API).
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size::<0>() * 65536) as f64
}

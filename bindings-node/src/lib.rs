//! The native half of the `teamweb-identity` npm package: napi-rs `#[napi]`
//! classes and functions over the `teamweb-identity` crate.
//!
//! Everything here converts JavaScript values to the core's types and back;
//! all rules, JSON, base64 and crypto live in the core. `napi build`
//! generates the loader (`native.js`) and its declarations (`native.d.ts`);
//! the package's public API is the thin JavaScript layer over them
//! (`key.js`, `errors.js`, `index.d.ts`), which adds what napi-rs classes
//! cannot say: the error classes chosen by `code`, a private constructor,
//! a keyring that hands back the key objects it was given, and
//! `util.inspect`.
//!
//! Every export is `#[napi(catch_unwind)]`, and every one that takes
//! arguments `strict`: napi-rs checks the JavaScript type of each argument
//! before converting it (refusing with a message that names the expected
//! type, never the value) and turns a Rust panic into a thrown `Error`
//! instead of unwinding into Node. Errors are
//! mapped in one place, [`error`].

#![deny(clippy::all)]
// No code of its own outside Rust's safe subset (deny, not forbid: the
// `#[napi]` expansions allow `unsafe` for their own Node-API glue).
#![deny(unsafe_code)]

mod error;

use napi::bindgen_prelude::{BigInt, ClassInstance, Either3, Uint8Array, Utf16String};
use napi::JsString;
use napi_derive::napi;
use teamweb_identity as tw;
use teamweb_identity::host::{self, Field};
use teamweb_identity::IdentityFields;

use error::{type_error, Result};

/// A user id as JavaScript gives it: a string (read as UTF-16, so that a
/// lone surrogate reaches the core and is refused instead of being
/// replaced), a number (a safe integer) or a bigint. (Written out in each
/// signature: `napi build` declares the types it sees there.)
type IdArg = Either3<Utf16String, f64, BigInt>;

const ID_TYPE: &str = "identity.id must be a string, a safe integer or a bigint";
const ASSISTANT_TYPE: &str = "assistantId must be a string, a safe integer or a bigint";
const NONCE_TYPE: &str = "nonce must be a Uint8Array of exactly 12 bytes";

/// An AES-256-GCM identity key (the core's `IdentityKey`, which zeroizes its
/// bytes when dropped: here when the JavaScript object is collected).
#[napi]
pub struct IdentityKey {
    key: tw::IdentityKey,
}

#[napi]
impl IdentityKey {
    /// Reads a secret as the channel's settings page shows it: the base64 of
    /// 32 bytes (`invalid_secret` otherwise). Read as UTF-16 and handed to
    /// the core, which wipes its own copies.
    #[napi(factory, strict, catch_unwind)]
    pub fn from_base64(secret: Utf16String) -> Result<Self> {
        host::key_from_utf16(&secret).map(|key| IdentityKey { key }).map_err(error::core)
    }

    /// A new random key from the operating system's CSPRNG.
    #[napi(factory, catch_unwind)]
    pub fn generate() -> Self {
        IdentityKey { key: tw::IdentityKey::generate() }
    }

    /// The secret as padded standard base64 (44 characters).
    #[napi(catch_unwind)]
    pub fn secret_base64(&self) -> String {
        self.key.secret_base64()
    }

    /// Makes a token for the identity `id`, `name`, `email` (absent:
    /// `undefined` or `null`) with a fresh random nonce.
    #[napi(strict, catch_unwind)]
    pub fn encrypt(&self, id: Option<Either3<Utf16String, f64, BigInt>>, name: Option<Utf16String>, email: Option<Utf16String>) -> Result<String> {
        let identity = Identity::new(id, name, email)?;
        self.key.encrypt_fields(identity.fields()).map_err(error::core)
    }

    /// Opens a token: `[id, name, email]`, an absent field `null` (see the
    /// note above `Identity`).
    #[napi(strict, catch_unwind)]
    pub fn decrypt(&self, token: JsString<'_>) -> Result<(String, Option<String>, Option<String>)> {
        open_token(token, |token| self.key.decrypt(token))
    }

    /// Always `IdentityKey(<redacted>)`.
    #[napi(js_name = "toString", catch_unwind)]
    pub fn redacted(&self) -> &'static str {
        "IdentityKey(<redacted>)"
    }

    /// Always `IdentityKey(<redacted>)`.
    #[napi(js_name = "toJSON", catch_unwind)]
    pub fn to_json(&self) -> &'static str {
        self.redacted()
    }
}

/// Several keys: encrypts with the first, decrypts with whichever made the
/// token (the core's `IdentityKeyring`).
#[napi]
pub struct IdentityKeyring {
    ring: tw::IdentityKeyring,
}

#[napi]
impl IdentityKeyring {
    /// A keyring of `keys`, the encrypting one first (`invalid_secret` if
    /// there are none).
    #[napi(constructor, strict, catch_unwind)]
    pub fn new(keys: Vec<ClassInstance<'_, IdentityKey>>) -> Result<Self> {
        let keys = keys.iter().map(|key| key.key.clone());
        tw::IdentityKeyring::new(keys).map(|ring| IdentityKeyring { ring }).map_err(error::core)
    }

    /// Makes a token with the first key.
    #[napi(strict, catch_unwind)]
    pub fn encrypt(&self, id: Option<Either3<Utf16String, f64, BigInt>>, name: Option<Utf16String>, email: Option<Utf16String>) -> Result<String> {
        let identity = Identity::new(id, name, email)?;
        self.ring.encrypt_fields_with(identity.fields(), str::to_owned).map_err(error::core)
    }

    /// Opens a token with whichever key made it: `[id, name, email]` (see the
    /// note above `Identity`).
    #[napi(strict, catch_unwind)]
    pub fn decrypt(&self, token: JsString<'_>) -> Result<(String, Option<String>, Option<String>)> {
        open_token(token, |token| self.ring.decrypt(token))
    }

    /// `IdentityKeyring(<n> keys, <redacted>)`.
    #[napi(js_name = "toString", catch_unwind)]
    pub fn redacted(&self) -> String {
        format!("IdentityKeyring({} keys, <redacted>)", self.ring.keys().len())
    }

    /// Same as `toString`.
    #[napi(js_name = "toJSON", catch_unwind)]
    pub fn to_json(&self) -> String {
        self.redacted()
    }
}

// An identity read from a token, as the decrypt functions return it:
// `[id, name, email]`, an absent `name` or `email` as `null`; key.js makes it
// the package's object (absent fields left out). A napi-rs array of three
// strings costs less than a `#[napi(object)]` whose optional fields are each
// set by name (about 0.2 µs of 1.7 µs a decrypt, measured side by side).

/// The identity fields of one call, as Rust text, before the core checks
/// them. A missing id stays `""`, which the core refuses ("id is required").
struct Identity {
    id: String,
    name: Option<String>,
    email: Option<String>,
}

impl Identity {
    fn new(id: Option<IdArg>, name: Option<Utf16String>, email: Option<Utf16String>) -> Result<Self> {
        let id = match id {
            None => String::new(),
            Some(Either3::A(units)) => host::field_from_utf16(Field::Id, &units).map_err(error::core)?,
            Some(Either3::B(number)) => safe_integer(number).ok_or_else(|| type_error(ID_TYPE))?.to_string(),
            Some(Either3::C(big)) => host::id_from_integer_words(big.sign_bit, &big.words).map_err(error::core)?.into_string(),
        };
        let text = |field, value: Option<Utf16String>| host::optional_field_from_utf16(field, value.as_deref());
        Ok(Identity {
            id,
            name: text(Field::Name, name).map_err(error::core)?,
            email: text(Field::Email, email).map_err(error::core)?,
        })
    }

    fn fields(&self) -> IdentityFields<'_> {
        IdentityFields { id: &self.id, name: self.name.as_deref(), email: self.email.as_deref() }
    }
}

/// Opens the token text `token` with `open` (a key's or a keyring's
/// `decrypt`): `[id, name, email]`.
///
/// The native addon reads the token as UTF-8: Node-API writes each lone
/// surrogate as U+FFFD (the core's lenient rule for tokens, the same as
/// [`host::token_from_utf16`] gives), and the core then borrows the text
/// instead of transcoding UTF-16 (about a quarter of a decrypt's
/// instructions). The WebAssembly build reads UTF-16, because emnapi's
/// UTF-8 writer joins a lone surrogate with the unit after it instead of
/// replacing it.
fn open_token(token: JsString<'_>, open: impl FnOnce(&str) -> std::result::Result<tw::UserIdentity, tw::Error>) -> Result<(String, Option<String>, Option<String>)> {
    // A text the core must refuse from its length is never copied out of
    // the engine (JavaScript strings know their UTF-16 length).
    host::check_token_utf16_len(token.utf16_len().map_err(error::napi)?).map_err(error::core)?;
    #[cfg(not(target_family = "wasm"))]
    let text = token.into_utf8().map_err(error::napi)?;
    #[cfg(not(target_family = "wasm"))]
    let token = host::token_from_utf8(text.as_slice()).map_err(error::core)?;
    #[cfg(target_family = "wasm")]
    let text = token.into_utf16().map_err(error::napi)?;
    // napi-rs's UTF-16 buffer ends with the terminating NUL (its own
    // `as_str` leaves it out): the text is what comes before it.
    #[cfg(target_family = "wasm")]
    let token = host::token_from_utf16(text.as_slice().split_last().map_or(&[][..], |(_, text)| text)).map_err(error::core)?;
    open(&token).map(tw::UserIdentity::into_parts).map_err(error::core)
}

/// `number` if it is a safe integer (`Number.isSafeInteger`), as an `i64`.
fn safe_integer(number: f64) -> Option<i64> {
    const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;
    // NaN and the infinities have no zero fraction; -0 becomes 0.
    (number.fract() == 0.0 && number.abs() <= MAX_SAFE_INTEGER).then_some(number as i64)
}

/// Makes a token from the secret text in one call (the identity's values
/// are read first, as by `IdentityKey.encrypt`; then the secret).
#[napi(strict, catch_unwind)]
pub fn encrypt_user_token(secret: Utf16String, id: Option<Either3<Utf16String, f64, BigInt>>, name: Option<Utf16String>, email: Option<Utf16String>) -> Result<String> {
    let identity = Identity::new(id, name, email)?;
    let key = host::key_from_utf16(&secret).map_err(error::core)?;
    key.encrypt_fields(identity.fields()).map_err(error::core)
}

/// Opens a token with the secret text in one call: `[id, name, email]`.
#[napi(strict, catch_unwind)]
pub fn decrypt_user_token(secret: Utf16String, token: JsString<'_>) -> Result<(String, Option<String>, Option<String>)> {
    let key = host::key_from_utf16(&secret).map_err(error::core)?;
    open_token(token, |token| key.decrypt(token))
}

/// The `<script>` tag that loads the chat widget, every value escaped (the
/// core's one rule for ill-formed text: each lone surrogate becomes
/// U+FFFD, never an error).
#[napi(strict, catch_unwind)]
pub fn widget_script_tag(src: Utf16String, assistant_id: Either3<Utf16String, f64, BigInt>, user_token: Option<Utf16String>) -> Result<String> {
    let assistant_id = match assistant_id {
        Either3::A(units) => return Ok(host::script_tag_utf16(&src, &units, user_token.as_deref())),
        Either3::B(number) => safe_integer(number).ok_or_else(|| type_error(ASSISTANT_TYPE))?.to_string(),
        Either3::C(big) => host::assistant_id_from_integer_words(big.sign_bit, &big.words).map_err(error::core)?,
    };
    let token = user_token.as_deref().map(host::lossy_from_utf16);
    Ok(tw::widget_script_tag(&host::lossy_from_utf16(&src), assistant_id, token.as_deref()))
}

/// Makes a token with a fixed nonce (`teamweb-identity/testing` only: a
/// nonce used twice under one key breaks AES-GCM).
#[napi(strict, catch_unwind)]
pub fn encrypt_with_nonce(
    key: &IdentityKey,
    nonce: Uint8Array,
    id: Option<Either3<Utf16String, f64, BigInt>>,
    name: Option<Utf16String>,
    email: Option<Utf16String>,
) -> Result<String> {
    let nonce = <[u8; 12]>::try_from(&nonce[..]).map_err(|_| type_error(NONCE_TYPE))?;
    let identity = Identity::new(id, name, email)?;
    let identity = tw::UserIdentity::from(identity.fields());
    tw::testing::encrypt_with_nonce(&key.key, nonce, &identity).map_err(error::core)
}

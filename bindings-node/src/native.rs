//! The native addon: napi-rs `#[napi]` functions (the `.node` file that
//! `napi build` makes, loaded through its generated `native.js`).
//!
//! Every export is `#[napi(catch_unwind)]`, and every one that takes
//! arguments `strict`: napi-rs checks the JavaScript type of each argument
//! before converting it (refusing with a message that names the expected
//! type, never the value) and turns a Rust panic into a thrown `Error`
//! instead of unwinding into Node. Errors are mapped in one place,
//! [`crate::error`].

use napi::bindgen_prelude::{
    BigInt, Either3, External, ExternalRef, FnArgs, Function, Uint8Array, Unknown, Utf16String,
};
use napi::{Env, JsString};
use napi_derive::napi;
use teamweb_identity as tw;
use teamweb_identity::host::{self, Field};
use teamweb_identity::IdentityFields;

use crate::error::{self, type_error, Result};
use crate::{safe_integer, Identity, Keys, ASSISTANT_TYPE, ID_TYPE, KEY_TYPE, NONCE_TYPE};

/// A user id as JavaScript gives it: a string (read as UTF-16, so that a
/// lone surrogate reaches the core and is refused instead of being
/// replaced), a number (a safe integer) or a bigint. (Written out in each
/// signature: `napi build` declares the types it sees there.)
type IdArg = Either3<Utf16String, f64, BigInt>;

/// Reads a secret as the channel's settings page shows it: the base64 of
/// 32 bytes (`invalid_secret` otherwise). Read as UTF-16 and handed to the
/// core, which wipes its own copies.
#[napi(strict, catch_unwind)]
pub fn key_from_base64(secret: Utf16String) -> Result<External<Keys>> {
    host::key_from_utf16(&secret)
        .map(|key| External::new(Keys::Key(key)))
        .map_err(error::core)
}

/// A new random key from the operating system's CSPRNG.
#[napi(catch_unwind)]
pub fn key_generate() -> External<Keys> {
    External::new(Keys::Key(tw::IdentityKey::generate()))
}

/// The secret of a key as padded standard base64 (44 characters).
#[napi(strict, catch_unwind)]
pub fn key_secret_base64(key: &External<Keys>) -> Result<String> {
    key.key()
        .map(tw::IdentityKey::secret_base64)
        .ok_or_else(|| type_error(KEY_TYPE))
}

/// A keyring of `keys`, the encrypting one first (`invalid_secret` if there
/// are none).
#[napi(strict, catch_unwind)]
pub fn keyring_new(keys: Vec<ExternalRef<Keys>>) -> Result<External<Keys>> {
    let keys = keys
        .iter()
        .map(|key| key.key().cloned().ok_or_else(|| type_error(KEY_TYPE)))
        .collect::<Result<Vec<_>>>()?;
    tw::IdentityKeyring::new(keys)
        .map(|ring| External::new(Keys::Ring(ring)))
        .map_err(error::core)
}

/// Makes a token with a key, or with a keyring's first key, for the
/// identity `id`, `name`, `email` (absent: `undefined` or `null`) with a
/// fresh random nonce.
#[napi(strict, catch_unwind)]
pub fn encrypt<'env>(
    env: &'env Env,
    keys: &External<Keys>,
    id: Option<Either3<Utf16String, f64, BigInt>>,
    name: Option<Utf16String>,
    email: Option<Utf16String>,
) -> Result<JsString<'env>> {
    token_string(env, keys, &Identity::new(id, name, email)?)
}

/// A token for `identity` made with `keys`, as a JavaScript string made
/// from the token the core lends.
fn token_string<'env>(env: &'env Env, keys: &Keys, identity: &Identity) -> Result<JsString<'env>> {
    keys.encrypt_fields_with(identity.fields(), |token| env.create_string(token))
        .map_err(error::core)?
        .map_err(error::napi)
}

/// Opens a token with a key, or with whichever key of a keyring made it,
/// and returns what `make` returns for its fields (see [`MakeIdentity`]).
#[napi(
    strict,
    catch_unwind,
    ts_generic_types = "T",
    ts_args_type = "keys: ExternalObject<Keys>, token: string, make: (id: string, name: string | null, email: string | null) => T",
    ts_return_type = "T"
)]
pub fn decrypt(
    env: &Env,
    keys: &External<Keys>,
    token: JsString<'_>,
    make: MakeIdentity<'_>,
) -> Result<Unknown<'static>> {
    open_token(token, |token| {
        keys.decrypt_fields_with(token, |fields| make_identity(env, fields, &make))
    })
}

impl Identity {
    fn new(
        id: Option<IdArg>,
        name: Option<Utf16String>,
        email: Option<Utf16String>,
    ) -> Result<Self> {
        let id = match id {
            None => String::new(),
            Some(Either3::A(units)) => {
                host::field_from_utf16(Field::Id, &units).map_err(error::core)?
            }
            Some(Either3::B(number)) => safe_integer(number)
                .ok_or_else(|| type_error(ID_TYPE))?
                .to_string(),
            Some(Either3::C(big)) => host::id_from_integer_words(big.sign_bit, &big.words)
                .map_err(error::core)?
                .into_string(),
        };
        let text = |field, value: Option<Utf16String>| {
            host::optional_field_from_utf16(field, value.as_deref())
        };
        Ok(Identity {
            id,
            name: text(Field::Name, name).map_err(error::core)?,
            email: text(Field::Email, email).map_err(error::core)?,
        })
    }
}

/// The function api.js gives the decrypt functions: it makes the package's
/// identity object from `(id, name, email)`, an absent `name` or `email`
/// being `null`. (Its result is declared `'static`: napi-rs hands it
/// straight back to JavaScript as the call's result, and the macro cannot
/// name the callback's lifetime here.)
type MakeIdentity<'a> = Function<
    'a,
    FnArgs<(JsString<'a>, Option<JsString<'a>>, Option<JsString<'a>>)>,
    Unknown<'static>,
>;

/// Calls `make` with the fields the core lends, as JavaScript strings (no
/// Rust copy of them on the way). One call into JavaScript costs less than
/// filling an array of three for api.js to take apart (three
/// `napi_set_element`), or a `#[napi(object)]` whose fields are each set by
/// name (measured side by side: about 100 ns less per decrypt).
fn make_identity(
    env: &Env,
    fields: IdentityFields<'_>,
    make: &MakeIdentity<'_>,
) -> Result<Unknown<'static>> {
    let text = |field: Option<&str>| field.map(|text| js_text(env, text)).transpose();
    make.call(FnArgs::from((
        js_text(env, fields.id)?,
        text(fields.name)?,
        text(fields.email)?,
    )))
    .map_err(error::napi)
}

/// A JavaScript string of a decrypted field: ASCII text (the usual id,
/// name, email) as Latin-1, which V8 copies as it is, instead of as UTF-8,
/// which it must decode (about 20 ns less per decrypt; for the longer token
/// that encrypt returns, measured slower than UTF-8, so not used there).
fn js_text<'env>(env: &'env Env, text: &str) -> Result<JsString<'env>> {
    if text.is_ascii() {
        env.create_string_latin1(text.as_bytes())
    } else {
        env.create_string(text)
    }
    .map_err(error::napi)
}

/// Opens the token text `token` with `open` (a decrypt of the core that
/// lends the fields to a visitor making the JavaScript values). The token is
/// read as its UTF-16 code units, which V8 copies out of its one-byte
/// (Latin-1) strings faster than it measures and writes them as UTF-8
/// (about 50 ns less per decrypt), and the core makes the text (each lone
/// surrogate U+FFFD, its lenient rule for tokens).
fn open_token<R>(
    token: JsString<'_>,
    open: impl FnOnce(&str) -> std::result::Result<Result<R>, tw::Error>,
) -> Result<R> {
    // A text the core must refuse from its length is never copied out of
    // the engine (JavaScript strings know their UTF-16 length).
    host::check_token_utf16_len(token.utf16_len().map_err(error::napi)?).map_err(error::core)?;
    let units = token.into_utf16().map_err(error::napi)?;
    // napi-rs's buffer ends with the NUL that Node-API writes after the text.
    let units = units
        .as_slice()
        .split_last()
        .map_or(&[][..], |(_, text)| text);
    let token = host::token_from_utf16(units).map_err(error::core)?;
    open(&token).map_err(error::core)?
}

/// Makes a token from the secret text in one call (the identity's values
/// are read first, as by `encrypt`; then the secret).
#[napi(strict, catch_unwind)]
pub fn encrypt_user_token<'env>(
    env: &'env Env,
    secret: Utf16String,
    id: Option<Either3<Utf16String, f64, BigInt>>,
    name: Option<Utf16String>,
    email: Option<Utf16String>,
) -> Result<JsString<'env>> {
    let identity = Identity::new(id, name, email)?;
    let key = host::key_from_utf16(&secret).map_err(error::core)?;
    token_string(env, &Keys::Key(key), &identity)
}

/// Opens a token with the secret text in one call (see [`decrypt`]).
#[napi(
    strict,
    catch_unwind,
    ts_generic_types = "T",
    ts_args_type = "secret: string, token: string, make: (id: string, name: string | null, email: string | null) => T",
    ts_return_type = "T"
)]
pub fn decrypt_user_token(
    env: &Env,
    secret: Utf16String,
    token: JsString<'_>,
    make: MakeIdentity<'_>,
) -> Result<Unknown<'static>> {
    let key = host::key_from_utf16(&secret).map_err(error::core)?;
    open_token(token, |token| {
        key.decrypt_fields_with(token, |fields| make_identity(env, fields, &make))
    })
}

/// The `<script>` tag that loads the chat widget, every value escaped (the
/// core's one rule for ill-formed text: each lone surrogate becomes
/// U+FFFD, never an error).
#[napi(strict, catch_unwind)]
pub fn widget_script_tag(
    src: Utf16String,
    assistant_id: Either3<Utf16String, f64, BigInt>,
    user_token: Option<Utf16String>,
) -> Result<String> {
    let assistant_id = match assistant_id {
        Either3::A(units) => {
            return Ok(host::script_tag_utf16(&src, &units, user_token.as_deref()))
        }
        Either3::B(number) => safe_integer(number)
            .ok_or_else(|| type_error(ASSISTANT_TYPE))?
            .to_string(),
        Either3::C(big) => {
            host::assistant_id_from_integer_words(big.sign_bit, &big.words).map_err(error::core)?
        }
    };
    let token = user_token.as_deref().map(host::lossy_from_utf16);
    Ok(tw::widget_script_tag(
        &host::lossy_from_utf16(&src),
        assistant_id,
        token.as_deref(),
    ))
}

/// Makes a token with a fixed nonce (`teamweb-identity/testing` only: a
/// nonce used twice under one key breaks AES-GCM).
#[napi(strict, catch_unwind)]
pub fn encrypt_with_nonce(
    key: &External<Keys>,
    nonce: Uint8Array,
    id: Option<Either3<Utf16String, f64, BigInt>>,
    name: Option<Utf16String>,
    email: Option<Utf16String>,
) -> Result<String> {
    let key = key.key().ok_or_else(|| type_error(KEY_TYPE))?;
    let nonce = <[u8; 12]>::try_from(&nonce[..]).map_err(|_| type_error(NONCE_TYPE))?;
    let identity = Identity::new(id, name, email)?;
    let identity = tw::UserIdentity::from(identity.fields());
    tw::testing::encrypt_with_nonce(key, nonce, &identity).map_err(error::core)
}

//! The native half of the `teamweb-identity` npm package (a napi-rs addon).
//!
//! Everything here converts JavaScript values to the core's types and back;
//! all rules, JSON, base64 and crypto live in the `teamweb-identity` crate.
//! The package's public API is the hand-written JavaScript over these
//! functions (`key.js`, `index.d.ts`); they are not an API of their own.
//!
//! Keys and keyrings travel to JavaScript as opaque, type-tagged externals
//! ("handles") that the JavaScript classes keep in private fields. Errors
//! are thrown as `Error`s whose `code` is the core's stable code (errors.js
//! gives them their classes), or as `TypeError`s for values of the wrong
//! type. No panic crosses into Node: every callback runs inside
//! [`js::entry`].
//!
//! The module registers itself per environment (napi-rs' module
//! registration is context-aware), so it loads in worker threads too.

#![deny(clippy::all)]

mod js;

use napi::bindgen_prelude::{Env, Object};
use napi::sys::{self, napi_callback_info, napi_env, napi_value};
use napi::JsValue;
use napi_derive::napi;
use teamweb_identity as tw;
use teamweb_identity::{Field, IdentityFields, IdentityKey, IdentityKeyring, UserIdentity};

use js::{entry, Fail, Result, TextSlot};

/// What a handle holds.
// Each handle is boxed once (`js::handle`), so a keyring handle's unused
// bytes cost nothing per call; boxing the key again would add an indirection
// to every encrypt.
#[allow(clippy::large_enum_variant)]
pub enum Keys {
    /// An `IdentityKey`.
    Key(IdentityKey),
    /// An `IdentityKeyring`.
    Ring(IdentityKeyring),
}

impl Keys {
    fn key(&self) -> Result<&IdentityKey> {
        match self {
            Keys::Key(key) => Ok(key),
            Keys::Ring(_) => Err(Fail::Type("expected an IdentityKey, not an IdentityKeyring")),
        }
    }
}

const SECRET_TYPE: &str = "secret must be a string";
const TOKEN_TYPE: &str = "token must be a string";
const ID_TYPE: &str = "identity.id must be a string, a safe integer or a bigint";
const NAME_TYPE: &str = "identity.name must be a string, null or undefined";
const EMAIL_TYPE: &str = "identity.email must be a string, null or undefined";
const ASSISTANT_TYPE: &str = "assistantId must be a string, a safe integer or a bigint";
const LENGTHS_TYPE: &str = "internal: expected an Int32Array of 3";
const NONCE_TYPE: &str = "nonce must be a Uint8Array of exactly 12 bytes";

unsafe fn user_id(env: napi_env, id: napi_value, slot: &mut TextSlot) -> Result<()> {
    if js::field_text(env, Field::Id, id, slot)? {
        return Ok(());
    }
    match js::type_of(env, id)? {
        // A missing id stays "": the core's "id is required" (invalid_identity).
        sys::ValueType::napi_undefined | sys::ValueType::napi_null => Ok(()),
        kind => {
            slot.set_owned(js::integer(env, id, kind)?.ok_or(Fail::Type(ID_TYPE))?.into_string());
            Ok(())
        }
    }
}

/// An optional text field: `undefined` and `null` mean absent (`false`).
unsafe fn optional_text(env: napi_env, field: Field, value: napi_value, slot: &mut TextSlot) -> Result<bool> {
    if js::field_text(env, field, value, slot)? {
        return Ok(true);
    }
    match js::type_of(env, value)? {
        sys::ValueType::napi_undefined | sys::ValueType::napi_null => Ok(false),
        _ => Err(Fail::Type(if field == Field::Name { NAME_TYPE } else { EMAIL_TYPE })),
    }
}

/// The identity from its three fields (the JavaScript layer reads them off
/// the `{ id, name, email }` object), borrowed from `slots`: no copies.
unsafe fn identity<'s>(
    env: napi_env,
    [id, name, email]: [napi_value; 3],
    slots: &'s mut [TextSlot; 3],
) -> Result<IdentityFields<'s>> {
    let [id_slot, name_slot, email_slot] = slots;
    user_id(env, id, id_slot)?;
    let has_name = optional_text(env, Field::Name, name, name_slot)?;
    let has_email = optional_text(env, Field::Email, email, email_slot)?;
    let (id_slot, name_slot, email_slot): (&'s TextSlot, &'s TextSlot, &'s TextSlot) = (id_slot, name_slot, email_slot);
    Ok(IdentityFields {
        id: id_slot.as_str(),
        name: has_name.then(|| name_slot.as_str()),
        email: has_email.then(|| email_slot.as_str()),
    })
}

fn slots() -> [TextSlot; 3] {
    [TextSlot::new(), TextSlot::new(), TextSlot::new()]
}

/// The decrypted identity, packed for the JavaScript layer: one string,
/// `id + name + email`, returned, and the UTF-16 lengths of the three
/// parts (-1 for an absent field) written into `lengths`, an `Int32Array`
/// of 3 that the JavaScript layer owns and reads right after the call.
/// One string and no property writes: making the `{ id, name?, email? }`
/// object through Node-API (a string, a key and a property store per
/// field) cost more than the decryption itself.
unsafe fn packed_identity(env: napi_env, identity: UserIdentity, lengths: napi_value) -> Result<napi_value> {
    let slots = js::int32_array(env, lengths)?.filter(|slots| slots.len() >= 3).ok_or(Fail::Type(LENGTHS_TYPE))?;
    let parts = [Some(identity.id()), identity.name(), identity.email()];
    for (slot, part) in slots.iter_mut().zip(parts) {
        *slot = match part {
            None => -1,
            Some(text) => {
                let units = if text.is_ascii() { text.len() } else { text.encode_utf16().count() };
                i32::try_from(units).map_err(|_| Fail::Napi)?
            }
        };
    }
    js::joined_string(env, parts)
}

/// `keyFromBase64(secret) -> handle`
unsafe extern "C" fn key_from_base64(env: napi_env, info: napi_callback_info) -> napi_value {
    entry(env, || {
        let [secret] = js::args(env, info)?;
        let key = js::with_str(env, secret, SECRET_TYPE, IdentityKey::from_base64)??;
        js::handle(env, Keys::Key(key))
    })
}

/// `keyGenerate() -> handle`
unsafe extern "C" fn key_generate(env: napi_env, _info: napi_callback_info) -> napi_value {
    entry(env, || js::handle(env, Keys::Key(IdentityKey::generate())))
}

/// `keyring(handles: handle[]) -> handle` (the JavaScript layer passes an array).
unsafe extern "C" fn keyring(env: napi_env, info: napi_callback_info) -> napi_value {
    entry(env, || {
        let [array] = js::args(env, info)?;
        let mut len = 0;
        js::check(sys::napi_get_array_length(env, array, &mut len))?;
        let mut keys = Vec::with_capacity(len as usize);
        for i in 0..len {
            let mut element = std::ptr::null_mut();
            js::check(sys::napi_get_element(env, array, i, &mut element))?;
            keys.push(js::from_handle(env, element)?.key()?.clone());
        }
        js::handle(env, Keys::Ring(IdentityKeyring::new(keys)?))
    })
}

/// `secretBase64(handle) -> string`
unsafe extern "C" fn secret_base64(env: napi_env, info: napi_callback_info) -> napi_value {
    entry(env, || {
        let [handle] = js::args(env, info)?;
        js::ascii_string(env, &js::from_handle(env, handle)?.key()?.secret_base64())
    })
}

/// `encrypt(handle, id, name, email) -> token`
unsafe extern "C" fn encrypt(env: napi_env, info: napi_callback_info) -> napi_value {
    entry(env, || {
        let [handle, id, name, email] = js::args(env, info)?;
        let mut slots = slots();
        let fields = identity(env, [id, name, email], &mut slots)?;
        // The token goes straight from the core's buffer into a JS string.
        let token = |token: &str| js::ascii_string(env, token);
        match js::from_handle(env, handle)? {
            Keys::Key(key) => key.encrypt_fields_with(fields, token)?,
            Keys::Ring(ring) => ring.encrypt_fields_with(fields, token)?,
        }
    })
}

/// `decrypt(handle, token, lengths) -> packed identity` (see [`packed_identity`])
unsafe extern "C" fn decrypt(env: napi_env, info: napi_callback_info) -> napi_value {
    entry(env, || {
        let [handle, token, lengths] = js::args(env, info)?;
        let keys = js::from_handle(env, handle)?;
        let identity = js::with_str(env, token, TOKEN_TYPE, |token| match keys {
            Keys::Key(key) => key.decrypt(token),
            Keys::Ring(ring) => ring.decrypt(token),
        })??;
        packed_identity(env, identity, lengths)
    })
}

/// `encryptWithNonce(handle, nonce, id, name, email) -> token` (testing only)
unsafe extern "C" fn encrypt_with_nonce(env: napi_env, info: napi_callback_info) -> napi_value {
    entry(env, || {
        let [handle, nonce, id, name, email] = js::args(env, info)?;
        let key = js::from_handle(env, handle)?.key()?;
        let nonce = js::uint8_array(env, nonce)?.ok_or(Fail::Type(NONCE_TYPE))?;
        let nonce = <[u8; 12]>::try_from(nonce).map_err(|_| Fail::Type(NONCE_TYPE))?;
        let mut slots = slots();
        let identity = UserIdentity::from(identity(env, [id, name, email], &mut slots)?);
        js::ascii_string(env, &tw::testing::encrypt_with_nonce(key, nonce, &identity)?)
    })
}

/// `encryptUserToken(secret, id, name, email) -> token`
unsafe extern "C" fn encrypt_user_token(env: napi_env, info: napi_callback_info) -> napi_value {
    entry(env, || {
        let [secret, id, name, email] = js::args(env, info)?;
        let mut slots = slots();
        let identity = UserIdentity::from(identity(env, [id, name, email], &mut slots)?);
        js::ascii_string(env, &js::with_str(env, secret, SECRET_TYPE, |secret| tw::encrypt_user_token(secret, &identity))??)
    })
}

/// `decryptUserToken(secret, token, lengths) -> packed identity` (see [`packed_identity`])
unsafe extern "C" fn decrypt_user_token(env: napi_env, info: napi_callback_info) -> napi_value {
    entry(env, || {
        let [secret, token, lengths] = js::args(env, info)?;
        let token = js::string_arg(env, token, TOKEN_TYPE)?;
        let identity = js::with_str(env, secret, SECRET_TYPE, |secret| tw::decrypt_user_token(secret, &token))??;
        packed_identity(env, identity, lengths)
    })
}

/// `widgetScriptTag(src, assistantId, userToken?) -> string`
unsafe extern "C" fn widget_script_tag(env: napi_env, info: napi_callback_info) -> napi_value {
    entry(env, || {
        let [src, assistant_id, user_token] = js::args(env, info)?;
        let src = js::string_arg(env, src, "src must be a string")?;
        let assistant_id = match js::type_of(env, assistant_id)? {
            sys::ValueType::napi_string => js::string_arg(env, assistant_id, ASSISTANT_TYPE)?,
            kind => js::integer(env, assistant_id, kind)?.ok_or(Fail::Type(ASSISTANT_TYPE))?.into_string(),
        };
        let user_token = match js::type_of(env, user_token)? {
            sys::ValueType::napi_undefined | sys::ValueType::napi_null => None,
            _ => Some(js::string_arg(env, user_token, "userToken must be a string, null or undefined")?),
        };
        js::string(env, &tw::widget_script_tag(&src, assistant_id, user_token.as_deref()))
    })
}

/// The core's stable error codes (`ErrorKind::ALL`), so that errors.js can
/// check at load time that it maps every one of them. (Also the one
/// `#[napi]` item, which makes `napi build` write the loader `native.js`.)
#[napi(catch_unwind)]
pub fn error_codes() -> Vec<&'static str> {
    tw::ErrorKind::ALL.iter().map(|kind| kind.code()).collect()
}

/// Fills the module's exports (called once per environment: the main
/// thread and each worker).
#[napi(module_exports)]
pub fn init(exports: Object, env: Env) -> napi::Result<()> {
    let functions: [(&std::ffi::CStr, sys::napi_callback); 10] = [
        (c"keyFromBase64", Some(key_from_base64)),
        (c"keyGenerate", Some(key_generate)),
        (c"keyring", Some(keyring)),
        (c"secretBase64", Some(secret_base64)),
        (c"encrypt", Some(encrypt)),
        (c"decrypt", Some(decrypt)),
        (c"encryptWithNonce", Some(encrypt_with_nonce)),
        (c"encryptUserToken", Some(encrypt_user_token)),
        (c"decryptUserToken", Some(decrypt_user_token)),
        (c"widgetScriptTag", Some(widget_script_tag)),
    ];
    for (name, cb) in functions {
        // SAFETY: `env` and `exports` are the live values napi-rs passes to
        // module initialisation.
        unsafe { js::export(env.raw(), exports.raw(), name, cb) }
            .map_err(|_| napi::Error::from_reason("teamweb-identity: could not register the native functions"))?;
    }
    Ok(())
}

//! The JVM package's per-call entry points: `IdentityKey` and
//! `IdentityKeyring` encrypt and decrypt, the one-shots, `widgetScriptTag`
//! and the testing call.
//!
//! uniffi's generated Kotlin allocates several JNA `Structure`s per call (the
//! call status, every `RustBuffer` passed or returned by value); each is a
//! JNA `Memory` (a `malloc`, an entry in a global map and a cleaner
//! registration, released only after a GC), which costs tens of microseconds
//! per call on the JVM, against ~0.2 µs of work in the core (the measurement
//! is in README.md). These plain C functions take and fill primitive arrays
//! only, so JNA's direct mapping calls them without any `Structure`. They only
//! convert: the core does all the checking, crypto and escaping, and a refusal
//! comes back from the same call with the core's kind and message (the
//! Kotlin facade maps it in `internal/Errors.kt`), so nothing runs twice.
//!
//! Layouts (all integers i32 little-endian; a length of -1 means null):
//! - texts in: `n` lengths in UTF-16 code units, then the code units of the
//!   present texts as little-endian bytes;
//! - encrypt out: the token (ASCII); script tag out: the tag (UTF-8);
//! - decrypt out: `id_len, name_len, email_len`, then the UTF-8 bytes of id,
//!   name, email;
//! - a refusal: the return value is negative (see [`status`]) and `out`
//!   holds the message's UTF-8 length, then the message (cut at a character
//!   boundary if `out` is short).

use std::panic::{catch_unwind, AssertUnwindSafe};

use teamweb_identity::host::{field_from_utf16 as text_from_utf16, Field};
use teamweb_identity::{testing, widget_script_tag, Error, ErrorKind, IdentityFields, IdentityKey, IdentityKeyring, UserIdentity};

use crate::{lossy, units};

/// The negative return values: why a call produced no output.
pub mod status {
    /// The core refused with `invalid_secret`.
    pub const INVALID_SECRET: i32 = -1;
    /// The core refused with `invalid_identity`.
    pub const INVALID_IDENTITY: i32 = -2;
    /// The core refused with `malformed_token`.
    pub const MALFORMED_TOKEN: i32 = -3;
    /// The core refused with `authentication_failed`.
    pub const AUTHENTICATION_FAILED: i32 = -4;
    /// The core refused with `invalid_payload`.
    pub const INVALID_PAYLOAD: i32 = -5;
    /// A host argument of the wrong shape (a nonce that is not 12 bytes).
    pub const ARGUMENT: i32 = -6;
    /// A bug: a broken layout, an output buffer too small, a null pointer or
    /// a panic. The facade throws `IllegalStateException`.
    pub const INTERNAL: i32 = -7;
}

/// A refusal: its status and message.
struct Refusal(i32, String);

impl From<Error> for Refusal {
    fn from(err: Error) -> Self {
        let code = match err.kind() {
            ErrorKind::InvalidSecret => status::INVALID_SECRET,
            ErrorKind::InvalidIdentity => status::INVALID_IDENTITY,
            ErrorKind::MalformedToken => status::MALFORMED_TOKEN,
            ErrorKind::AuthenticationFailed => status::AUTHENTICATION_FAILED,
            ErrorKind::InvalidPayload => status::INVALID_PAYLOAD,
        };
        Refusal(code, err.message().to_owned())
    }
}

fn internal(what: &str) -> Refusal {
    Refusal(status::INTERNAL, what.to_owned())
}

type Outcome = Result<i32, Refusal>;

/// What a handle points at: an [`IdentityKey`] or an [`IdentityKeyring`],
/// which make and open tokens the same way.
trait Cipher {
    fn encrypt_fields_with<R>(&self, fields: IdentityFields<'_>, visit: impl FnOnce(&str) -> R) -> Result<R, Error>;
    fn decrypt(&self, token: &str) -> Result<UserIdentity, Error>;
}

impl Cipher for IdentityKey {
    fn encrypt_fields_with<R>(&self, fields: IdentityFields<'_>, visit: impl FnOnce(&str) -> R) -> Result<R, Error> {
        IdentityKey::encrypt_fields_with(self, fields, visit)
    }

    fn decrypt(&self, token: &str) -> Result<UserIdentity, Error> {
        IdentityKey::decrypt(self, token)
    }
}

impl Cipher for IdentityKeyring {
    fn encrypt_fields_with<R>(&self, fields: IdentityFields<'_>, visit: impl FnOnce(&str) -> R) -> Result<R, Error> {
        IdentityKeyring::encrypt_fields_with(self, fields, visit)
    }

    fn decrypt(&self, token: &str) -> Result<UserIdentity, Error> {
        IdentityKeyring::decrypt(self, token)
    }
}

fn length(bytes: &[u8], at: usize) -> Option<i32> {
    Some(i32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// The `N` texts of `input` as UTF-16 little-endian byte slices (see the
/// layout above), `None` for a length of -1.
fn texts<const N: usize>(input: &[u8]) -> Result<[Option<&[u8]>; N], Refusal> {
    let mut out = [None; N];
    let mut at = 4 * N;
    for (slot, text) in out.iter_mut().enumerate() {
        let units = length(input, slot * 4).ok_or_else(|| internal("broken input layout"))?;
        if units < 0 {
            continue;
        }
        let end = usize::try_from(units).ok().and_then(|u| at.checked_add(2 * u));
        let bytes = end.and_then(|end| input.get(at..end)).ok_or_else(|| internal("broken input layout"))?;
        at += bytes.len();
        *text = Some(bytes);
    }
    Ok(out)
}

fn required(text: Option<&[u8]>) -> Result<&[u8], Refusal> {
    text.ok_or_else(|| internal("a required text is missing"))
}

/// The identity's fields as text: the core refuses a lone surrogate.
fn identity(id: Option<&[u8]>, name: Option<&[u8]>, email: Option<&[u8]>) -> Result<(String, Option<String>, Option<String>), Refusal> {
    let convert = |field, bytes: &[u8]| text_from_utf16(field, &units(bytes));
    Ok((
        convert(Field::Id, required(id)?)?,
        name.map(|b| convert(Field::Name, b)).transpose()?,
        email.map(|b| convert(Field::Email, b)).transpose()?,
    ))
}

/// Copies `text` to the start of `out`; its length.
fn copy_out(text: &str, out: &mut [u8]) -> Outcome {
    let dest = out.get_mut(..text.len()).ok_or_else(|| internal("output buffer too small"))?;
    dest.copy_from_slice(text.as_bytes());
    i32::try_from(text.len()).map_err(|_| internal("output too long"))
}

/// Encrypts the three texts (id, name, email) of `input` with `cipher`.
fn encrypt_texts<C: Cipher>(cipher: &C, [id, name, email]: [Option<&[u8]>; 3], out: &mut [u8]) -> Outcome {
    let (id, name, email) = identity(id, name, email)?;
    let fields = IdentityFields { id: &id, name: name.as_deref(), email: email.as_deref() };
    // The token is copied straight from the core's buffer into `out`.
    cipher.encrypt_fields_with(fields, |token| copy_out(token, out))?
}

fn encrypt_into<C: Cipher>(cipher: &C, input: &[u8], out: &mut [u8]) -> Outcome {
    encrypt_texts(cipher, texts::<3>(input)?, out)
}

/// An opened identity in the decrypt layout.
fn identity_out(who: &UserIdentity, out: &mut [u8]) -> Outcome {
    let values = [Some(who.id()), who.name(), who.email()];
    let total = 12 + values.iter().flatten().map(|v| v.len()).sum::<usize>();
    if total > out.len() {
        return Err(internal("output buffer too small"));
    }
    let mut at = 12;
    for (slot, value) in values.iter().enumerate() {
        let len = match value {
            Some(v) => {
                out[at..at + v.len()].copy_from_slice(v.as_bytes());
                at += v.len();
                i32::try_from(v.len()).map_err(|_| internal("output too long"))?
            }
            None => -1,
        };
        out[slot * 4..slot * 4 + 4].copy_from_slice(&len.to_le_bytes());
    }
    i32::try_from(total).map_err(|_| internal("output too long"))
}

fn decrypt_into<C: Cipher>(cipher: &C, input: &[u8], out: &mut [u8]) -> Outcome {
    let [token] = texts::<1>(input)?;
    identity_out(&cipher.decrypt(&lossy(required(token)?))?, out)
}

/// As [`teamweb_identity::encrypt_user_token`], which takes an identity
/// already made: the fields' text (a lone surrogate is refused) first, then
/// the secret, then the identity rules.
fn encrypt_user_token_into(input: &[u8], out: &mut [u8]) -> Outcome {
    let [secret, id, name, email] = texts::<4>(input)?;
    let (id, name, email) = identity(id, name, email)?;
    let key = IdentityKey::from_base64(&lossy(required(secret)?))?;
    let fields = IdentityFields { id: &id, name: name.as_deref(), email: email.as_deref() };
    key.encrypt_fields_with(fields, |token| copy_out(token, out))?
}

/// As [`teamweb_identity::decrypt_user_token`]: the secret is parsed first.
fn decrypt_user_token_into(input: &[u8], out: &mut [u8]) -> Outcome {
    let [secret, token] = texts::<2>(input)?;
    let key = IdentityKey::from_base64(&lossy(required(secret)?))?;
    identity_out(&key.decrypt(&lossy(required(token)?))?, out)
}

fn script_tag_into(input: &[u8], out: &mut [u8]) -> Outcome {
    let [src, assistant_id, token] = texts::<3>(input)?;
    let token = token.map(lossy);
    copy_out(&widget_script_tag(&lossy(required(src)?), lossy(required(assistant_id)?), token.as_deref()), out)
}

/// Writes a refusal's message into `out` (its length, then as much of its
/// UTF-8 as fits, cut at a character boundary); returns its status.
fn refuse(Refusal(code, message): Refusal, out: &mut [u8]) -> i32 {
    if out.len() >= 4 {
        let room = out.len() - 4;
        let mut len = message.len().min(room);
        while !message.is_char_boundary(len) {
            len -= 1;
        }
        out[4..4 + len].copy_from_slice(&message.as_bytes()[..len]);
        out[..4].copy_from_slice(&i32::try_from(len).unwrap_or(0).to_le_bytes());
    }
    code
}

/// Runs `body` on the two arrays; a refusal or a panic is written to `out`.
///
/// # Safety
/// `input`/`out` must be valid for `input_len`/`out_cap` bytes.
unsafe fn call(input: *const u8, input_len: i32, out: *mut u8, out_cap: i32, body: impl FnOnce(&[u8], &mut [u8]) -> Outcome) -> i32 {
    if input.is_null() || out.is_null() || input_len < 0 || out_cap < 0 {
        return status::INTERNAL;
    }
    // SAFETY: guaranteed by the caller (the Kotlin facade passes its own
    // arrays with their lengths).
    let (input, out) =
        unsafe { (std::slice::from_raw_parts(input, input_len as usize), std::slice::from_raw_parts_mut(out, out_cap as usize)) };
    match catch_unwind(AssertUnwindSafe(|| body(input, &mut *out))) {
        Ok(Ok(n)) => n,
        Ok(Err(refusal)) => refuse(refusal, out),
        Err(_) => refuse(internal("panic in the native library"), out),
    }
}

/// [`call`] with the object behind a handle.
///
/// # Safety
/// As for [`call`], and `handle` must come from the `fast_handle` of an
/// `FfiKey` (for `C = IdentityKey`) or `FfiKeyring` (for `C =
/// IdentityKeyring`) that stays alive for the call.
unsafe fn call_with<C: Cipher>(
    handle: i64,
    input: *const u8,
    input_len: i32,
    out: *mut u8,
    out_cap: i32,
    body: fn(&C, &[u8], &mut [u8]) -> Outcome,
) -> i32 {
    if handle == 0 {
        return status::INTERNAL;
    }
    // SAFETY: guaranteed by the caller (the Kotlin facade holds the object
    // open during the call).
    let cipher = unsafe { &*(handle as usize as *const C) };
    // SAFETY: forwarded from the caller.
    unsafe { call(input, input_len, out, out_cap, |input, out| body(cipher, input, out)) }
}

/// Encrypts three texts (id, name, email) with a key; returns the token's
/// length in `out`, or a negative [`status`].
///
/// # Safety
/// See [`call_with`].
#[no_mangle]
pub unsafe extern "C" fn teamweb_identity_fast_encrypt(key: i64, input: *const u8, input_len: i32, out: *mut u8, out_cap: i32) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe { call_with::<IdentityKey>(key, input, input_len, out, out_cap, encrypt_into) }
}

/// Decrypts one text (the token) with a key; returns the bytes written to
/// `out`, or a negative [`status`].
///
/// # Safety
/// See [`call_with`].
#[no_mangle]
pub unsafe extern "C" fn teamweb_identity_fast_decrypt(key: i64, input: *const u8, input_len: i32, out: *mut u8, out_cap: i32) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe { call_with::<IdentityKey>(key, input, input_len, out, out_cap, decrypt_into) }
}

/// Encrypts with a keyring's first key; as [`teamweb_identity_fast_encrypt`].
///
/// # Safety
/// See [`call_with`].
#[no_mangle]
pub unsafe extern "C" fn teamweb_identity_fast_keyring_encrypt(
    keyring: i64,
    input: *const u8,
    input_len: i32,
    out: *mut u8,
    out_cap: i32,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe { call_with::<IdentityKeyring>(keyring, input, input_len, out, out_cap, encrypt_into) }
}

/// Decrypts with whichever key of a keyring made the token; as
/// [`teamweb_identity_fast_decrypt`].
///
/// # Safety
/// See [`call_with`].
#[no_mangle]
pub unsafe extern "C" fn teamweb_identity_fast_keyring_decrypt(
    keyring: i64,
    input: *const u8,
    input_len: i32,
    out: *mut u8,
    out_cap: i32,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe { call_with::<IdentityKeyring>(keyring, input, input_len, out, out_cap, decrypt_into) }
}

/// [`teamweb_identity::encrypt_user_token`] on four texts (secret, id,
/// name, email); as [`teamweb_identity_fast_encrypt`].
///
/// # Safety
/// See [`call`].
#[no_mangle]
pub unsafe extern "C" fn teamweb_identity_fast_encrypt_user_token(input: *const u8, input_len: i32, out: *mut u8, out_cap: i32) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe { call(input, input_len, out, out_cap, encrypt_user_token_into) }
}

/// [`teamweb_identity::decrypt_user_token`] on two texts (secret, token); as
/// [`teamweb_identity_fast_decrypt`].
///
/// # Safety
/// See [`call`].
#[no_mangle]
pub unsafe extern "C" fn teamweb_identity_fast_decrypt_user_token(input: *const u8, input_len: i32, out: *mut u8, out_cap: i32) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe { call(input, input_len, out, out_cap, decrypt_user_token_into) }
}

/// The widget's script tag from three texts (src, assistant id, token or
/// null); returns its UTF-8 length in `out`. Lone surrogates become U+FFFD.
///
/// # Safety
/// See [`call`].
#[no_mangle]
pub unsafe extern "C" fn teamweb_identity_fast_script_tag(input: *const u8, input_len: i32, out: *mut u8, out_cap: i32) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe { call(input, input_len, out, out_cap, script_tag_into) }
}

/// [`testing::encrypt_with_nonce`]: the `nonce_len` bytes at `nonce`, then as
/// [`teamweb_identity_fast_encrypt`]. For the testing API only.
///
/// # Safety
/// See [`call_with`]; `nonce` must be valid for `nonce_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn teamweb_identity_fast_encrypt_with_nonce(
    key: i64,
    nonce: *const u8,
    nonce_len: i32,
    input: *const u8,
    input_len: i32,
    out: *mut u8,
    out_cap: i32,
) -> i32 {
    if nonce.is_null() || nonce_len < 0 {
        return status::INTERNAL;
    }
    // SAFETY: guaranteed by the caller (the Kotlin facade passes its own
    // array with its length).
    let nonce = unsafe { std::slice::from_raw_parts(nonce, nonce_len as usize) };
    let body = |key: &IdentityKey, input: &[u8], out: &mut [u8]| -> Outcome {
        let nonce = <[u8; 12]>::try_from(nonce)
            .map_err(|_| Refusal(status::ARGUMENT, format!("the nonce must be 12 bytes, not {}", nonce.len())))?;
        let [id, name, email] = texts::<3>(input)?;
        let (id, name, email) = identity(id, name, email)?;
        let identity = UserIdentity::from_parts(id, name, email);
        copy_out(&testing::encrypt_with_nonce(key, nonce, &identity)?, out)
    };
    if key == 0 {
        return status::INTERNAL;
    }
    // SAFETY: as in `call_with` (guaranteed by the caller).
    let key = unsafe { &*(key as usize as *const IdentityKey) };
    // SAFETY: forwarded from the caller.
    unsafe { call(input, input_len, out, out_cap, |input, out| body(key, input, out)) }
}

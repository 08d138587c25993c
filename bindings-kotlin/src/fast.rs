//! The fast path of the per-request calls: `IdentityKey` and
//! `IdentityKeyring` encrypt and decrypt, and `widgetScriptTag`.
//!
//! uniffi's generated Kotlin allocates several JNA `Structure`s per call (call
//! status, every `RustBuffer` by value), which costs tens of microseconds on
//! the JVM: far more than the core's work (~0.2 µs). These plain C functions
//! take and fill primitive arrays only, so JNA's direct mapping calls them
//! without any `Structure`. They only convert: the core does all the checking,
//! crypto and escaping. On any refusal they return [`REFUSED`] and the facade
//! repeats the call through uniffi, which throws the typed exception, so error
//! mapping stays in one place.
//!
//! Layouts (all integers i32 little-endian; a length of -1 means null):
//! - three texts (encrypt: id, name, email; script tag: src, assistant id,
//!   token): `units_0, units_1, units_2`, then the UTF-16 code units of the
//!   present texts as little-endian bytes;
//! - encrypt output: the token (ASCII); script tag output: the tag (UTF-8);
//! - decrypt input: the token's UTF-16 code units; output: `id_len, name_len,
//!   email_len`, then the UTF-8 bytes of id, name, email.

use std::panic::{catch_unwind, AssertUnwindSafe};

use teamweb_identity::{widget_script_tag, Error, Field, IdentityFields, IdentityKey, IdentityKeyring, UserIdentity};

use crate::{lossy, text};

/// Refused by the core, or bad input: repeat the call through uniffi.
pub const REFUSED: i32 = -1;
/// `out` is too small: repeat the call through uniffi.
pub const TOO_SMALL: i32 = -2;

/// What a fast-path handle points at: an [`IdentityKey`] or an
/// [`IdentityKeyring`], which make and open tokens the same way.
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

/// The three UTF-16 texts of `input` (see the layout above), each converted
/// by `convert` (`None` for a length of -1); `None` if the layout is broken
/// or `convert` refuses one.
fn three_texts<T>(input: &[u8], mut convert: impl FnMut(usize, &[u8]) -> Option<T>) -> Option<[Option<T>; 3]> {
    let mut at: usize = 12;
    let mut next = |slot: usize| -> Option<Option<T>> {
        let units = length(input, slot * 4)?;
        if units < 0 {
            return Some(None);
        }
        let bytes = input.get(at..at.checked_add(2 * usize::try_from(units).ok()?)?)?;
        at += bytes.len();
        convert(slot, bytes).map(Some)
    };
    Some([next(0)?, next(1)?, next(2)?])
}

/// Copies `text` to the start of `out`; its length, or [`TOO_SMALL`].
fn copy_out(text: &str, out: &mut [u8]) -> Option<i32> {
    match out.get_mut(..text.len()) {
        Some(dest) => {
            dest.copy_from_slice(text.as_bytes());
            i32::try_from(text.len()).ok()
        }
        None => Some(TOO_SMALL),
    }
}

fn encrypt_into<C: Cipher>(cipher: &C, input: &[u8], out: &mut [u8]) -> Option<i32> {
    const FIELDS: [Field; 3] = [Field::Id, Field::Name, Field::Email];
    let [id, name, email] = three_texts(input, |slot, bytes| text(FIELDS[slot], bytes).ok())?;
    let fields = IdentityFields { id: id.as_deref()?, name: name.as_deref(), email: email.as_deref() };
    // The token is copied straight from the core's buffer into `out`.
    cipher.encrypt_fields_with(fields, |token| copy_out(token, out)).ok()?
}

fn decrypt_into<C: Cipher>(cipher: &C, input: &[u8], out: &mut [u8]) -> Option<i32> {
    let who = cipher.decrypt(&lossy(input)).ok()?;
    let fields = [Some(who.id()), who.name(), who.email()];
    let total = 12 + fields.iter().flatten().map(|v| v.len()).sum::<usize>();
    if total > out.len() {
        return Some(TOO_SMALL);
    }
    let mut at = 12;
    for (slot, value) in fields.iter().enumerate() {
        let len = match value {
            Some(v) => {
                out[at..at + v.len()].copy_from_slice(v.as_bytes());
                at += v.len();
                i32::try_from(v.len()).ok()?
            }
            None => -1,
        };
        out[slot * 4..slot * 4 + 4].copy_from_slice(&len.to_le_bytes());
    }
    i32::try_from(total).ok()
}

fn script_tag_into(input: &[u8], out: &mut [u8]) -> Option<i32> {
    let [src, assistant_id, token] = three_texts(input, |_, bytes| Some(lossy(bytes)))?;
    copy_out(&widget_script_tag(&src?, assistant_id?, token.as_deref()), out)
}

/// Runs `body` on the two arrays; a panic becomes [`REFUSED`].
///
/// # Safety
/// `input`/`out` must be valid for `input_len`/`out_cap` bytes.
unsafe fn call(input: *const u8, input_len: i32, out: *mut u8, out_cap: i32, body: impl FnOnce(&[u8], &mut [u8]) -> Option<i32>) -> i32 {
    if input.is_null() || out.is_null() || input_len < 0 || out_cap < 0 {
        return REFUSED;
    }
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: guaranteed by the caller (the Kotlin facade passes its own
        // arrays with their lengths).
        let (input, out) = unsafe {
            (std::slice::from_raw_parts(input, input_len as usize), std::slice::from_raw_parts_mut(out, out_cap as usize))
        };
        body(input, out).unwrap_or(REFUSED)
    }))
    .unwrap_or(REFUSED)
}

/// [`call`] with the object behind a fast-path handle.
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
    body: fn(&C, &[u8], &mut [u8]) -> Option<i32>,
) -> i32 {
    if handle == 0 {
        return REFUSED;
    }
    // SAFETY: guaranteed by the caller (the Kotlin facade holds the object
    // open during the call).
    let cipher = unsafe { &*(handle as usize as *const C) };
    // SAFETY: forwarded from the caller.
    unsafe { call(input, input_len, out, out_cap, |input, out| body(cipher, input, out)) }
}

/// Encrypts with a key; returns the token's length in `out`, or
/// [`REFUSED`]/[`TOO_SMALL`].
///
/// # Safety
/// See [`call_with`].
#[no_mangle]
pub unsafe extern "C" fn teamweb_identity_fast_encrypt(key: i64, input: *const u8, input_len: i32, out: *mut u8, out_cap: i32) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe { call_with::<IdentityKey>(key, input, input_len, out, out_cap, encrypt_into) }
}

/// Decrypts with a key; returns the bytes written to `out`, or
/// [`REFUSED`]/[`TOO_SMALL`].
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

/// The widget's script tag; returns its UTF-8 length in `out`, or
/// [`REFUSED`]/[`TOO_SMALL`]. Lone surrogates become U+FFFD, as through
/// uniffi.
///
/// # Safety
/// See [`call`].
#[no_mangle]
pub unsafe extern "C" fn teamweb_identity_fast_script_tag(input: *const u8, input_len: i32, out: *mut u8, out_cap: i32) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe { call(input, input_len, out, out_cap, script_tag_into) }
}

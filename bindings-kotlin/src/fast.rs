//! The fast path of `IdentityKey.encrypt` and `IdentityKey.decrypt`.
//!
//! uniffi's generated Kotlin allocates several JNA `Structure`s per call (call
//! status, every `RustBuffer` by value), which costs tens of microseconds on
//! the JVM: far more than the core's work (~0.2 µs). These two plain C
//! functions take and fill primitive arrays only, so JNA's direct mapping
//! calls them without any `Structure`. They only convert: the core does all
//! the checking and crypto. On any refusal they return [`REFUSED`] and the
//! facade repeats the call through uniffi, which throws the typed exception,
//! so error mapping stays in one place.
//!
//! Layouts (all integers i32 little-endian; a length of -1 means null):
//! - encrypt input: `id_units, name_units, email_units`, then the UTF-16 code
//!   units of id, name, email as little-endian bytes; output: the token (ASCII).
//! - decrypt input: the token's UTF-16 code units; output: `id_len, name_len,
//!   email_len`, then the UTF-8 bytes of id, name, email.

use std::panic::{catch_unwind, AssertUnwindSafe};

use teamweb_identity::{Field, IdentityFields, IdentityKey};

use crate::{lossy, text};

/// Refused by the core, or bad input: repeat the call through uniffi.
pub const REFUSED: i32 = -1;
/// `out` is too small: repeat the call through uniffi.
pub const TOO_SMALL: i32 = -2;

fn length(bytes: &[u8], at: usize) -> Option<i32> {
    Some(i32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn encrypt_into(key: &IdentityKey, input: &[u8], out: &mut [u8]) -> Option<i32> {
    let mut at = 12;
    let mut field = |which: usize, name: Field| -> Option<Option<String>> {
        let units = length(input, which * 4)?;
        if units < 0 {
            return Some(None);
        }
        let bytes = input.get(at..at + 2 * units as usize)?;
        at += bytes.len();
        text(name, bytes).ok().map(Some)
    };
    let id = field(0, Field::Id)??;
    let name = field(1, Field::Name)?;
    let email = field(2, Field::Email)?;
    let fields = IdentityFields { id: &id, name: name.as_deref(), email: email.as_deref() };
    // The token is copied straight from the core's buffer into `out`.
    key.encrypt_fields_with(fields, |token| match out.get_mut(..token.len()) {
        Some(dest) => {
            dest.copy_from_slice(token.as_bytes());
            i32::try_from(token.len()).ok()
        }
        None => Some(TOO_SMALL),
    })
    .ok()?
}

fn decrypt_into(key: &IdentityKey, input: &[u8], out: &mut [u8]) -> Option<i32> {
    let who = key.decrypt(&lossy(input)).ok()?;
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

/// Runs `body` on the key and the two arrays; a panic becomes [`REFUSED`].
///
/// # Safety
/// `key` must come from `FfiKey::fast_handle` of a key that stays alive for
/// the call; `input`/`out` must be valid for `input_len`/`out_cap` bytes.
unsafe fn call(
    key: i64,
    input: *const u8,
    input_len: i32,
    out: *mut u8,
    out_cap: i32,
    body: fn(&IdentityKey, &[u8], &mut [u8]) -> Option<i32>,
) -> i32 {
    if key == 0 || input.is_null() || out.is_null() || input_len < 0 || out_cap < 0 {
        return REFUSED;
    }
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: guaranteed by the caller (the Kotlin facade holds the key
        // open and passes its own arrays with their lengths).
        let (key, input, out) = unsafe {
            (
                &*(key as usize as *const IdentityKey),
                std::slice::from_raw_parts(input, input_len as usize),
                std::slice::from_raw_parts_mut(out, out_cap as usize),
            )
        };
        body(key, input, out).unwrap_or(REFUSED)
    }))
    .unwrap_or(REFUSED)
}

/// Encrypts; returns the token's length in `out`, or [`REFUSED`]/[`TOO_SMALL`].
///
/// # Safety
/// See [`call`].
#[no_mangle]
pub unsafe extern "C" fn teamweb_identity_fast_encrypt(
    key: i64,
    input: *const u8,
    input_len: i32,
    out: *mut u8,
    out_cap: i32,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe { call(key, input, input_len, out, out_cap, encrypt_into) }
}

/// Decrypts; returns the bytes written to `out`, or [`REFUSED`]/[`TOO_SMALL`].
///
/// # Safety
/// See [`call`].
#[no_mangle]
pub unsafe extern "C" fn teamweb_identity_fast_decrypt(
    key: i64,
    input: *const u8,
    input_len: i32,
    out: *mut u8,
    out_cap: i32,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe { call(key, input, input_len, out, out_cap, decrypt_into) }
}

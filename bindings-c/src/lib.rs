//! The C ABI of teamweb-identity (`teamweb_identity.h`, generated from this
//! file by cbindgen).
//!
//! Every function converts C arguments into the core's types, calls the core
//! and converts the result back; all validation, JSON, crypto and escaping
//! stay in the core. Rules the whole ABI follows:
//!
//! - every function returns a `tw_status`; on failure it writes a message to
//!   `*error_out` (when `error_out` is not NULL) that the caller frees with
//!   `tw_string_free`;
//! - text goes in as a pointer and a length in bytes (UTF-8, no terminator
//!   needed, embedded NUL bytes are text like any other);
//! - strings that come out are NUL-terminated, their length is also given,
//!   and the caller frees them with `tw_string_free`;
//! - keys and keyrings are opaque handles, freed with `tw_key_free` and
//!   `tw_keyring_free`; they are immutable and safe to use from many
//!   threads at once;
//! - no panic crosses the boundary: each entry point catches it and returns
//!   `TW_STATUS_PANIC`.
// `unsafe_op_in_unsafe_fn` and `clippy::undocumented_unsafe_blocks` are
// denied by the workspace's [lints] (Cargo.toml): every unsafe block at the
// C boundary says why it is sound in a `// SAFETY:` comment.
#![deny(missing_docs)]

use std::borrow::Cow;
use std::ffi::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use identity::host::Field;
use identity::{Error, ErrorKind, IdentityFields, IdentityKey, IdentityKeyring, UserIdentity};
use zeroize::{Zeroize, Zeroizing};

/// What a call did. `TW_STATUS_OK` is 0; the next five are the SDK's stable
/// error codes (see `tw_status_code` for their names); the last two are
/// the C boundary's own.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TwStatus {
    /// Success.
    Ok = 0,
    /// `invalid_secret`: the secret is not the base64 of 32 bytes (or a
    /// keyring was given no keys).
    InvalidSecret = 1,
    /// `invalid_identity`: the identity breaks an identity rule.
    InvalidIdentity = 2,
    /// `malformed_token`: the token is not base64 of at least 28 bytes, or
    /// too long.
    MalformedToken = 3,
    /// `authentication_failed`: wrong key, or a changed byte.
    AuthenticationFailed = 4,
    /// `invalid_payload`: the token opened but holds no identity object.
    InvalidPayload = 5,
    /// `panic`: an internal error was caught at the boundary (a bug; please
    /// report it). The process is still fine to use.
    Panic = 6,
    /// `bad_argument`: a required pointer was NULL, or text that must be
    /// UTF-8 was not (script-tag arguments).
    BadArgument = 7,
}

/// A key: made by `tw_key_from_base64` or `tw_key_generate`, freed (and
/// its bytes zeroized) by `tw_key_free`. Safe to share between threads.
pub struct TwKey(IdentityKey);

/// A keyring: made by `tw_keyring_new`, freed by `tw_keyring_free`.
/// Encrypts with its first key; decrypts with whichever key made the token.
/// Safe to share between threads.
pub struct TwKeyring(IdentityKeyring);

/// An identity to encrypt, borrowed from the caller for the duration of the
/// call. Each field is UTF-8 text given as a pointer and a length in bytes.
/// `id` is required (not NULL; `id_len` may be 0, which the identity rules
/// refuse); a NULL `name` or `email`, or a length of 0, means absent.
/// A numeric id is passed as its decimal text.
#[repr(C)]
pub struct TwUser {
    /// The `id` (required).
    pub id: *const c_char,
    /// Length of `id` in bytes.
    pub id_len: usize,
    /// The `name`, or NULL.
    pub name: *const c_char,
    /// Length of `name` in bytes.
    pub name_len: usize,
    /// The `email`, or NULL.
    pub email: *const c_char,
    /// Length of `email` in bytes.
    pub email_len: usize,
}

/// An opened identity, filled in by the decrypt functions. The strings are
/// NUL-terminated and owned by the struct: release them with
/// `tw_identity_free`. An absent `name` or `email` is NULL with length 0.
#[repr(C)]
pub struct TwIdentity {
    /// The `id`.
    pub id: *mut c_char,
    /// Length of `id` in bytes (without the terminator).
    pub id_len: usize,
    /// The `name`, or NULL.
    pub name: *mut c_char,
    /// Length of `name` in bytes.
    pub name_len: usize,
    /// The `email`, or NULL.
    pub email: *mut c_char,
    /// Length of `email` in bytes.
    pub email_len: usize,
}

const EMPTY_IDENTITY: TwIdentity =
    TwIdentity { id: ptr::null_mut(), id_len: 0, name: ptr::null_mut(), name_len: 0, email: ptr::null_mut(), email_len: 0 };

// ---------------------------------------------------------------------------
// The boundary: catching panics, reading arguments, handing out strings.

enum Failure {
    Core(Error),
    Argument(&'static str),
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        Failure::Core(err)
    }
}

fn status_of(kind: ErrorKind) -> TwStatus {
    match kind {
        ErrorKind::InvalidSecret => TwStatus::InvalidSecret,
        ErrorKind::InvalidIdentity => TwStatus::InvalidIdentity,
        ErrorKind::MalformedToken => TwStatus::MalformedToken,
        ErrorKind::AuthenticationFailed => TwStatus::AuthenticationFailed,
        ErrorKind::InvalidPayload => TwStatus::InvalidPayload,
    }
}

/// Runs one entry point's body: catches a panic, turns a failure into its
/// status and, if asked for, its message.
fn entry(error_out: *mut *mut c_char, body: impl FnOnce() -> Result<(), Failure>) -> TwStatus {
    let (status, message): (TwStatus, Cow<'_, str>) = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return TwStatus::Ok,
        Ok(Err(Failure::Core(err))) => (status_of(err.kind()), Cow::Owned(err.message().to_owned())),
        Ok(Err(Failure::Argument(why))) => (TwStatus::BadArgument, Cow::Borrowed(why)),
        Err(_) => (TwStatus::Panic, Cow::Borrowed("internal error in teamweb-identity (a panic was caught); please report it")),
    };
    if !error_out.is_null() {
        // SAFETY: the caller passes NULL or a pointer to a writable `char *`
        // (documented on every function); NULL was excluded above.
        unsafe { *error_out = c_string(message.as_bytes()) };
    }
    status
}

/// The caller's `len` bytes at `ptr`, or None for NULL.
///
/// # Safety
/// `ptr` is NULL or points to `len` readable bytes that stay unchanged for
/// the call.
unsafe fn bytes<'a>(ptr: *const c_char, len: usize) -> Option<&'a [u8]> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: not NULL, and valid for `len` bytes by this function's contract.
    Some(unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) })
}

/// A required output location.
///
/// # Safety
/// `out` is NULL or valid for writing one `T`.
unsafe fn out<'a, T>(out: *mut T, what: &'static str) -> Result<&'a mut T, Failure> {
    // SAFETY: NULL or valid for writes, by this function's contract.
    unsafe { out.as_mut() }.ok_or(Failure::Argument(what))
}

/// A secret or token as text: bytes that are not UTF-8 become U+FFFD, which
/// is not base64, so the core refuses them with its own code and message.
fn lossy(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// An identity field as text; bytes that are not UTF-8 get the core's
/// `invalid_identity` error for that field.
fn field_text(field: Field, bytes: &[u8]) -> Result<&str, Failure> {
    std::str::from_utf8(bytes).map_err(|_| match identity::host::field_from_utf8(field, bytes) {
        Err(err) => Failure::Core(err),
        Ok(_) => Failure::Argument("identity text is not UTF-8"),
    })
}

/// Strict UTF-8 for the script tag's arguments.
fn utf8<'a>(bytes: &'a [u8], what: &'static str) -> Result<&'a str, Failure> {
    std::str::from_utf8(bytes).map_err(|_| Failure::Argument(what))
}

/// # Safety
/// `user` is NULL or points to a `tw_user` whose pointers follow its
/// documentation.
unsafe fn fields<'a>(user: *const TwUser) -> Result<IdentityFields<'a>, Failure> {
    // SAFETY: NULL or a valid TwUser, by this function's contract.
    let user = unsafe { user.as_ref() }.ok_or(Failure::Argument("user is NULL"))?;
    // SAFETY: each pointer is NULL or valid for its length (TwUser's contract).
    let (id, name, email) = unsafe {
        (bytes(user.id, user.id_len), bytes(user.name, user.name_len), bytes(user.email, user.email_len))
    };
    let id = id.ok_or(Failure::Argument("user->id is NULL"))?;
    Ok(IdentityFields {
        id: field_text(Field::Id, id)?,
        name: name.map(|b| field_text(Field::Name, b)).transpose()?,
        email: email.map(|b| field_text(Field::Email, b)).transpose()?,
    })
}

/// A NUL-terminated copy of `text` in memory from `malloc`, for
/// `tw_string_free`.
fn c_string(text: &[u8]) -> *mut c_char {
    // SAFETY: malloc of len + 1 (never 0) bytes; the result is checked for
    // NULL, then exactly len bytes are copied and one terminator written,
    // all inside the block.
    unsafe {
        let block = libc::malloc(text.len() + 1).cast::<u8>();
        if block.is_null() {
            // Out of memory: the same as any Rust allocation failing.
            std::alloc::handle_alloc_error(std::alloc::Layout::array::<u8>(text.len() + 1).unwrap_or(std::alloc::Layout::new::<u8>()));
        }
        ptr::copy_nonoverlapping(text.as_ptr(), block, text.len());
        *block.add(text.len()) = 0;
        block.cast()
    }
}

/// Writes a string result to the caller's `*out` (and its length to
/// `*len_out` if that is not NULL).
///
/// # Safety
/// `len_out` is NULL or valid for writing a `size_t`.
unsafe fn give(out: &mut *mut c_char, len_out: *mut usize, text: &str) {
    *out = c_string(text.as_bytes());
    // SAFETY: NULL or writable, by this function's contract.
    if let Some(len) = unsafe { len_out.as_mut() } {
        *len = text.len();
    }
}

fn give_identity(out: &mut TwIdentity, who: UserIdentity) {
    let (id, name, email) = who.into_parts();
    let part = |text: Option<String>| text.map_or((ptr::null_mut(), 0), |t| (c_string(t.as_bytes()), t.len()));
    (out.id, out.id_len) = (c_string(id.as_bytes()), id.len());
    (out.name, out.name_len) = part(name);
    (out.email, out.email_len) = part(email);
}

/// What every encrypt entry point shares: reads `user`, checks `token_out`,
/// and lets `seal` hand the token straight to the caller's string.
///
/// # Safety
/// `user`, `token_out` and `token_len_out` follow `tw_key_encrypt`'s
/// contract.
unsafe fn encrypting(
    user: *const TwUser,
    token_out: *mut *mut c_char,
    token_len_out: *mut usize,
    seal: impl FnOnce(IdentityFields<'_>, &mut dyn FnMut(&str)) -> Result<(), Failure>,
) -> Result<(), Failure> {
    // SAFETY: the caller's pointers, per this function's contract.
    let (user, out) = unsafe { (fields(user)?, out(token_out, "token_out is NULL")?) };
    // SAFETY: token_len_out is NULL or writable, per this function's contract.
    seal(user, &mut |token| unsafe { give(out, token_len_out, token) })
}

/// What every decrypt entry point shares: reads the token, empties
/// `*identity_out`, and fills it with what `open` makes of the token.
///
/// # Safety
/// `token` is NULL or points to `token_len` readable bytes; `identity_out`
/// is NULL or writable.
unsafe fn decrypting(
    token: *const c_char,
    token_len: usize,
    identity_out: *mut TwIdentity,
    open: impl FnOnce(&str) -> Result<UserIdentity, Error>,
) -> Result<(), Failure> {
    // SAFETY: the caller's pointers, per this function's contract.
    let (token, out) = unsafe { (bytes(token, token_len), out(identity_out, "identity_out is NULL")?) };
    *out = EMPTY_IDENTITY;
    give_identity(out, open(&lossy(token.ok_or(Failure::Argument("token is NULL"))?))?);
    Ok(())
}

/// A secret argument, as text for the core.
///
/// # Safety
/// `secret` is NULL or points to `secret_len` readable bytes.
unsafe fn secret_text<'a>(secret: *const c_char, secret_len: usize) -> Result<Cow<'a, str>, Failure> {
    // SAFETY: per this function's contract.
    unsafe { bytes(secret, secret_len) }.map(lossy).ok_or(Failure::Argument("secret is NULL"))
}

// ---------------------------------------------------------------------------
// Keys.

/// Reads a secret as the channel's settings page shows it (the base64 of 32
/// bytes; surrounding whitespace, the URL-safe alphabet and missing padding
/// are accepted) and makes a key, written to `*key_out` (NULL on failure).
///
/// Errors: `TW_STATUS_INVALID_SECRET`, with a message that never contains
/// the secret.
///
/// # Safety
/// `secret` points to `secret_len` readable bytes; `key_out` is writable;
/// `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn tw_key_from_base64(
    secret: *const c_char,
    secret_len: usize,
    key_out: *mut *mut TwKey,
    error_out: *mut *mut c_char,
) -> TwStatus {
    entry(error_out, || {
        // SAFETY: the caller's pointers, as documented above.
        let (out, secret) = unsafe { (out(key_out, "key_out is NULL")?, secret_text(secret, secret_len)) };
        *out = ptr::null_mut();
        *out = Box::into_raw(Box::new(TwKey(IdentityKey::from_base64(&secret?)?)));
        Ok(())
    })
}

/// Makes a new key from 32 bytes of the operating system's CSPRNG.
///
/// # Safety
/// `key_out` is writable; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn tw_key_generate(key_out: *mut *mut TwKey, error_out: *mut *mut c_char) -> TwStatus {
    entry(error_out, || {
        // SAFETY: the caller's pointer, as documented above.
        let out = unsafe { out(key_out, "key_out is NULL")? };
        *out = Box::into_raw(Box::new(TwKey(IdentityKey::generate())));
        Ok(())
    })
}

/// The key's secret as padded standard base64 (44 characters), written to
/// `*secret_out`; free it with `tw_string_free`, which zeroizes it.
///
/// # Safety
/// `key` is a live key; `secret_out` is writable; `len_out` and `error_out`
/// are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn tw_key_secret_base64(
    key: *const TwKey,
    secret_out: *mut *mut c_char,
    len_out: *mut usize,
    error_out: *mut *mut c_char,
) -> TwStatus {
    entry(error_out, || {
        // SAFETY: the caller's pointers, as documented above.
        let (key, out) = unsafe { (key.as_ref().ok_or(Failure::Argument("key is NULL"))?, out(secret_out, "secret_out is NULL")?) };
        let secret = Zeroizing::new(key.0.secret_base64());
        // SAFETY: len_out is NULL or writable, as documented above.
        unsafe { give(out, len_out, &secret) };
        Ok(())
    })
}

/// Makes a token for `user` with a fresh random nonce, written to
/// `*token_out` (free it with `tw_string_free`).
///
/// Errors: `TW_STATUS_INVALID_IDENTITY`.
///
/// # Safety
/// `key` is a live key; `user` follows `tw_user`'s rules; `token_out` is
/// writable; `token_len_out` and `error_out` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn tw_key_encrypt(
    key: *const TwKey,
    user: *const TwUser,
    token_out: *mut *mut c_char,
    token_len_out: *mut usize,
    error_out: *mut *mut c_char,
) -> TwStatus {
    entry(error_out, || {
        // SAFETY: key is NULL or a live key, as documented above.
        let key = unsafe { key.as_ref() }.ok_or(Failure::Argument("key is NULL"))?;
        // SAFETY: the other pointers, as documented above.
        unsafe { encrypting(user, token_out, token_len_out, |user, put| Ok(key.0.encrypt_fields_with(user, put)?)) }
    })
}

/// Opens a token (standard or URL-safe base64, surrounding whitespace
/// ignored) into `*identity_out`, which the caller releases with
/// `tw_identity_free` (it is left empty on failure, and freeing an empty
/// one is fine).
///
/// Errors: `TW_STATUS_MALFORMED_TOKEN`, `TW_STATUS_AUTHENTICATION_FAILED`,
/// `TW_STATUS_INVALID_PAYLOAD`.
///
/// # Safety
/// `key` is a live key; `token` points to `token_len` readable bytes;
/// `identity_out` is writable; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn tw_key_decrypt(
    key: *const TwKey,
    token: *const c_char,
    token_len: usize,
    identity_out: *mut TwIdentity,
    error_out: *mut *mut c_char,
) -> TwStatus {
    entry(error_out, || {
        // SAFETY: key is NULL or a live key, as documented above.
        let key = unsafe { key.as_ref() }.ok_or(Failure::Argument("key is NULL"))?;
        // SAFETY: the other pointers, as documented above.
        unsafe { decrypting(token, token_len, identity_out, |token| key.0.decrypt(token)) }
    })
}

/// Frees a key and zeroizes its bytes. NULL is ignored.
///
/// # Safety
/// `key` is NULL or a key from this library not yet freed, which no other
/// thread is using.
#[no_mangle]
pub unsafe extern "C" fn tw_key_free(key: *mut TwKey) {
    if !key.is_null() {
        // SAFETY: a pointer from Box::into_raw, freed once (the contract).
        // Dropping a key cannot panic (it zeroizes and frees memory).
        drop(unsafe { Box::from_raw(key) });
    }
}

// ---------------------------------------------------------------------------
// Keyrings.

/// A keyring of `n_keys` keys (copies; the caller still frees its keys),
/// the first of which encrypts. No keys: `TW_STATUS_INVALID_SECRET`.
///
/// # Safety
/// `keys` points to `n_keys` live keys (it may be NULL when `n_keys` is 0);
/// `keyring_out` is writable; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn tw_keyring_new(
    keys: *const *const TwKey,
    n_keys: usize,
    keyring_out: *mut *mut TwKeyring,
    error_out: *mut *mut c_char,
) -> TwStatus {
    entry(error_out, || {
        // SAFETY: the caller's pointer, as documented above.
        let out = unsafe { out(keyring_out, "keyring_out is NULL")? };
        *out = ptr::null_mut();
        let keys: &[*const TwKey] = if n_keys == 0 {
            &[]
        } else {
            // SAFETY: keys points to n_keys key pointers (the contract);
            // NULL is refused by `as_ref` below and here.
            unsafe { keys.as_ref().map(|first| std::slice::from_raw_parts(first, n_keys)) }
                .ok_or(Failure::Argument("keys is NULL"))?
        };
        let copies = keys
            .iter()
            // SAFETY: each is NULL or a live key (the contract).
            .map(|&key| unsafe { key.as_ref() }.map(|k| k.0.clone()).ok_or(Failure::Argument("a key in keys is NULL")))
            .collect::<Result<Vec<_>, _>>()?;
        *out = Box::into_raw(Box::new(TwKeyring(IdentityKeyring::new(copies)?)));
        Ok(())
    })
}

/// `tw_key_encrypt` with the keyring's first key.
///
/// # Safety
/// As `tw_key_encrypt`, with a live keyring.
#[no_mangle]
pub unsafe extern "C" fn tw_keyring_encrypt(
    keyring: *const TwKeyring,
    user: *const TwUser,
    token_out: *mut *mut c_char,
    token_len_out: *mut usize,
    error_out: *mut *mut c_char,
) -> TwStatus {
    entry(error_out, || {
        // SAFETY: keyring is NULL or a live keyring, as documented.
        let ring = unsafe { keyring.as_ref() }.ok_or(Failure::Argument("keyring is NULL"))?;
        // SAFETY: the other pointers, as documented on tw_key_encrypt.
        unsafe { encrypting(user, token_out, token_len_out, |user, put| Ok(ring.0.encrypt_fields_with(user, put)?)) }
    })
}

/// `tw_key_decrypt` trying each key in turn (only an authentication
/// failure moves on to the next).
///
/// # Safety
/// As `tw_key_decrypt`, with a live keyring.
#[no_mangle]
pub unsafe extern "C" fn tw_keyring_decrypt(
    keyring: *const TwKeyring,
    token: *const c_char,
    token_len: usize,
    identity_out: *mut TwIdentity,
    error_out: *mut *mut c_char,
) -> TwStatus {
    entry(error_out, || {
        // SAFETY: keyring is NULL or a live keyring, as documented.
        let ring = unsafe { keyring.as_ref() }.ok_or(Failure::Argument("keyring is NULL"))?;
        // SAFETY: the other pointers, as documented on tw_key_decrypt.
        unsafe { decrypting(token, token_len, identity_out, |token| ring.0.decrypt(token)) }
    })
}

/// Frees a keyring and zeroizes its keys. NULL is ignored.
///
/// # Safety
/// `keyring` is NULL or a keyring from this library not yet freed, which no
/// other thread is using.
#[no_mangle]
pub unsafe extern "C" fn tw_keyring_free(keyring: *mut TwKeyring) {
    if !keyring.is_null() {
        // SAFETY: a pointer from Box::into_raw, freed once (the contract).
        drop(unsafe { Box::from_raw(keyring) });
    }
}

// ---------------------------------------------------------------------------
// One-shots and the script tag.

/// `tw_key_from_base64` then `tw_key_encrypt`, in one call. A server
/// that makes many tokens should keep a key instead.
///
/// # Safety
/// As those two functions.
#[no_mangle]
pub unsafe extern "C" fn tw_encrypt_user_token(
    secret: *const c_char,
    secret_len: usize,
    user: *const TwUser,
    token_out: *mut *mut c_char,
    token_len_out: *mut usize,
    error_out: *mut *mut c_char,
) -> TwStatus {
    entry(error_out, || {
        // SAFETY: the caller's pointers, as documented on the two functions.
        let secret = unsafe { secret_text(secret, secret_len) }?;
        // SAFETY: as above.
        unsafe {
            encrypting(user, token_out, token_len_out, |user, put| {
                Ok(IdentityKey::from_base64(&secret)?.encrypt_fields_with(user, put)?)
            })
        }
    })
}

/// `tw_key_from_base64` then `tw_key_decrypt`, in one call.
///
/// # Safety
/// As those two functions.
#[no_mangle]
pub unsafe extern "C" fn tw_decrypt_user_token(
    secret: *const c_char,
    secret_len: usize,
    token: *const c_char,
    token_len: usize,
    identity_out: *mut TwIdentity,
    error_out: *mut *mut c_char,
) -> TwStatus {
    entry(error_out, || {
        // SAFETY: the caller's pointers, as documented on the two functions.
        let secret = unsafe { secret_text(secret, secret_len) }?;
        // SAFETY: as above.
        unsafe { decrypting(token, token_len, identity_out, |token| IdentityKey::from_base64(&secret)?.decrypt(token)) }
    })
}

/// The widget's script tag,
/// `<script src="…" data-assistant-id="…" data-user-token="…"></script>`,
/// every value HTML-attribute-escaped; a NULL `token` leaves the
/// `data-user-token` attribute out. A numeric assistant id is passed as its
/// decimal text. Written to `*tag_out` (free it with `tw_string_free`).
///
/// Errors: `TW_STATUS_BAD_ARGUMENT` when a text is not UTF-8.
///
/// # Safety
/// `src` and `assistant_id` point to their lengths in readable bytes;
/// `token` is NULL or points to `token_len` readable bytes; `tag_out` is
/// writable; `tag_len_out` and `error_out` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn tw_widget_script_tag(
    src: *const c_char,
    src_len: usize,
    assistant_id: *const c_char,
    assistant_id_len: usize,
    token: *const c_char,
    token_len: usize,
    tag_out: *mut *mut c_char,
    tag_len_out: *mut usize,
    error_out: *mut *mut c_char,
) -> TwStatus {
    entry(error_out, || {
        // SAFETY: the caller's pointers, as documented above.
        let (src, assistant_id, token, out) = unsafe {
            (bytes(src, src_len), bytes(assistant_id, assistant_id_len), bytes(token, token_len), out(tag_out, "tag_out is NULL")?)
        };
        let src = utf8(src.ok_or(Failure::Argument("src is NULL"))?, "src is not UTF-8")?;
        let assistant_id = utf8(assistant_id.ok_or(Failure::Argument("assistant_id is NULL"))?, "assistant_id is not UTF-8")?;
        let token = token.map(|t| utf8(t, "token is not UTF-8")).transpose()?;
        let tag = identity::widget_script_tag(src, assistant_id, token);
        // SAFETY: tag_len_out is NULL or writable, as documented.
        unsafe { give(out, tag_len_out, &tag) };
        Ok(())
    })
}

// ---------------------------------------------------------------------------
// Memory and status names.

/// Frees a string this library returned (token, tag, secret, error
/// message), zeroizing it first. NULL is ignored.
///
/// # Safety
/// `s` is NULL or a string from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn tw_string_free(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    // SAFETY: a NUL-terminated block from `c_string` (malloc), not yet
    // freed (the contract): its bytes up to the terminator are writable,
    // and it is freed exactly once, with free.
    unsafe {
        std::slice::from_raw_parts_mut(s.cast::<u8>(), libc::strlen(s)).zeroize();
        libc::free(s.cast());
    }
}

/// Frees the strings an opened identity owns and leaves it empty (all NULL),
/// so freeing it twice is harmless. NULL is ignored.
///
/// # Safety
/// `identity` is NULL or a `tw_identity` filled in by this library (or
/// all zero).
#[no_mangle]
pub unsafe extern "C" fn tw_identity_free(identity: *mut TwIdentity) {
    // SAFETY: NULL or a TwIdentity this library filled (the contract); each
    // of its strings came from `c_string` and is freed once, then replaced
    // by NULL.
    if let Some(who) = unsafe { identity.as_mut() } {
        let who = std::mem::replace(who, EMPTY_IDENTITY);
        // SAFETY: as above.
        unsafe {
            tw_string_free(who.id);
            tw_string_free(who.name);
            tw_string_free(who.email);
        }
    }
}

/// The stable name of a status, as a static string the caller must not
/// free: `ok`, `invalid_secret`, `invalid_identity`, `malformed_token`,
/// `authentication_failed`, `invalid_payload`, `panic` or `bad_argument`
/// (and `unknown` for a value that is none of these).
#[no_mangle]
pub extern "C" fn tw_status_code(status: i32) -> *const c_char {
    let name: &'static std::ffi::CStr = match status {
        0 => c"ok",
        1 => c"invalid_secret",
        2 => c"invalid_identity",
        3 => c"malformed_token",
        4 => c"authentication_failed",
        5 => c"invalid_payload",
        6 => c"panic",
        7 => c"bad_argument",
        _ => c"unknown",
    };
    name.as_ptr()
}

// ---------------------------------------------------------------------------
// Tests only.

/// TESTS ONLY: `tw_key_encrypt` with the given 12-byte nonce instead of a
/// fresh random one. A nonce used twice under one key breaks AES-GCM; this
/// exists for conformance tests and nothing else. Declared only when
/// `TW_TESTING` is defined before including the header.
///
/// # Safety
/// As `tw_key_encrypt`; `nonce` points to 12 readable bytes.
#[cfg(feature = "testing")]
#[no_mangle]
pub unsafe extern "C" fn tw_testing_encrypt_with_nonce(
    key: *const TwKey,
    nonce: *const u8,
    user: *const TwUser,
    token_out: *mut *mut c_char,
    token_len_out: *mut usize,
    error_out: *mut *mut c_char,
) -> TwStatus {
    entry(error_out, || {
        // SAFETY: key is NULL or a live key; nonce is NULL or 12 readable
        // bytes, read as exactly that (the contract above).
        let (key, nonce) = unsafe {
            (
                key.as_ref().ok_or(Failure::Argument("key is NULL"))?,
                nonce.cast::<[u8; 12]>().as_ref().ok_or(Failure::Argument("nonce is NULL"))?,
            )
        };
        // SAFETY: the other pointers, as documented on tw_key_encrypt.
        unsafe {
            encrypting(user, token_out, token_len_out, |user, put| {
                let who = UserIdentity::from_fields(user.id, user.name, user.email);
                put(&identity::testing::encrypt_with_nonce(&key.0, *nonce, &who)?);
                Ok(())
            })
        }
    })
}

/// TESTS ONLY: panics inside the library, to show that the panic is caught
/// at the boundary: returns `TW_STATUS_PANIC` with a message, and the
/// process goes on.
///
/// # Safety
/// `error_out` is NULL or writable.
#[cfg(feature = "testing")]
#[no_mangle]
pub unsafe extern "C" fn tw_testing_panic(error_out: *mut *mut c_char) -> TwStatus {
    entry(error_out, || panic!("tw_testing_panic was called"))
}

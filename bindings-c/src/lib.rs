//! The C ABI of teamweb-identity (`teamweb_identity.h`, generated from this
//! file by cbindgen): the one hand-written C ABI of the repository, used by
//! C, Go (cgo) and the JVM package's per-call path (JNA direct mapping).
//!
//! Every function converts C arguments into the core's types, calls the core
//! and converts the result back; every rule about host text (identity fields
//! strict, secrets and tokens lenient, the script tag's replacement of
//! ill-formed text), all validation, JSON, crypto and escaping stay in the
//! core (`teamweb_identity::host` and the public API). Rules the whole ABI
//! follows:
//!
//! - every function returns a `tw_status`;
//! - every output parameter is set (to NULL, 0 or empty) on entry, before
//!   anything can fail, so a failed call never leaves a stale pointer behind;
//! - text goes in as a pointer and a length: UTF-8 bytes (no terminator
//!   needed, embedded NUL bytes are text like any other), or, in the
//!   `_utf16` functions, UTF-16 code units (`const uint16_t *`, length in
//!   units, 2-byte aligned);
//! - two ways out:
//!   - allocating functions hand out strings the caller frees with
//!     `tw_string_free` (NUL-terminated, with their length; a decrypted field
//!     may itself contain NUL, so use the length) and write a failure's
//!     message to `*error_out`, NULL after a success;
//!   - the `_into` and `_utf16` functions write into the caller's buffer
//!     (`out`, `capacity`, `*written`) and the message into the caller's
//!     message buffer, and allocate nothing the caller must free: when `out`
//!     is too small they return `TW_STATUS_BUFFER_TOO_SMALL` with the length
//!     needed in `*written` (`tw_token_max_len` and `tw_identity_max_len`
//!     give sizes that are always enough);
//! - keys and keyrings are opaque handles, freed with `tw_key_free` and
//!   `tw_keyring_free`; they are immutable and safe to use from many
//!   threads at once;
//! - no panic crosses the boundary: each entry point catches it and returns
//!   `TW_STATUS_PANIC`.
//!
//! The Rust side ([`TwKey::new`], [`TwKeyring::new`], [`TwKey::as_ptr`]) is
//! for the JVM package's crate, which links this crate into its one native
//! library and hands these handles to the JVM.
// `unsafe_op_in_unsafe_fn` and `clippy::undocumented_unsafe_blocks` are
// denied by the workspace's [lints] (Cargo.toml): every unsafe block at the
// C boundary says why it is sound in a `// SAFETY:` comment.
#![deny(missing_docs)]

use std::borrow::Cow;
use std::ffi::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use identity::host::{self, Field};
use identity::{Error, ErrorKind, IdentityFields, IdentityKey, IdentityKeyring, UserIdentity};
use zeroize::Zeroize;

/// What a call did. `TW_STATUS_OK` is 0; the next five are the SDK's stable
/// error codes (see `tw_status_code` for their names); the last three are
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
    /// `bad_argument`: a required pointer was NULL.
    BadArgument = 7,
    /// `buffer_too_small`: the caller's output buffer cannot hold the
    /// result; `*written` is the length needed. Nothing else happened: call
    /// again with a buffer at least that large (an encrypt call then makes
    /// a token with a new nonce).
    BufferTooSmall = 8,
}

/// A key: made by `tw_key_from_base64` or `tw_key_generate`, freed (and
/// its bytes zeroized) by `tw_key_free`. Safe to share between threads.
pub struct TwKey(IdentityKey);

impl TwKey {
    /// A key for the C functions, from Rust (the JVM package's crate keeps
    /// one in its uniffi object and hands [`as_ptr`](Self::as_ptr) to the JVM).
    pub fn new(key: IdentityKey) -> Self {
        TwKey(key)
    }

    /// The core key.
    pub fn key(&self) -> &IdentityKey {
        &self.0
    }

    /// This key as the C functions take it: valid while `self` is alive and
    /// not moved.
    pub fn as_ptr(&self) -> *const TwKey {
        self
    }
}

/// A keyring: made by `tw_keyring_new`, freed by `tw_keyring_free`.
/// Encrypts with its first key; decrypts with whichever key made the token.
/// Safe to share between threads.
pub struct TwKeyring(IdentityKeyring);

impl TwKeyring {
    /// A keyring for the C functions, from Rust (see [`TwKey::new`]).
    pub fn new(keyring: IdentityKeyring) -> Self {
        TwKeyring(keyring)
    }

    /// The core keyring.
    pub fn keyring(&self) -> &IdentityKeyring {
        &self.0
    }

    /// This keyring as the C functions take it: valid while `self` is alive
    /// and not moved.
    pub fn as_ptr(&self) -> *const TwKeyring {
        self
    }
}

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

/// An identity to encrypt, as UTF-16 (the `_utf16` functions): each field
/// is a pointer to code units and their count. `id` is required (not NULL);
/// a NULL `name` or `email`, or a count of 0, means absent. Like
/// [`TwUser`], borrowed for the duration of the call.
#[repr(C)]
pub struct TwUserUtf16 {
    /// The `id` (required).
    pub id: *const u16,
    /// Length of `id` in code units.
    pub id_len: usize,
    /// The `name`, or NULL.
    pub name: *const u16,
    /// Length of `name` in code units.
    pub name_len: usize,
    /// The `email`, or NULL.
    pub email: *const u16,
    /// Length of `email` in code units.
    pub email_len: usize,
}

/// Where an `_into` or `_utf16` function writes: the caller's output buffer
/// and message buffer, and what the call sets, in one struct that a caller
/// sets up once and reuses (one pointer per call: a caller through a
/// generic FFI such as JNA pays for each argument). The function sets
/// `written`, the field lengths and `message_len` to 0 on entry.
#[repr(C)]
pub struct TwOut {
    /// The caller's buffer, or NULL (no room).
    pub buf: *mut c_char,
    /// Bytes `buf` can hold.
    pub capacity: usize,
    /// Set: bytes written to `buf`; with `TW_STATUS_BUFFER_TOO_SMALL`, the
    /// bytes needed (nothing is written then).
    pub written: usize,
    /// Set by the decrypt functions: the lengths of `id`, `name` and
    /// `email`, which are written one after the other in `buf` (0 for an
    /// absent field).
    pub id_len: usize,
    /// See `id_len`.
    pub name_len: usize,
    /// See `id_len`.
    pub email_len: usize,
    /// NULL, or room for a refusal's message (NUL-terminated, cut to fit).
    pub message: *mut c_char,
    /// Bytes `message` can hold.
    pub message_capacity: usize,
    /// Set: the message's length in bytes, without the terminator.
    pub message_len: usize,
}

/// An opened identity, filled in by the allocating decrypt functions. Each
/// string is owned by the struct (release them all with `tw_identity_free`,
/// which zeroizes them), comes with its length, and is NUL-terminated for
/// convenience; a field may itself contain NUL bytes (a token can carry
/// U+0000), so read it by its length. An absent `name` or `email` is NULL
/// with length 0.
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
// The boundary: catching panics, reading arguments, handing out results.

enum Failure {
    Core(Error),
    Argument(&'static str),
    TooSmall,
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

const PANIC_MESSAGE: &str = "internal error in teamweb-identity (a panic was caught); please report it";
const TOO_SMALL_MESSAGE: &str = "the output buffer is too small; *written is the length needed";

/// Runs one entry point's body, catching a panic: Ok, or the failure's
/// status and message (borrowed from the error: nothing is allocated).
fn run(body: impl FnOnce() -> Result<(), Failure>, report: impl FnOnce(TwStatus, &str)) -> TwStatus {
    let failure = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return TwStatus::Ok,
        Ok(Err(failure)) => Some(failure),
        Err(_) => None,
    };
    let (status, message) = match &failure {
        Some(Failure::Core(err)) => (status_of(err.kind()), err.message()),
        Some(Failure::Argument(why)) => (TwStatus::BadArgument, *why),
        Some(Failure::TooSmall) => (TwStatus::BufferTooSmall, TOO_SMALL_MESSAGE),
        None => (TwStatus::Panic, PANIC_MESSAGE),
    };
    // Writing the message copies bytes into memory the caller gave or a
    // malloc block; it cannot panic.
    report(status, message);
    status
}

/// An allocating entry point: `*error_out` is NULL on entry and after a
/// success; on failure it gets the message (free it with `tw_string_free`).
fn entry(error_out: *mut *mut c_char, body: impl FnOnce() -> Result<(), Failure>) -> TwStatus {
    // SAFETY: the caller passes NULL or a pointer to a writable `char *`
    // (documented on every function).
    let error_out = unsafe { error_out.as_mut() };
    let error_out = error_out.map(|slot| {
        *slot = ptr::null_mut();
        slot
    });
    run(body, |_, message| {
        if let Some(slot) = error_out {
            *slot = c_string(message.as_bytes());
        }
    })
}

/// The caller's message buffer of a buffer-filling entry point (from its
/// `tw_out`).
struct MessageOut<'a> {
    buf: *mut c_char,
    capacity: usize,
    len: &'a mut usize,
}

impl MessageOut<'_> {
    /// Writes `message`, cut at a character boundary to fit with its NUL
    /// terminator, and its length as written.
    ///
    /// # Safety
    /// `buf` is NULL or valid for writing `capacity` bytes.
    unsafe fn put(&mut self, message: &str) {
        if self.buf.is_null() || self.capacity == 0 {
            return;
        }
        let mut n = message.len().min(self.capacity - 1);
        while !message.is_char_boundary(n) {
            n -= 1;
        }
        // SAFETY: `buf` has room for `capacity` >= n + 1 bytes (the
        // contract).
        unsafe {
            ptr::copy_nonoverlapping(message.as_ptr(), self.buf.cast::<u8>(), n);
            *self.buf.add(n) = 0;
        }
        *self.len = n;
    }
}

/// The caller's output buffer (from its `tw_out`): `out` is valid for
/// writing `capacity` bytes (0 when the caller gave NULL).
struct Sink<'a> {
    out: *mut c_char,
    capacity: usize,
    written: &'a mut usize,
}

impl Sink<'_> {
    /// Writes `parts` one after the other, or, if they do not fit, only
    /// their total length to `*written` and `TooSmall`.
    fn put(&mut self, parts: &[&[u8]]) -> Result<(), Failure> {
        let total: usize = parts.iter().map(|p| p.len()).sum();
        *self.written = total;
        if total > self.capacity {
            return Err(Failure::TooSmall);
        }
        let mut at = 0;
        for part in parts {
            // SAFETY: `out` is valid for `capacity` >= total bytes (the
            // struct's invariant, set by `entry_out`), and
            // `at + part.len() <= total`.
            unsafe { ptr::copy_nonoverlapping(part.as_ptr(), self.out.cast::<u8>().add(at), part.len()) };
            at += part.len();
        }
        Ok(())
    }
}

/// The caller's `len` elements at `ptr`, or None for NULL.
///
/// # Safety
/// `ptr` is NULL or points to `len` readable, aligned `T`s that stay
/// unchanged for the call.
unsafe fn slice<'a, T>(ptr: *const T, len: usize) -> Option<&'a [T]> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: not NULL, and valid for `len` elements by this function's contract.
    Some(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// The caller's `len` bytes at `ptr`, or None for NULL.
///
/// # Safety
/// As [`slice`].
unsafe fn bytes<'a>(ptr: *const c_char, len: usize) -> Option<&'a [u8]> {
    // SAFETY: per this function's contract.
    unsafe { slice(ptr.cast::<u8>(), len) }
}

/// Sets a pointer output to NULL on entry and gives it back, or refuses NULL.
///
/// # Safety
/// `out` is NULL or valid for writing one pointer.
unsafe fn out_ptr<'a, T>(out: *mut *mut T, what: &'static str) -> Result<&'a mut *mut T, Failure> {
    // SAFETY: NULL or valid for writes, by this function's contract.
    let out = unsafe { out.as_mut() }.ok_or(Failure::Argument(what))?;
    *out = ptr::null_mut();
    Ok(out)
}

/// Sets a length output to 0 on entry, if there is one.
///
/// # Safety
/// `len` is NULL or writable.
unsafe fn clear_len(len: *mut usize) {
    // SAFETY: per this function's contract.
    if let Some(len) = unsafe { len.as_mut() } {
        *len = 0;
    }
}

/// The UTF-8 identity of a `tw_user`, checked by the core's host rules.
///
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
    Ok(IdentityFields {
        id: host::field_from_utf8(Field::Id, id.ok_or(Failure::Argument("user->id is NULL"))?)?,
        name: host::optional_field_from_utf8(Field::Name, name)?,
        email: host::optional_field_from_utf8(Field::Email, email)?,
    })
}

/// A UTF-16 identity, as owned text checked by the core's host rules.
struct Utf16User {
    id: String,
    name: Option<String>,
    email: Option<String>,
}

impl Utf16User {
    /// # Safety
    /// `user` is NULL or points to a readable `TwUserUtf16` whose pointers
    /// are each NULL or point to their lengths in readable, aligned
    /// `uint16_t`s.
    unsafe fn read(user: *const TwUserUtf16) -> Result<Self, Failure> {
        // SAFETY: per this function's contract.
        let user = unsafe { user.as_ref() }.ok_or(Failure::Argument("user is NULL"))?;
        // SAFETY: as above.
        let (id, name, email) =
            unsafe { (slice(user.id, user.id_len), slice(user.name, user.name_len), slice(user.email, user.email_len)) };
        Ok(Utf16User {
            id: host::field_from_utf16(Field::Id, id.ok_or(Failure::Argument("id is NULL"))?)?,
            name: host::optional_field_from_utf16(Field::Name, name)?,
            email: host::optional_field_from_utf16(Field::Email, email)?,
        })
    }

    fn fields(&self) -> IdentityFields<'_> {
        IdentityFields { id: &self.id, name: self.name.as_deref(), email: self.email.as_deref() }
    }
}

/// A malloc block for `tw_string_free`: a header holding the text's length,
/// then the text and a NUL terminator. The caller gets the address of the
/// text; the length lets `tw_string_free` wipe all of it, NUL bytes
/// included.
const HEADER: usize = std::mem::size_of::<usize>();

/// A NUL-terminated copy of `text` in memory from `malloc`, for
/// `tw_string_free`.
fn c_string(text: &[u8]) -> *mut c_char {
    let size = HEADER + text.len() + 1;
    // SAFETY: malloc of `size` (never 0) bytes, checked for NULL; malloc's
    // result is aligned for a usize, which is written at its start; then
    // exactly len bytes and one terminator, all inside the block.
    unsafe {
        let block = libc::malloc(size).cast::<u8>();
        if block.is_null() {
            // Out of memory: the same as any Rust allocation failing.
            std::alloc::handle_alloc_error(std::alloc::Layout::array::<u8>(size).unwrap_or(std::alloc::Layout::new::<u8>()));
        }
        block.cast::<usize>().write(text.len());
        let start = block.add(HEADER);
        ptr::copy_nonoverlapping(text.as_ptr(), start, text.len());
        *start.add(text.len()) = 0;
        start.cast()
    }
}

/// Zeroizes a block from [`c_string`] by its recorded length (header, text,
/// terminator) and gives back the block's start, for `free`.
///
/// # Safety
/// `s` is a string from [`c_string`] not yet freed.
unsafe fn wipe(s: *mut c_char) -> *mut u8 {
    // SAFETY: `s` is HEADER bytes into a block from c_string (the
    // contract), whose header holds the text's length; the whole block is
    // writable.
    unsafe {
        let block = s.cast::<u8>().sub(HEADER);
        let len = block.cast::<usize>().read();
        std::slice::from_raw_parts_mut(block, HEADER + len + 1).zeroize();
        block
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

/// An opened identity into the caller's buffer: id, name and email one after
/// the other, their lengths in `*lens` (0 for an absent field).
fn put_identity(sink: &mut Sink<'_>, lens: [&mut usize; 3], who: &UserIdentity) -> Result<(), Failure> {
    let parts = [who.id(), who.name().unwrap_or(""), who.email().unwrap_or("")];
    sink.put(&parts.map(str::as_bytes))?;
    for (len, part) in lens.into_iter().zip(parts) {
        *len = part.len();
    }
    Ok(())
}

/// Empties an identity output on entry, if there is one.
///
/// # Safety
/// `identity_out` is NULL or writable.
unsafe fn clear_identity(identity_out: *mut TwIdentity) {
    // SAFETY: per this function's contract.
    if let Some(out) = unsafe { identity_out.as_mut() } {
        *out = EMPTY_IDENTITY;
    }
}

/// What every allocating encrypt entry point shares: reads `user`, checks
/// `token_out`, and lets `seal` hand the token straight to the caller's
/// string.
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
    let out = unsafe {
        clear_len(token_len_out);
        out_ptr(token_out, "token_out is NULL")?
    };
    // SAFETY: as above.
    let user = unsafe { fields(user)? };
    // SAFETY: token_len_out is NULL or writable, per this function's contract.
    seal(user, &mut |token| unsafe { give(out, token_len_out, token) })
}

/// What every allocating decrypt entry point shares: empties
/// `*identity_out`, reads the token, and fills it with what `open` makes of
/// the token.
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
    // SAFETY: the caller's pointer, per this function's contract.
    let out = unsafe { identity_out.as_mut() }.ok_or(Failure::Argument("identity_out is NULL"))?;
    *out = EMPTY_IDENTITY;
    // SAFETY: as above.
    let token = unsafe { bytes(token, token_len) }.ok_or(Failure::Argument("token is NULL"))?;
    give_identity(out, open(&host::token_from_utf8(token)?)?);
    Ok(())
}

/// A UTF-8 secret argument, as a key.
///
/// # Safety
/// `secret` is NULL or points to `secret_len` readable bytes.
unsafe fn key_utf8(secret: *const c_char, secret_len: usize) -> Result<IdentityKey, Failure> {
    // SAFETY: per this function's contract.
    let secret = unsafe { bytes(secret, secret_len) }.ok_or(Failure::Argument("secret is NULL"))?;
    Ok(host::key_from_utf8(secret)?)
}

/// A UTF-16 secret argument, as a key.
///
/// # Safety
/// `secret` is NULL or points to `secret_len` readable, aligned units.
unsafe fn key_utf16(secret: *const u16, secret_len: usize) -> Result<IdentityKey, Failure> {
    // SAFETY: per this function's contract.
    let secret = unsafe { slice(secret, secret_len) }.ok_or(Failure::Argument("secret is NULL"))?;
    Ok(host::key_from_utf16(secret)?)
}

/// A live key argument.
///
/// # Safety
/// `key` is NULL or a live key.
unsafe fn key_arg<'a>(key: *const TwKey) -> Result<&'a IdentityKey, Failure> {
    // SAFETY: per this function's contract.
    unsafe { key.as_ref() }.map(|k| &k.0).ok_or(Failure::Argument("key is NULL"))
}

/// A live keyring argument.
///
/// # Safety
/// `keyring` is NULL or a live keyring.
unsafe fn keyring_arg<'a>(keyring: *const TwKeyring) -> Result<&'a IdentityKeyring, Failure> {
    // SAFETY: per this function's contract.
    unsafe { keyring.as_ref() }.map(|k| &k.0).ok_or(Failure::Argument("keyring is NULL"))
}

/// Who encrypts: a key (a live one, or one made from a secret for the call)
/// or a keyring.
enum Sealer<'a> {
    Key(&'a IdentityKey),
    Keyring(&'a IdentityKeyring),
}

impl Sealer<'_> {
    fn seal_into(&self, fields: IdentityFields<'_>, sink: &mut Sink<'_>) -> Result<(), Failure> {
        let put = |token: &str| sink.put(&[token.as_bytes()]);
        match self {
            Sealer::Key(key) => key.encrypt_fields_with(fields, put)?,
            Sealer::Keyring(ring) => ring.encrypt_fields_with(fields, put)?,
        }
    }
}

// ---------------------------------------------------------------------------
// Keys.

/// Reads a secret as the channel's settings page shows it (the base64 of 32
/// bytes; surrounding whitespace, the URL-safe alphabet and missing padding
/// are accepted) and makes a key, written to `*key_out` (NULL on failure).
/// Bytes that are not UTF-8 are refused like any other character that is
/// not base64.
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
        let out = unsafe { out_ptr(key_out, "key_out is NULL")? };
        // SAFETY: as above.
        let key = unsafe { key_utf8(secret, secret_len)? };
        *out = Box::into_raw(Box::new(TwKey(key)));
        Ok(())
    })
}

/// `tw_key_from_base64` for a secret given as UTF-16 (`secret_len` code
/// units); a lone surrogate is refused like any other character that is
/// not base64.
///
/// # Safety
/// `secret` points to `secret_len` readable, aligned code units; `key_out`
/// is writable; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn tw_key_from_base64_utf16(
    secret: *const u16,
    secret_len: usize,
    key_out: *mut *mut TwKey,
    error_out: *mut *mut c_char,
) -> TwStatus {
    entry(error_out, || {
        // SAFETY: the caller's pointers, as documented above.
        let out = unsafe { out_ptr(key_out, "key_out is NULL")? };
        // SAFETY: as above.
        let key = unsafe { key_utf16(secret, secret_len)? };
        *out = Box::into_raw(Box::new(TwKey(key)));
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
        let out = unsafe { out_ptr(key_out, "key_out is NULL")? };
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
        let out = unsafe {
            clear_len(len_out);
            out_ptr(secret_out, "secret_out is NULL")?
        };
        // SAFETY: as above.
        let key = unsafe { key_arg(key)? };
        let secret = zeroize::Zeroizing::new(key.secret_base64());
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
        // SAFETY: the caller's pointers, as documented above.
        unsafe {
            encrypting(user, token_out, token_len_out, |user, put| Ok(key_arg(key)?.encrypt_fields_with(user, put)?))
        }
    })
}

/// Opens a token (standard or URL-safe base64, surrounding whitespace
/// ignored) into `*identity_out`, which the caller releases with
/// `tw_identity_free` (it is emptied on entry and left empty on failure,
/// and freeing an empty one is fine).
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
        // SAFETY: the caller's pointers, as documented above.
        unsafe {
            clear_identity(identity_out);
            let key = key_arg(key)?;
            decrypting(token, token_len, identity_out, |token| key.decrypt(token))
        }
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
        let out = unsafe { out_ptr(keyring_out, "keyring_out is NULL")? };
        let keys: &[*const TwKey] = if n_keys == 0 {
            &[]
        } else {
            // SAFETY: keys points to n_keys key pointers (the contract).
            unsafe { slice(keys, n_keys) }.ok_or(Failure::Argument("keys is NULL"))?
        };
        // At its final size: growing the list would leave copies of the
        // keys' AES schedules in the freed smaller buffer.
        let mut copies = Vec::with_capacity(keys.len());
        for &key in keys {
            // SAFETY: each is NULL or a live key (the contract).
            copies.push(unsafe { key_arg(key) }.map_err(|_| Failure::Argument("a key in keys is NULL"))?.clone());
        }
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
        // SAFETY: the caller's pointers, as documented on tw_key_encrypt.
        unsafe {
            encrypting(user, token_out, token_len_out, |user, put| {
                Ok(keyring_arg(keyring)?.encrypt_fields_with(user, put)?)
            })
        }
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
        // SAFETY: the caller's pointers, as documented on tw_key_decrypt.
        let ring = unsafe {
            clear_identity(identity_out);
            keyring_arg(keyring)?
        };
        // SAFETY: as above.
        unsafe { decrypting(token, token_len, identity_out, |token| ring.decrypt(token)) }
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
        unsafe {
            encrypting(user, token_out, token_len_out, |user, put| {
                Ok(key_utf8(secret, secret_len)?.encrypt_fields_with(user, put)?)
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
        let key = unsafe {
            clear_identity(identity_out);
            key_utf8(secret, secret_len)?
        };
        // SAFETY: as above.
        unsafe { decrypting(token, token_len, identity_out, |token| key.decrypt(token)) }
    })
}

/// The widget's script tag,
/// `<script src="…" data-assistant-id="…" data-user-token="…"></script>`,
/// every value HTML-attribute-escaped; a NULL `token` leaves the
/// `data-user-token` attribute out. A numeric assistant id is passed as its
/// decimal text. Text that is not UTF-8 never fails: each ill-formed
/// sequence (and each 3-byte encoded surrogate, as WTF-8 writes a lone
/// surrogate) becomes U+FFFD, as in every other package. Written to
/// `*tag_out` (free it with `tw_string_free`).
///
/// Errors: `TW_STATUS_BAD_ARGUMENT` for a NULL `src` or `assistant_id`.
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
        let (out, src, assistant_id, token) = unsafe {
            clear_len(tag_len_out);
            (
                out_ptr(tag_out, "tag_out is NULL")?,
                bytes(src, src_len).ok_or(Failure::Argument("src is NULL"))?,
                bytes(assistant_id, assistant_id_len).ok_or(Failure::Argument("assistant_id is NULL"))?,
                bytes(token, token_len),
            )
        };
        let tag = host::script_tag_utf8(src, assistant_id, token);
        // SAFETY: tag_len_out is NULL or writable, as documented.
        unsafe { give(out, tag_len_out, &tag) };
        Ok(())
    })
}

// ---------------------------------------------------------------------------
// Into the caller's buffers: no allocation the caller must free.

/// The most bytes a token made by this library can have (a token is ASCII):
/// a buffer of this size always holds the token of an encrypt call.
#[no_mangle]
pub extern "C" fn tw_token_max_len() -> usize {
    identity::host::max_token_len()
}

/// The most bytes the three fields of a decrypted identity can take
/// together (UTF-8): a buffer of this size always holds the identity of a
/// decrypt-into call.
#[no_mangle]
pub extern "C" fn tw_identity_max_len() -> usize {
    identity::host::max_identity_len()
}

/// Checks, from its length alone, that a token of `units` UTF-16 code
/// units can be opened at all, for callers that would otherwise copy it
/// into native memory first (the JVM): `TW_STATUS_MALFORMED_TOKEN`, with
/// the core's message in `out->message` (as in the `_into` functions),
/// when it must be longer than the core accepts; `TW_STATUS_OK` otherwise.
/// Only `out`'s message fields are used.
///
/// # Safety
/// `out` as in `tw_key_encrypt_into`.
#[no_mangle]
pub unsafe extern "C" fn tw_token_check_utf16_len(units: usize, out: *mut TwOut) -> TwStatus {
    // SAFETY: the caller's pointer, as documented above.
    unsafe { entry_out(out, |_| Ok(host::check_token_utf16_len(units)?)) }
}

/// Decrypts `token` with `open` into the caller's buffer.
fn open_into(
    open: impl FnOnce(&str) -> Result<UserIdentity, Error>,
    token: &str,
    sink: &mut Sink<'_>,
    lens: [&mut usize; 3],
) -> Result<(), Failure> {
    put_identity(sink, lens, &open(token)?)
}

/// What an `_into` or `_utf16` function writes through, from the caller's
/// [`TwOut`].
struct OutParts<'a> {
    sink: Sink<'a>,
    lens: [&'a mut usize; 3],
}

/// An `_into` or `_utf16` entry point: `out`'s outputs are set to 0 (and
/// its message buffer emptied) on entry, `body` gets its buffer and field
/// lengths, and a failure's message goes to its message buffer. A NULL
/// `out` is `TW_STATUS_BAD_ARGUMENT` (with nowhere to write a message).
///
/// # Safety
/// `out` is NULL or points to a writable `TwOut` whose `buf` is NULL or
/// valid for writing `capacity` bytes and whose `message` is NULL or valid
/// for writing `message_capacity` bytes.
unsafe fn entry_out(out: *mut TwOut, body: impl FnOnce(OutParts<'_>) -> Result<(), Failure>) -> TwStatus {
    // SAFETY: NULL or a writable `TwOut` (this function's contract).
    let Some(out) = (unsafe { out.as_mut() }) else {
        return run(|| Err(Failure::Argument("out is NULL")), |_, _| {});
    };
    // One borrow per field: the message, written after `body`, and what
    // `body` writes never alias.
    let TwOut { buf, capacity, written, id_len, name_len, email_len, message, message_capacity, message_len } = out;
    (*written, *id_len, *name_len, *email_len, *message_len) = (0, 0, 0, 0, 0);
    let mut message = MessageOut { buf: *message, capacity: *message_capacity, len: message_len };
    // SAFETY: `message` is NULL or has room for `message_capacity` bytes
    // (the contract); an empty message is its NUL alone.
    unsafe { message.put("") };
    let sink = Sink { out: *buf, capacity: if buf.is_null() { 0 } else { *capacity }, written };
    // SAFETY: `message` as above.
    run(|| body(OutParts { sink, lens: [id_len, name_len, email_len] }), |_, text| unsafe { message.put(text) })
}

/// `tw_key_encrypt` into the caller's buffer (see `tw_out`): the token's
/// bytes (ASCII, no terminator) go to `out->buf`, their number to
/// `out->written`. A `capacity` of `tw_token_max_len()` is always enough;
/// with less, a token that does not fit is `TW_STATUS_BUFFER_TOO_SMALL`
/// with the length needed in `out->written`. A failure's message
/// (NUL-terminated, cut to fit) goes to `out->message`, its length to
/// `out->message_len`.
///
/// Errors: `TW_STATUS_INVALID_IDENTITY`, `TW_STATUS_BUFFER_TOO_SMALL`.
///
/// # Safety
/// `key` is a live key; `user` follows `tw_user`'s rules; `out` is as
/// documented on `tw_out` (its buffers writable for their capacities).
#[no_mangle]
pub unsafe extern "C" fn tw_key_encrypt_into(key: *const TwKey, user: *const TwUser, out: *mut TwOut) -> TwStatus {
    // SAFETY: the caller's pointers, as documented above.
    unsafe { entry_out(out, |mut out| Sealer::Key(key_arg(key)?).seal_into(fields(user)?, &mut out.sink)) }
}

/// `tw_key_encrypt_into` with the keyring's first key.
///
/// # Safety
/// As `tw_key_encrypt_into`, with a live keyring.
#[no_mangle]
pub unsafe extern "C" fn tw_keyring_encrypt_into(
    keyring: *const TwKeyring,
    user: *const TwUser,
    out: *mut TwOut,
) -> TwStatus {
    // SAFETY: the caller's pointers, as documented on tw_key_encrypt_into.
    unsafe { entry_out(out, |mut out| Sealer::Keyring(keyring_arg(keyring)?).seal_into(fields(user)?, &mut out.sink)) }
}

/// `tw_encrypt_user_token` into the caller's buffer (as
/// `tw_key_encrypt_into`).
///
/// # Safety
/// As `tw_key_from_base64` and `tw_key_encrypt_into`.
#[no_mangle]
pub unsafe extern "C" fn tw_encrypt_user_token_into(
    secret: *const c_char,
    secret_len: usize,
    user: *const TwUser,
    out: *mut TwOut,
) -> TwStatus {
    // SAFETY: the caller's pointers, as documented on the two functions.
    unsafe {
        entry_out(out, |mut out| {
            let user = fields(user)?;
            Sealer::Key(&key_utf8(secret, secret_len)?).seal_into(user, &mut out.sink)
        })
    }
}

/// `tw_key_decrypt` into the caller's buffer (see `tw_out`): the
/// identity's fields go to `out->buf` one after the other (id, name,
/// email; UTF-8, no terminators; a field may contain NUL bytes), their
/// lengths to `out->id_len`, `name_len` and `email_len` (0 for an absent
/// name or email), their total to `out->written`. A `capacity` of
/// `tw_identity_max_len()` is always enough; with less, an identity that
/// does not fit is `TW_STATUS_BUFFER_TOO_SMALL` with the length needed in
/// `out->written`. The message as in `tw_key_encrypt_into`.
///
/// Errors: `TW_STATUS_MALFORMED_TOKEN`, `TW_STATUS_AUTHENTICATION_FAILED`,
/// `TW_STATUS_INVALID_PAYLOAD`, `TW_STATUS_BUFFER_TOO_SMALL`.
///
/// # Safety
/// `key` is a live key; `token` points to `token_len` readable bytes;
/// `out` as in `tw_key_encrypt_into`.
#[no_mangle]
pub unsafe extern "C" fn tw_key_decrypt_into(
    key: *const TwKey,
    token: *const c_char,
    token_len: usize,
    out: *mut TwOut,
) -> TwStatus {
    // SAFETY: the caller's pointers, as documented above.
    unsafe {
        entry_out(out, |mut out| {
            let key = key_arg(key)?;
            open_into(|token| key.decrypt(token), &utf8_token(token, token_len)?, &mut out.sink, out.lens)
        })
    }
}

/// `tw_key_decrypt_into` with a keyring (see `tw_keyring_decrypt`).
///
/// # Safety
/// As `tw_key_decrypt_into`, with a live keyring.
#[no_mangle]
pub unsafe extern "C" fn tw_keyring_decrypt_into(
    keyring: *const TwKeyring,
    token: *const c_char,
    token_len: usize,
    out: *mut TwOut,
) -> TwStatus {
    // SAFETY: the caller's pointers, as documented on tw_key_decrypt_into.
    unsafe {
        entry_out(out, |mut out| {
            let ring = keyring_arg(keyring)?;
            open_into(|token| ring.decrypt(token), &utf8_token(token, token_len)?, &mut out.sink, out.lens)
        })
    }
}

/// `tw_decrypt_user_token` into the caller's buffer (as
/// `tw_key_decrypt_into`).
///
/// # Safety
/// As `tw_key_from_base64` and `tw_key_decrypt_into`.
#[no_mangle]
pub unsafe extern "C" fn tw_decrypt_user_token_into(
    secret: *const c_char,
    secret_len: usize,
    token: *const c_char,
    token_len: usize,
    out: *mut TwOut,
) -> TwStatus {
    // SAFETY: the caller's pointers, as documented on the two functions.
    unsafe {
        entry_out(out, |mut out| {
            let key = key_utf8(secret, secret_len)?;
            open_into(|token| key.decrypt(token), &utf8_token(token, token_len)?, &mut out.sink, out.lens)
        })
    }
}

/// `tw_widget_script_tag` into the caller's buffer (UTF-8, no terminator):
/// when the tag does not fit, `TW_STATUS_BUFFER_TOO_SMALL` with its length
/// in `out->written`. The message as in `tw_key_encrypt_into`.
///
/// # Safety
/// As `tw_widget_script_tag`; `out` as in `tw_key_encrypt_into`.
#[no_mangle]
pub unsafe extern "C" fn tw_widget_script_tag_into(
    src: *const c_char,
    src_len: usize,
    assistant_id: *const c_char,
    assistant_id_len: usize,
    token: *const c_char,
    token_len: usize,
    out: *mut TwOut,
) -> TwStatus {
    // SAFETY: the caller's pointers, as documented above.
    unsafe {
        entry_out(out, |mut out| {
            let src = bytes(src, src_len).ok_or(Failure::Argument("src is NULL"))?;
            let assistant_id = bytes(assistant_id, assistant_id_len).ok_or(Failure::Argument("assistant_id is NULL"))?;
            out.sink.put(&[host::script_tag_utf8(src, assistant_id, bytes(token, token_len)).as_bytes()])
        })
    }
}

// ---------------------------------------------------------------------------
// UTF-16 text in (the JVM's strings, without transcoding on the caller's
// side), into the caller's buffers.

/// `tw_key_encrypt_into` for an identity given as UTF-16 (`user`; lengths
/// in code units). A lone surrogate in a field is
/// `TW_STATUS_INVALID_IDENTITY`; an over-long field is refused from its
/// length before any copy.
///
/// # Safety
/// `key` is a live key; `user` points to a readable `TwUserUtf16` whose
/// pointers are NULL or point to their lengths in readable, aligned code
/// units; `out` as in `tw_key_encrypt_into`.
#[no_mangle]
pub unsafe extern "C" fn tw_key_encrypt_utf16(key: *const TwKey, user: *const TwUserUtf16, out: *mut TwOut) -> TwStatus {
    // SAFETY: the caller's pointers, as documented above.
    unsafe {
        entry_out(out, |mut out| {
            let user = Utf16User::read(user)?;
            Sealer::Key(key_arg(key)?).seal_into(user.fields(), &mut out.sink)
        })
    }
}

/// `tw_key_encrypt_utf16` with the keyring's first key.
///
/// # Safety
/// As `tw_key_encrypt_utf16`, with a live keyring.
#[no_mangle]
pub unsafe extern "C" fn tw_keyring_encrypt_utf16(
    keyring: *const TwKeyring,
    user: *const TwUserUtf16,
    out: *mut TwOut,
) -> TwStatus {
    // SAFETY: the caller's pointers, as documented on tw_key_encrypt_utf16.
    unsafe {
        entry_out(out, |mut out| {
            let user = Utf16User::read(user)?;
            Sealer::Keyring(keyring_arg(keyring)?).seal_into(user.fields(), &mut out.sink)
        })
    }
}

/// `tw_encrypt_user_token_into` with the secret and the identity as UTF-16.
///
/// # Safety
/// As `tw_key_from_base64_utf16` and `tw_key_encrypt_utf16`.
#[no_mangle]
pub unsafe extern "C" fn tw_encrypt_user_token_utf16(
    secret: *const u16,
    secret_len: usize,
    user: *const TwUserUtf16,
    out: *mut TwOut,
) -> TwStatus {
    // SAFETY: the caller's pointers, as documented on the two functions.
    unsafe {
        entry_out(out, |mut out| {
            let user = Utf16User::read(user)?;
            Sealer::Key(&key_utf16(secret, secret_len)?).seal_into(user.fields(), &mut out.sink)
        })
    }
}

/// `tw_key_decrypt_into` for a token given as UTF-16 (`token_len` code
/// units), into `out` (the fields one after the other in `out->buf`, their
/// lengths in `out->id_len`, `name_len`, `email_len`). A token over the cap
/// is refused from its length in code units, before any copy; a lone
/// surrogate is refused like any other character that is not base64. The
/// identity comes out as UTF-8, as in `tw_key_decrypt_into`.
///
/// # Safety
/// `key` is a live key; `token` points to `token_len` readable, aligned
/// code units; `out` as in `tw_key_encrypt_utf16`.
#[no_mangle]
pub unsafe extern "C" fn tw_key_decrypt_utf16(
    key: *const TwKey,
    token: *const u16,
    token_len: usize,
    out: *mut TwOut,
) -> TwStatus {
    // SAFETY: the caller's pointers, as documented above.
    unsafe {
        entry_out(out, |mut out| {
            let key = key_arg(key)?;
            open_into(|token| key.decrypt(token), &utf16_token(token, token_len)?, &mut out.sink, out.lens)
        })
    }
}

/// `tw_key_decrypt_utf16` with a keyring.
///
/// # Safety
/// As `tw_key_decrypt_utf16`, with a live keyring.
#[no_mangle]
pub unsafe extern "C" fn tw_keyring_decrypt_utf16(
    keyring: *const TwKeyring,
    token: *const u16,
    token_len: usize,
    out: *mut TwOut,
) -> TwStatus {
    // SAFETY: the caller's pointers, as documented on tw_key_decrypt_utf16.
    unsafe {
        entry_out(out, |mut out| {
            let ring = keyring_arg(keyring)?;
            open_into(|token| ring.decrypt(token), &utf16_token(token, token_len)?, &mut out.sink, out.lens)
        })
    }
}

/// `tw_decrypt_user_token_into` with the secret and the token as UTF-16.
///
/// # Safety
/// As `tw_key_from_base64_utf16` and `tw_key_decrypt_utf16`.
#[no_mangle]
pub unsafe extern "C" fn tw_decrypt_user_token_utf16(
    secret: *const u16,
    secret_len: usize,
    token: *const u16,
    token_len: usize,
    out: *mut TwOut,
) -> TwStatus {
    // SAFETY: the caller's pointers, as documented on the two functions.
    unsafe {
        entry_out(out, |mut out| {
            let key = key_utf16(secret, secret_len)?;
            open_into(|token| key.decrypt(token), &utf16_token(token, token_len)?, &mut out.sink, out.lens)
        })
    }
}

/// `tw_widget_script_tag_into` over UTF-16 text: each lone surrogate becomes
/// U+FFFD (never an error). The tag comes out as UTF-8, into `out`.
///
/// # Safety
/// `src` and `assistant_id` point to their lengths in readable, aligned code
/// units; `token` is NULL or points to `token_len` of them; `out` as in
/// `tw_key_encrypt_utf16`.
#[no_mangle]
pub unsafe extern "C" fn tw_widget_script_tag_utf16(
    src: *const u16,
    src_len: usize,
    assistant_id: *const u16,
    assistant_id_len: usize,
    token: *const u16,
    token_len: usize,
    out: *mut TwOut,
) -> TwStatus {
    // SAFETY: the caller's pointers, as documented above.
    unsafe {
        entry_out(out, |mut out| {
            let src = slice(src, src_len).ok_or(Failure::Argument("src is NULL"))?;
            let assistant_id = slice(assistant_id, assistant_id_len).ok_or(Failure::Argument("assistant_id is NULL"))?;
            out.sink.put(&[host::script_tag_utf16(src, assistant_id, slice(token, token_len)).as_bytes()])
        })
    }
}

/// A UTF-8 token argument as text (the core's lenient rule and cap).
///
/// # Safety
/// `token` is NULL or points to `token_len` readable bytes.
unsafe fn utf8_token(token: *const c_char, token_len: usize) -> Result<Cow<'static, str>, Failure> {
    // SAFETY: per this function's contract.
    let token = unsafe { bytes(token, token_len) }.ok_or(Failure::Argument("token is NULL"))?;
    Ok(host::token_from_utf8(token)?)
}

/// A UTF-16 token argument as text (the core's lenient rule and cap).
///
/// # Safety
/// `token` is NULL or points to `token_len` readable, aligned units.
unsafe fn utf16_token(token: *const u16, token_len: usize) -> Result<Cow<'static, str>, Failure> {
    // SAFETY: per this function's contract.
    let token = unsafe { slice(token, token_len) }.ok_or(Failure::Argument("token is NULL"))?;
    Ok(Cow::Owned(host::token_from_utf16(token)?))
}

// ---------------------------------------------------------------------------
// Memory and status names.

/// Frees a string this library returned (token, tag, secret, error
/// message, a field of a `tw_identity`), zeroizing all of it first (by its
/// recorded length, NUL bytes inside it included). NULL is ignored. Only
/// for strings from this library: not for `free`, and `free` is not for them.
///
/// # Safety
/// `s` is NULL or a string from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn tw_string_free(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    // SAFETY: a string from `c_string` not yet freed (the contract): wiped,
    // then its block freed exactly once, with free.
    unsafe { libc::free(wipe(s).cast()) }
}

/// Frees the strings an opened identity owns, zeroizing them, and leaves it
/// empty (all NULL), so freeing it twice is harmless. NULL is ignored.
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
/// `authentication_failed`, `invalid_payload`, `panic`, `bad_argument` or
/// `buffer_too_small` (and `unknown` for a value that is none of these).
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
        8 => c"buffer_too_small",
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
        // SAFETY: the caller's pointers, as documented on tw_key_encrypt.
        unsafe {
            encrypting(user, token_out, token_len_out, |user, put| {
                put(&fixed_nonce_token(key_arg(key)?, nonce, user)?);
                Ok(())
            })
        }
    })
}

/// # Safety
/// `nonce` is NULL or points to 12 readable bytes.
#[cfg(feature = "testing")]
unsafe fn fixed_nonce_token(key: &IdentityKey, nonce: *const u8, user: IdentityFields<'_>) -> Result<String, Failure> {
    // SAFETY: NULL or 12 readable bytes, read as exactly that (the contract).
    let nonce = unsafe { nonce.cast::<[u8; 12]>().as_ref() }.ok_or(Failure::Argument("nonce is NULL"))?;
    let who = UserIdentity::from_fields(user.id, user.name, user.email);
    Ok(identity::testing::encrypt_with_nonce(key, *nonce, &who)?)
}

/// TESTS ONLY: `tw_testing_encrypt_with_nonce` for an identity given as
/// UTF-16, into `out` (as `tw_key_encrypt_utf16`). Declared only when
/// `TW_TESTING` is defined.
///
/// # Safety
/// As `tw_key_encrypt_utf16`; `nonce` points to 12 readable bytes.
#[cfg(feature = "testing")]
#[no_mangle]
pub unsafe extern "C" fn tw_testing_encrypt_with_nonce_utf16(
    key: *const TwKey,
    nonce: *const u8,
    user: *const TwUserUtf16,
    out: *mut TwOut,
) -> TwStatus {
    // SAFETY: the caller's pointers, as documented above.
    unsafe {
        entry_out(out, |mut out| {
            let key = key_arg(key)?;
            let user = Utf16User::read(user)?;
            out.sink.put(&[fixed_nonce_token(key, nonce, user.fields())?.as_bytes()])
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A string with NUL bytes inside is wiped whole, not up to its first
    /// NUL (issue 17).
    #[test]
    fn strings_are_wiped_by_their_length() {
        let s = c_string(b"ab\0secret-after-nul");
        // SAFETY: a fresh string from c_string; wiped once, then its block
        // (still owned here) read and freed.
        unsafe {
            let block = wipe(s);
            let all = std::slice::from_raw_parts(block, HEADER + 19 + 1);
            assert!(all.iter().all(|&b| b == 0), "{all:?}");
            libc::free(block.cast());
        }
    }
}

//! The thin layer between Node-API values and Rust values.
//!
//! The package's functions are plain Node-API callbacks (see `lib.rs`)
//! rather than `#[napi]` classes: one call per operation, arguments read
//! straight into stack buffers, no per-call bookkeeping. Everything here is
//! conversion; the rules live in the core.

use std::ffi::c_void;
use std::mem::MaybeUninit;
use std::os::raw::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use napi::sys;
use napi::sys::{napi_env, napi_value};
use teamweb_identity as tw;
use teamweb_identity::{text_from_utf16, Field, UserId};

use crate::Keys;

/// Why a call failed; thrown into JavaScript by [`entry`].
pub enum Fail {
    /// A core error: thrown as an `Error` whose `code` is the core's code
    /// (errors.js turns it into the package's error class).
    Core(tw::Error),
    /// A value of the wrong JavaScript type: thrown as a `TypeError`.
    Type(&'static str),
    /// A Node-API call failed (e.g. while a worker is shutting down), or an
    /// exception is already pending.
    Napi,
    /// A Rust panic, caught here instead of unwinding into Node.
    Panic,
}

impl From<tw::Error> for Fail {
    fn from(err: tw::Error) -> Self {
        Fail::Core(err)
    }
}

pub type Result<T> = std::result::Result<T, Fail>;

/// Checks a Node-API status.
pub fn check(status: sys::napi_status) -> Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(Fail::Napi)
    }
}

/// Runs the body of a Node-API callback: its `Ok` value is returned to
/// JavaScript, its `Err` (or a panic) is thrown there. Nothing unwinds out.
pub fn entry(env: napi_env, body: impl FnOnce() -> Result<napi_value>) -> napi_value {
    let fail = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(value)) => return value,
        Ok(Err(fail)) => fail,
        Err(_) => Fail::Panic,
    };
    // Throwing can itself panic only on allocation failure; never unwind.
    let _ = catch_unwind(AssertUnwindSafe(|| unsafe { throw(env, fail) }));
    ptr::null_mut()
}

unsafe fn throw(env: napi_env, fail: Fail) {
    let mut pending = false;
    if sys::napi_is_exception_pending(env, &mut pending) != sys::Status::napi_ok || pending {
        return;
    }
    let (code, message): (Option<&str>, &str) = match &fail {
        Fail::Core(err) => (Some(err.code()), err.message()),
        Fail::Type(message) => (None, message),
        Fail::Napi => (None, "teamweb-identity: a Node-API call failed"),
        Fail::Panic => (Some("internal_error"), "teamweb-identity: internal error (a bug: please report it)"),
    };
    let Ok(message) = string(env, message) else { return };
    let code = match code {
        Some(code) => match string(env, code) {
            Ok(code) => code,
            Err(_) => return,
        },
        None => ptr::null_mut(),
    };
    let mut error = ptr::null_mut();
    let status = if matches!(fail, Fail::Type(_)) {
        sys::napi_create_type_error(env, code, message, &mut error)
    } else {
        sys::napi_create_error(env, code, message, &mut error)
    };
    if status == sys::Status::napi_ok {
        sys::napi_throw(env, error);
    }
}

/// The first `N` arguments of a call (missing ones are `undefined`).
pub unsafe fn args<const N: usize>(env: napi_env, info: sys::napi_callback_info) -> Result<[napi_value; N]> {
    let mut argc = N;
    let mut argv = [ptr::null_mut(); N];
    check(sys::napi_get_cb_info(env, info, &mut argc, argv.as_mut_ptr(), ptr::null_mut(), ptr::null_mut()))?;
    Ok(argv)
}

pub unsafe fn type_of(env: napi_env, value: napi_value) -> Result<sys::napi_valuetype> {
    let mut kind = 0;
    check(sys::napi_typeof(env, value, &mut kind))?;
    Ok(kind)
}

/// napi's `napi_get_value_string_utf8` / `_utf16`: copies a string into a
/// buffer of `U` (bytes or UTF-16 code units).
type ReadString<U> = unsafe extern "C" fn(napi_env, napi_value, *mut U, usize, *mut usize) -> sys::napi_status;

/// Calls `f` with a string's contents as read by `read` into a stack
/// buffer of `N` units (a heap buffer for longer strings), or returns
/// `None` if `value` is not a string. `slack`: how many units short of a
/// full buffer a truncated read can stop (a UTF-8 character that does not
/// fit is left out whole).
unsafe fn with_units<U: Copy + Default, const N: usize, T>(
    env: napi_env,
    value: napi_value,
    read: ReadString<U>,
    slack: usize,
    f: impl FnOnce(&[U]) -> T,
) -> Result<Option<T>> {
    // Uninitialised: napi writes the first `len` units, and only those are read.
    let mut stack = [MaybeUninit::<U>::uninit(); N];
    let mut len = 0;
    match read(env, value, stack.as_mut_ptr().cast(), N, &mut len) {
        sys::Status::napi_ok => {}
        sys::Status::napi_string_expected => return Ok(None),
        _ => return Err(Fail::Napi),
    }
    if len + slack < N {
        return Ok(Some(f(std::slice::from_raw_parts(stack.as_ptr().cast::<U>(), len))));
    }
    check(read(env, value, ptr::null_mut(), 0, &mut len))?;
    let mut heap = vec![U::default(); len + 1];
    check(read(env, value, heap.as_mut_ptr(), heap.len(), &mut len))?;
    Ok(Some(f(&heap[..len])))
}

/// Calls `f` with a string's UTF-8 bytes (napi replaces lone surrogates
/// with U+FFFD). 2 KiB on the stack: more than any token of a valid identity.
unsafe fn with_utf8<T>(env: napi_env, value: napi_value, f: impl FnOnce(&[u8]) -> T) -> Result<Option<T>> {
    with_units::<c_char, 2048, T>(env, value, sys::napi_get_value_string_utf8, 4, |chars| {
        f(std::slice::from_raw_parts(chars.as_ptr().cast::<u8>(), chars.len()))
    })
}

/// Calls `f` with a string's UTF-16 code units. napi's UTF-8 read would
/// replace lone surrogates with U+FFFD; the core must see them to refuse
/// them (and V8 copies out UTF-16 faster than it encodes UTF-8). 1024 units
/// on the stack: more than any valid identity field.
unsafe fn with_utf16<T>(env: napi_env, value: napi_value, f: impl FnOnce(&[u16]) -> T) -> Result<Option<T>> {
    with_units::<u16, 1024, T>(env, value, sys::napi_get_value_string_utf16, 1, f)
}

/// Where one identity field's text is kept while a token is made: ASCII
/// text (the usual case, which cannot hold a surrogate) narrowed into an
/// inline buffer, anything else as a `String` from the core's
/// `text_from_utf16`. Starts as `""`.
pub struct TextSlot {
    ascii: [MaybeUninit<u8>; NARROW],
    len: usize,
    owned: Option<String>,
}

impl TextSlot {
    pub fn new() -> Self {
        TextSlot { ascii: [MaybeUninit::uninit(); NARROW], len: 0, owned: None }
    }

    pub fn as_str(&self) -> &str {
        match &self.owned {
            Some(text) => text,
            // SAFETY: `set_ascii` wrote the first `len` bytes, all ASCII.
            None => unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(self.ascii.as_ptr().cast(), self.len)) },
        }
    }

    /// Keeps `units` narrowed if they are all ASCII (and fit); `false` otherwise.
    fn set_ascii(&mut self, units: &[u16]) -> bool {
        if units.len() > NARROW || units.iter().fold(0, |any, &unit| any | unit) >= 0x80 {
            return false;
        }
        for (byte, &unit) in self.ascii.iter_mut().zip(units) {
            byte.write(unit as u8);
        }
        self.len = units.len();
        self.owned = None;
        true
    }

    pub fn set_owned(&mut self, text: String) {
        self.owned = Some(text);
    }
}

/// Reads a string into `slot` as an identity field; `false` if `value` is
/// not a string. Text that is not ASCII goes to the core's
/// `text_from_utf16`, which refuses lone surrogates (`invalid_identity`)
/// instead of replacing them.
pub unsafe fn field_text(env: napi_env, field: Field, value: napi_value, slot: &mut TextSlot) -> Result<bool> {
    let read = with_utf16(env, value, |units| {
        if !slot.set_ascii(units) {
            slot.set_owned(text_from_utf16(field, units)?);
        }
        Ok::<(), tw::Error>(())
    })?;
    match read {
        Some(done) => done.map(|()| true).map_err(Fail::from),
        None => Ok(false),
    }
}

/// Calls `f` with a string argument (a secret, a token, a URL) as `&str`; a
/// lone surrogate becomes U+FFFD, which none of them may contain anyway.
/// Anything but a string is a `TypeError` with `what` as its message (never
/// the value).
///
/// Tokens and secrets are ASCII: they are read as UTF-16 (a plain copy in
/// V8) and narrowed, which is faster than V8's UTF-8 encoder; other text
/// takes the UTF-8 read.
pub unsafe fn with_str<T>(env: napi_env, value: napi_value, what: &'static str, f: impl FnOnce(&str) -> T) -> Result<T> {
    let mut slot = TextSlot::new();
    let ascii = with_utf16(env, value, |units| slot.set_ascii(units))?.ok_or(Fail::Type(what))?;
    if ascii {
        return Ok(f(slot.as_str()));
    }
    match with_utf8(env, value, |bytes| std::str::from_utf8(bytes).map(f))? {
        Some(Ok(result)) => Ok(result),
        _ => Err(Fail::Napi),
    }
}

/// Longest ASCII text kept in a [`TextSlot`]: more than any valid identity
/// field, and than the tokens of usual identities (longer ones take the
/// UTF-8 read).
const NARROW: usize = 1024;

/// [`with_str`], owned.
pub unsafe fn string_arg(env: napi_env, value: napi_value, what: &'static str) -> Result<String> {
    with_str(env, value, what, str::to_owned)
}

/// A JavaScript string from a token or a secret, which are base64 and so
/// always ASCII: created as Latin-1, V8's own one-byte form, without a scan.
pub unsafe fn ascii_string(env: napi_env, text: &str) -> Result<napi_value> {
    debug_assert!(text.is_ascii());
    let mut value = ptr::null_mut();
    check(sys::napi_create_string_latin1(env, text.as_ptr().cast::<c_char>(), text.len() as isize, &mut value))?;
    Ok(value)
}

/// One JavaScript string from the present `parts`, joined (on the stack
/// when short, as the decrypted identities of real tokens are).
pub unsafe fn joined_string<const N: usize>(env: napi_env, parts: [Option<&str>; N]) -> Result<napi_value> {
    const STACK_BYTES: usize = 1024;
    let len: usize = parts.iter().flatten().map(|part| part.len()).sum();
    let mut stack = [MaybeUninit::<u8>::uninit(); STACK_BYTES];
    let mut heap = Vec::new();
    let buffer: *mut u8 = if len <= STACK_BYTES {
        stack.as_mut_ptr().cast()
    } else {
        heap.reserve_exact(len);
        heap.as_mut_ptr()
    };
    let mut at = 0;
    for part in parts.iter().flatten() {
        ptr::copy_nonoverlapping(part.as_ptr(), buffer.add(at), part.len());
        at += part.len();
    }
    // SAFETY: `len` bytes were copied in, all from `&str`s: UTF-8.
    string(env, std::str::from_utf8_unchecked(std::slice::from_raw_parts(buffer, len)))
}

/// A JavaScript string from Rust text.
pub unsafe fn string(env: napi_env, text: &str) -> Result<napi_value> {
    let mut value = ptr::null_mut();
    let ptr = text.as_ptr().cast::<c_char>();
    // Latin-1 is V8's own one-byte form: ASCII (every token) needs no decoding.
    let status = if text.is_ascii() {
        sys::napi_create_string_latin1(env, ptr, text.len() as isize, &mut value)
    } else {
        sys::napi_create_string_utf8(env, ptr, text.len() as isize, &mut value)
    };
    check(status)?;
    Ok(value)
}

const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// An integer given as a safe-integer `number` or a `bigint`, as its
/// decimal text (made by the core's `UserId`); `None` for other types and
/// for numbers that are not safe integers.
pub unsafe fn integer(env: napi_env, value: napi_value, kind: sys::napi_valuetype) -> Result<Option<UserId>> {
    match kind {
        sys::ValueType::napi_number => {
            let mut number = 0.0;
            check(sys::napi_get_value_double(env, value, &mut number))?;
            Ok((number.fract() == 0.0 && number.abs() <= MAX_SAFE_INTEGER).then(|| UserId::from(number as i64)))
        }
        sys::ValueType::napi_bigint => bigint(env, value).map(Some),
        _ => Ok(None),
    }
}

unsafe fn bigint(env: napi_env, value: napi_value) -> Result<UserId> {
    let mut sign = 0;
    let mut words = [0u64; 2];
    let mut count = words.len();
    check(sys::napi_get_value_bigint_words(env, value, &mut sign, &mut count, words.as_mut_ptr()))?;
    if count <= words.len() {
        let magnitude = u128::from(words[0]) | (u128::from(words[1]) << 64);
        if sign == 0 {
            return Ok(UserId::from(magnitude));
        }
        if let Some(negative) = 0i128.checked_sub_unsigned(magnitude) {
            return Ok(UserId::from(negative));
        }
    }
    // Beyond 128 bits (far past any real id): the engine's own decimal text.
    let mut text = ptr::null_mut();
    check(sys::napi_coerce_to_string(env, value, &mut text))?;
    Ok(UserId::from(string_arg(env, text, "")?))
}

/// The raw `Uint8Array` contents of `value`, if it is one.
pub unsafe fn uint8_array<'a>(env: napi_env, value: napi_value) -> Result<Option<&'a [u8]>> {
    match typed_array(env, value)? {
        Some((sys::TypedarrayType::uint8_array, len, data)) if !data.is_null() => {
            Ok(Some(std::slice::from_raw_parts(data.cast::<u8>(), len)))
        }
        Some((sys::TypedarrayType::uint8_array, _, _)) => Ok(Some(&[])),
        _ => Ok(None),
    }
}

/// The element type, length and data of a typed array.
unsafe fn typed_array(env: napi_env, value: napi_value) -> Result<Option<(sys::napi_typedarray_type, usize, *mut c_void)>> {
    let (mut kind, mut len, mut data) = (0, 0, ptr::null_mut::<c_void>());
    // napi_invalid_arg: not a typed array.
    match sys::napi_get_typedarray_info(env, value, &mut kind, &mut len, &mut data, ptr::null_mut(), ptr::null_mut()) {
        sys::Status::napi_ok => Ok(Some((kind, len, data))),
        sys::Status::napi_invalid_arg => Ok(None),
        _ => Err(Fail::Napi),
    }
}

/// The contents of `value` if it is an `Int32Array`, writable in place.
pub unsafe fn int32_array<'a>(env: napi_env, value: napi_value) -> Result<Option<&'a mut [i32]>> {
    let Some((kind, len, data)) = typed_array(env, value)? else { return Ok(None) };
    if kind != sys::TypedarrayType::int32_array || data.is_null() || data.align_offset(4) != 0 {
        return Ok(None);
    }
    Ok(Some(std::slice::from_raw_parts_mut(data.cast::<i32>(), len)))
}

/// Identifies the externals this addon makes.
const HANDLE_TAG: sys::napi_type_tag = sys::napi_type_tag { lower: 0x7465_616d_7765_6269, upper: 0x6964_656e_7469_7479 };

/// Wraps `value` in a JavaScript external that owns it; it is dropped
/// (and the core zeroizes any key bytes) when the external is collected.
pub unsafe fn handle(env: napi_env, value: Keys) -> Result<napi_value> {
    unsafe extern "C" fn finalize(_env: napi_env, data: *mut c_void, _hint: *mut c_void) {
        let _ = catch_unwind(AssertUnwindSafe(|| drop(Box::from_raw(data.cast::<Keys>()))));
    }
    let data = Box::into_raw(Box::new(value));
    let mut external = ptr::null_mut();
    let status = sys::napi_create_external(env, data.cast(), Some(finalize), ptr::null_mut(), &mut external);
    if status != sys::Status::napi_ok {
        drop(Box::from_raw(data));
        return Err(Fail::Napi);
    }
    check(sys::napi_type_tag_object(env, external, &HANDLE_TAG))?;
    Ok(external)
}

/// The keys inside an external made by [`handle`]; the type tag refuses
/// any other value, including externals made by other addons.
pub unsafe fn from_handle<'a>(env: napi_env, value: napi_value) -> Result<&'a Keys> {
    let mut tagged = false;
    if sys::napi_check_object_type_tag(env, value, &HANDLE_TAG, &mut tagged) != sys::Status::napi_ok || !tagged {
        return Err(Fail::Type("expected a teamweb-identity key handle"));
    }
    let mut data = ptr::null_mut();
    check(sys::napi_get_value_external(env, value, &mut data))?;
    Ok(&*data.cast::<Keys>())
}

/// A JavaScript function calling `cb`, set as `exports[name]`.
pub unsafe fn export(env: napi_env, exports: napi_value, name: &std::ffi::CStr, cb: sys::napi_callback) -> Result<()> {
    let mut function = ptr::null_mut();
    let bytes = name.to_bytes();
    check(sys::napi_create_function(env, bytes.as_ptr().cast(), bytes.len() as isize, cb, ptr::null_mut(), &mut function))?;
    check(sys::napi_set_named_property(env, exports, name.as_ptr(), function))
}

//! The one error map of the extension: the core's five error kinds as PHP
//! exception classes, and the conversion from the core's `Error`.
//!
//! `IdentityTokenException` is an abstract class extending `\RuntimeException`
//! with an abstract `errorCode(): string`; each kind is a final subclass that
//! implements it. They are `#[php_class]`es (ext-php-rs's way to declare a
//! class hierarchy natively), so `catch (IdentityTokenException $e)` catches
//! all five and `instanceof` works. The message is the core's, unchanged.

use ext_php_rs::exception::PhpException;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::class::RegisteredClass;
use ext_php_rs::convert::IntoZval;
use ext_php_rs::types::{ZendCallable, ZendClassObject, ZendHashTable, Zval};
use ext_php_rs::zend::{ce, ClassEntry, ExecutorGlobals};
use teamweb_identity::{Error, ErrorKind};

/// `\RuntimeException` (SPL, part of every PHP 8), looked up in the
/// engine's class table while the extension starts. ext-php-rs's
/// `ClassEntry::try_find` reads the executor's class table, which the engine
/// sets up only for requests, and it names no SPL class entry; so this reads
/// the compiler's class table, the one the engine registers built-in classes
/// in at startup.
fn runtime_exception() -> &'static ClassEntry {
    // SAFETY: ext-php-rs's accessor returns the engine's compiler globals
    // (the thread's own under ZTS), valid for the life of the process.
    let globals = unsafe { ext_php_rs::ffi::ext_php_rs_compiler_globals().as_ref() };
    // SAFETY: `class_table` is the engine's global class table (a
    // `HashTable`, which `ZendHashTable` is), filled before any dynamically
    // loaded extension starts and never freed before it shuts down.
    let table = globals.and_then(|globals| unsafe { globals.class_table.cast::<ZendHashTable>().as_ref() });
    let entry = table.and_then(|table| table.get("runtimeexception"));
    // SAFETY: entries of the class table are `IS_PTR` zvals that point at the
    // class's `zend_class_entry`, which lives as long as the engine.
    let class = entry.and_then(|zval| unsafe { zval.ptr::<ClassEntry>().and_then(|ptr| ptr.as_ref()) });
    class.unwrap_or_else(|| unreachable!("SPL's RuntimeException is part of PHP 8"))
}

/// Any error of this extension: the secret, the identity or the token was
/// refused. `errorCode()` gives the stable code, the same in every language
/// of the SDK; `getMessage()` says what was wrong and never contains a
/// secret, a key or a token.
#[php_class]
#[php(name = "TeamwebIdentity\\IdentityTokenException")]
#[php(flags = ClassFlags::Abstract)]
#[php(extends(ce = runtime_exception, stub = "\\RuntimeException"))]
#[derive(Default)]
pub struct IdentityTokenException;

#[php_impl]
impl IdentityTokenException {
    /// The stable error code: `invalid_secret`, `invalid_identity`,
    /// `malformed_token`, `authentication_failed` or `invalid_payload`.
    #[php(abstract)]
    pub fn error_code(&self) -> &'static str {
        unimplemented!("abstract")
    }
}

macro_rules! error_classes {
    ($($kind:ident => $class:ident, $name:literal, $doc:literal;)*) => {
        $(
            #[doc = $doc]
            #[php_class]
            #[php(name = $name)]
            #[php(flags = ClassFlags::Final)]
            #[php(extends(IdentityTokenException))]
            #[derive(Default)]
            pub struct $class;

            #[php_impl]
            impl $class {
                /// The stable error code of this kind.
                pub fn error_code(&self) -> &'static str {
                    ErrorKind::$kind.code()
                }
            }
        )*

        /// The PHP exception for a core error: the class of its kind, the
        /// core's message, and where the PHP code that called the extension
        /// is (see `located`).
        pub fn to_php(error: Error) -> PhpException {
            let message = error.message();
            match error.kind() {
                $(ErrorKind::$kind => located(ZendClassObject::new($class), message),)*
            }
        }

        /// Registers the base class and the five subclasses.
        pub fn register(module: ModuleBuilder) -> ModuleBuilder {
            module.class::<IdentityTokenException>()$(.class::<$class>())*
        }
    };
}

error_classes! {
    InvalidSecret => InvalidSecretException, "TeamwebIdentity\\InvalidSecretException",
        " The secret is not the base64 of exactly 32 bytes (`invalid_secret`), or a keyring was given no key.";
    InvalidIdentity => InvalidIdentityException, "TeamwebIdentity\\InvalidIdentityException",
        " The identity breaks an identity rule (`invalid_identity`): empty or over-long id, bad email, control characters, invalid UTF-8.";
    MalformedToken => MalformedTokenException, "TeamwebIdentity\\MalformedTokenException",
        " The token is not base64 of at least 28 bytes, or is over 8,192 characters (`malformed_token`).";
    AuthenticationFailed => AuthenticationFailedException, "TeamwebIdentity\\AuthenticationFailedException",
        " AES-GCM refused the token: another key made it, or it was changed (`authentication_failed`).";
    InvalidPayload => InvalidPayloadException, "TeamwebIdentity\\InvalidPayloadException",
        " The token decrypted, but its content is not an identity (`invalid_payload`).";
}

/// The exception object with its message, file, line and trace set as PHP
/// sets them for an exception made in PHP code. ext-php-rs makes a
/// Rust-backed exception object without PHP's exception constructor, which
/// would leave `getFile()` empty, `getLine()` 0 and the trace empty; so the
/// caller's frames are read with PHP's own `debug_backtrace()` (without
/// arguments: a secret or token passed to the extension never lands in a
/// trace) and written into the properties `\Exception` declares, from its
/// scope (the engine's `fake_scope`, as the engine's own
/// `zend_update_property_ex` does).
fn located<T: RegisteredClass>(object: ZBox<ZendClassObject<T>>, message: &str) -> PhpException {
    const DEBUG_BACKTRACE_IGNORE_ARGS: i64 = 2;
    let fallback = || PhpException::from_class::<T>(message.to_owned());
    let Ok(mut zval) = object.into_zval(false) else {
        return fallback();
    };
    let trace = ZendCallable::try_from_name("debug_backtrace")
        .and_then(|backtrace| backtrace.try_call(vec![&DEBUG_BACKTRACE_IGNORE_ARGS]))
        .ok();
    // The innermost frame is the call into the extension, made from PHP code.
    let caller = trace.as_ref().and_then(Zval::array).and_then(|frames| frames.get(0)).and_then(Zval::array);
    let file = caller.and_then(|frame| frame.get("file")).and_then(Zval::string);
    let line = caller.and_then(|frame| frame.get("line")).and_then(Zval::long);
    let Some(exception) = zval.object_mut() else {
        return fallback();
    };
    // The engine only reads the scope it is given (a `*mut` in its struct).
    let scope = std::ptr::from_ref(ce::exception()).cast_mut();
    let previous_scope = std::mem::replace(&mut ExecutorGlobals::get_mut().fake_scope, scope);
    let _ = exception.set_property("message", message);
    if let (Some(file), Some(line)) = (file, line) {
        let _ = exception.set_property("file", file);
        let _ = exception.set_property("line", line);
    }
    if let Some(trace) = trace.filter(Zval::is_array) {
        let _ = exception.set_property("trace", trace);
    }
    ExecutorGlobals::get_mut().fake_scope = previous_scope;
    PhpException::from_class::<T>(message.to_owned()).with_object(zval)
}

/// A PHP `TypeError` (a value of the wrong PHP type; not one of the five kinds).
pub fn type_error(message: String) -> PhpException {
    PhpException::new(message, 0, ext_php_rs::zend::ce::type_error())
}

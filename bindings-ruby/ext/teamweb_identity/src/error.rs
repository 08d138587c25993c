//! The gem's errors: the one place where the core's five error kinds
//! become Ruby exception classes.
//!
//! `TeamwebIdentity::Error < StandardError`, and one subclass per kind
//! holding its code in `CODE` (which `Error#code`, in lib/teamweb_identity.rb,
//! returns). The message is the core's, as it is.

use magnus::{prelude::*, value::Lazy, Error, ExceptionClass, RModule, Ruby};
use teamweb_identity::ErrorKind;

/// The subclass names, in the order of [`ErrorKind::ALL`].
const NAMES: [&str; 5] =
    ["InvalidSecretError", "InvalidIdentityError", "MalformedTokenError", "AuthenticationFailedError", "InvalidPayloadError"];

fn class(ruby: &Ruby, name: &str) -> ExceptionClass {
    // Defined by `define` (run by the extension's init) before any use.
    ruby.define_module("TeamwebIdentity")
        .and_then(|m: RModule| m.const_get(name))
        .expect("TeamwebIdentity error classes are defined at load")
}

static CLASSES: [Lazy<ExceptionClass>; 5] = [
    Lazy::new(|ruby| class(ruby, NAMES[0])),
    Lazy::new(|ruby| class(ruby, NAMES[1])),
    Lazy::new(|ruby| class(ruby, NAMES[2])),
    Lazy::new(|ruby| class(ruby, NAMES[3])),
    Lazy::new(|ruby| class(ruby, NAMES[4])),
];

/// Defines `TeamwebIdentity::Error` and its five subclasses in `module`.
pub fn define(ruby: &Ruby, module: RModule) -> Result<(), Error> {
    let base = module.define_error("Error", ruby.exception_standard_error())?;
    for (kind, name) in ErrorKind::ALL.into_iter().zip(NAMES) {
        let sub = module.define_error(name, base)?;
        let code = ruby.str_new(kind.code());
        code.freeze();
        sub.const_set("CODE", code)?;
    }
    for lazy in &CLASSES {
        Lazy::force(lazy, ruby);
    }
    Ok(())
}

/// Runs `f`, a call into the core, so that a Rust panic (a bug: no input
/// causes one) becomes a `RuntimeError` the caller can rescue, and the
/// process goes on. Left to magnus, a panic would be raised as Ruby's
/// `fatal`, which ends the process.
pub fn guard<T>(f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let ruby = Ruby::get().expect("called on a Ruby thread");
            Err(Error::new(
                ruby.exception_runtime_error(),
                format!("teamweb_identity: internal error (panic: {what}); please report it"),
            ))
        }
    }
}

/// `TeamwebIdentity._self_test_panic` (private): panics inside [`guard`],
/// so the gem's tests can show a panic is caught and the process goes on.
pub fn self_test_panic() -> Result<(), Error> {
    guard(|| panic!("deliberate panic (self-test)"))
}

/// The Ruby exception for an error of the core.
pub fn raise(err: teamweb_identity::Error) -> Error {
    let ruby = Ruby::get().expect("called on a Ruby thread");
    let index = ErrorKind::ALL.iter().position(|kind| *kind == err.kind()).unwrap_or(0);
    Error::new(ruby.get_inner(&CLASSES[index]), err.message().to_owned())
}

//! The `teamweb-identity` npm package's Rust half, over the
//! `teamweb-identity` crate, built two ways from this one crate:
//!
//! - the native addon (`native`, napi-rs `#[napi]` functions), for Node,
//!   Deno and Bun where a `.node` file loads;
//! - the WebAssembly build (`wasm`, `#[wasm_bindgen]` functions of the same
//!   names and arguments, built for `wasm32-unknown-unknown` and bound by
//!   `wasm-bindgen`), for Cloudflare workerd, Vercel's edge runtime, and
//!   wherever no addon loads.
//!
//! Everything here converts JavaScript values to the core's types and back;
//! all rules, JSON, base64 and crypto live in the core. The package's
//! public API is the thin JavaScript layer over either build (`api.js`,
//! `errors.js`, `index.d.ts`), which gives the package its classes (each
//! holding the core's key or keyring, see [`Keys`]), the error classes
//! chosen by `code`, a private constructor, a keyring that hands back the
//! key objects it was given, and `util.inspect`.

#![deny(clippy::all)]
// No code of its own outside Rust's safe subset (deny, not forbid: the
// `#[napi]` and `#[wasm_bindgen]` expansions allow `unsafe` for their own
// glue).
#![deny(unsafe_code)]
// napi-rs registers each `#[napi]` item with Node only outside `cfg(test)`
// (its expansion's registration is `#[cfg(not(test))]`), so in the test
// configuration, which `cargo clippy --all-targets` checks although the
// crate has `test = false`, every exported function looks unused.
#![cfg_attr(test, allow(dead_code))]

#[cfg(not(target_family = "wasm"))]
mod error;
#[cfg(not(target_family = "wasm"))]
mod native;
#[cfg(target_family = "wasm")]
mod wasm;

use teamweb_identity as tw;
use teamweb_identity::IdentityFields;

const ID_TYPE: &str = "identity.id must be a string, a safe integer or a bigint";
const ASSISTANT_TYPE: &str = "assistantId must be a string, a safe integer or a bigint";
const NONCE_TYPE: &str = "nonce must be a Uint8Array of exactly 12 bytes";
const KEY_TYPE: &str = "key must be an IdentityKey";

/// What an `IdentityKey` or an `IdentityKeyring` of the package holds: the
/// core's key or keyring, in a handle that api.js keeps in a private field
/// (the core's key zeroizes its bytes when dropped: here when the
/// JavaScript object is collected). The native addon's handle is a napi-rs
/// `External`, the WebAssembly build's a `wasm-bindgen` class instance.
///
/// An `External` rather than a `#[napi]` class: napi-rs checks a class
/// receiver's type tag and records a native borrow of it in a global table
/// on every method call, which cost about 200 ns a call here, a fifth of a
/// decrypt; an `External` is read with one Node-API call and checked by its
/// Rust type. api.js gives the package its classes.
// (A key's variant is much larger than a keyring's, which holds a vector;
// each value lives on the heap behind its handle, so the size is paid once.)
#[allow(clippy::large_enum_variant)]
pub enum Keys {
    /// An `IdentityKey`.
    Key(tw::IdentityKey),
    /// An `IdentityKeyring`.
    Ring(tw::IdentityKeyring),
}

impl Keys {
    fn encrypt_fields_with<R>(
        &self,
        identity: IdentityFields<'_>,
        visit: impl FnOnce(&str) -> R,
    ) -> Result<R, tw::Error> {
        match self {
            Keys::Key(key) => key.encrypt_fields_with(identity, visit),
            Keys::Ring(ring) => ring.encrypt_fields_with(identity, visit),
        }
    }

    fn decrypt_fields_with<R>(
        &self,
        token: &str,
        visit: impl FnOnce(IdentityFields<'_>) -> R,
    ) -> Result<R, tw::Error> {
        match self {
            Keys::Key(key) => key.decrypt_fields_with(token, visit),
            Keys::Ring(ring) => ring.decrypt_fields_with(token, visit),
        }
    }

    /// The key, or `None` for a keyring.
    fn key(&self) -> Option<&tw::IdentityKey> {
        match self {
            Keys::Key(key) => Some(key),
            Keys::Ring(_) => None,
        }
    }
}

/// The identity fields of one call, as Rust text, before the core checks
/// them (each build's `Identity::new` reads them from its JavaScript values).
/// A missing id stays `""`, which the core refuses ("id is required").
struct Identity {
    id: String,
    name: Option<String>,
    email: Option<String>,
}

impl Identity {
    fn fields(&self) -> IdentityFields<'_> {
        IdentityFields {
            id: &self.id,
            name: self.name.as_deref(),
            email: self.email.as_deref(),
        }
    }
}

/// `number` if it is a safe integer (`Number.isSafeInteger`), as an `i64`.
fn safe_integer(number: f64) -> Option<i64> {
    const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;
    // NaN and the infinities have no zero fraction; -0 becomes 0.
    (number.fract() == 0.0 && number.abs() <= MAX_SAFE_INTEGER).then_some(number as i64)
}

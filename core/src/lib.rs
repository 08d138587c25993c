//! Make and open identity tokens for TeamWeb AI's chat widget.
//!
//! A customer's server tells the widget who a logged-in visitor is by
//! encrypting `{"id", "name", "email"}` with the channel's identity secret
//! (AES-256-GCM) and putting the result on the widget's script tag as
//! `data-user-token`. This crate is the core of the TeamWeb identity SDK;
//! the Python, Node and Kotlin/JVM packages are thin bindings over it, and
//! all of them make byte-for-byte the same tokens.
//!
//! ```
//! use teamweb_identity::{widget_script_tag, IdentityKey, UserIdentity};
//!
//! // The secret from the channel's settings page (keep it in the
//! // environment or a secret manager, never in the page or the repo).
//! let key = IdentityKey::from_base64("q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=")?;
//! let visitor = UserIdentity::new("user_123").with_name("Alice").with_email("alice@example.com");
//! let token = key.encrypt(&visitor)?;
//! let tag = widget_script_tag("https://teamweb.example/static/js/chat-widget.js", 123, Some(&token));
//! assert!(tag.contains("data-user-token="));
//! assert_eq!(key.decrypt(&token)?, visitor);
//! # Ok::<(), teamweb_identity::Error>(())
//! ```
//!
//! # Token format
//!
//! The whole format, the identity rules and the decrypt rules are in the
//! repository's `docs/FORMAT.md`. In short:
//!
//! `token = base64(nonce[12] || ciphertext || tag[16])`, standard alphabet,
//! padded; the plaintext is compact UTF-8 JSON with the keys in the order
//! `id`, `name`, `email` and absent fields left out, the same bytes as
//! Python's `json.dumps(d, separators=(",", ":"), ensure_ascii=False)`.
//!
//! # Nonces and limits
//!
//! Every token's 12-byte nonce is read from the operating system's CSPRNG
//! at the moment of the call (the `getrandom` crate: `getrandom(2)` on
//! Linux, `getentropy`/`arc4random_buf` on Apple platforms, `ProcessPrng`
//! on Windows, `crypto.getRandomValues` or WASI's `random_get` in
//! WebAssembly). Nothing in user space keeps random state, so a nonce
//! cannot repeat across threads, `fork()` (gunicorn `--preload`,
//! `multiprocessing`, Celery prefork, PHP-FPM), or a process copied without
//! `fork()` (VM snapshots such as Lambda SnapStart, CRaC, CRIU). With
//! random 96-bit nonces, make at most 2^32 tokens per secret (NIST SP
//! 800-38D, section 8.3), and rotate the secret with an [`IdentityKeyring`]
//! well before that.
//!
//! # What is wiped
//!
//! When a key is dropped: its 32 bytes, its expanded AES and GHASH keys,
//! and the core's own copies of the secret made while parsing it. Not
//! wiped: the secret text passed in (the caller owns it), copies the
//! caller's language made of it, and the text `secret_base64` returns.
//!
//! # Cargo features
//!
//! - `testing`: [`testing::encrypt_with_nonce`], a fixed nonce for
//!   conformance tests. Never for production.
//!
//! # MSRV
//!
//! Rust 1.85 (the `aes` release that wipes its whole key type needs it).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod error;
pub mod host;
mod html;
mod identity;
mod integer;
mod key;
mod nonce;
mod payload;
#[cfg(feature = "testing")]
pub mod testing;

pub use error::{Error, ErrorKind};
pub use html::widget_script_tag;
pub use identity::{IdentityFields, UserId, UserIdentity, MAX_EMAIL_BYTES, MAX_ID_BYTES, MAX_NAME_BYTES};
pub use key::{IdentityKey, IdentityKeyring, MAX_TOKEN_CHARS, MAX_UNTRIMMED_TOKEN_CHARS, MIN_TOKEN_BYTES};

// The crate README's example runs as a doctest, so it cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctest;

// So does the Rust quickstart of the repository's README.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct RepositoryReadmeDoctest;

/// Makes a token for `identity` from the secret text in one call.
///
/// Parsing the secret expands the AES key each time; a server that makes
/// many tokens should keep one [`IdentityKey`] instead.
///
/// ```
/// use teamweb_identity::{decrypt_user_token, encrypt_user_token, UserIdentity};
/// let secret = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";
/// let token = encrypt_user_token(secret, &UserIdentity::new(42_u32))?;
/// assert_eq!(decrypt_user_token(secret, &token)?.id(), "42");
/// # Ok::<(), teamweb_identity::Error>(())
/// ```
pub fn encrypt_user_token(secret: &str, identity: &UserIdentity) -> Result<String, Error> {
    IdentityKey::from_base64(secret)?.encrypt(identity)
}

/// Opens a token with the secret text in one call. See
/// [`IdentityKey::decrypt`].
pub fn decrypt_user_token(secret: &str, token: &str) -> Result<UserIdentity, Error> {
    IdentityKey::from_base64(secret)?.decrypt(token)
}

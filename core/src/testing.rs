//! Entry points for tests only (cargo feature `testing`).
//!
//! A fixed nonce makes tokens reproducible, which conformance tests need and
//! production must never have: a nonce used twice under one key breaks
//! AES-GCM. Nothing outside tests should enable this feature.

use crate::{Error, IdentityKey, UserIdentity};

/// Makes a token with the given nonce instead of a fresh random one.
///
/// ```
/// use teamweb_identity::{testing, IdentityKey, UserIdentity};
/// let key = IdentityKey::from_bytes(&[7; 32]);
/// let a = testing::encrypt_with_nonce(&key, [1; 12], &UserIdentity::new("u"))?;
/// let b = testing::encrypt_with_nonce(&key, [1; 12], &UserIdentity::new("u"))?;
/// assert_eq!(a, b);
/// # Ok::<(), teamweb_identity::Error>(())
/// ```
pub fn encrypt_with_nonce(key: &IdentityKey, nonce: [u8; 12], identity: &UserIdentity) -> Result<String, Error> {
    key.encrypt_with(nonce, identity.fields())
}

//! Keys, keyrings and the token format of SPEC section 1.

use std::cell::RefCell;
use std::fmt;

use zeroize::Zeroizing;

use crate::aead::{Cipher, NONCE_LEN, TAG_LEN};
use crate::{b64, json, nonce, secret_b64, Error, IdentityFields, UserIdentity};

thread_local! {
    /// Each thread's buffer for `nonce || plaintext || tag` while a token is
    /// made, so encrypting allocates only the token it returns.
    static SCRATCH: RefCell<Scratch> = const { RefCell::new(Scratch { sealed: Vec::new(), token: Vec::new() }) };
}

/// Buffers reused by every token a thread makes.
#[derive(Default)]
struct Scratch {
    /// `nonce || plaintext || tag`.
    sealed: Vec<u8>,
    /// Its base64.
    token: Vec<u8>,
}

/// Longest token text accepted by `decrypt`, after trimming, in characters.
pub const MAX_TOKEN_CHARS: usize = 8192;
/// Fewest bytes a token decodes to: a 12-byte nonce and a 16-byte tag.
pub const MIN_TOKEN_BYTES: usize = NONCE_LEN + TAG_LEN;

/// An AES-256-GCM identity key: makes and opens tokens.
///
/// Immutable, cheap to share between threads (`Send + Sync`; wrap it in an
/// `Arc` or clone it). Its bytes never appear in `Debug` output or in any
/// error, and are zeroized when the key is dropped.
///
/// ```
/// use teamweb_identity::{IdentityKey, UserIdentity};
/// let key = IdentityKey::from_base64("q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=")?;
/// let token = key.encrypt(&UserIdentity::new("user_123").with_name("Alice"))?;
/// assert_eq!(key.decrypt(&token)?.name(), Some("Alice"));
/// assert_eq!(format!("{key:?}"), "IdentityKey(<redacted>)");
/// # Ok::<(), teamweb_identity::Error>(())
/// ```
#[derive(Clone)]
pub struct IdentityKey {
    cipher: Cipher,
    bytes: Zeroizing<[u8; 32]>,
}

impl IdentityKey {
    /// Reads a secret as the settings page shows it: the base64 of 32 bytes.
    ///
    /// Surrounding whitespace is ignored; the standard and the URL-safe
    /// alphabets are accepted, with or without padding. Anything else is
    /// [`Error::InvalidSecret`], whose message says what was wrong and never
    /// contains the secret.
    ///
    /// ```
    /// use teamweb_identity::IdentityKey;
    /// let err = IdentityKey::from_base64("c2hvcnQ=").unwrap_err();
    /// assert_eq!(err.code(), "invalid_secret");
    /// assert_eq!(err.to_string(), "invalid secret: it decodes to 5 bytes; the secret must be the base64 of 32 bytes");
    /// ```
    pub fn from_base64(secret: &str) -> Result<Self, Error> {
        let text = secret.trim();
        let refuse = |why: String| Err(Error::InvalidSecret(format!("invalid secret: {why}")));
        if text.is_empty() {
            return refuse("it is empty; paste the identity secret from the channel's settings page".into());
        }
        if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return refuse(
                "it looks like hex (64 hex digits); the secret must be the base64 of 32 bytes, as the settings page shows it"
                    .into(),
            );
        }
        if let Some(bytes) = secret_b64::decode(text) {
            return Ok(Self::from_bytes(&bytes));
        }
        // Not a secret: find out what is wrong with it, to say so.
        let mut decoded = Zeroizing::new(Vec::with_capacity(48));
        if let Err(problem) = b64::decode_into(text, &mut decoded) {
            return refuse(problem.describe());
        }
        match <[u8; 32]>::try_from(decoded.as_slice()) {
            Ok(bytes) => Ok(Self::from_bytes(&bytes)),
            Err(_) => refuse(format!(
                "it decodes to {} bytes; the secret must be the base64 of 32 bytes",
                decoded.len()
            )),
        }
    }

    /// A key from its 32 raw bytes.
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        IdentityKey { cipher: Cipher::new(bytes), bytes: Zeroizing::new(*bytes) }
    }

    /// A new random key, from 32 bytes of the operating system's CSPRNG.
    ///
    /// ```
    /// let key = teamweb_identity::IdentityKey::generate();
    /// assert_eq!(key.secret_base64().len(), 44);
    /// ```
    pub fn generate() -> Self {
        Self::from_bytes(&nonce::os_key_bytes())
    }

    /// The secret as padded standard base64 (44 characters), the form the
    /// settings page uses. Treat the returned text as the secret it is.
    pub fn secret_base64(&self) -> String {
        secret_b64::encode(&self.bytes)
    }

    /// Makes a token for `identity` with a fresh random nonce.
    ///
    /// Fails only with [`Error::InvalidIdentity`]. At most 2^32 tokens
    /// should be made under one secret (random 96-bit nonces, NIST SP
    /// 800-38D section 8.3); rotate with [`IdentityKeyring`] long before.
    pub fn encrypt(&self, identity: &UserIdentity) -> Result<String, Error> {
        self.encrypt_with(nonce::fresh(), identity.fields())
    }

    /// [`encrypt`](Self::encrypt) for borrowed fields, without building a
    /// [`UserIdentity`]: what bindings use to avoid a copy.
    ///
    /// ```
    /// use teamweb_identity::{IdentityFields, IdentityKey};
    /// let key = IdentityKey::generate();
    /// let token = key.encrypt_fields(IdentityFields { id: "u1", name: Some("Ann"), email: None })?;
    /// assert_eq!(key.decrypt(&token)?.name(), Some("Ann"));
    /// # Ok::<(), teamweb_identity::Error>(())
    /// ```
    pub fn encrypt_fields(&self, identity: IdentityFields<'_>) -> Result<String, Error> {
        self.encrypt_with(nonce::fresh(), identity)
    }

    pub(crate) fn encrypt_with(&self, nonce: [u8; 12], identity: IdentityFields<'_>) -> Result<String, Error> {
        self.seal(nonce, identity, str::to_owned)
    }

    /// [`encrypt_fields`](Self::encrypt_fields), handing the token to
    /// `visit` as a borrowed `&str` instead of allocating a `String`: for
    /// bindings that copy it into their own string type anyway.
    ///
    /// ```
    /// use teamweb_identity::{IdentityFields, IdentityKey};
    /// let key = IdentityKey::generate();
    /// let fields = IdentityFields { id: "u1", name: None, email: None };
    /// let len = key.encrypt_fields_with(fields, |token| token.len())?;
    /// assert_eq!(len, 52); // 12 + 11 + 16 bytes, as base64
    /// # Ok::<(), teamweb_identity::Error>(())
    /// ```
    pub fn encrypt_fields_with<R>(&self, identity: IdentityFields<'_>, visit: impl FnOnce(&str) -> R) -> Result<R, Error> {
        self.seal(nonce::fresh(), identity, visit)
    }

    fn seal<R>(&self, nonce: [u8; 12], identity: IdentityFields<'_>, visit: impl FnOnce(&str) -> R) -> Result<R, Error> {
        identity.validate()?;
        SCRATCH.with(|scratch| {
            // Fresh buffers if this thread is already inside (only possible
            // when `visit` makes a token itself).
            let mut own = Scratch::default();
            let mut borrowed = scratch.try_borrow_mut();
            let Scratch { sealed, token } = borrowed.as_deref_mut().unwrap_or(&mut own);
            sealed.clear();
            sealed.reserve(NONCE_LEN + identity.json_len_hint() + TAG_LEN);
            sealed.extend_from_slice(&nonce);
            identity.write_json(sealed);
            self.cipher.seal_in_place(sealed, &[]);
            b64::encode_into(sealed, token);
            // Base64 is ASCII, so this never fails.
            Ok(visit(std::str::from_utf8(token).unwrap_or_default()))
        })
    }

    /// Opens a token made by any TeamWeb identity package or by the public
    /// page's examples (SPEC section 3).
    ///
    /// Errors: [`Error::MalformedToken`] (not base64, too short, over 8192
    /// characters), [`Error::AuthenticationFailed`] (another key, or a
    /// changed byte), [`Error::InvalidPayload`] (not an identity object).
    pub fn decrypt(&self, token: &str) -> Result<UserIdentity, Error> {
        // Typical tokens fit on the stack; longer ones go to the heap.
        let mut small = [0u8; SMALL_TOKEN_BYTES];
        match decode_token(token, &mut small)? {
            Decoded::Small(n) => self.open(&mut small[..n]),
            Decoded::Large(mut sealed) => self.open(&mut sealed),
        }
    }

    fn open(&self, sealed: &mut [u8]) -> Result<UserIdentity, Error> {
        let plaintext = self.cipher.open_in_place(sealed, &[]).ok_or(Error::AuthenticationFailed)?;
        json::parse_identity(plaintext)
    }
}

/// Room for tokens decoded on the stack (an identity of about 300 bytes).
const SMALL_TOKEN_BYTES: usize = 384;

enum Decoded {
    Small(usize),
    Large(Vec<u8>),
}

impl Decoded {
    fn bytes<'a>(&'a self, small: &'a [u8]) -> &'a [u8] {
        match self {
            Decoded::Small(n) => &small[..*n],
            Decoded::Large(v) => v,
        }
    }
}

/// SPEC section 3, steps 1 and 2: trim, cap the length, decode base64,
/// insist on a nonce and a tag.
fn decode_token(token: &str, small: &mut [u8]) -> Result<Decoded, Error> {
    let text = token.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
    // Byte length bounds character count: check the cheap one first.
    if text.len() > MAX_TOKEN_CHARS && text.chars().count() > MAX_TOKEN_CHARS {
        return Err(Error::MalformedToken(format!(
            "malformed token: it is longer than {MAX_TOKEN_CHARS} characters"
        )));
    }
    let malformed = |problem: b64::Problem| Error::MalformedToken(format!("malformed token: {}", problem.describe()));
    let decoded = if b64::decoded_len_bound(text) <= small.len() {
        Decoded::Small(b64::decode_to_slice(text, small).map_err(malformed)?)
    } else {
        let mut sealed = Vec::new();
        b64::decode_into(text, &mut sealed).map_err(malformed)?;
        Decoded::Large(sealed)
    };
    let len = decoded.bytes(small).len();
    if len < MIN_TOKEN_BYTES {
        return Err(Error::MalformedToken(format!(
            "malformed token: it decodes to {len} bytes; a token has at least {MIN_TOKEN_BYTES}"
        )));
    }
    Ok(decoded)
}

impl fmt::Debug for IdentityKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IdentityKey(<redacted>)")
    }
}

/// Several keys, for rotating the secret without breaking tokens in flight.
///
/// Encrypts with the first key; decrypts with each key in turn, moving on
/// only when a key fails with [`Error::AuthenticationFailed`].
///
/// ```
/// use teamweb_identity::{IdentityKey, IdentityKeyring, UserIdentity};
/// let (old, new) = (IdentityKey::generate(), IdentityKey::generate());
/// let old_token = old.encrypt(&UserIdentity::new("u1"))?;
/// let ring = IdentityKeyring::new([new.clone(), old])?;
/// assert_eq!(ring.decrypt(&old_token)?.id(), "u1");
/// assert_eq!(new.decrypt(&ring.encrypt(&UserIdentity::new("u2"))?)?.id(), "u2");
/// # Ok::<(), teamweb_identity::Error>(())
/// ```
#[derive(Clone)]
pub struct IdentityKeyring {
    keys: Vec<IdentityKey>,
}

impl IdentityKeyring {
    /// A keyring of `keys`, the first of which encrypts. An empty list is
    /// [`Error::InvalidSecret`].
    pub fn new(keys: impl IntoIterator<Item = IdentityKey>) -> Result<Self, Error> {
        let keys: Vec<IdentityKey> = keys.into_iter().collect();
        if keys.is_empty() {
            return Err(Error::InvalidSecret("invalid secret: a keyring needs at least one key".into()));
        }
        Ok(IdentityKeyring { keys })
    }

    /// The keys, the encrypting one first.
    pub fn keys(&self) -> &[IdentityKey] {
        &self.keys
    }

    /// Makes a token with the first key.
    pub fn encrypt(&self, identity: &UserIdentity) -> Result<String, Error> {
        self.keys[0].encrypt(identity)
    }

    /// [`IdentityKey::encrypt_fields_with`] with the first key: borrowed
    /// fields in, the token lent to `visit`.
    ///
    /// ```
    /// use teamweb_identity::{IdentityFields, IdentityKey, IdentityKeyring};
    /// let (new, old) = (IdentityKey::generate(), IdentityKey::generate());
    /// let ring = IdentityKeyring::new([new.clone(), old])?;
    /// let token = ring.encrypt_fields_with(IdentityFields { id: "u1", name: None, email: None }, str::to_owned)?;
    /// assert_eq!(new.decrypt(&token)?.id(), "u1");
    /// # Ok::<(), teamweb_identity::Error>(())
    /// ```
    pub fn encrypt_fields_with<R>(&self, identity: IdentityFields<'_>, visit: impl FnOnce(&str) -> R) -> Result<R, Error> {
        self.keys[0].encrypt_fields_with(identity, visit)
    }

    /// Opens a token with whichever key made it.
    pub fn decrypt(&self, token: &str) -> Result<UserIdentity, Error> {
        let mut small = [0u8; SMALL_TOKEN_BYTES];
        let decoded = decode_token(token, &mut small)?;
        let sealed = decoded.bytes(&small);
        for key in &self.keys {
            // Opening decrypts in place, so each key gets its own copy.
            match key.open(&mut sealed.to_vec()) {
                Err(Error::AuthenticationFailed) => continue,
                other => return other,
            }
        }
        Err(Error::AuthenticationFailed)
    }
}

impl fmt::Debug for IdentityKeyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdentityKeyring({} keys, <redacted>)", self.keys.len())
    }
}

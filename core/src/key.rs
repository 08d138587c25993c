//! Keys, keyrings and the token format (docs/FORMAT.md, sections 1 and 3).

use std::fmt;

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes256Gcm, Tag};
use base64::engine::general_purpose::{GeneralPurpose, STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::{DecodeError, DecodeSliceError, Engine as _};
use base64ct::Encoding as _;
use zeroize::Zeroizing;

use crate::{nonce, payload, Error, IdentityFields, UserIdentity};

const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;

/// Longest token text accepted by `decrypt`, after trimming, in characters.
pub const MAX_TOKEN_CHARS: usize = 8192;
/// Longest secret text (after trimming, in UTF-8 bytes) that is decoded to
/// say what is wrong with it; a longer one is refused from its length.
const MAX_SECRET_BYTES: usize = 1024;
/// Longest token text accepted by `decrypt` before trimming, in
/// characters: whatever whitespace surrounds a token, text this long is
/// never one, and refusing it first lets every language refuse a huge text
/// from its length, before copying it (docs/FORMAT.md, section 3).
pub const MAX_UNTRIMMED_TOKEN_CHARS: usize = 65_536;
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
    /// The expanded key; `aes`, `ghash` and `polyval` wipe it on drop
    /// (their `zeroize` features).
    cipher: Aes256Gcm,
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
        // Far longer than any spelling of 32 bytes: refused from its length
        // alone, so a huge text is never decoded.
        if text.len() > MAX_SECRET_BYTES {
            return refuse(format!(
                "it is {} bytes long; the secret must be the base64 of 32 bytes (43 or 44 characters)",
                text.len()
            ));
        }
        if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return refuse(
                "it looks like hex (64 hex digits); the secret must be the base64 of 32 bytes, as the settings page shows it"
                    .into(),
            );
        }
        if let Some(bytes) = secret_from_base64_ct(text) {
            return Ok(Self::from_bytes(&bytes));
        }
        // Not a secret: find out what is wrong with it, to say so (timing
        // now only concerns a text that is not a key).
        match decode_base64(text).map(Zeroizing::new) {
            Err(problem) => refuse(problem),
            Ok(decoded) => match <[u8; 32]>::try_from(decoded.as_slice()) {
                Ok(bytes) => Ok(Self::from_bytes(&bytes)),
                Err(_) => refuse(format!(
                    "it decodes to {} bytes; the secret must be the base64 of 32 bytes",
                    decoded.len()
                )),
            },
        }
    }

    /// A key from its 32 raw bytes.
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        IdentityKey { cipher: Aes256Gcm::new(bytes.into()), bytes: Zeroizing::new(*bytes) }
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
        base64ct::Base64::encode_string(&*self.bytes)
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
        Ok(STANDARD.encode(self.seal(nonce, identity)?))
    }

    /// `nonce || ciphertext || tag` for `identity`, after checking it.
    fn seal(&self, nonce: [u8; 12], identity: IdentityFields<'_>) -> Result<Vec<u8>, Error> {
        identity.validate()?;
        let mut sealed = Vec::with_capacity(NONCE_LEN + payload::json_len_hint(&identity) + TAG_LEN);
        sealed.extend_from_slice(&nonce);
        payload::write_json(&identity, &mut sealed);
        let tag = self.seal_in_place(&nonce, &mut sealed[NONCE_LEN..]);
        sealed.extend_from_slice(&tag);
        Ok(sealed)
    }

    /// [`seal`](Self::seal) into `buf`, for a checked identity: the length
    /// written, or `None` if it does not fit.
    fn seal_into(&self, nonce: [u8; 12], identity: &IdentityFields<'_>, buf: &mut [u8]) -> Option<usize> {
        let (head, rest) = buf.split_at_mut(NONCE_LEN);
        head.copy_from_slice(&nonce);
        // The JSON goes where it leaves room for the tag.
        let room = rest.len().checked_sub(TAG_LEN)?;
        let mut free: &mut [u8] = &mut rest[..room];
        payload::write_json_to(identity, &mut free)?;
        let json_len = room - free.len();
        let tag = self.seal_in_place(&nonce, &mut rest[..json_len]);
        rest[json_len..json_len + TAG_LEN].copy_from_slice(&tag);
        Some(NONCE_LEN + json_len + TAG_LEN)
    }

    /// Encrypts `plaintext` in place; returns the tag.
    fn seal_in_place(&self, nonce: &[u8; 12], plaintext: &mut [u8]) -> Tag {
        self.cipher
            .encrypt_inout_detached(nonce.into(), b"", plaintext.into())
            // Only for plaintexts over 64 GiB, which a valid identity never is.
            .expect("AES-GCM plaintext too long")
    }

    /// [`encrypt_fields`](Self::encrypt_fields), handing the token to
    /// `visit` as a borrowed `&str`: for bindings that copy it into their
    /// own string type anyway.
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
        identity.validate()?;
        let nonce = nonce::fresh();
        let mut sealed = [0u8; STACK_TOKEN_BYTES];
        let mut text = [0u8; STACK_TOKEN_BYTES * 4 / 3 + 4];
        let encoded = self.seal_into(nonce, &identity, &mut sealed).and_then(|len| STANDARD.encode_slice(&sealed[..len], &mut text).ok());
        Ok(match encoded {
            // Base64 is ASCII, so the text check never fails.
            Some(len) => visit(std::str::from_utf8(&text[..len]).unwrap_or_default()),
            // Too long for the stack: the same token on the heap.
            None => visit(&STANDARD.encode(self.seal(nonce, identity)?)),
        })
    }

    /// Opens a token made by any TeamWeb identity package or by the public
    /// page's examples (docs/FORMAT.md, section 3).
    ///
    /// Errors: [`Error::MalformedToken`] (not base64, too short, over 8192
    /// characters), [`Error::AuthenticationFailed`] (another key, or a
    /// changed byte), [`Error::InvalidPayload`] (not an identity object).
    pub fn decrypt(&self, token: &str) -> Result<UserIdentity, Error> {
        self.decrypt_fields_with(token, |fields| UserIdentity::from(fields))
    }

    /// [`decrypt`](Self::decrypt), lending the fields to `visit` instead of
    /// copying them into a [`UserIdentity`]: for bindings that copy them
    /// into their own string types anyway. The same checks, the same
    /// errors; `visit` runs only for an identity that passed them.
    ///
    /// ```
    /// use teamweb_identity::{IdentityKey, UserIdentity};
    /// let key = IdentityKey::generate();
    /// let token = key.encrypt(&UserIdentity::new("u1").with_name("Ann"))?;
    /// let fields = key.decrypt_fields_with(&token, |f| (f.id.len(), f.name.map(str::len), f.email.is_some()))?;
    /// assert_eq!(fields, (2, Some(3), false));
    /// # Ok::<(), teamweb_identity::Error>(())
    /// ```
    pub fn decrypt_fields_with<R>(&self, token: &str, visit: impl FnOnce(IdentityFields<'_>) -> R) -> Result<R, Error> {
        with_sealed(token, |sealed| payload::parse_identity_with(self.open_in_place(sealed)?, visit))
    }

    /// Opens `nonce || ciphertext || tag` (at least [`MIN_TOKEN_BYTES`]
    /// long) in place: the plaintext, or [`Error::AuthenticationFailed`].
    fn open_in_place<'a>(&self, sealed: &'a mut [u8]) -> Result<&'a [u8], Error> {
        // Shorter is never opened (nothing shorter can carry a tag).
        let (nonce, rest) = sealed.split_first_chunk_mut::<NONCE_LEN>().ok_or(Error::AuthenticationFailed)?;
        let (ciphertext, tag) = rest.split_last_chunk_mut::<TAG_LEN>().ok_or(Error::AuthenticationFailed)?;
        self.cipher
            .decrypt_inout_detached((&*nonce).into(), b"", ciphertext.into(), (&*tag).into())
            .map_err(|_| Error::AuthenticationFailed)?;
        Ok(ciphertext)
    }
}

/// The 32 bytes of a secret (already trimmed) in constant time for a given
/// length (`base64ct`), or `None` if `text` is not one: 43 characters of
/// the standard or the URL-safe alphabet, optionally one `=`, the last
/// character's unused bits zero. Both alphabets are always tried, so the
/// time does not tell which one the secret uses.
fn secret_from_base64_ct(text: &str) -> Option<Zeroizing<[u8; 32]>> {
    let (mut standard, mut url_safe) = (Zeroizing::new([0u8; 32]), Zeroizing::new([0u8; 32]));
    let (standard_ok, url_safe_ok) = if text.ends_with('=') {
        (
            base64ct::Base64::decode(text, &mut *standard).map(|b| b.len()),
            base64ct::Base64Url::decode(text, &mut *url_safe).map(|b| b.len()),
        )
    } else {
        (
            base64ct::Base64Unpadded::decode(text, &mut *standard).map(|b| b.len()),
            base64ct::Base64UrlUnpadded::decode(text, &mut *url_safe).map(|b| b.len()),
        )
    };
    match (standard_ok, url_safe_ok) {
        (Ok(32), _) => Some(standard),
        (_, Ok(32)) => Some(url_safe),
        _ => None,
    }
}

/// Decodes base64 as docs/FORMAT.md reads it: the standard or the URL-safe
/// alphabet (not both in one text), padding optional but the right amount
/// when present, the last character's unused bits zero. The error says
/// what is wrong in words, without the text.
fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    decode_base64_with(text, |engine| engine.decode(text))
}

/// [`decode_base64`] with `decode` doing the decoding with the engine it is
/// given (into a new vector, or into a buffer).
fn decode_base64_with<T>(text: &str, mut decode: impl FnMut(&GeneralPurpose) -> Result<T, DecodeError>) -> Result<T, String> {
    if text.is_empty() {
        return Err("it is empty".into());
    }
    // (By reference: an engine holds its tables, a third of a kilobyte.)
    let (standard, url_safe) = if text.ends_with('=') { (&STANDARD, &URL_SAFE) } else { (&STANDARD_NO_PAD, &URL_SAFE_NO_PAD) };
    let err = match decode(standard) {
        Ok(bytes) => return Ok(bytes),
        // A URL-safe character: the text may be URL-safe base64.
        Err(DecodeError::InvalidByte(_, b'-' | b'_')) => match decode(url_safe) {
            Ok(bytes) => return Ok(bytes),
            Err(DecodeError::InvalidByte(_, b'+' | b'/')) => {
                return Err("it is not base64: it mixes the standard (+/) and URL-safe (-_) alphabets".into())
            }
            Err(err) => err,
        },
        Err(err) => err,
    };
    Err(match err {
        DecodeError::InvalidByte(_, b'=') | DecodeError::InvalidPadding => "it is not base64: its '=' padding is wrong".into(),
        DecodeError::InvalidByte(at, _) => format!(
            "it is not base64: character {} is outside the base64 alphabet",
            // Every byte before `at` is an ASCII base64 character.
            text.get(..at).map_or(at, |before| before.chars().count()) + 1
        ),
        DecodeError::InvalidLength(_) => "it is not base64: its length is impossible for base64".into(),
        DecodeError::InvalidLastSymbol(..) => "it is not base64: its last character has non-zero unused bits".into(),
    })
}

/// Tokens of at most this many bytes (an identity of about 450 bytes) are
/// decoded into a buffer on the stack rather than a new vector, and lent
/// out by `encrypt_fields_with` from one: an allocation less per call,
/// which is about a tenth of a call from Python.
const STACK_TOKEN_BYTES: usize = 512;

/// The longest token [`IdentityKey::encrypt`] (or a keyring, or the
/// one-shot) can make, in bytes (a token is ASCII): the base64 of the nonce,
/// the longest identity JSON the identity rules allow (every byte of every
/// field escaped as `\u00XX`, the most JSON can need) and the tag. For
/// callers that give the output buffer (the C ABI).
///
/// ```
/// use teamweb_identity::host::max_token_len;
/// use teamweb_identity::{IdentityKey, UserIdentity};
/// let long = "\"".repeat(256);
/// let who = UserIdentity::from_fields(&long, Some(&long), Some(&format!("{}@x", "\"".repeat(252))));
/// assert!(IdentityKey::generate().encrypt(&who)?.len() <= max_token_len());
/// # Ok::<(), teamweb_identity::Error>(())
/// ```
pub const fn max_token_len() -> usize {
    const JSON: usize = r#"{"id":"","name":"","email":""}"#.len()
        + 6 * (crate::MAX_ID_BYTES + crate::MAX_NAME_BYTES + crate::MAX_EMAIL_BYTES);
    (NONCE_LEN + JSON + TAG_LEN).div_ceil(3) * 4
}

/// The most bytes of UTF-8 the three fields of a decrypted identity can
/// hold together: a token of at most [`MAX_TOKEN_CHARS`] characters carries
/// at most that many bytes of JSON, and a JSON string's text is never
/// longer than the JSON that writes it. For callers that give the output
/// buffer (the C ABI).
pub const fn max_identity_len() -> usize {
    MAX_TOKEN_CHARS / 4 * 3 - MIN_TOKEN_BYTES
}


/// docs/FORMAT.md section 3, steps 1 and 2: trim, cap the length, decode
/// base64, insist on a nonce and a tag; then `open` the decoded bytes.
fn with_sealed<R>(token: &str, open: impl FnOnce(&mut [u8]) -> Result<R, Error>) -> Result<R, Error> {
    if token.len() > MAX_UNTRIMMED_TOKEN_CHARS && token.chars().count() > MAX_UNTRIMMED_TOKEN_CHARS {
        return Err(token_too_long());
    }
    let text = token.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
    // Byte length bounds character count: check the cheap one first.
    if text.len() > MAX_TOKEN_CHARS && text.chars().count() > MAX_TOKEN_CHARS {
        return Err(token_too_long());
    }
    let malformed = |why| Error::MalformedToken(format!("malformed token: {why}"));
    let mut stack = [0u8; STACK_TOKEN_BYTES];
    let mut heap: Vec<u8>;
    let sealed: &mut [u8] = if base64::decoded_len_estimate(text.len()) <= STACK_TOKEN_BYTES {
        let len = decode_base64_with(text, |engine| {
            engine.decode_slice(text, &mut stack).map_err(|err| match err {
                DecodeSliceError::DecodeError(err) => err,
                // Not with room for the estimate; refused as too long if it were.
                DecodeSliceError::OutputSliceTooSmall => DecodeError::InvalidLength(text.len()),
            })
        })
        .map_err(malformed)?;
        &mut stack[..len]
    } else {
        heap = decode_base64(text).map_err(malformed)?;
        &mut heap
    };
    if sealed.len() < MIN_TOKEN_BYTES {
        return Err(Error::MalformedToken(format!(
            "malformed token: it decodes to {} bytes; a token has at least {MIN_TOKEN_BYTES}",
            sealed.len()
        )));
    }
    open(sealed)
}

/// A token over [`MAX_TOKEN_CHARS`] characters after trimming.
pub(crate) fn token_too_long() -> Error {
    Error::MalformedToken(format!("malformed token: it is longer than {MAX_TOKEN_CHARS} characters"))
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
        self.decrypt_fields_with(token, |fields| UserIdentity::from(fields))
    }

    /// [`IdentityKey::decrypt_fields_with`] with whichever key made the
    /// token: the fields lent to `visit`.
    pub fn decrypt_fields_with<R>(&self, token: &str, visit: impl FnOnce(IdentityFields<'_>) -> R) -> Result<R, Error> {
        with_sealed(token, |sealed| {
            let (last, others) = self.keys.split_last().unwrap_or_else(|| unreachable!("a keyring has a key"));
            for key in others {
                // Opening decrypts in place, so each key but the last gets
                // its own copy.
                let mut copy = sealed.to_vec();
                match key.open_in_place(&mut copy) {
                    Err(Error::AuthenticationFailed) => continue,
                    Err(err) => return Err(err),
                    Ok(plaintext) => return payload::parse_identity_with(plaintext, visit),
                }
            }
            payload::parse_identity_with(last.open_in_place(sealed)?, visit)
        })
    }
}

impl fmt::Debug for IdentityKeyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdentityKeyring({} keys, <redacted>)", self.keys.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_beyond_the_stack_buffers_work_as_the_others() {
        let key = IdentityKey::from_bytes(&[3; 32]);
        let ring = IdentityKeyring::new([IdentityKey::from_bytes(&[4; 32]), key.clone()]).unwrap();
        for size in [1, 200, 256] {
            let who = UserIdentity::new("\"".repeat(size))
                .with_name("\\".repeat(size.min(256)))
                .with_email(format!("{}@{}", "a".repeat(size.min(126)), "b".repeat(size.min(127))));
            let token = key.encrypt(&who).unwrap();
            let lent = key.encrypt_fields_with(who.fields(), str::to_owned).unwrap();
            assert_eq!(token.len(), lent.len());
            for t in [&token, &lent] {
                assert_eq!(key.decrypt(t).unwrap(), who);
                assert_eq!(ring.decrypt(t).unwrap(), who);
            }
            let mut stack = [0u8; STACK_TOKEN_BYTES];
            let heap = key.seal([9; 12], who.fields()).unwrap();
            match key.seal_into([9; 12], &who.fields(), &mut stack) {
                Some(len) => assert_eq!(&stack[..len], heap.as_slice()),
                None => assert!(heap.len() > STACK_TOKEN_BYTES),
            }
            if size == 256 {
                assert!(base64::decoded_len_estimate(token.len()) > STACK_TOKEN_BYTES);
            }
        }
    }
}

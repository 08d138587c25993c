//! The identity a token carries, its rules, and the exact JSON it is
//! written as.

use std::fmt;

use crate::Error;

/// Most UTF-8 bytes an `id` or a `name` may have.
pub const MAX_ID_BYTES: usize = 256;
/// Most UTF-8 bytes a `name` may have.
pub const MAX_NAME_BYTES: usize = 256;
/// Most UTF-8 bytes an `email` may have.
pub const MAX_EMAIL_BYTES: usize = 254;

/// The `id` of a [`UserIdentity`]: text, or an integer that becomes its
/// decimal text.
///
/// ```
/// use teamweb_identity::UserId;
/// assert_eq!(UserId::from(42_u64).as_str(), "42");
/// assert_eq!(UserId::from(-7_i64).as_str(), "-7");
/// assert_eq!(UserId::from("user_123").as_str(), "user_123");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UserId(String);

impl UserId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as an owned `String`.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl From<String> for UserId {
    fn from(id: String) -> Self {
        UserId(id)
    }
}

impl From<&str> for UserId {
    fn from(id: &str) -> Self {
        UserId(id.to_owned())
    }
}

impl From<&String> for UserId {
    fn from(id: &String) -> Self {
        UserId(id.clone())
    }
}

macro_rules! integer_ids {
    ($($t:ty),*) => {$(
        impl From<$t> for UserId {
            fn from(id: $t) -> Self {
                UserId(id.to_string())
            }
        }
    )*};
}
integer_ids!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

/// Who the visitor is: an `id`, and optionally a `name` and an `email`.
///
/// Building one never fails; the rules (SPEC section 2) are checked when it
/// is encrypted, so every language reports the same
/// [`Error::InvalidIdentity`]. An empty `name` or `email` means absent.
///
/// ```
/// use teamweb_identity::UserIdentity;
/// let alice = UserIdentity::new("user_123")
///     .with_name("Alice")
///     .with_email("alice@example.com");
/// assert_eq!(alice.id(), "user_123");
/// assert_eq!(alice.name(), Some("Alice"));
/// assert_eq!(UserIdentity::new(42_u64).with_name("").name(), None);
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct UserIdentity {
    /// `id`, `name` and `email` one after the other, in one allocation
    /// (an empty `name` or `email` is an absent one).
    text: String,
    id_end: usize,
    name_end: usize,
}

impl UserIdentity {
    /// An identity with only an `id` (text or an integer).
    pub fn new(id: impl Into<UserId>) -> Self {
        let text = id.into().0;
        let end = text.len();
        UserIdentity { text, id_end: end, name_end: end }
    }

    /// An identity from its three parts; `None` or `""` means absent.
    pub fn from_parts(id: impl Into<UserId>, name: Option<String>, email: Option<String>) -> Self {
        Self::from_fields(&id.into().0, name.as_deref(), email.as_deref())
    }

    /// An identity from borrowed text, copied once; `None` or `""` means
    /// absent. The cheapest constructor for bindings.
    ///
    /// ```
    /// use teamweb_identity::UserIdentity;
    /// let who = UserIdentity::from_fields("u1", Some("Ann"), None);
    /// assert_eq!(who, UserIdentity::new("u1").with_name("Ann"));
    /// ```
    pub fn from_fields(id: &str, name: Option<&str>, email: Option<&str>) -> Self {
        let (name, email) = (name.unwrap_or(""), email.unwrap_or(""));
        let mut text = String::with_capacity(id.len() + name.len() + email.len());
        text.push_str(id);
        text.push_str(name);
        text.push_str(email);
        UserIdentity { text, id_end: id.len(), name_end: id.len() + name.len() }
    }

    /// The same identity with this `name` (`""` means none).
    pub fn with_name(self, name: impl Into<String>) -> Self {
        Self::from_fields(self.id(), Some(&name.into()), self.email())
    }

    /// The same identity with this `email` (`""` means none).
    pub fn with_email(self, email: impl Into<String>) -> Self {
        Self::from_fields(self.id(), self.name(), Some(&email.into()))
    }

    /// The `id`, as text.
    pub fn id(&self) -> &str {
        &self.text[..self.id_end]
    }

    /// The `name`, if there is one.
    pub fn name(&self) -> Option<&str> {
        Some(&self.text[self.id_end..self.name_end]).filter(|s| !s.is_empty())
    }

    /// The `email`, if there is one.
    pub fn email(&self) -> Option<&str> {
        Some(&self.text[self.name_end..]).filter(|s| !s.is_empty())
    }

    /// Takes the identity apart into `(id, name, email)`.
    pub fn into_parts(self) -> (String, Option<String>, Option<String>) {
        (self.id().to_owned(), self.name().map(str::to_owned), self.email().map(str::to_owned))
    }

    /// Checks the identity rules of SPEC section 2 without encrypting.
    ///
    /// ```
    /// use teamweb_identity::UserIdentity;
    /// assert!(UserIdentity::new("u1").with_email("a@b").validate().is_ok());
    /// let err = UserIdentity::new("   ").validate().unwrap_err();
    /// assert_eq!(err.code(), "invalid_identity");
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        self.fields().validate()
    }

    /// The three fields, borrowed.
    pub fn fields(&self) -> IdentityFields<'_> {
        IdentityFields { id: self.id(), name: self.name(), email: self.email() }
    }

    /// The identity as compact JSON, keys in the order `id`, `name`,
    /// `email`, absent fields left out: for a valid identity, exactly the
    /// plaintext a token carries (SPEC section 1).
    ///
    /// ```
    /// use teamweb_identity::UserIdentity;
    /// let who = UserIdentity::new(42_u8).with_email("a@b.co");
    /// assert_eq!(who.to_json(), r#"{"id":"42","email":"a@b.co"}"#);
    /// ```
    pub fn to_json(&self) -> String {
        let fields = self.fields();
        let mut out = Vec::with_capacity(fields.json_len_hint());
        fields.write_json(&mut out);
        // Escaping only ever adds ASCII to UTF-8 text.
        String::from_utf8(out).unwrap_or_default()
    }
}

/// An identity's fields, borrowed: what [`IdentityKey::encrypt_fields`]
/// takes to make a token without copying them. `None` or `""` means absent.
///
/// [`IdentityKey::encrypt_fields`]: crate::IdentityKey::encrypt_fields
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdentityFields<'a> {
    /// The `id`, as text.
    pub id: &'a str,
    /// The `name`, if any.
    pub name: Option<&'a str>,
    /// The `email`, if any.
    pub email: Option<&'a str>,
}

fn present(field: Option<&str>) -> Option<&str> {
    field.filter(|s| !s.is_empty())
}

impl IdentityFields<'_> {
    /// Checks the identity rules of SPEC section 2; see [`UserIdentity::validate`].
    pub fn validate(&self) -> Result<(), Error> {
        let id = check_text(Field::Id, self.id, MAX_ID_BYTES)?;
        if self.id.is_empty() {
            return Err(invalid(Field::Id, "is required and must not be empty"));
        }
        if id.all_whitespace() {
            return Err(invalid(Field::Id, "must contain at least one non-whitespace character"));
        }
        if let Some(name) = present(self.name) {
            check_text(Field::Name, name, MAX_NAME_BYTES)?;
        }
        if let Some(email) = present(self.email) {
            if check_text(Field::Email, email, MAX_EMAIL_BYTES)?.any_whitespace() {
                return Err(invalid(Field::Email, "must not contain whitespace"));
            }
            match email.bytes().rposition(|b| b == b'@') {
                Some(at) if at > 0 && at + 1 < email.len() => {}
                _ => {
                    return Err(invalid(
                        Field::Email,
                        "must have an '@' with text on both sides of the last one",
                    ))
                }
            }
        }
        Ok(())
    }

    /// Appends the identity's compact JSON (see [`UserIdentity::to_json`]) to `out`.
    pub(crate) fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"id\":\"");
        escape_into(self.id, out);
        if let Some(name) = present(self.name) {
            out.extend_from_slice(b"\",\"name\":\"");
            escape_into(name, out);
        }
        if let Some(email) = present(self.email) {
            out.extend_from_slice(b"\",\"email\":\"");
            escape_into(email, out);
        }
        out.extend_from_slice(b"\"}");
    }

    /// Length of [`write_json`](Self::write_json)'s output, to size buffers.
    pub(crate) fn json_len_hint(&self) -> usize {
        // Text plus the keys and quotes; escaping may add more, which the
        // vector then grows for.
        self.id.len() + self.name.map_or(0, str::len) + self.email.map_or(0, str::len) + 40
    }
}

/// Index of the first byte JSON escapes (`"`, `\` or below U+0020),
/// eight bytes at a time: identities rarely have any.
pub(crate) fn first_to_escape(bytes: &[u8]) -> Option<usize> {
    first_match(bytes, |x| equal(x, b'"') | equal(x, b'\\') | below(x, 0x20), |b| b == b'"' || b == b'\\' || b < 0x20)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// High bit set in each byte of `x` equal to `b`: exact for the first such
/// byte (later ones may be false positives), which is all callers use.
fn equal(x: u64, b: u8) -> u64 {
    let y = x ^ (ONES * u64::from(b));
    y.wrapping_sub(ONES) & !y & HIGH
}

/// High bit set in each byte of `x` below `n` (`n` <= 0x80), exact for the
/// first such byte.
fn below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH
}

/// Index of the first byte for which `word` flags a byte (eight at a time)
/// or `byte` holds (for the tail).
fn first_match(bytes: &[u8], word: impl Fn(u64) -> u64, byte: impl Fn(u8) -> bool) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let hit = word(u64::from_le_bytes(w));
        if hit != 0 {
            return Some(offset + (hit.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    chunks.remainder().iter().position(|&b| byte(b)).map(|i| offset + i)
}

/// JSON string escaping as `json.dumps(..., ensure_ascii=False)` and
/// `JSON.stringify` write it: `"` and `\` escaped, control characters below
/// U+0020 as short or `\u00XX` escapes, everything else as UTF-8. Validated
/// identities never hold control characters, so their tokens only ever see
/// the first two.
fn escape_into(text: &str, out: &mut Vec<u8>) {
    /// For each byte: 0 to copy it, else the letter after the backslash
    /// (`u` for a `\u00XX` escape).
    static ESCAPE: [u8; 256] = {
        let mut table = [0u8; 256];
        let mut b = 0;
        while b < 0x20 {
            table[b] = b'u';
            b += 1;
        }
        table[0x08] = b'b';
        table[0x09] = b't';
        table[0x0a] = b'n';
        table[0x0c] = b'f';
        table[0x0d] = b'r';
        table[b'"' as usize] = b'"';
        table[b'\\' as usize] = b'\\';
        table
    };
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    let mut start = 0;
    while let Some(run) = first_to_escape(&bytes[start..]) {
        let i = start + run;
        let b = bytes[i];
        out.extend_from_slice(&bytes[start..i]);
        start = i + 1;
        match ESCAPE[usize::from(b)] {
            b'u' => out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]),
            escape => out.extend_from_slice(&[b'\\', escape]),
        }
    }
    out.extend_from_slice(&bytes[start..]);
}

impl From<IdentityFields<'_>> for UserIdentity {
    fn from(f: IdentityFields<'_>) -> Self {
        UserIdentity::from_fields(f.id, f.name, f.email)
    }
}

impl fmt::Debug for UserIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserIdentity")
            .field("id", &self.id())
            .field("name", &self.name())
            .field("email", &self.email())
            .finish()
    }
}

/// One of the three fields of an identity, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The `id` field.
    Id,
    /// The `name` field.
    Name,
    /// The `email` field.
    Email,
}

impl Field {
    /// The field's name as it appears in the JSON: `id`, `name` or `email`.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Name => "name",
            Field::Email => "email",
        }
    }
}

fn invalid(field: Field, what: &str) -> Error {
    Error::InvalidIdentity(format!("{} {}", field.as_str(), what))
}

fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// What [`check_text`] learnt about a field: whether it is ASCII, which
/// makes its whitespace checks byte checks.
struct Checked<'a> {
    text: &'a str,
    ascii: bool,
}

impl Checked<'_> {
    /// Any Unicode White_Space (`char::is_whitespace`)? In ASCII text
    /// without controls the only one left is the space.
    fn any_whitespace(&self) -> bool {
        if self.ascii {
            first_match(self.text.as_bytes(), |x| equal(x, b' '), |b| b == b' ').is_some()
        } else {
            self.text.chars().any(char::is_whitespace)
        }
    }

    fn all_whitespace(&self) -> bool {
        if self.ascii {
            self.text.bytes().all(|b| b == b' ')
        } else {
            self.text.chars().all(char::is_whitespace)
        }
    }
}

/// Checks the length and the control characters of one field; ASCII text
/// (the usual case) eight bytes at a time.
fn check_text(field: Field, text: &str, max: usize) -> Result<Checked<'_>, Error> {
    if text.len() > max {
        return Err(invalid(
            field,
            &format!("is {} UTF-8 bytes long; at most {} are allowed", text.len(), max),
        ));
    }
    let ascii = text.is_ascii();
    let control = if ascii {
        first_match(text.as_bytes(), |x| below(x, 0x20) | equal(x, 0x7f), |b| b < 0x20 || b == 0x7f).is_some()
    } else {
        text.chars().any(is_control)
    };
    if control {
        let (pos, c) = text.chars().enumerate().find(|&(_, c)| is_control(c)).unwrap_or_default();
        return Err(invalid(
            field,
            &format!("contains the control character U+{:04X} at character {}", c as u32, pos + 1),
        ));
    }
    Ok(Checked { text, ascii })
}

/// Turns UTF-16 code units from a host string (JavaScript, the JVM) into
/// text for `field`, refusing lone surrogates with
/// [`Error::InvalidIdentity`] instead of replacing them.
///
/// ```
/// use teamweb_identity::{text_from_utf16, Field};
/// assert_eq!(text_from_utf16(Field::Id, &[0x75, 0x31]).unwrap(), "u1");
/// assert_eq!(text_from_utf16(Field::Name, &[0x41, 0xD83D, 0xDE00]).unwrap(), "A😀");
/// assert_eq!(text_from_utf16(Field::Name, &[0xD800]).unwrap_err().code(), "invalid_identity");
/// ```
pub fn text_from_utf16(field: Field, units: &[u16]) -> Result<String, Error> {
    // ASCII (most ids, names and emails) needs no decoding: narrow it.
    if units.iter().fold(0, |any, &unit| any | unit) < 0x80 {
        let bytes: Vec<u8> = units.iter().map(|&unit| unit as u8).collect();
        return String::from_utf8(bytes).map_err(|_| not_unicode(field));
    }
    String::from_utf16(units).map_err(|_| not_unicode(field))
}

/// Turns bytes from a host string into text for `field`, refusing anything
/// that is not UTF-8 (e.g. Python's `surrogatepass` encoding of a lone
/// surrogate) with [`Error::InvalidIdentity`].
///
/// ```
/// use teamweb_identity::{text_from_utf8, Field};
/// assert_eq!(text_from_utf8(Field::Id, b"u1").unwrap(), "u1");
/// assert!(text_from_utf8(Field::Id, b"\xed\xa0\x80").is_err());
/// ```
pub fn text_from_utf8(field: Field, bytes: &[u8]) -> Result<String, Error> {
    std::str::from_utf8(bytes).map(str::to_owned).map_err(|_| not_unicode(field))
}

fn not_unicode(field: Field) -> Error {
    invalid(field, "is not valid Unicode (it contains a lone surrogate)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(identity: &UserIdentity) -> String {
        let mut out = Vec::new();
        identity.fields().write_json(&mut out);
        assert!(out.len() <= identity.fields().json_len_hint());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn writes_exact_json() {
        assert_eq!(json(&UserIdentity::new("u")), r#"{"id":"u"}"#);
        assert_eq!(
            json(&UserIdentity::new(5_u8).with_email("a@b").with_name("N \"q\" \\")),
            r#"{"id":"5","name":"N \"q\" \\","email":"a@b"}"#
        );
        assert_eq!(json(&UserIdentity::new("é\u{2028}").with_email("")), "{\"id\":\"é\u{2028}\"}");
        assert_eq!(UserIdentity::new("a\n\u{1}\u{7f}").to_json(), "{\"id\":\"a\\n\\u0001\u{7f}\"}");
    }

    #[test]
    fn rules() {
        let bad = |i: UserIdentity| i.validate().unwrap_err().code();
        assert_eq!(bad(UserIdentity::new("")), "invalid_identity");
        assert_eq!(bad(UserIdentity::new("\u{3000}")), "invalid_identity");
        assert_eq!(bad(UserIdentity::new("a\u{85}")), "invalid_identity");
        assert_eq!(bad(UserIdentity::new("x".repeat(257))), "invalid_identity");
        assert_eq!(bad(UserIdentity::new("u").with_email("a@")), "invalid_identity");
        assert_eq!(bad(UserIdentity::new("u").with_email("a@b@")), "invalid_identity");
        assert_eq!(bad(UserIdentity::new("u").with_email("a b@c")), "invalid_identity");
        assert!(UserIdentity::new("x".repeat(256)).validate().is_ok());
        assert!(UserIdentity::new("u").with_email("a@b@c").validate().is_ok());
    }

    proptest::proptest! {
        #[test]
        fn escape_scan_matches_the_plain_one(bytes in proptest::collection::vec(
            proptest::prop_oneof![proptest::num::u8::ANY, proptest::strategy::Just(b'"'), proptest::strategy::Just(b'\\'), proptest::strategy::Just(b'a')],
            0..40,
        )) {
            let plain = bytes.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
            proptest::prop_assert_eq!(first_to_escape(&bytes), plain);
        }
    }
}

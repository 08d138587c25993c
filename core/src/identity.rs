//! The identity a token carries and its rules (docs/FORMAT.md, section 2).
//! Its JSON is in `payload.rs`.

use std::fmt;

use crate::Error;

/// Most UTF-8 bytes an `id` or a `name` may have.
pub const MAX_ID_BYTES: usize = 256;
/// Most UTF-8 bytes a `name` may have.
pub const MAX_NAME_BYTES: usize = 256;
/// Most UTF-8 bytes an `email` may have.
pub const MAX_EMAIL_BYTES: usize = 254;

/// Refuses an integer `id` of `bits` bits (see
/// [`MAX_INTEGER_BITS`](crate::host::MAX_INTEGER_BITS)) with
/// [`Error::InvalidIdentity`], before it is turned into text.
pub(crate) fn check_integer_id_bits(bits: u64) -> Result<(), Error> {
    if bits > u64::from(crate::host::MAX_INTEGER_BITS) {
        return Err(invalid(
            Field::Id,
            &format!("is an integer of {bits} bits, more than 256 digits; at most {MAX_ID_BYTES} UTF-8 bytes are allowed"),
        ));
    }
    Ok(())
}

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
/// Building one never fails; the rules (docs/FORMAT.md, section 2) are checked when it
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

    /// Checks the identity rules of docs/FORMAT.md, section 2 without encrypting.
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
    /// plaintext a token carries (docs/FORMAT.md, section 1).
    ///
    /// ```
    /// use teamweb_identity::UserIdentity;
    /// let who = UserIdentity::new(42_u8).with_email("a@b.co");
    /// assert_eq!(who.to_json(), r#"{"id":"42","email":"a@b.co"}"#);
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = Vec::new();
        crate::payload::write_json(&self.fields(), &mut out);
        // serde_json writes UTF-8.
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
    /// Checks the identity rules of docs/FORMAT.md, section 2; see [`UserIdentity::validate`].
    pub fn validate(&self) -> Result<(), Error> {
        let id = check_text(Field::Id, self.id, MAX_ID_BYTES)?;
        if self.id.is_empty() {
            return Err(invalid(Field::Id, "is required and must not be empty"));
        }
        if id.all_whitespace(self.id) {
            return Err(invalid(Field::Id, "must contain at least one non-whitespace character"));
        }
        if let Some(name) = present(self.name) {
            check_text(Field::Name, name, MAX_NAME_BYTES)?;
        }
        if let Some(email) = present(self.email) {
            if check_text(Field::Email, email, MAX_EMAIL_BYTES)?.any_whitespace(email) {
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

pub(crate) fn invalid(field: Field, what: &str) -> Error {
    Error::InvalidIdentity(format!("{} {}", field.as_str(), what))
}

fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// The most UTF-8 bytes `field` may have.
pub(crate) fn max_bytes(field: Field) -> usize {
    match field {
        Field::Id => MAX_ID_BYTES,
        Field::Name => MAX_NAME_BYTES,
        Field::Email => MAX_EMAIL_BYTES,
    }
}

/// `field` is `len` UTF-8 bytes long, over its limit.
pub(crate) fn too_long(field: Field, len: usize) -> Error {
    invalid(field, &format!("is {len} UTF-8 bytes long; at most {} are allowed", max_bytes(field)))
}

/// Checks the length and the control characters of one field.
fn check_text(field: Field, text: &str, max: usize) -> Result<Checked, Error> {
    if text.len() > max {
        return Err(too_long(field, text.len()));
    }
    // Most text is printable ASCII (U+0020 to U+007E): no control
    // characters, and no whitespace but the space. (A fold, not `all`, so
    // the compiler checks many bytes at a time.)
    if text.bytes().fold(true, |printable, b| printable & (0x20..0x7f).contains(&b)) {
        return Ok(Checked::PrintableAscii);
    }
    if let Some((pos, c)) = text.chars().enumerate().find(|&(_, c)| is_control(c)) {
        return Err(invalid(
            field,
            &format!("contains the control character U+{:04X} at character {}", c as u32, pos + 1),
        ));
    }
    Ok(Checked::Other)
}

/// What [`check_text`] found a field to be, which makes its whitespace
/// checks cheaper when it is printable ASCII.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Checked {
    PrintableAscii,
    Other,
}

impl Checked {
    /// Does `text` (the text checked) hold any Unicode White_Space?
    fn any_whitespace(self, text: &str) -> bool {
        match self {
            Checked::PrintableAscii => text.as_bytes().contains(&b' '),
            Checked::Other => text.chars().any(char::is_whitespace),
        }
    }

    /// Is `text` (the text checked) all Unicode White_Space?
    fn all_whitespace(self, text: &str) -> bool {
        match self {
            Checked::PrintableAscii => text.bytes().all(|b| b == b' '),
            Checked::Other => text.chars().all(char::is_whitespace),
        }
    }
}

pub(crate) fn not_unicode(field: Field) -> Error {
    invalid(field, "is not valid Unicode (it contains a lone surrogate)")
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(bad(UserIdentity::new("   ")), "invalid_identity");
        assert_eq!(bad(UserIdentity::new("a\u{7f}")), "invalid_identity");
        assert_eq!(bad(UserIdentity::new("u").with_email("a\u{2003}b@c")), "invalid_identity");
        assert_eq!(bad(UserIdentity::new("u").with_name("é\u{9f}")), "invalid_identity");
        assert!(UserIdentity::new(" \u{e9} ").with_email("é@b").validate().is_ok());
        assert!(UserIdentity::new("x".repeat(256)).validate().is_ok());
        assert!(UserIdentity::new("u").with_email("a@b@c").validate().is_ok());
    }

    #[test]
    fn integer_id_bound_refuses_only_ids_that_are_too_long() {
        // 10^256 - 1 (256 nines) has MAX_INTEGER_ID_BITS bits and fits; 2^851
        // has 257 digits, so nothing wider can be a valid id.
        let max = u64::from(crate::host::MAX_INTEGER_BITS);
        assert!(check_integer_id_bits(max).is_ok());
        assert_eq!(check_integer_id_bits(max + 1).unwrap_err().code(), "invalid_identity");
        assert_eq!(check_integer_id_bits(3_321_929).unwrap_err().to_string(),
            "id is an integer of 3321929 bits, more than 256 digits; at most 256 UTF-8 bytes are allowed");
        let max_bits = 256.0 * std::f64::consts::LOG2_10;
        assert_eq!(max_bits.ceil() as u32, crate::host::MAX_INTEGER_BITS);
    }
}

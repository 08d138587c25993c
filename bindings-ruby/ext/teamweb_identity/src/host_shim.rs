//! TEMPORARY: the core's `host` module as the brief describes it, over the
//! core's current API, until the lead's `teamweb_identity::host` lands on main.
#![allow(dead_code)]
use std::borrow::Cow;
use teamweb_identity::{Error, IdentityKey};
pub use teamweb_identity::Field;
pub const MAX_INTEGER_BITS: u32 = 851;

pub fn field_from_utf8(field: Field, bytes: &[u8]) -> Result<&str, Error> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(_) => Err(teamweb_identity::text_from_utf8(field, bytes).unwrap_err()),
    }
}
pub fn optional_field_from_utf8(field: Field, bytes: Option<&[u8]>) -> Result<Option<&str>, Error> {
    match bytes {
        None => Ok(None),
        Some(b) if b.is_empty() => Ok(None),
        Some(b) => field_from_utf8(field, b).map(Some),
    }
}
pub fn key_from_utf8(secret: &[u8]) -> Result<IdentityKey, Error> {
    IdentityKey::from_base64(&String::from_utf8_lossy(secret))
}
pub fn token_from_utf8(token: &[u8]) -> Result<Cow<'_, str>, Error> {
    Ok(String::from_utf8_lossy(token))
}
pub fn check_id_bits(bits: u64) -> Result<(), Error> {
    teamweb_identity::check_integer_id_bits(bits)
}
pub fn check_assistant_id_bits(bits: u64) -> Result<(), Error> {
    if bits > 851 { return Err(Error::InvalidIdentity(format!("assistant_id is an integer of {bits} bits; too long"))); }
    Ok(())
}
fn lossy(b: &[u8]) -> String {
    let mut v = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == 0xED && i + 2 < b.len() + 0 && (0xA0..=0xBF).contains(&b[i + 1]) && (0x80..=0xBF).contains(&b[i + 2]) {
            v.extend_from_slice("\u{FFFD}".as_bytes());
            i += 3;
        } else {
            v.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&v).into_owned()
}
pub fn script_tag_utf8(src: &[u8], assistant_id: &[u8], user_token: Option<&[u8]>) -> String {
    let t = user_token.map(lossy);
    teamweb_identity::widget_script_tag(&lossy(src), lossy(assistant_id), t.as_deref())
}

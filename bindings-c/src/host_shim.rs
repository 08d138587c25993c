//! TEMPORARY stand-in for `teamweb_identity::host` until it is on main.
#![allow(missing_docs, dead_code)]
use std::borrow::Cow;
use identity::{Error, IdentityKey};
pub use identity::Field;

pub fn field_from_utf8(field: Field, bytes: &[u8]) -> Result<&str, Error> {
    std::str::from_utf8(bytes).map_err(|_| identity::text_from_utf8(field, bytes).unwrap_err())
}
pub fn field_from_utf16(field: Field, units: &[u16]) -> Result<String, Error> {
    identity::text_from_utf16(field, units)
}
pub fn optional_field_from_utf8(field: Field, bytes: Option<&[u8]>) -> Result<Option<&str>, Error> {
    bytes.filter(|b| !b.is_empty()).map(|b| field_from_utf8(field, b)).transpose()
}
pub fn optional_field_from_utf16(field: Field, units: Option<&[u16]>) -> Result<Option<String>, Error> {
    units.filter(|b| !b.is_empty()).map(|b| field_from_utf16(field, b)).transpose()
}
pub fn key_from_utf8(secret: &[u8]) -> Result<IdentityKey, Error> {
    IdentityKey::from_base64(&String::from_utf8_lossy(secret))
}
pub fn key_from_utf16(secret: &[u16]) -> Result<IdentityKey, Error> {
    IdentityKey::from_base64(&String::from_utf16_lossy(secret))
}
pub fn token_from_utf8(token: &[u8]) -> Result<Cow<'_, str>, Error> {
    Ok(String::from_utf8_lossy(token))
}
pub fn token_from_utf16(token: &[u16]) -> Result<String, Error> {
    Ok(String::from_utf16_lossy(token))
}
pub fn script_tag_utf8(src: &[u8], assistant_id: &[u8], user_token: Option<&[u8]>) -> String {
    identity::widget_script_tag(&String::from_utf8_lossy(src), String::from_utf8_lossy(assistant_id), user_token.map(String::from_utf8_lossy).as_deref())
}
pub fn script_tag_utf16(src: &[u16], assistant_id: &[u16], user_token: Option<&[u16]>) -> String {
    identity::widget_script_tag(&String::from_utf16_lossy(src), String::from_utf16_lossy(assistant_id), user_token.map(String::from_utf16_lossy).as_deref())
}

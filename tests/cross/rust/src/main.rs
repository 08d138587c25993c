//! The Rust package's cross-language driver: JSON lines in, JSON lines out
//! (see tests/cross/PROTOCOL.md).
//!
//! Rust is a UTF-8 language: a `{"utf16": [...]}` value becomes its WTF-8
//! bytes (each lone surrogate as its 3-byte form `ED xx xx`) and goes to the
//! core's `host` functions over UTF-8, which own the rules for such text.
//! A `{"bigint": "<decimal>"}` value becomes a sign and little-endian `u64`
//! words, the form of `host::id_from_integer_words`.

use std::io::{self, BufRead, Write};

use aes_gcm::aead::{Aead, KeyInit};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Value};
use teamweb_identity::host::{self, Field};
use teamweb_identity::{testing, IdentityKey, IdentityKeyring, UserIdentity};

/// An answer's failure: a core error (code and message), or a protocol code
/// (`type_error`, `peer_failed`) without a message.
enum Failure {
    Core(teamweb_identity::Error),
    Code(&'static str),
}

impl From<teamweb_identity::Error> for Failure {
    fn from(e: teamweb_identity::Error) -> Self {
        Failure::Core(e)
    }
}

impl From<&'static str> for Failure {
    fn from(code: &'static str) -> Self {
        Failure::Code(code)
    }
}

type Answer<T = Value> = Result<T, Failure>;

/// UTF-16 code units as WTF-8: UTF-8, except that a lone surrogate is
/// written as the 3-byte sequence UTF-8 would use for its code point.
fn wtf8(units: &[u16]) -> Vec<u8> {
    let mut out = Vec::with_capacity(units.len() * 3);
    for unit in char::decode_utf16(units.iter().copied()) {
        match unit {
            Ok(c) => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            Err(lone) => {
                let u = lone.unpaired_surrogate();
                out.extend_from_slice(&[
                    0xE0 | (u >> 12) as u8,
                    0x80 | ((u >> 6) & 0x3F) as u8,
                    0x80 | (u & 0x3F) as u8,
                ]);
            }
        }
    }
    out
}

fn utf16_units(o: &serde_json::Map<String, Value>) -> Answer<Vec<u16>> {
    let units = o["utf16"].as_array().ok_or("type_error")?;
    units.iter().map(|u| u.as_u64().and_then(|u| u16::try_from(u).ok()).ok_or(Failure::Code("type_error"))).collect()
}

/// A decimal integer of any length as (negative, magnitude as little-endian u64 words).
fn integer_words(decimal: &str) -> Answer<(bool, Vec<u64>)> {
    let (negative, digits) = match decimal.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, decimal),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("type_error".into());
    }
    let mut words: Vec<u64> = vec![0];
    // 19 digits at a time: words = words * 10^n + chunk.
    for chunk in digits.as_bytes().chunks(19) {
        let scale = 10u64.pow(chunk.len() as u32);
        let mut carry = chunk.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
        for word in &mut words {
            let wide = u128::from(*word) * u128::from(scale) + u128::from(carry);
            *word = wide as u64;
            carry = (wide >> 64) as u64;
        }
        if carry != 0 {
            words.push(carry);
        }
    }
    Ok((negative, words))
}

/// A JSON integer or a `{"bigint": ...}` as (negative, words).
fn integer(v: &Value) -> Option<Answer<(bool, Vec<u64>)>> {
    match v {
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(integer_words(&n.to_string())),
        Value::Object(o) if o.contains_key("bigint") => Some(match o["bigint"].as_str() {
            Some(decimal) => integer_words(decimal),
            None => Err("type_error".into()),
        }),
        _ => None,
    }
}

/// An identity field: a string, `{"utf16": ...}` (through the core's strict
/// rule), or for `id` an integer.
fn field(v: &Value, f: Field) -> Answer<Option<String>> {
    if f == Field::Id {
        if let Some(words) = integer(v) {
            let (negative, words) = words?;
            return Ok(Some(host::id_from_integer_words(negative, &words)?.into_string()));
        }
    }
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        Value::Object(o) if o.contains_key("utf16") => Ok(Some(host::field_from_utf16(f, &utf16_units(o)?)?)),
        _ => Err("type_error".into()),
    }
}

fn identity(v: &Value) -> Answer<UserIdentity> {
    let id = field(&v["id"], Field::Id)?.ok_or("type_error")?;
    Ok(UserIdentity::from_parts(id, field(&v["name"], Field::Name)?, field(&v["email"], Field::Email)?))
}

fn identity_json(who: &UserIdentity) -> Value {
    json!({ "id": who.id(), "name": who.name(), "email": who.email() })
}

fn key(req: &Value) -> Answer<IdentityKey> {
    Ok(IdentityKey::from_base64(req["secret"].as_str().ok_or("type_error")?)?)
}

fn peer_key(req: &Value) -> Answer<aes_gcm::Aes256Gcm> {
    let raw = STANDARD.decode(req["secret"].as_str().ok_or("peer_failed")?).map_err(|_| "peer_failed")?;
    aes_gcm::Aes256Gcm::new_from_slice(&raw).map_err(|_| "peer_failed".into())
}

/// A script tag argument as the UTF-8 (WTF-8) bytes handed to
/// `host::script_tag_utf8`; an integer assistant id through the core.
fn tag_text(v: &Value, assistant_id: bool) -> Answer<Vec<u8>> {
    if assistant_id {
        if let Some(words) = integer(v) {
            let (negative, words) = words?;
            return Ok(host::assistant_id_from_integer_words(negative, &words)?.into_bytes());
        }
    }
    match v {
        Value::String(s) => Ok(s.clone().into_bytes()),
        Value::Object(o) if o.contains_key("utf16") => Ok(wtf8(&utf16_units(o)?)),
        _ => Err("type_error".into()),
    }
}

fn handle(req: &Value) -> Answer {
    let text = |k: &str| req[k].as_str().ok_or(Failure::Code("type_error"));
    match text("op")? {
        "encrypt_fixed" => {
            let hex = text("nonce")?;
            let nonce: Vec<u8> =
                (0..hex.len()).step_by(2).filter_map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect();
            let nonce: [u8; 12] = nonce.try_into().map_err(|_| "type_error")?;
            let who = identity(&req["identity"])?;
            Ok(testing::encrypt_with_nonce(&key(req)?, nonce, &who)?.into())
        }
        "encrypt" => {
            let who = identity(&req["identity"])?;
            Ok(key(req)?.encrypt(&who)?.into())
        }
        "decrypt" => Ok(identity_json(&key(req)?.decrypt(text("token")?)?)),
        "secret" => Ok(key(req)?.secret_base64().into()),
        "script_tag" => {
            let src = tag_text(&req["src"], false)?;
            let assistant_id = tag_text(&req["assistant_id"], true)?;
            let token = match &req["token"] {
                Value::Null => None,
                other => Some(tag_text(other, false)?),
            };
            Ok(host::script_tag_utf8(&src, &assistant_id, token.as_deref()).into())
        }
        "keyring_empty" => {
            IdentityKeyring::new(Vec::new())?;
            Ok(Value::Null)
        }
        "round_trip" => {
            let key = key(req)?;
            let who = identity(&req["identity"])?;
            let opened = key.decrypt(&key.encrypt(&who)?)?;
            Ok(json!({ "identity": identity_json(&opened), "equal": who == opened }))
        }
        "identity_equal" => Ok((identity(&req["a"])? == identity(&req["b"])?).into()),
        "peer_encrypt" => {
            // serde_json writes the same compact JSON as JSON.stringify.
            let who = identity(&req["identity"]).map_err(|_| "peer_failed")?;
            let mut doc = serde_json::Map::new();
            doc.insert("id".into(), who.id().into());
            if let Some(n) = who.name() {
                doc.insert("name".into(), n.into());
            }
            if let Some(e) = who.email() {
                doc.insert("email".into(), e.into());
            }
            let mut nonce = [0u8; 12];
            getrandom::fill(&mut nonce).map_err(|_| "peer_failed")?;
            let ct = peer_key(req)?
                .encrypt(&nonce.into(), Value::Object(doc).to_string().as_bytes())
                .map_err(|_| "peer_failed")?;
            Ok(STANDARD.encode([&nonce[..], &ct].concat()).into())
        }
        "peer_decrypt" => {
            let raw = STANDARD.decode(text("token")?.trim()).map_err(|_| "peer_failed")?;
            if raw.len() < 28 {
                return Err("peer_failed".into());
            }
            let plain = peer_key(req)?.decrypt(raw[..12].into(), &raw[12..]).map_err(|_| "peer_failed")?;
            let doc: Value = serde_json::from_slice(&plain).map_err(|_| "peer_failed")?;
            let opt = |k: &str| doc[k].as_str().filter(|s| !s.is_empty()).map(str::to_owned);
            let id = match &doc["id"] {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return Err("peer_failed".into()),
            };
            Ok(json!({ "id": id, "name": opt("name"), "email": opt("email") }))
        }
        _ => Err("type_error".into()),
    }
}

fn main() {
    let stdin = io::stdin();
    let mut out = io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let answer = match serde_json::from_str::<Value>(&line) {
            Ok(req) => handle(&req),
            Err(_) => Err("type_error".into()),
        };
        let reply = match answer {
            Ok(v) => json!({ "ok": v }),
            Err(Failure::Core(e)) => json!({ "error": e.code(), "message": e.message() }),
            Err(Failure::Code(code)) => json!({ "error": code }),
        };
        if writeln!(out, "{reply}").and_then(|_| out.flush()).is_err() {
            break;
        }
    }
}

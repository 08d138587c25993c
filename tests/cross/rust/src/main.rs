//! The Rust package's cross-language driver: JSON lines in, JSON lines out
//! (see tests/cross/PROTOCOL.md).

use std::io::{self, BufRead, Write};

use aes_gcm::aead::{Aead, KeyInit};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Value};
use teamweb_identity::host::{field_from_utf16 as text_from_utf16, Field};
use teamweb_identity::{testing, widget_script_tag, IdentityKey, UserIdentity};

type Answer = Result<Value, String>;

fn code(e: teamweb_identity::Error) -> String {
    e.code().to_owned()
}

fn field(v: &Value, f: Field) -> Result<Option<String>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        Value::Number(n) if f == Field::Id && n.is_i64() => Ok(Some(n.to_string())),
        Value::Object(o) if o.contains_key("utf16") => {
            let units: Vec<u16> = o["utf16"].as_array().ok_or("type_error")?.iter().map(|u| u.as_u64().unwrap_or(0) as u16).collect();
            text_from_utf16(f, &units).map(Some).map_err(code)
        }
        _ => Err("type_error".into()),
    }
}

fn identity(v: &Value) -> Result<UserIdentity, String> {
    let id = field(&v["id"], Field::Id)?.ok_or("type_error")?;
    Ok(UserIdentity::from_parts(id, field(&v["name"], Field::Name)?, field(&v["email"], Field::Email)?))
}

fn identity_json(who: &UserIdentity) -> Value {
    json!({ "id": who.id(), "name": who.name(), "email": who.email() })
}

fn key(req: &Value) -> Result<IdentityKey, String> {
    IdentityKey::from_base64(req["secret"].as_str().ok_or("type_error")?).map_err(code)
}

fn peer_key(req: &Value) -> Result<aes_gcm::Aes256Gcm, String> {
    let raw = STANDARD.decode(req["secret"].as_str().ok_or("peer_failed")?).map_err(|_| "peer_failed")?;
    aes_gcm::Aes256Gcm::new_from_slice(&raw).map_err(|_| "peer_failed".into())
}

fn handle(req: &Value) -> Answer {
    let text = |k: &str| req[k].as_str().ok_or_else(|| "type_error".to_owned());
    match text("op")? {
        "encrypt_fixed" => {
            let hex = text("nonce")?;
            let nonce: Vec<u8> = (0..hex.len()).step_by(2).filter_map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect();
            let nonce: [u8; 12] = nonce.try_into().map_err(|_| "type_error")?;
            let who = identity(&req["identity"])?;
            testing::encrypt_with_nonce(&key(req)?, nonce, &who).map(Value::from).map_err(code)
        }
        "encrypt" => {
            let who = identity(&req["identity"])?;
            key(req)?.encrypt(&who).map(Value::from).map_err(code)
        }
        "decrypt" => key(req)?.decrypt(text("token")?).map(|w| identity_json(&w)).map_err(code),
        "secret" => Ok(key(req)?.secret_base64().into()),
        "script_tag" => {
            let id = match &req["assistant_id"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Ok(widget_script_tag(text("src")?, id, req["token"].as_str()).into())
        }
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
            Err(e) => json!({ "error": e }),
        };
        if writeln!(out, "{reply}").and_then(|_| out.flush()).is_err() {
            break;
        }
    }
}

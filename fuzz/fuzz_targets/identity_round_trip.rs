//! Any identity the rules accept round-trips, and its plaintext is exactly
//! the JSON the format prescribes (docs/FORMAT.md, section 1), written here
//! independently of the core: keys in the order id, name, email, absent
//! fields left out, only `"` and `\` escaped (an accepted identity has no
//! control characters).
//!
//! The input is split at 0xff bytes (never in UTF-8) into the id, the name
//! and the email.
#![no_main]

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::Aes256Gcm;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use libfuzzer_sys::fuzz_target;
use teamweb_identity::{ErrorKind, IdentityKey, UserIdentity};

const KEY: [u8; 32] = [0x17; 32];

fn string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn expected_json(id: &str, name: &str, email: &str) -> String {
    let mut out = String::from("{\"id\":");
    string(&mut out, id);
    for (key, value) in [("name", name), ("email", email)] {
        if !value.is_empty() {
            out.push_str(&format!(",\"{key}\":"));
            string(&mut out, value);
        }
    }
    out.push('}');
    out
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == 0xff).map(std::str::from_utf8);
    let (Some(Ok(id)), name, email) = (parts.next(), parts.next(), parts.next()) else { return };
    let (Ok(name), Ok(email)) = (name.unwrap_or(Ok("")), email.unwrap_or(Ok(""))) else { return };
    let who = UserIdentity::from_fields(id, Some(name), Some(email));
    let key = IdentityKey::from_bytes(&KEY);
    match key.encrypt(&who) {
        Err(err) => {
            assert_eq!(err.kind(), ErrorKind::InvalidIdentity);
            assert!(who.validate().is_err());
        }
        Ok(token) => {
            let sealed = STANDARD.decode(&token).unwrap();
            let plaintext = Aes256Gcm::new(&KEY.into()).decrypt(sealed[..12].into(), &sealed[12..]).unwrap();
            let expected = expected_json(id, name, email);
            assert_eq!(String::from_utf8(plaintext).unwrap(), expected);
            assert_eq!(who.to_json(), expected);
            assert_eq!(key.decrypt(&token).unwrap(), who);
        }
    }
});

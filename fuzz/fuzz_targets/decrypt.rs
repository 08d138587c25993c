//! Opening anything never panics and answers with one of the five codes.
//!
//! The first byte chooses what the rest is:
//! - even: text given to `decrypt` (of a key and of a keyring) and to
//!   `from_base64`, which must refuse it with the right kind of error;
//! - odd: a plaintext, sealed with the key as a real token would be; opening
//!   it gives an identity or `invalid_payload`, and an identity it gives
//!   agrees with what `serde_json` reads from the same plaintext.
#![no_main]

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::Aes256Gcm;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use teamweb_identity::{ErrorKind, IdentityKey, IdentityKeyring};

const KEY: [u8; 32] = [0x5a; 32];
const NONCE: [u8; 12] = [7; 12];

fuzz_target!(|data: &[u8]| {
    let key = IdentityKey::from_bytes(&KEY);
    let Some((&choice, rest)) = data.split_first() else { return };
    if choice % 2 == 0 {
        let Ok(text) = std::str::from_utf8(rest) else { return };
        for result in [key.decrypt(text), IdentityKeyring::new([IdentityKey::generate(), key.clone()]).unwrap().decrypt(text)] {
            match result {
                Ok(who) => panic!("fuzzed text opened as a token: {who:?}"),
                Err(err) => {
                    assert!(ErrorKind::ALL.contains(&err.kind()));
                    assert!(matches!(err.kind(), ErrorKind::MalformedToken | ErrorKind::AuthenticationFailed), "{err:?}");
                }
            }
        }
        if let Err(err) = IdentityKey::from_base64(text) {
            assert_eq!(err.kind(), ErrorKind::InvalidSecret);
        }
        return;
    }
    let ciphertext = Aes256Gcm::new(&KEY.into()).encrypt(&NONCE.into(), rest).unwrap();
    let token = STANDARD.encode([&NONCE[..], &ciphertext].concat());
    match key.decrypt(&token) {
        Err(err) => assert_eq!(err.kind(), ErrorKind::InvalidPayload, "{err:?}"),
        Ok(who) => {
            // serde_json reads the same fields (when it reads the text at all:
            // it refuses numbers beyond f64 in ignored keys, which we ignore).
            if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(rest) {
                match &map["id"] {
                    Value::String(id) => assert_eq!(id, who.id()),
                    Value::Number(n) if n.is_i64() || n.is_u64() => assert_eq!(n.to_string(), who.id()),
                    Value::Number(_) => {}
                    other => panic!("accepted an id of {other}"),
                }
                for (field, got) in [("name", who.name()), ("email", who.email())] {
                    match map.get(field) {
                        Some(Value::String(s)) if !s.is_empty() => assert_eq!(Some(s.as_str()), got),
                        None | Some(Value::Null) | Some(Value::String(_)) => assert_eq!(got, None),
                        Some(other) => panic!("accepted a {field} of {other}"),
                    }
                }
            }
        }
    }
});

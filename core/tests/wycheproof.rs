//! Project Wycheproof's AES-GCM vectors (tests/vectors/wycheproof/, with
//! their license and provenance): every group with a 256-bit key, a 96-bit
//! nonce and a 128-bit tag, through the AES-256-GCM the core uses, and the
//! cases without associated data also through `IdentityKey::decrypt` (as a
//! token), which must refuse exactly the invalid ones as
//! `authentication_failed`.

use aes_gcm::aead::{AeadInOut, KeyInit, Nonce};
use aes_gcm::{Aes256Gcm, Tag};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::Value;
use teamweb_identity::{ErrorKind, IdentityKey};

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn aes_256_gcm_96_bit_nonce_128_bit_tag() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/wycheproof/wycheproof_aes_gcm_test.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).expect(path)).unwrap();
    let (mut valid, mut invalid, mut as_tokens) = (0, 0, 0);
    for group in doc["testGroups"].as_array().unwrap() {
        if group["keySize"] != 256 || group["ivSize"] != 96 || group["tagSize"] != 128 {
            continue;
        }
        for case in group["tests"].as_array().unwrap() {
            let field = |k: &str| hex(case[k].as_str().unwrap());
            let key: [u8; 32] = field("key").try_into().unwrap();
            let cipher = Aes256Gcm::new(&key.into());
            let (iv, aad, msg, ct, tag) = (field("iv"), field("aad"), field("msg"), field("ct"), field("tag"));
            let id = &case["tcId"];
            let nonce = &Nonce::<Aes256Gcm>::try_from(iv.as_slice()).unwrap();

            let mut sealed = msg.clone();
            let sealed_tag = cipher.encrypt_inout_detached(nonce, &aad, sealed.as_mut_slice().into()).unwrap();
            let mut opened = ct.clone();
            let opened = cipher
                .decrypt_inout_detached(nonce, &aad, opened.as_mut_slice().into(), &Tag::try_from(tag.as_slice()).unwrap())
                .map(|()| opened);
            let is_valid = match case["result"].as_str().unwrap() {
                "valid" => {
                    assert_eq!((&sealed, sealed_tag.as_slice()), (&ct, tag.as_slice()), "tcId {id}");
                    assert_eq!(opened.as_ref().ok(), Some(&msg), "tcId {id}");
                    valid += 1;
                    true
                }
                "invalid" => {
                    assert!(opened.is_err(), "tcId {id} must be refused");
                    invalid += 1;
                    false
                }
                other => panic!("tcId {id}: unexpected result {other}"),
            };

            if aad.is_empty() {
                let token = STANDARD.encode([iv, ct, tag].concat());
                let got = IdentityKey::from_bytes(&key).decrypt(&token).map_err(|e| e.kind());
                if is_valid {
                    // It opens; its plaintext is (almost always) no identity.
                    assert_ne!(got.err(), Some(ErrorKind::AuthenticationFailed), "tcId {id} as a token");
                } else {
                    assert_eq!(got.err(), Some(ErrorKind::AuthenticationFailed), "tcId {id} as a token");
                }
                as_tokens += 1;
            }
        }
    }
    assert!(valid >= 30 && invalid >= 10, "only {valid} valid and {invalid} invalid cases ran");
    assert!(as_tokens >= 20, "only {as_tokens} cases ran as tokens");
    eprintln!("wycheproof: {valid} valid and {invalid} invalid AES-256-GCM cases, {as_tokens} of them as tokens");
}

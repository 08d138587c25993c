//! Runs every conformance vector of `tests/vectors/vectors.json`.

use serde_json::Value;
use teamweb_identity::host::{field_from_utf16 as text_from_utf16, Field};
use teamweb_identity::{testing, IdentityKey, IdentityKeyring, UserIdentity};

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/vectors.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect(path)).unwrap()
}

fn section<'a>(doc: &'a Value, name: &str) -> &'a [Value] {
    let cases = doc[name].as_array().unwrap_or_else(|| panic!("no section {name}"));
    assert!(!cases.is_empty(), "section {name} is empty");
    cases
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        v if v.get("utf16").is_some() => {
            panic!("utf16 values are converted by the caller: {v}")
        }
        other => panic!("unexpected field value {other}"),
    }
}

/// Builds the identity like a binding does; `Err` where a field is a lone
/// surrogate (the UTF-16 path) and already refused.
fn identity(v: &Value) -> Result<UserIdentity, teamweb_identity::Error> {
    let field = |name: &str, f: Field| -> Result<Option<String>, teamweb_identity::Error> {
        match &v[name] {
            u if u.get("utf16").is_some() => {
                let units: Vec<u16> =
                    u["utf16"].as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as u16).collect();
                text_from_utf16(f, &units).map(Some)
            }
            other => Ok(text(other)),
        }
    };
    let id = match &v["id"] {
        Value::Number(n) => n.as_i64().map(|i| i.to_string()).unwrap(),
        _ => field("id", Field::Id)?.unwrap_or_default(),
    };
    Ok(UserIdentity::from_parts(id, field("name", Field::Name)?, field("email", Field::Email)?))
}

fn expected(v: &Value) -> UserIdentity {
    UserIdentity::from_parts(text(&v["id"]).unwrap(), text(&v["name"]), text(&v["email"]))
}

fn hex12(s: &str) -> [u8; 12] {
    let v: Vec<u8> = (0..24).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect();
    v.try_into().unwrap()
}

#[test]
fn valid_identities_make_identical_tokens() {
    let doc = vectors();
    let cases = section(&doc, "valid");
    assert!(cases.len() >= 40);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let key = IdentityKey::from_base64(case["secret"].as_str().unwrap()).unwrap();
        let who = identity(&case["identity"]).unwrap();
        let token = testing::encrypt_with_nonce(&key, hex12(case["nonce"].as_str().unwrap()), &who)
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(token, case["token"].as_str().unwrap(), "{name}");
        assert_eq!(key.decrypt(&token).unwrap(), expected(&case["decrypted"]), "{name}");
        // And with a random nonce it still opens to the same identity.
        assert_eq!(key.decrypt(&key.encrypt(&who).unwrap()).unwrap(), expected(&case["decrypted"]), "{name}");
    }
}

#[test]
fn invalid_identities_are_refused() {
    let doc = vectors();
    let key = IdentityKey::generate();
    for case in section(&doc, "invalid_identities") {
        let name = case["name"].as_str().unwrap();
        let err = identity(&case["identity"]).and_then(|who| key.encrypt(&who)).unwrap_err();
        assert_eq!(err.code(), case["code"].as_str().unwrap(), "{name}: {err}");
    }
}

#[test]
fn invalid_secrets_are_refused_without_echo() {
    let doc = vectors();
    for case in section(&doc, "invalid_secrets") {
        let (name, secret) = (case["name"].as_str().unwrap(), case["secret"].as_str().unwrap());
        let err = IdentityKey::from_base64(secret).unwrap_err();
        assert_eq!(err.code(), case["code"].as_str().unwrap(), "{name}");
        let trimmed = secret.trim();
        if trimmed.len() >= 4 {
            assert!(!err.to_string().contains(trimmed), "{name}: message echoes the secret");
        }
    }
}

#[test]
fn secret_spellings_are_the_same_key() {
    let doc = vectors();
    for case in section(&doc, "secret_spellings") {
        let name = case["name"].as_str().unwrap();
        let key = IdentityKey::from_base64(case["secret"].as_str().unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(key.secret_base64(), case["secret_base64"].as_str().unwrap(), "{name}");
    }
}

#[test]
fn invalid_tokens_are_refused() {
    let doc = vectors();
    for case in section(&doc, "invalid_tokens") {
        let name = case["name"].as_str().unwrap();
        let key = IdentityKey::from_base64(case["secret"].as_str().unwrap()).unwrap();
        let err = key.decrypt(case["token"].as_str().unwrap()).unwrap_err();
        assert_eq!(err.code(), case["code"].as_str().unwrap(), "{name}: {err}");
        // The borrowed-fields entry refuses with the same error, and never
        // calls its visitor.
        let lent = key.decrypt_fields_with(case["token"].as_str().unwrap(), |_| panic!("{name}: visited")).unwrap_err();
        assert_eq!(lent, err, "{name}");
        let ring = IdentityKeyring::new([IdentityKey::generate(), key.clone()]).unwrap();
        let ring_err = ring.decrypt_fields_with(case["token"].as_str().unwrap(), |_| panic!("{name}: visited")).unwrap_err();
        assert_eq!(ring_err, ring.decrypt(case["token"].as_str().unwrap()).unwrap_err(), "{name}");
    }
}

#[test]
fn foreign_tokens_open() {
    let doc = vectors();
    for case in section(&doc, "foreign_tokens") {
        let name = case["name"].as_str().unwrap();
        let key = IdentityKey::from_base64(case["secret"].as_str().unwrap()).unwrap();
        let got = key.decrypt(case["token"].as_str().unwrap()).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(got, expected(&case["decrypted"]), "{name}");
        // The borrowed-fields entry gives the same fields, with a key and
        // with a keyring whose other key fails first.
        let lent = key.decrypt_fields_with(case["token"].as_str().unwrap(), |f| UserIdentity::from(f)).unwrap();
        assert_eq!(lent, got, "{name}");
        let ring = IdentityKeyring::new([IdentityKey::generate(), key.clone()]).unwrap();
        assert_eq!(ring.decrypt_fields_with(case["token"].as_str().unwrap(), |f| UserIdentity::from(f)).unwrap(), got, "{name}");
    }
}

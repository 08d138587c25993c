//! Behaviour of the public API beyond the conformance vectors.

use teamweb_identity::{
    decrypt_user_token, encrypt_user_token, widget_script_tag, Error, ErrorKind, IdentityKey, IdentityKeyring,
    UserIdentity,
};

const SECRET: &str = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";

#[test]
fn keys_never_show_their_bytes() {
    let key = IdentityKey::from_base64(SECRET).unwrap();
    let shown = format!("{key:?} {:?}", IdentityKeyring::new([key.clone()]).unwrap());
    assert!(!shown.contains(&SECRET[..10]), "{shown}");
    assert_eq!(format!("{key:?}"), "IdentityKey(<redacted>)");
    assert_eq!(key.secret_base64(), SECRET);
}

#[test]
fn secret_messages_say_what_is_wrong() {
    let msg = |s: &str| IdentityKey::from_base64(s).unwrap_err().to_string();
    assert!(msg("").contains("empty"));
    assert!(msg(&"ab".repeat(32)).contains("looks like hex"));
    assert!(msg("c2VjcmV0").contains("decodes to 6 bytes"));
    assert!(msg("not*base64").contains("not base64"));
    let long_bad = "Zm9v".repeat(20) + "!";
    assert!(!msg(&long_bad).contains("Zm9vZm9v"));
}

#[test]
fn one_shots_agree_with_keys() {
    let who = UserIdentity::new(7_u64).with_name("Seven");
    let token = encrypt_user_token(SECRET, &who).unwrap();
    assert_eq!(decrypt_user_token(SECRET, &token).unwrap(), who);
    assert_eq!(IdentityKey::from_base64(SECRET).unwrap().decrypt(&token).unwrap().id(), "7");
    assert_eq!(encrypt_user_token("bad", &who).unwrap_err().kind(), ErrorKind::InvalidSecret);
}

#[test]
fn tokens_are_fresh_each_time() {
    let key = IdentityKey::generate();
    let who = UserIdentity::new("u");
    assert_ne!(key.encrypt(&who).unwrap(), key.encrypt(&who).unwrap());
    assert_ne!(IdentityKey::generate().secret_base64(), key.secret_base64());
}

#[test]
fn keyring_rotation() {
    let (old, new, other) = (IdentityKey::generate(), IdentityKey::generate(), IdentityKey::generate());
    let ring = IdentityKeyring::new([new.clone(), old.clone()]).unwrap();
    let who = UserIdentity::new("u1");
    assert_eq!(ring.decrypt(&old.encrypt(&who).unwrap()).unwrap(), who);
    assert_eq!(ring.decrypt(&new.encrypt(&who).unwrap()).unwrap(), who);
    assert_eq!(new.decrypt(&ring.encrypt(&who).unwrap()).unwrap(), who);
    assert_eq!(ring.decrypt(&other.encrypt(&who).unwrap()).unwrap_err(), Error::AuthenticationFailed);
    assert_eq!(ring.decrypt("@@").unwrap_err().kind(), ErrorKind::MalformedToken);
    assert_eq!(IdentityKeyring::new([]).unwrap_err().kind(), ErrorKind::InvalidSecret);
    assert_eq!(ring.keys().len(), 2);
}

#[test]
fn keyring_stops_at_errors_other_than_authentication() {
    use aes_gcm::aead::{Aead, KeyInit};
    use base64::Engine as _;
    // A token the second key opens to a non-identity payload: the keyring
    // must report invalid_payload, not authentication_failed.
    let second = IdentityKey::from_bytes(&[9; 32]);
    let ct = aes_gcm::Aes256Gcm::new(&[9u8; 32].into()).encrypt(&[3u8; 12].into(), &b"[]"[..]).unwrap();
    let token = base64::engine::general_purpose::STANDARD.encode([&[3u8; 12][..], &ct].concat());
    let ring = IdentityKeyring::new([IdentityKey::generate(), second]).unwrap();
    assert_eq!(ring.decrypt(&token).unwrap_err().kind(), ErrorKind::InvalidPayload);
}

#[test]
fn authentication_failure_says_nothing_more() {
    let key = IdentityKey::generate();
    let token = IdentityKey::generate().encrypt(&UserIdentity::new("u")).unwrap();
    let err = key.decrypt(&token).unwrap_err();
    assert_eq!(err.code(), "authentication_failed");
    assert!(!err.to_string().contains(&token[..16]));
}

#[test]
fn script_tag_escapes_everything() {
    assert_eq!(
        widget_script_tag("https://x/w.js?a=1&b=<2>", "'\"&", Some("a+b/c=")),
        "<script src=\"https://x/w.js?a=1&amp;b=&lt;2&gt;\" data-assistant-id=\"&#x27;&quot;&amp;\" \
         data-user-token=\"a+b/c=\"></script>"
    );
    assert_eq!(widget_script_tag("/w.js", 9_u64, None), "<script src=\"/w.js\" data-assistant-id=\"9\"></script>");
}

#[test]
fn keys_are_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<IdentityKey>();
    assert_send_sync::<IdentityKeyring>();
    let key = std::sync::Arc::new(IdentityKey::generate());
    let tokens: Vec<String> = (0..4)
        .map(|i| {
            let key = key.clone();
            std::thread::spawn(move || key.encrypt(&UserIdentity::new(i)).unwrap())
        })
        .map(|h| h.join().unwrap())
        .collect();
    for (i, t) in tokens.iter().enumerate() {
        assert_eq!(key.decrypt(t).unwrap().id(), i.to_string());
    }
}

#[test]
fn overlong_tokens_are_refused_before_decoding() {
    let key = IdentityKey::generate();
    let long = "A".repeat(8193);
    assert_eq!(key.decrypt(&long).unwrap_err().kind(), ErrorKind::MalformedToken);
    assert!(key.decrypt(&long).unwrap_err().to_string().contains("8192"));
    // Multibyte junk longer than the cap in bytes but not in characters is
    // still refused, as not base64.
    assert_eq!(key.decrypt(&"é".repeat(5000)).unwrap_err().kind(), ErrorKind::MalformedToken);
}

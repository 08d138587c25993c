//! Property tests: accepted identities round-trip; decrypt never panics and
//! always answers with one of the five codes.

use proptest::prelude::*;
use teamweb_identity::{widget_script_tag, ErrorKind, IdentityKey, UserIdentity};

fn key() -> IdentityKey {
    IdentityKey::from_bytes(&[0x5a; 32])
}

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 _.-]{0,40}",
        "\\PC{0,30}",
        any::<String>(),
        prop::collection::vec(any::<char>(), 0..80).prop_map(|cs| cs.into_iter().collect()),
    ]
}

/// The script tag's escaping, one character at a time: what the tag must
/// equal for any text.
fn escaped(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '"' => "&quot;".to_owned(),
            '\'' => "&#x27;".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

fn tag_text() -> impl Strategy<Value = String> {
    prop_oneof![field(), "[&<>\"'a\u{e9}\u{1F600}]{0,60}"]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn script_tags_escape_every_character(src in tag_text(), id in tag_text(), token in tag_text()) {
        prop_assert_eq!(
            widget_script_tag(&src, &id, Some(&token)),
            format!("<script src=\"{}\" data-assistant-id=\"{}\" data-user-token=\"{}\"></script>", escaped(&src), escaped(&id), escaped(&token))
        );
    }

    #[test]
    fn accepted_identities_round_trip(id in field(), name in field(), email in field(), int_id in any::<i64>(), use_int in any::<bool>()) {
        let who = if use_int { UserIdentity::new(int_id) } else { UserIdentity::new(id) }
            .with_name(name)
            .with_email(email);
        let key = key();
        match key.encrypt(&who) {
            Ok(token) => prop_assert_eq!(key.decrypt(&token).unwrap(), who),
            Err(e) => {
                prop_assert_eq!(e.kind(), ErrorKind::InvalidIdentity);
                prop_assert!(who.validate().is_err());
            }
        }
    }

    #[test]
    fn emails_that_pass_round_trip(local in "[a-z0-9.+]{1,20}", domain in "[a-z0-9.-]{1,20}") {
        let who = UserIdentity::new("u").with_email(format!("{local}@{domain}"));
        prop_assert_eq!(key().decrypt(&key().encrypt(&who).unwrap()).unwrap(), who);
    }

    #[test]
    fn decrypt_of_any_text_never_panics(token in any::<String>()) {
        let err = key().decrypt(&token).unwrap_err();
        prop_assert!(ErrorKind::ALL.contains(&err.kind()));
    }

    #[test]
    fn decrypt_of_any_base64_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        use base64::Engine as _;
        let token = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let err = key().decrypt(&token).unwrap_err();
        let expected = if bytes.len() < 28 { ErrorKind::MalformedToken } else { ErrorKind::AuthenticationFailed };
        prop_assert_eq!(err.kind(), expected);
    }

    #[test]
    fn any_sealed_plaintext_never_panics(plaintext in prop_oneof![
        any::<Vec<u8>>(),
        "\\{\"id\":[\"0-9a-z\\[\\]{}:,\\\\u ]{0,40}\\}".prop_map(String::into_bytes),
    ]) {
        use aes_gcm::aead::{Aead, KeyInit};
        use base64::Engine as _;
        let cipher = aes_gcm::Aes256Gcm::new(&[0x5a; 32].into());
        let ct = cipher.encrypt(&[1u8; 12].into(), plaintext.as_slice()).unwrap();
        let token = base64::engine::general_purpose::STANDARD.encode([&[1u8; 12][..], &ct].concat());
        if let Err(err) = key().decrypt(&token) {
            prop_assert_eq!(err.kind(), ErrorKind::InvalidPayload);
        }
    }
}

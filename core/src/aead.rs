//! The byte-level AES-256-GCM seal and open (96-bit nonce, 128-bit tag).

use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce, Tag};

pub(crate) const NONCE_LEN: usize = 12;
pub(crate) const TAG_LEN: usize = 16;

/// An expanded AES-256-GCM key. The round keys and the GHASH key are
/// zeroized when it is dropped (the `zeroize` features of `aes` and `ghash`).
#[derive(Clone)]
pub(crate) struct Cipher(Aes256Gcm);

impl Cipher {
    pub(crate) fn new(key: &[u8; 32]) -> Self {
        Cipher(Aes256Gcm::new(key.into()))
    }

    /// Encrypts `buf[NONCE_LEN..]` in place with the nonce in `buf[..NONCE_LEN]`
    /// and appends the tag: `buf` becomes `nonce || ciphertext || tag`.
    pub(crate) fn seal_in_place(&self, buf: &mut Vec<u8>, aad: &[u8]) {
        let (nonce, plaintext) = buf.split_at_mut(NONCE_LEN);
        let tag = self
            .0
            .encrypt_in_place_detached(Nonce::from_slice(nonce), aad, plaintext)
            // Only for plaintexts over 64 GiB, which nothing here makes.
            .expect("AES-GCM plaintext too long");
        buf.extend_from_slice(&tag);
    }

    /// Opens `nonce || ciphertext || tag` in place; on success returns the
    /// plaintext slice. `None` for any authentication failure.
    pub(crate) fn open_in_place<'b>(&self, buf: &'b mut [u8], aad: &[u8]) -> Option<&'b mut [u8]> {
        if buf.len() < NONCE_LEN + TAG_LEN {
            return None;
        }
        let (nonce, rest) = buf.split_at_mut(NONCE_LEN);
        let (ciphertext, tag) = rest.split_at_mut(rest.len() - TAG_LEN);
        self.0
            .decrypt_in_place_detached(Nonce::from_slice(nonce), aad, ciphertext, Tag::from_slice(tag))
            .ok()?;
        Some(ciphertext)
    }
}

#[cfg(test)]
mod zeroize_on_drop {
    /// Fails to compile if the `zeroize` features of the AES crates are off.
    #[test]
    fn key_material_is_zeroized_on_drop() {
        fn zeroized_on_drop<T: zeroize::ZeroizeOnDrop>() {}
        zeroized_on_drop::<aes::Aes256>();
        zeroized_on_drop::<zeroize::Zeroizing<[u8; 32]>>();
    }
}

#[cfg(test)]
mod wycheproof {
    //! Wycheproof's AES-GCM vectors, from `shared/vectors/`: every group with
    //! a 256-bit key, a 96-bit nonce and a 128-bit tag.
    use super::*;
    use serde_json::Value;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    #[test]
    fn aes_256_gcm_96_bit_nonce_128_bit_tag() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vectors/wycheproof_aes_gcm_test.json");
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).expect(path)).unwrap();
        let (mut valid, mut invalid) = (0, 0);
        for group in doc["testGroups"].as_array().unwrap() {
            if group["keySize"] != 256 || group["ivSize"] != 96 || group["tagSize"] != 128 {
                continue;
            }
            for case in group["tests"].as_array().unwrap() {
                let field = |k: &str| hex(case[k].as_str().unwrap());
                let key: [u8; 32] = field("key").try_into().unwrap();
                let cipher = Cipher::new(&key);
                let (iv, aad, msg, ct, tag) = (field("iv"), field("aad"), field("msg"), field("ct"), field("tag"));
                let id = &case["tcId"];
                let mut sealed = [iv.clone(), msg.clone()].concat();
                cipher.seal_in_place(&mut sealed, &aad);
                let mut given = [iv, ct.clone(), tag.clone()].concat();
                let opened = cipher.open_in_place(&mut given, &aad).map(|p| p.to_vec());
                match case["result"].as_str().unwrap() {
                    "valid" => {
                        assert_eq!(&sealed[NONCE_LEN..], [ct, tag].concat().as_slice(), "tcId {id}");
                        assert_eq!(opened.as_deref(), Some(msg.as_slice()), "tcId {id}");
                        valid += 1;
                    }
                    "invalid" => {
                        assert_eq!(opened, None, "tcId {id} must be refused");
                        invalid += 1;
                    }
                    other => panic!("tcId {id}: unexpected result {other}"),
                }
            }
        }
        assert!(valid >= 30 && invalid >= 10, "only {valid} valid and {invalid} invalid cases ran");
        eprintln!("wycheproof: {valid} valid and {invalid} invalid AES-256-GCM cases");
    }
}

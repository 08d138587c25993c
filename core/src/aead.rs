//! The byte-level AES-256-GCM seal and open (96-bit nonce, 128-bit tag),
//! on `ring`'s constant-time, hardware-accelerated implementation.

use std::mem::MaybeUninit;

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};

pub(crate) const NONCE_LEN: usize = 12;
pub(crate) const TAG_LEN: usize = 16;

/// An expanded AES-256-GCM key (round keys and GHASH key), zeroized when
/// dropped.
///
/// `ring` does not wipe its keys, so the key lives in a `MaybeUninit`, whose
/// bytes may be overwritten without breaking any of the type's invariants,
/// and `Drop` zeroizes them (volatile writes that are not optimised away).
pub(crate) struct Cipher(MaybeUninit<LessSafeKey>);

impl Cipher {
    pub(crate) fn new(key: &[u8; 32]) -> Self {
        // Only fails for a key of the wrong length, which the type rules out.
        let key = UnboundKey::new(&AES_256_GCM, key).expect("AES-256 key is 32 bytes");
        Cipher(MaybeUninit::new(LessSafeKey::new(key)))
    }

    fn key(&self) -> &LessSafeKey {
        // SAFETY: initialised in `new`, and only wiped in `drop`.
        unsafe { self.0.assume_init_ref() }
    }

    /// Encrypts `buf[NONCE_LEN..]` in place with the nonce in `buf[..NONCE_LEN]`
    /// and appends the tag: `buf` becomes `nonce || ciphertext || tag`.
    pub(crate) fn seal_in_place(&self, buf: &mut Vec<u8>, aad: &[u8]) {
        let (nonce, plaintext) = buf.split_at_mut(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).expect("nonce is 12 bytes");
        let tag = self
            .key()
            .seal_in_place_separate_tag(nonce, Aad::from(aad), plaintext)
            // Only for plaintexts over 64 GiB, which nothing here makes.
            .expect("AES-GCM plaintext too long");
        buf.extend_from_slice(tag.as_ref());
    }

    /// Opens `nonce || ciphertext || tag` in place; on success returns the
    /// plaintext slice. `None` for any authentication failure.
    pub(crate) fn open_in_place<'b>(&self, buf: &'b mut [u8], aad: &[u8]) -> Option<&'b mut [u8]> {
        if buf.len() < NONCE_LEN + TAG_LEN {
            return None;
        }
        let (nonce, sealed) = buf.split_at_mut(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        self.key().open_in_place(nonce, Aad::from(aad), sealed).ok().map(|p| &mut *p)
    }

    fn wipe(&mut self) {
        // SAFETY: `MaybeUninit<LessSafeKey>` is plain memory: every byte
        // pattern is a valid value of it, and it is never read as a key again.
        unsafe { zeroize::zeroize_flat_type(&mut self.0 as *mut MaybeUninit<LessSafeKey>) }
    }
}

impl Clone for Cipher {
    fn clone(&self) -> Self {
        Cipher(MaybeUninit::new(self.key().clone()))
    }
}

impl Drop for Cipher {
    fn drop(&mut self) {
        self.wipe();
    }
}

#[cfg(test)]
mod zeroize_on_drop {
    use super::*;

    #[test]
    fn wiping_leaves_only_zeros() {
        let mut cipher = Cipher::new(&[0xa5; 32]);
        let bytes = |c: &Cipher| {
            // SAFETY: reads the key's bytes as plain memory.
            unsafe { std::slice::from_raw_parts(c.0.as_ptr() as *const u8, std::mem::size_of::<LessSafeKey>()) }.to_vec()
        };
        assert!(bytes(&cipher).iter().any(|&b| b != 0));
        cipher.wipe();
        assert!(bytes(&cipher).iter().all(|&b| b == 0));
        // `drop` wipes again; forget instead so nothing reads the wiped key.
        std::mem::forget(cipher);
    }

    #[test]
    fn raw_key_bytes_are_zeroized_on_drop() {
        fn zeroized_on_drop<T: zeroize::ZeroizeOnDrop>() {}
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

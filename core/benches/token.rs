//! `make bench`: encrypt and decrypt with a prepared key, each against its
//! floor measured in the same run, with the same crates the core uses
//! (`aes-gcm` and `base64`):
//! - encrypt floor: AES-256-GCM seal of the same plaintext bytes + base64 of
//!   `nonce || ciphertext || tag`;
//! - decrypt floor: base64 decode of the same token + AES-256-GCM open.
//!
//! Prints the ratios (ours / floor) at the end; the targets are <= 1.6.

use std::hint::black_box;
use std::time::Duration;

use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce, Tag};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use criterion::Criterion;
use teamweb_identity::{testing, IdentityKey, UserIdentity};

const SECRET: [u8; 32] = [0x42; 32];

fn identity() -> UserIdentity {
    UserIdentity::new("user_123").with_name("Alice Example").with_email("alice@example.com")
}

fn benches(c: &mut Criterion) {
    let key = IdentityKey::from_bytes(&SECRET);
    let identity = identity();
    let floor = Aes256Gcm::new(&SECRET.into());
    let nonce = [7u8; 12];
    let token = testing::encrypt_with_nonce(&key, nonce, &identity).unwrap();
    let plaintext = br#"{"id":"user_123","name":"Alice Example","email":"alice@example.com"}"#.to_vec();

    let mut g = c.benchmark_group("encrypt");
    g.bench_function("teamweb_identity", |b| b.iter(|| key.encrypt(black_box(&identity)).unwrap()));
    g.bench_function("floor", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(12 + plaintext.len() + 16);
            out.extend_from_slice(&nonce);
            out.extend_from_slice(black_box(&plaintext));
            let tag = floor.encrypt_in_place_detached(Nonce::from_slice(&nonce), b"", &mut out[12..]).unwrap();
            out.extend_from_slice(&tag);
            STANDARD.encode(out)
        })
    });
    g.finish();

    let mut g = c.benchmark_group("decrypt");
    g.bench_function("teamweb_identity", |b| b.iter(|| key.decrypt(black_box(&token)).unwrap()));
    g.bench_function("floor", |b| {
        b.iter(|| {
            let mut raw = STANDARD.decode(black_box(token.as_bytes())).unwrap();
            let (n, sealed) = raw.split_at_mut(12);
            let (ciphertext, tag) = sealed.split_at_mut(sealed.len() - 16);
            floor.decrypt_in_place_detached(Nonce::from_slice(n), b"", ciphertext, Tag::from_slice(tag)).unwrap();
            black_box(ciphertext.len());
        })
    });
    g.finish();
}

fn mean_ns(dir: &std::path::Path, group: &str, name: &str) -> Option<f64> {
    let path = dir.join(group).join(name).join("new/estimates.json");
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    doc["mean"]["point_estimate"].as_f64()
}

fn main() {
    let mut c = Criterion::default()
        .configure_from_args()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    benches(&mut c);
    c.final_summary();

    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let dir = target.join("criterion");
    println!("\n{:<10} {:>14} {:>12} {:>8} {:>8}", "rust", "ns/op", "floor ns/op", "ratio", "target");
    let mut rows = Vec::new();
    for (group, floor_name) in [("encrypt", "seal + base64"), ("decrypt", "base64 + open")] {
        if let (Some(ours), Some(floor)) = (mean_ns(&dir, group, "teamweb_identity"), mean_ns(&dir, group, "floor")) {
            let ratio = ours / floor;
            println!("{group:<10} {ours:>14.1} {floor:>12.1} {ratio:>7.2}x {:>8}", "<=1.60x");
            rows.push(serde_json::json!({
                "package": "rust",
                "metric": format!("{group} vs floor ({floor_name})"),
                "value": format!("{ratio:.2}x the floor ({ours:.0} ns vs {floor:.0} ns)"),
                "target": "<= 1.6x the floor",
                "ok": ratio <= 1.6,
            }));
        }
    }
    let out = target.join("bench");
    std::fs::create_dir_all(&out).expect("create target/bench");
    std::fs::write(out.join("rust.json"), serde_json::to_string_pretty(&rows).unwrap()).expect("write rust.json");
}

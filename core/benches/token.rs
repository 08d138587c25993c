//! `make bench`: encrypt and decrypt with a prepared key, each against its
//! floor measured in the same run, with the same crates the core uses
//! (`aes-gcm` and `base64`):
//! - encrypt floor: 12 bytes from the OS CSPRNG (`getrandom`, as the core
//!   takes every nonce) + AES-256-GCM seal of the same plaintext bytes +
//!   base64 of `nonce || ciphertext || tag`;
//! - decrypt floor: base64 decode of the same token + AES-256-GCM open.
//!
//! Prints the ratios (ours / floor) at the end; the targets are <= 1.6. The
//! ratios come from alternating short rounds of both (medians), so that
//! both sides of a ratio see the same load; criterion's own figures, taken
//! one side after the other, are printed beside them.

use std::hint::black_box;
use std::time::{Duration, Instant};

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::Aes256Gcm;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use criterion::Criterion;
use teamweb_identity::{testing, IdentityKey, UserIdentity};

const SECRET: [u8; 32] = [0x42; 32];

fn identity() -> UserIdentity {
    UserIdentity::new("user_123").with_name("Alice Example").with_email("alice@example.com")
}

/// What is timed: a prepared key and its floor, the same identity and token.
struct Setup {
    key: IdentityKey,
    identity: UserIdentity,
    floor: Aes256Gcm,
    token: String,
    plaintext: Vec<u8>,
}

impl Setup {
    fn new() -> Self {
        let key = IdentityKey::from_bytes(&SECRET);
        let identity = identity();
        let token = testing::encrypt_with_nonce(&key, [7u8; 12], &identity).unwrap();
        let plaintext = br#"{"id":"user_123","name":"Alice Example","email":"alice@example.com"}"#.to_vec();
        Setup { key, identity, floor: Aes256Gcm::new(&SECRET.into()), token, plaintext }
    }

    fn encrypt(&self) -> String {
        self.key.encrypt(black_box(&self.identity)).unwrap()
    }

    fn encrypt_floor(&self) -> String {
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).unwrap();
        let mut out = Vec::with_capacity(12 + self.plaintext.len() + 16);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(black_box(&self.plaintext));
        let tag = self.floor.encrypt_inout_detached((&nonce).into(), b"", (&mut out[12..]).into()).unwrap();
        out.extend_from_slice(&tag);
        STANDARD.encode(out)
    }

    fn decrypt(&self) -> UserIdentity {
        self.key.decrypt(black_box(&self.token)).unwrap()
    }

    fn decrypt_floor(&self) -> usize {
        let mut raw = STANDARD.decode(black_box(self.token.as_bytes())).unwrap();
        let (n, sealed) = raw.split_first_chunk_mut::<12>().unwrap();
        let (ciphertext, tag) = sealed.split_last_chunk_mut::<16>().unwrap();
        self.floor.decrypt_inout_detached((&*n).into(), b"", ciphertext.into(), (&*tag).into()).unwrap();
        ciphertext.len()
    }
}

fn benches(c: &mut Criterion, s: &Setup) {
    let mut g = c.benchmark_group("encrypt");
    g.bench_function("teamweb_identity", |b| b.iter(|| s.encrypt()));
    g.bench_function("floor", |b| b.iter(|| s.encrypt_floor()));
    g.finish();

    let mut g = c.benchmark_group("decrypt");
    g.bench_function("teamweb_identity", |b| b.iter(|| s.decrypt()));
    g.bench_function("floor", |b| b.iter(|| s.decrypt_floor()));
    g.finish();
}

/// Median ns per call of `ours` and of `floor`, timed in alternating short
/// rounds, so that both see the same load on a shared machine (criterion
/// times one after the other, seconds apart).
fn interleaved<A, B>(ours: impl Fn() -> A, floor: impl Fn() -> B) -> (f64, f64) {
    const ROUNDS: usize = 61;
    const CALLS: u32 = 5_000;
    fn per_call<T>(f: &impl Fn() -> T) -> f64 {
        let start = Instant::now();
        for _ in 0..CALLS {
            black_box(f());
        }
        start.elapsed().as_nanos() as f64 / f64::from(CALLS)
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        a.push(per_call(&ours));
        b.push(per_call(&floor));
    }
    (median(a), median(b))
}

fn mean_ns(dir: &std::path::Path, group: &str, name: &str) -> Option<f64> {
    let path = dir.join(group).join(name).join("new/estimates.json");
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    doc["mean"]["point_estimate"].as_f64()
}

fn main() {
    let setup = Setup::new();
    let mut c = Criterion::default()
        .configure_from_args()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    benches(&mut c, &setup);
    c.final_summary();

    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let dir = target.join("criterion");
    println!("\nratios: median ns/call of 61 interleaved rounds of 5000 calls (criterion's means above, for reference)");
    println!("{:<10} {:>14} {:>12} {:>8} {:>8} {:>16}", "rust", "ns/op", "floor ns/op", "ratio", "target", "criterion ratio");
    let mut rows = Vec::new();
    let measured = [
        ("encrypt", "OS random + seal + base64", interleaved(|| setup.encrypt(), || setup.encrypt_floor())),
        ("decrypt", "base64 + open", interleaved(|| setup.decrypt(), || setup.decrypt_floor())),
    ];
    for (group, floor_name, (ours, floor)) in measured {
        let ratio = ours / floor;
        let criterion = match (mean_ns(&dir, group, "teamweb_identity"), mean_ns(&dir, group, "floor")) {
            (Some(a), Some(b)) => format!("{:.2}x", a / b),
            _ => "-".to_owned(),
        };
        println!("{group:<10} {ours:>14.1} {floor:>12.1} {ratio:>7.2}x {:>8} {criterion:>16}", "<=1.60x");
        rows.push(serde_json::json!({
            "package": "rust",
            "metric": format!("{group} vs floor ({floor_name})"),
            "value": format!("{ratio:.2}x the floor ({ours:.0} ns vs {floor:.0} ns)"),
            "target": "<= 1.6x the floor",
            "ok": ratio <= 1.6,
        }));
    }
    let out = target.join("bench");
    std::fs::create_dir_all(&out).expect("create target/bench");
    std::fs::write(out.join("rust.json"), serde_json::to_string_pretty(&rows).unwrap()).expect("write rust.json");
}

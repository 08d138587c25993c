//! Runs the built `teamweb-identity` binary as a process.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use teamweb_identity::{IdentityKey, UserIdentity};

const SECRET: &str = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";

fn cli(args: &[&str], secret: Option<&str>, stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_teamweb-identity"));
    cmd.args(args).env_remove("TEAMWEB_IDENTITY_SECRET").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    if let Some(s) = secret {
        cmd.env("TEAMWEB_IDENTITY_SECRET", s);
    }
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap().trim_end().to_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn keygen_prints_a_usable_secret() {
    let out = cli(&["keygen"], None, None);
    assert!(out.status.success());
    let secret = stdout(&out);
    assert_eq!(secret.len(), 44);
    assert_eq!(IdentityKey::from_base64(&secret).unwrap().secret_base64(), secret);
    let json: serde_json::Value = serde_json::from_str(&stdout(&cli(&["keygen", "--json"], None, None))).unwrap();
    assert_eq!(json["secret"].as_str().unwrap().len(), 44);
}

#[test]
fn encrypt_then_decrypt() {
    let out = cli(&["encrypt", "--id", "user_123", "--name", "Zoë \"Q\"", "--email", "zoe@example.com"], Some(SECRET), None);
    assert!(out.status.success(), "{}", stderr(&out));
    let token = stdout(&out);
    let key = IdentityKey::from_base64(SECRET).unwrap();
    let who = UserIdentity::new("user_123").with_name("Zoë \"Q\"").with_email("zoe@example.com");
    assert_eq!(key.decrypt(&token).unwrap(), who);

    let out = cli(&["decrypt", &token], Some(SECRET), None);
    assert_eq!(stdout(&out), who.to_json());
    let out = cli(&["decrypt", "-"], Some(SECRET), Some(&format!("{token}\n")));
    assert_eq!(stdout(&out), who.to_json());

    let out = cli(&["encrypt", "--id", "42", "--json"], Some(SECRET), None);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(key.decrypt(json["token"].as_str().unwrap()).unwrap().id(), "42");
}

#[test]
fn secret_file() {
    let dir = std::env::temp_dir().join(format!("teamweb-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("secret");
    std::fs::write(&path, format!("{SECRET}\n")).unwrap();
    let out = cli(&["encrypt", "--id", "u1", "--secret-file", path.to_str().unwrap()], None, None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(IdentityKey::from_base64(SECRET).unwrap().decrypt(&stdout(&out)).unwrap().id(), "u1");
    // The file wins over the environment.
    let out = cli(&["encrypt", "--id", "u1", "--secret-file", path.to_str().unwrap()], Some("junk"), None);
    assert!(out.status.success());
    let missing = dir.join("missing");
    let out = cli(&["encrypt", "--id", "u1", "--secret-file", missing.to_str().unwrap()], None, None);
    assert_eq!(out.status.code(), Some(1));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn secrets_never_come_from_arguments() {
    let out = cli(&["encrypt", "--id", "u1", "--secret", SECRET], None, None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("TEAMWEB_IDENTITY_SECRET"));
    assert!(!stderr(&out).contains(SECRET));
    let out = cli(&["encrypt", "--id", "u1"], None, None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--secret-file"));
}

#[test]
fn each_error_code_has_its_exit_code() {
    let other = IdentityKey::generate().encrypt(&UserIdentity::new("u")).unwrap();
    let hex_secret = "ab".repeat(32);
    let cases: [(&[&str], &str, i32, &str); 6] = [
        (&["encrypt", "--id", "u"], hex_secret.as_str(), 3, "invalid_secret"),
        (&["encrypt", "--id", " "], SECRET, 4, "invalid_identity"),
        (&["encrypt", "--id", "u", "--email", "nope"], SECRET, 4, "invalid_identity"),
        (&["decrypt", "***"], SECRET, 5, "malformed_token"),
        (&["decrypt", &other], SECRET, 6, "authentication_failed"),
        // Sealed `[]` under SECRET with nonce 00..: a real token, not an identity.
        (&["decrypt", "AAAAAAAAAAAAAAAAaIQKc2ClyFdYhelGE6sgA27F"], SECRET, 7, "invalid_payload"),
    ];
    for (args, secret, code, name) in cases {
        let out = cli(args, Some(secret), None);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(name), "{}", stderr(&out));
        assert!(!stderr(&out).contains(secret), "the secret leaked into an error");
        assert!(out.stdout.is_empty());
    }
    let out = cli(&["encrypt", "--id", " ", "--json"], Some(SECRET), None);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["error"]["code"], "invalid_identity");
}

#[test]
fn script_tag() {
    let out = cli(&["script-tag", "--src", "https://x.test/w.js?a=1&b=2", "--assistant-id", "123"], None, None);
    assert!(out.status.success());
    assert_eq!(stdout(&out), r#"<script src="https://x.test/w.js?a=1&amp;b=2" data-assistant-id="123"></script>"#);
    let out = cli(&["script-tag", "--src", "/w.js", "--assistant-id", "7", "--id", "u1", "--name", "A"], Some(SECRET), None);
    let tag = stdout(&out);
    let token = tag.split("data-user-token=\"").nth(1).unwrap().trim_end_matches("\"></script>");
    let who = IdentityKey::from_base64(SECRET).unwrap().decrypt(token).unwrap();
    assert_eq!(who, UserIdentity::new("u1").with_name("A"));
}

#[test]
fn help_has_examples_and_exit_codes() {
    let out = cli(&["--help"], None, None);
    assert!(out.status.success());
    let help = stdout(&out);
    for needle in ["keygen", "encrypt", "decrypt", "script-tag", "Examples:", "Exit codes:", "TEAMWEB_IDENTITY_SECRET"] {
        assert!(help.contains(needle), "--help lacks {needle}");
    }
    assert_eq!(cli(&["frobnicate"], None, None).status.code(), Some(2));
}

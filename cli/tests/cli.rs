//! Runs the built `teamweb-identity` binary as a process.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use teamweb_identity::{IdentityKey, UserIdentity};

const SECRET: &str = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";

fn cli(args: &[&str], secret: Option<&str>, stdin: Option<&str>) -> Output {
    cli_bytes(args, secret, stdin.map(str::as_bytes))
}

fn cli_bytes(args: &[&str], secret: Option<&str>, stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_teamweb-identity"));
    cmd.args(args).env_remove("TEAMWEB_IDENTITY_SECRET").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    if let Some(s) = secret {
        cmd.env("TEAMWEB_IDENTITY_SECRET", s);
    }
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        // The program may stop reading at its cap: a broken pipe is fine.
        let _ = input.write_all(bytes);
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

/// No usage error shows what was typed: a secret or a token pasted as a
/// positional argument, as the value of an unknown option (`--foo=...`), or
/// given to an option that takes no value, stays out of standard error
/// (the argument parser's own message would quote it in full).
#[test]
fn usage_errors_never_show_an_argument() {
    let token = IdentityKey::from_base64(SECRET).unwrap().encrypt(&UserIdentity::new("u")).unwrap();
    let dashed = format!("-{}", &SECRET[1..]); // a URL-safe secret can begin with '-'
    for value in [SECRET, token.as_str(), dashed.as_str()] {
        let foo = format!("--foo={value}");
        let json = format!("--json={value}");
        let secret_file = format!("--secret-file={value}");
        let near = format!("--secret-fil={value}");
        let cases: Vec<Vec<&str>> = vec![
            vec![value],
            vec!["encrypt", "--id", "u", value],
            vec!["encrypt", "--id", "u", "--", value],
            vec!["decrypt", "tok", value],
            vec!["encrypt", "--id", "u", &foo],
            vec!["encrypt", "--foo", value, "--id", "u"],
            vec!["keygen", &json],
            vec!["keygen", &secret_file],
            vec!["decrypt", &near],
            vec!["encrypt", "--id", "a", "--id", value],
            vec!["script-tag", "--src", "/w.js", "--assistant-id", "1", "--name", value],
            vec!["keygen", value],
        ];
        for args in cases {
            let out = cli(&args, Some(SECRET), None);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert!(err.starts_with("teamweb-identity: usage: "), "{args:?}: {err}");
            // Not the value, nor any 12 characters of it.
            let shown = value.as_bytes().windows(12).any(|w| err.contains(std::str::from_utf8(w).unwrap()));
            assert!(!shown, "{args:?}: the argument's value is in the error: {err}");
            assert!(out.stdout.is_empty());
        }
    }
    // Still useful: where, and this program's own names.
    let err = stderr(&cli(&["encrypt", "--id", "u", SECRET], None, None));
    assert!(err.contains("unexpected argument (argument 4)") && err.contains("not shown"), "{err}");
    let err = stderr(&cli(&["encrypt", "--i", SECRET], None, None));
    assert!(err.contains("did you mean --id?"), "{err}");
    let err = stderr(&cli(&["script-tag", "--src", "/w.js", "--assistant-id", "1", "--name", "N"], None, None));
    assert!(err.contains("missing required arguments: --id <ID>"), "{err}");
    assert!(cli(&["--version"], None, None).status.success());
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("teamweb-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `--secret-file` warns when its group or others can read it, and refuses
/// a file over 4 KiB (a secret is 44 characters), without reading it all.
#[cfg(unix)]
#[test]
fn secret_file_mode_and_cap() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("mode");
    let path = dir.join("secret");
    std::fs::write(&path, format!("{SECRET}\n")).unwrap();
    let p = path.to_str().unwrap();
    for (mode, warns) in [(0o600, false), (0o400, false), (0o640, true), (0o604, true), (0o644, true)] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        let out = cli(&["encrypt", "--id", "u1", "--secret-file", p], None, None);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(IdentityKey::from_base64(SECRET).unwrap().decrypt(&stdout(&out)).unwrap().id(), "u1");
        let err = stderr(&out);
        assert_eq!(err.contains("warning") && err.contains("chmod 600") && err.contains(&format!("{mode:03o}")), warns, "{mode:o}: {err}");
        assert!(!err.contains(SECRET));
    }
    let big = dir.join("big");
    std::fs::write(&big, format!("{SECRET}\n").repeat(100)).unwrap();
    std::fs::set_permissions(&big, std::fs::Permissions::from_mode(0o600)).unwrap();
    for file in [big.to_str().unwrap(), "/dev/zero"] {
        let out = cli(&["encrypt", "--id", "u1", "--secret-file", file], None, None);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{file}: {err}");
        assert!(err.contains("more than 4096 bytes") && !err.contains(SECRET), "{file}: {err}");
        assert!(out.stdout.is_empty());
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// `--secret-file -` reads the secret from standard input (capped too);
/// `decrypt` reads the token from standard input, with `-` or with no
/// argument; both at once is a usage error.
#[test]
fn secret_and_token_from_standard_input() {
    let out = cli(&["encrypt", "--id", "u2", "--secret-file", "-"], Some("junk"), Some(&format!("{SECRET}\n")));
    assert!(out.status.success(), "{}", stderr(&out));
    let token = stdout(&out);
    assert_eq!(IdentityKey::from_base64(SECRET).unwrap().decrypt(&token).unwrap().id(), "u2");
    let out = cli(&["encrypt", "--id", "u2", "--secret-file", "-"], None, Some(&"A".repeat(5000)));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("standard input holds more than 4096 bytes"), "{}", stderr(&out));

    for args in [&["decrypt"][..], &["decrypt", "-"][..]] {
        let out = cli(args, Some(SECRET), Some(&format!("  {token}\r\n")));
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), UserIdentity::new("u2").to_json());
    }
    let out = cli(&["decrypt", "--secret-file", "-"], None, Some(SECRET));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot both come from standard input"));

    // A token on standard input is read leniently and capped, as the core says.
    let out = cli_bytes(&["decrypt"], Some(SECRET), Some(b"AAAA\xff"));
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let huge = "A".repeat(10 << 20);
    let out = cli(&["decrypt"], Some(SECRET), Some(&huge));
    assert_eq!(out.status.code(), Some(5));
    assert!(stderr(&out).contains("longer than 8192 characters"), "{}", stderr(&out));
}

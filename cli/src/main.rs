//! `teamweb-identity`: make and open TeamWeb AI chat-widget identity tokens
//! from the command line.
//!
//! The secret comes from the `TEAMWEB_IDENTITY_SECRET` environment variable
//! or from `--secret-file PATH` (`-` for standard input), never from an
//! argument: arguments show in `ps` and in shell history. The token to
//! open comes from standard input, or an argument. No error ever shows the
//! value of an argument: a secret or token pasted in the wrong place stays
//! out of the terminal's scrollback and the logs.

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind as ClapErrorKind};
use clap::{Args, CommandFactory, Parser, Subcommand};
use teamweb_identity::{host, widget_script_tag, Error, ErrorKind, IdentityKey, UserIdentity};
use zeroize::Zeroizing;

const SECRET_ENV: &str = "TEAMWEB_IDENTITY_SECRET";

/// The most a secret file (or a secret on standard input) may hold: a
/// secret is 44 characters; anything this large is the wrong file.
const SECRET_FILE_CAP: u64 = 4096;

/// The most read of a token on standard input (a token is at most 8,192
/// characters; the core refuses anything longer from its length).
const TOKEN_INPUT_CAP: u64 = 1 << 16;

const AFTER_HELP: &str = "\
The secret comes from TEAMWEB_IDENTITY_SECRET or --secret-file (- for standard input),
never from an argument. decrypt reads the token from standard input. Errors never show
an argument's value.

Examples:
  export TEAMWEB_IDENTITY_SECRET=\"$(teamweb-identity keygen)\"
  teamweb-identity encrypt --id user_123 --name Alice --email alice@example.com
  teamweb-identity encrypt --id 42 | teamweb-identity decrypt
  printf '%s' \"$TOKEN\" | teamweb-identity decrypt --secret-file /run/secrets/teamweb
  teamweb-identity script-tag --src https://teamweb.example/static/js/chat-widget.js \\
      --assistant-id 123 --id user_123 --name Alice

Exit codes:
  0 success          2 usage error        1 I/O error (e.g. unreadable --secret-file)
  3 invalid_secret   4 invalid_identity   5 malformed_token
  6 authentication_failed                 7 invalid_payload";

#[derive(Parser)]
#[command(name = "teamweb-identity", version, about = "Make and open TeamWeb AI chat-widget identity tokens (AES-256-GCM).", after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print a new random secret (base64 of 32 bytes from the OS CSPRNG).
    Keygen {
        /// Print {"secret": "..."} instead of the bare secret.
        #[arg(long)]
        json: bool,
    },
    /// Print a token for an identity.
    Encrypt {
        #[command(flatten)]
        secret: SecretArgs,
        #[command(flatten)]
        identity: IdentityArgs,
        /// Print {"token": "..."} instead of the bare token.
        #[arg(long)]
        json: bool,
    },
    /// Open a token and print its identity as JSON.
    Decrypt {
        #[command(flatten)]
        secret: SecretArgs,
        /// The token; - or nothing reads it from standard input (better: an
        /// argument shows in `ps` and shell history).
        #[arg(value_name = "TOKEN|-", default_value = "-", hide_default_value = true)]
        token: String,
    },
    /// Print the widget's <script> tag, with a token when --id is given.
    ScriptTag {
        /// URL of the widget script.
        #[arg(long)]
        src: String,
        /// The assistant's id.
        #[arg(long = "assistant-id")]
        assistant_id: String,
        #[command(flatten)]
        identity: OptionalIdentityArgs,
        #[command(flatten)]
        secret: SecretArgs,
    },
}

#[derive(Args)]
struct SecretArgs {
    /// Read the secret from this file (- for standard input) instead of
    /// TEAMWEB_IDENTITY_SECRET. Warns if others can read it; at most 4 KiB.
    #[arg(long, value_name = "PATH")]
    secret_file: Option<PathBuf>,
    /// Refused: a secret on the command line shows in `ps`.
    #[arg(long, hide = true, value_name = "SECRET")]
    secret: Option<String>,
}

#[derive(Args)]
struct IdentityArgs {
    /// The user's id (required; text or an integer).
    #[arg(long)]
    id: String,
    /// The user's display name.
    #[arg(long)]
    name: Option<String>,
    /// The user's email address.
    #[arg(long)]
    email: Option<String>,
}

#[derive(Args)]
struct OptionalIdentityArgs {
    /// The user's id; without it the tag carries no token.
    #[arg(long)]
    id: Option<String>,
    /// The user's display name (needs --id).
    #[arg(long, requires = "id")]
    name: Option<String>,
    /// The user's email address (needs --id).
    #[arg(long, requires = "id")]
    email: Option<String>,
}

/// How the command failed, and so its exit code.
enum Failure {
    Usage(String),
    Io(String),
    Token(Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Token(e)
    }
}

fn exit_code(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::InvalidSecret => 3,
        ErrorKind::InvalidIdentity => 4,
        ErrorKind::MalformedToken => 5,
        ErrorKind::AuthenticationFailed => 6,
        ErrorKind::InvalidPayload => 7,
    }
}

/// Reads at most `cap` bytes, and says whether there was more.
fn read_capped(input: impl Read, cap: u64) -> io::Result<(Zeroizing<Vec<u8>>, bool)> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(cap as usize + 1));
    input.take(cap + 1).read_to_end(&mut bytes)?;
    let over = bytes.len() as u64 > cap;
    Ok((bytes, over))
}

fn too_large(what: &str) -> Failure {
    Failure::Io(format!(
        "{what} holds more than {SECRET_FILE_CAP} bytes: a secret is 44 characters (the base64 of 32 bytes); is it the right file?"
    ))
}

/// The secret's bytes from `--secret-file PATH`, or standard input for
/// `-`: capped at [`SECRET_FILE_CAP`], with a warning on standard error
/// when the file can be read by its group or by others.
fn read_secret_file(path: &Path) -> Result<Zeroizing<Vec<u8>>, Failure> {
    if path == Path::new("-") {
        let (bytes, over) = read_capped(io::stdin().lock(), SECRET_FILE_CAP)
            .map_err(|e| Failure::Io(format!("cannot read the secret from standard input: {e}")))?;
        return if over { Err(too_large("standard input")) } else { Ok(bytes) };
    }
    let cannot = |e: io::Error| Failure::Io(format!("cannot read --secret-file {}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if meta.is_file() && meta.len() > SECRET_FILE_CAP {
        return Err(too_large(&format!("--secret-file {} ({} bytes)", path.display(), meta.len())));
    }
    warn_if_shared(path, &meta);
    let (bytes, over) = read_capped(file, SECRET_FILE_CAP).map_err(cannot)?;
    if over {
        return Err(too_large(&format!("--secret-file {}", path.display())));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn warn_if_shared(path: &Path, meta: &std::fs::Metadata) {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    if meta.is_file() && mode & 0o077 != 0 {
        eprintln!(
            "teamweb-identity: warning: --secret-file {} can be read by its group or by others (mode {mode:03o}); `chmod 600` it",
            path.display()
        );
    }
}

#[cfg(not(unix))]
fn warn_if_shared(_: &Path, _: &std::fs::Metadata) {}

fn load_key(args: &SecretArgs) -> Result<IdentityKey, Failure> {
    if args.secret.is_some() {
        return Err(Failure::Usage(format!(
            "--secret is not accepted: arguments show in `ps` and shell history. Set {SECRET_ENV} or use --secret-file PATH"
        )));
    }
    // The core reads the secret's bytes leniently and refuses what is not
    // a secret with its own message.
    let secret = match &args.secret_file {
        Some(path) => read_secret_file(path)?,
        None => match std::env::var_os(SECRET_ENV) {
            Some(s) => Zeroizing::new(os_bytes(s)),
            None => {
                return Err(Failure::Usage(format!(
                    "no secret: set {SECRET_ENV} or pass --secret-file PATH (the identity secret from the channel's settings page)"
                )))
            }
        },
    };
    Ok(host::key_from_utf8(&secret)?)
}

/// The bytes of an environment variable (on Windows, its text as UTF-8,
/// each unpaired surrogate as U+FFFD).
fn os_bytes(s: OsString) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        s.into_vec()
    }
    #[cfg(not(unix))]
    {
        s.to_string_lossy().into_owned().into_bytes()
    }
}

fn identity(id: String, name: Option<String>, email: Option<String>) -> UserIdentity {
    UserIdentity::from_parts(id, name, email)
}

/// `{"<field>": "<value>"}`, for `--json` output.
fn json_object(field: &str, value: &str) -> String {
    serde_json::json!({ field: value }).to_string()
}

fn run(cli: Cli) -> Result<String, Failure> {
    Ok(match cli.command {
        Command::Keygen { json } => {
            let secret = IdentityKey::generate().secret_base64();
            if json {
                json_object("secret", &secret)
            } else {
                secret
            }
        }
        Command::Encrypt { secret, identity: who, json } => {
            let key = load_key(&secret)?;
            let token = key.encrypt(&identity(who.id, who.name, who.email))?;
            if json {
                json_object("token", &token)
            } else {
                token
            }
        }
        Command::Decrypt { secret, token } => {
            if token == "-" && secret.secret_file.as_deref() == Some(Path::new("-")) {
                return Err(Failure::Usage(
                    "the secret and the token cannot both come from standard input: give the secret in a file or TEAMWEB_IDENTITY_SECRET".into(),
                ));
            }
            let key = load_key(&secret)?;
            if token == "-" {
                // Read up to the cap: a longer input is refused from its
                // length by the core (malformed_token) without reading the rest.
                let (bytes, _) = read_capped(io::stdin().lock(), TOKEN_INPUT_CAP)
                    .map_err(|e| Failure::Io(format!("cannot read the token from standard input: {e}")))?;
                key.decrypt(&host::token_from_utf8(&bytes)?)?.to_json()
            } else {
                key.decrypt(&token)?.to_json()
            }
        }
        Command::ScriptTag { src, assistant_id, identity: who, secret } => {
            let token = match who.id {
                Some(id) => Some(load_key(&secret)?.encrypt(&identity(id, who.name, who.email))?),
                None => None,
            };
            widget_script_tag(&src, &assistant_id, token.as_deref())
        }
    })
}

/// The message for an argument the parser refused. The parser's own
/// message quotes the argument (`unexpected argument '<the whole secret>'
/// found`), so it is never printed: this one names only this program's own
/// arguments and the position of the one at fault, never what was typed.
fn usage_message(err: &clap::Error, argv: &[OsString]) -> String {
    let command = Cli::command();
    let ours = |text: &str| is_own_argument(&command, text);
    let named = |kind: ContextKind| -> Vec<String> {
        match err.get(kind) {
            Some(ContextValue::String(s)) if ours(s) => vec![s.clone()],
            Some(ContextValue::Strings(v)) => v.iter().filter(|s| ours(s)).cloned().collect(),
            _ => Vec::new(),
        }
    };
    let what = match err.kind() {
        ClapErrorKind::InvalidSubcommand => "unknown command".to_owned(),
        ClapErrorKind::UnknownArgument => "unexpected argument".to_owned(),
        ClapErrorKind::InvalidValue | ClapErrorKind::ValueValidation => "invalid value".to_owned(),
        ClapErrorKind::TooManyValues => "a value given to an option that takes none".to_owned(),
        ClapErrorKind::NoEquals => "a value must be given with =".to_owned(),
        ClapErrorKind::ArgumentConflict => "arguments that cannot be used together, or one given twice".to_owned(),
        ClapErrorKind::MissingRequiredArgument => "missing required arguments".to_owned(),
        ClapErrorKind::MissingSubcommand | ClapErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "no command given (keygen, encrypt, decrypt or script-tag)".to_owned()
        }
        ClapErrorKind::InvalidUtf8 => "an argument is not UTF-8".to_owned(),
        other => format!("invalid arguments ({other:?})"),
    };
    let mut message = what;
    let mut names = [named(ContextKind::InvalidArg), named(ContextKind::PriorArg)].concat();
    names.dedup();
    if !names.is_empty() {
        message += &format!(": {}", names.join(", "));
    }
    // Where the offending text is, found by comparing, and shown only when
    // it is one of this program's own names.
    let offending = [ContextKind::InvalidArg, ContextKind::InvalidSubcommand, ContextKind::InvalidValue]
        .into_iter()
        .filter_map(|kind| match err.get(kind) {
            Some(ContextValue::String(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        })
        .collect::<Vec<_>>();
    let args: Vec<_> = argv.iter().skip(1).map(|arg| arg.to_string_lossy()).collect();
    let position = args.iter().position(|arg| offending.iter().any(|bad| arg == bad)).or_else(|| {
        args.iter().position(|arg| {
            offending.iter().any(|bad| arg.starts_with(bad.as_str()) || arg.ends_with(&format!("={bad}")))
        })
    });
    if let Some(i) = position {
        message += &format!(" (argument {})", i + 1);
    }
    if offending.iter().any(|bad| !ours(bad)) {
        message += "; its text is not shown: it may be a secret or a token";
    }
    if let Some(ContextValue::String(s)) = err.get(ContextKind::SuggestedArg) {
        if ours(s) {
            return message + &format!("; did you mean {s}? Try --help.");
        }
    }
    message + ". Try --help."
}

/// Whether `text` names one of this program's own arguments or commands
/// (`--id`, `--id <ID>`, `<TOKEN|->`, `encrypt`), as the parser's error
/// context does: such text came from this program, not from the user.
fn is_own_argument(command: &clap::Command, text: &str) -> bool {
    let first = text.split(' ').next().unwrap_or_default();
    command.get_subcommands().any(|sub| sub.get_name() == text || is_own_argument(sub, text))
        || command.get_arguments().any(|arg| {
            let long = arg.get_long().is_some_and(|long| first.strip_prefix("--") == Some(long));
            let positional = arg.is_positional()
                && arg.get_value_names().is_some_and(|names| {
                    names.iter().any(|n| first.trim_matches(['<', '>', '[', ']', '.']) == n.as_str())
                });
            long || positional
        })
}

fn main() -> ExitCode {
    let argv: Vec<OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&argv) {
        Ok(cli) => cli,
        Err(err) if matches!(err.kind(), ClapErrorKind::DisplayHelp | ClapErrorKind::DisplayVersion) => err.exit(),
        Err(err) => {
            eprintln!("teamweb-identity: usage: {}", usage_message(&err, &argv));
            return ExitCode::from(2);
        }
    };
    let json_errors = matches!(cli.command, Command::Keygen { json: true } | Command::Encrypt { json: true, .. });
    match run(cli) {
        Ok(out) => {
            let mut stdout = io::stdout().lock();
            if writeln!(stdout, "{out}").and_then(|_| stdout.flush()).is_err() {
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(failure) => {
            let (code, name, message) = match &failure {
                Failure::Usage(m) => (2, "usage", m.clone()),
                Failure::Io(m) => (1, "io", m.clone()),
                Failure::Token(e) => (exit_code(e.kind()), e.code(), e.message().to_owned()),
            };
            eprintln!("teamweb-identity: {name}: {message}");
            if json_errors {
                println!("{}", serde_json::json!({ "error": { "code": name, "message": message } }));
            }
            ExitCode::from(code)
        }
    }
}

//! `teamweb-identity`: make and open TeamWeb AI chat-widget identity tokens
//! from the command line.
//!
//! The secret comes from the `TEAMWEB_IDENTITY_SECRET` environment variable
//! or from `--secret-file PATH`, never from an argument: arguments show in
//! `ps` and in shell history.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use teamweb_identity::{widget_script_tag, Error, ErrorKind, IdentityKey, UserIdentity};
use zeroize::Zeroizing;

const SECRET_ENV: &str = "TEAMWEB_IDENTITY_SECRET";

const AFTER_HELP: &str = "\
The secret comes from TEAMWEB_IDENTITY_SECRET or --secret-file, never from an argument.

Examples:
  export TEAMWEB_IDENTITY_SECRET=\"$(teamweb-identity keygen)\"
  teamweb-identity encrypt --id user_123 --name Alice --email alice@example.com
  teamweb-identity encrypt --id 42 | teamweb-identity decrypt -
  teamweb-identity decrypt --secret-file /run/secrets/teamweb \"$TOKEN\"
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
        /// The token, or - to read it from standard input.
        #[arg(value_name = "TOKEN|-")]
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
    /// Read the secret from this file instead of TEAMWEB_IDENTITY_SECRET.
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

fn read_secret_file(path: &Path) -> Result<Zeroizing<String>, Failure> {
    let bytes = Zeroizing::new(
        std::fs::read(path).map_err(|e| Failure::Io(format!("cannot read --secret-file {}: {e}", path.display())))?,
    );
    std::str::from_utf8(&bytes)
        .map(|s| Zeroizing::new(s.to_owned()))
        .map_err(|_| Error::InvalidSecret("invalid secret: the secret file is not UTF-8 text".into()).into())
}

fn load_key(args: &SecretArgs) -> Result<IdentityKey, Failure> {
    if args.secret.is_some() {
        return Err(Failure::Usage(format!(
            "--secret is not accepted: arguments show in `ps` and shell history. Set {SECRET_ENV} or use --secret-file PATH"
        )));
    }
    let secret = match &args.secret_file {
        Some(path) => read_secret_file(path)?,
        None => match std::env::var(SECRET_ENV) {
            Ok(s) => Zeroizing::new(s),
            Err(std::env::VarError::NotPresent) => {
                return Err(Failure::Usage(format!(
                    "no secret: set {SECRET_ENV} or pass --secret-file PATH (the identity secret from the channel's settings page)"
                )))
            }
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(Error::InvalidSecret(format!("invalid secret: {SECRET_ENV} is not UTF-8 text")).into())
            }
        },
    };
    Ok(IdentityKey::from_base64(&secret)?)
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
            let key = load_key(&secret)?;
            let token = if token == "-" {
                let mut text = String::new();
                io::stdin()
                    .take(1 << 20)
                    .read_to_string(&mut text)
                    .map_err(|e| Failure::Io(format!("cannot read the token from standard input: {e}")))?;
                text
            } else {
                token
            };
            key.decrypt(&token)?.to_json()
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

fn main() -> ExitCode {
    let cli = Cli::parse();
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

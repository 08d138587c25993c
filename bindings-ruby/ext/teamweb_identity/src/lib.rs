//! The Ruby gem `teamweb-identity` (`require "teamweb_identity"`): a native
//! extension on magnus over the core, `teamweb_identity`.
//!
//! Defines, in module `TeamwebIdentity`: `IdentityKey`, `IdentityKeyring`,
//! `UserIdentity`, the errors (`error.rs`), the one-shots, the script tag and
//! `Testing.encrypt_with_nonce`. Ruby values are converted in `text.rs`;
//! every rule is the core's. The documented Ruby API (YARD) is in the gem's
//! `lib/teamweb_identity.rb`.

mod error;
mod text;

use std::hash::{Hash, Hasher};

use magnus::{
    function, method,
    prelude::*,
    scan_args::scan_args,
    typed_data::Obj,
    Error, RArray, RClass, RHash, RModule, RString, Ruby, Value,
};
use teamweb_identity::{host, IdentityFields, IdentityKey, IdentityKeyring, UserIdentity};

use crate::error::{guard, raise};
use crate::text::{optional_utf8_string, utf8_string, TextOrInteger, Transcode};

/// `TeamwebIdentity::IdentityKey`: a parsed secret. Frozen; never shows its
/// bytes; cannot be marshalled (a typed-data object with no `_dump`) or
/// copied (no allocator). The core wipes the key when Ruby frees it.
#[magnus::wrap(class = "TeamwebIdentity::IdentityKey", free_immediately, size, frozen_shareable)]
struct Key(IdentityKey);

/// `TeamwebIdentity::IdentityKeyring`: keys for rotation, frozen.
#[magnus::wrap(class = "TeamwebIdentity::IdentityKeyring", free_immediately, size, frozen_shareable)]
struct Keyring(IdentityKeyring);

/// `TeamwebIdentity::UserIdentity`: what `decrypt` returns, frozen; `""`
/// and absent are the same (the core's equality).
#[magnus::wrap(class = "TeamwebIdentity::UserIdentity", free_immediately, size, frozen_shareable)]
struct Identity(UserIdentity);

/// A new frozen Ruby object holding `data`.
fn frozen<T: magnus::TypedData>(ruby: &Ruby, data: T) -> Obj<T> {
    let obj = ruby.obj_wrap(data);
    obj.freeze();
    obj
}

/// A new frozen UTF-8 String.
fn frozen_str(ruby: &Ruby, text: &str) -> RString {
    let s = ruby.str_new(text);
    s.freeze();
    s
}

/// The keyword arguments `id:, name: nil, email: nil`, converted.
struct IdentityArgs {
    id: TextOrInteger,
    name: Option<RString>,
    email: Option<RString>,
}

impl IdentityArgs {
    /// The positional arguments `(id, name, email)` that the Ruby methods
    /// taking `id:, name: nil, email: nil` pass on (lib/teamweb_identity.rb).
    fn new(ruby: &Ruby, id: Value, name: Option<Value>, email: Option<Value>) -> Result<Self, Error> {
        Ok(IdentityArgs {
            id: TextOrInteger::new(ruby, id, Transcode::Strict, host::check_id_bits)?,
            name: optional_utf8_string(ruby, name, Transcode::Strict)?,
            email: optional_utf8_string(ruby, email, Transcode::Strict)?,
        })
    }

    /// Runs `f` (the core) on the fields. The core's rules decide; its
    /// error becomes the gem's.
    fn with<R>(
        &self,
        f: impl FnOnce(IdentityFields<'_>) -> Result<R, teamweb_identity::Error>,
    ) -> Result<R, Error> {
        // SAFETY: the Strings are held by `self`, whose VALUEs are on the
        // stack of the Ruby method running this, so they stay alive and
        // pinned; no Ruby code runs while the core reads these slices
        // (`f` may allocate a Ruby String only after the core has read them,
        // and Ruby objects are never changed by an allocation).
        let (id, name, email) = unsafe {
            (self.id.bytes(), self.name.as_ref().map(|s| text::bytes(s)), self.email.as_ref().map(|s| text::bytes(s)))
        };
        let fields = (|| {
            Ok(IdentityFields {
                id: host::field_from_utf8(host::Field::Id, id)?,
                name: host::optional_field_from_utf8(host::Field::Name, name)?,
                email: host::optional_field_from_utf8(host::Field::Email, email)?,
            })
        })()
        .map_err(raise)?;
        guard(|| f(fields).map_err(raise))
    }
}

/// A secret (lenient text) parsed by the core.
fn parse_key(ruby: &Ruby, secret: Value) -> Result<IdentityKey, Error> {
    let secret = utf8_string(ruby, secret, Transcode::Replace)?;
    // SAFETY: `secret` is on this stack frame; no Ruby code runs while the core reads it.
    guard(|| host::key_from_utf8(unsafe { text::bytes(&secret) }).map_err(raise))
}

/// Opens a token (lenient text) with `open` (a key's or a keyring's decrypt).
fn open(
    ruby: &Ruby,
    token: Value,
    open: impl FnOnce(&str) -> Result<UserIdentity, teamweb_identity::Error>,
) -> Result<Obj<Identity>, Error> {
    let token = utf8_string(ruby, token, Transcode::Replace)?;
    // SAFETY: `token` is on this stack frame; no Ruby code runs until the core returns.
    let opened = guard(|| host::token_from_utf8(unsafe { text::bytes(&token) }).and_then(|t| open(&t)).map_err(raise))?;
    Ok(frozen(ruby, Identity(opened)))
}

impl Key {
    fn from_base64(ruby: &Ruby, secret: Value) -> Result<Obj<Key>, Error> {
        Ok(frozen(ruby, Key(parse_key(ruby, secret)?)))
    }

    fn generate(ruby: &Ruby) -> Result<Obj<Key>, Error> {
        guard(|| Ok(frozen(ruby, Key(IdentityKey::generate()))))
    }

    fn secret_base64(&self) -> String {
        self.0.secret_base64()
    }

    fn encrypt(ruby: &Ruby, rb_self: &Self, id: Value, name: Option<Value>, email: Option<Value>) -> Result<RString, Error> {
        let identity = IdentityArgs::new(ruby, id, name, email)?;
        identity.with(|fields| rb_self.0.encrypt_fields_with(fields, |token| ruby.str_new(token)))
    }

    fn decrypt(ruby: &Ruby, rb_self: &Self, token: Value) -> Result<Obj<Identity>, Error> {
        open(ruby, token, |t| rb_self.0.decrypt(t))
    }

    fn inspect(&self) -> &'static str {
        "#<TeamwebIdentity::IdentityKey [redacted]>"
    }
}

impl Keyring {
    fn new(ruby: &Ruby, keys: RArray) -> Result<Obj<Keyring>, Error> {
        let keys = keys.into_iter().map(|k| Obj::<Key>::try_convert(k).map(|k| k.0.clone())).collect::<Result<Vec<_>, _>>()?;
        Ok(frozen(ruby, Keyring(IdentityKeyring::new(keys).map_err(raise)?)))
    }

    fn encrypt(ruby: &Ruby, rb_self: &Self, id: Value, name: Option<Value>, email: Option<Value>) -> Result<RString, Error> {
        let identity = IdentityArgs::new(ruby, id, name, email)?;
        identity.with(|fields| rb_self.0.encrypt_fields_with(fields, |token| ruby.str_new(token)))
    }

    fn decrypt(ruby: &Ruby, rb_self: &Self, token: Value) -> Result<Obj<Identity>, Error> {
        open(ruby, token, |t| rb_self.0.decrypt(t))
    }

    fn size(&self) -> usize {
        self.0.keys().len()
    }

    fn inspect(&self) -> String {
        let n = self.size();
        format!("#<TeamwebIdentity::IdentityKeyring {n} key{} [redacted]>", if n == 1 { "" } else { "s" })
    }
}

impl Identity {
    fn new(ruby: &Ruby, id: Value, name: Option<Value>, email: Option<Value>) -> Result<Obj<Identity>, Error> {
        let identity = IdentityArgs::new(ruby, id, name, email)?;
        let who = identity.with(|f| Ok(UserIdentity::from_fields(f.id, f.name, f.email)))?;
        Ok(frozen(ruby, Identity(who)))
    }

    fn id(ruby: &Ruby, rb_self: &Self) -> RString {
        frozen_str(ruby, rb_self.0.id())
    }

    fn name(ruby: &Ruby, rb_self: &Self) -> Option<RString> {
        rb_self.0.name().map(|s| frozen_str(ruby, s))
    }

    fn email(ruby: &Ruby, rb_self: &Self) -> Option<RString> {
        rb_self.0.email().map(|s| frozen_str(ruby, s))
    }

    fn to_h(ruby: &Ruby, rb_self: &Self) -> Result<RHash, Error> {
        let hash = ruby.hash_new();
        hash.aset(ruby.to_symbol("id"), Self::id(ruby, rb_self))?;
        hash.aset(ruby.to_symbol("name"), Self::name(ruby, rb_self))?;
        hash.aset(ruby.to_symbol("email"), Self::email(ruby, rb_self))?;
        Ok(hash)
    }

    fn deconstruct_keys(ruby: &Ruby, rb_self: &Self, _keys: Value) -> Result<RHash, Error> {
        Self::to_h(ruby, rb_self)
    }

    fn eq(&self, other: Value) -> bool {
        Obj::<Identity>::try_convert(other).is_ok_and(|o| o.0 == self.0)
    }

    fn hash(&self) -> i64 {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.0.hash(&mut hasher);
        hasher.finish() as i64
    }

    fn inspect(ruby: &Ruby, rb_self: &Self) -> Result<String, Error> {
        let show = |v: Option<RString>| -> Result<String, Error> {
            match v {
                Some(s) => s.funcall::<_, _, RString>("inspect", ())?.to_string(),
                None => Ok("nil".to_owned()),
            }
        };
        Ok(format!(
            "#<TeamwebIdentity::UserIdentity id={} name={} email={}>",
            show(Some(Self::id(ruby, rb_self)))?,
            show(Self::name(ruby, rb_self))?,
            show(Self::email(ruby, rb_self))?
        ))
    }
}

/// `TeamwebIdentity.encrypt_user_token(secret, id:, name: nil, email: nil)`
fn encrypt_user_token(
    ruby: &Ruby,
    secret: Value,
    id: Value,
    name: Option<Value>,
    email: Option<Value>,
) -> Result<RString, Error> {
    let identity = IdentityArgs::new(ruby, id, name, email)?;
    let key = parse_key(ruby, secret)?;
    identity.with(|fields| key.encrypt_fields_with(fields, |token| ruby.str_new(token)))
}

/// `TeamwebIdentity.decrypt_user_token(secret, token)`
fn decrypt_user_token(ruby: &Ruby, secret: Value, token: Value) -> Result<Obj<Identity>, Error> {
    let key = parse_key(ruby, secret)?;
    open(ruby, token, |t| key.decrypt(t))
}

/// `TeamwebIdentity.widget_script_tag(src, assistant_id, user_token = nil)`
fn widget_script_tag(ruby: &Ruby, args: &[Value]) -> Result<String, Error> {
    let args = scan_args::<(Value, Value), (Option<Value>,), (), (), (), ()>(args)?;
    let ((src, assistant_id), (token,)) = (args.required, args.optional);
    let src = utf8_string(ruby, src, Transcode::Replace)?;
    let assistant_id = TextOrInteger::new(ruby, assistant_id, Transcode::Replace, host::check_assistant_id_bits)?;
    let token = optional_utf8_string(ruby, token, Transcode::Replace)?;
    // SAFETY: the Strings are on this stack frame; no Ruby code runs until the core returns.
    guard(|| Ok(unsafe { host::script_tag_utf8(text::bytes(&src), assistant_id.bytes(), token.as_ref().map(|t| text::bytes(t))) }))
}

/// `TeamwebIdentity::Testing.encrypt_with_nonce(key, nonce, id:, name: nil, email: nil)`
fn encrypt_with_nonce(
    ruby: &Ruby,
    key: Value,
    nonce: Value,
    id: Value,
    name: Option<Value>,
    email: Option<Value>,
) -> Result<String, Error> {
    let identity = IdentityArgs::new(ruby, id, name, email)?;
    let key = Obj::<Key>::try_convert(key)?;
    let nonce = RString::try_convert(nonce)?;
    // SAFETY: `nonce` is on this stack frame and copied out before any Ruby code runs.
    let nonce: [u8; 12] = unsafe { text::bytes(&nonce) }.try_into().map_err(|_| {
        Error::new(ruby.exception_arg_error(), format!("nonce must be 12 bytes, not {}", nonce.len()))
    })?;
    identity.with(|f| {
        teamweb_identity::testing::encrypt_with_nonce(&key.0, nonce, &UserIdentity::from_fields(f.id, f.name, f.email))
    })
}

/// Makes `new` private (the factories build keys).
fn private_new(class: RClass) -> Result<(), Error> {
    let ruby = Ruby::get_with(class);
    class.funcall::<_, _, Value>("private_class_method", (ruby.to_symbol("new"),))?;
    Ok(())
}

#[magnus::init(name = "teamweb_identity")]
fn init(ruby: &Ruby) -> Result<(), Error> {
    let module: RModule = ruby.define_module("TeamwebIdentity")?;
    error::define(ruby, module)?;

    let key = module.define_class("IdentityKey", ruby.class_object())?;
    key.undef_default_alloc_func();
    private_new(key)?;
    key.define_singleton_method("from_base64", function!(Key::from_base64, 1))?;
    key.define_singleton_method("generate", function!(Key::generate, 0))?;
    key.define_method("secret_base64", method!(Key::secret_base64, 0))?;
    key.define_private_method("_encrypt", method!(Key::encrypt, 3))?;
    key.define_method("decrypt", method!(Key::decrypt, 1))?;
    key.define_method("inspect", method!(Key::inspect, 0))?;
    key.define_method("to_s", method!(Key::inspect, 0))?;

    let keyring = module.define_class("IdentityKeyring", ruby.class_object())?;
    keyring.undef_default_alloc_func();
    keyring.define_singleton_method("new", function!(Keyring::new, 1))?;
    keyring.define_private_method("_encrypt", method!(Keyring::encrypt, 3))?;
    keyring.define_method("decrypt", method!(Keyring::decrypt, 1))?;
    keyring.define_method("size", method!(Keyring::size, 0))?;
    keyring.define_method("length", method!(Keyring::size, 0))?;
    keyring.define_method("inspect", method!(Keyring::inspect, 0))?;
    keyring.define_method("to_s", method!(Keyring::inspect, 0))?;

    let identity = module.define_class("UserIdentity", ruby.class_object())?;
    identity.undef_default_alloc_func();
    identity.define_singleton_method("_new", function!(Identity::new, 3))?;
    identity.define_method("id", method!(Identity::id, 0))?;
    identity.define_method("name", method!(Identity::name, 0))?;
    identity.define_method("email", method!(Identity::email, 0))?;
    identity.define_method("to_h", method!(Identity::to_h, 0))?;
    identity.define_method("deconstruct_keys", method!(Identity::deconstruct_keys, 1))?;
    identity.define_method("==", method!(Identity::eq, 1))?;
    identity.define_method("eql?", method!(Identity::eq, 1))?;
    identity.define_method("hash", method!(Identity::hash, 0))?;
    identity.define_method("inspect", method!(Identity::inspect, 0))?;

    module.define_singleton_method("_encrypt_user_token", function!(encrypt_user_token, 4))?;
    module.define_module_function("decrypt_user_token", function!(decrypt_user_token, 2))?;
    module.define_module_function("widget_script_tag", function!(widget_script_tag, -1))?;

    module.define_singleton_method("_self_test_panic", function!(error::self_test_panic, 0))?;
    module.funcall::<_, _, Value>("private_class_method", (ruby.to_symbol("_self_test_panic"),))?;

    let testing = module.define_module("Testing")?;
    testing.define_singleton_method("_encrypt_with_nonce", function!(encrypt_with_nonce, 5))?;
    Ok(())
}

//! The identity as the JSON a token carries, written and read with
//! `serde_json` (docs/FORMAT.md, sections 1 and 3).
//!
//! Writing: compact JSON, keys in the order `id`, `name`, `email`, absent
//! fields left out; `serde_json` escapes exactly what Python's
//! `json.dumps(..., ensure_ascii=False)` and `JSON.stringify` escape.
//!
//! Reading: any valid JSON text (RFC 8259) whose top level is an object
//! with an `id` that is a non-empty string or an integer (kept exactly as
//! written), `name` and `email` strings or null, other keys of any shape
//! ignored, no key twice in any object, no string with a lone surrogate,
//! arrays and objects nested at most [`MAX_DEPTH`] deep. Every value is
//! first taken as a [`RawValue`] (syntax checked, nothing converted), then
//! looked at: so an integer id of any length keeps its digits, and a number
//! in an ignored key never fails for being out of `f64`'s range.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer as _, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeStruct, Serializer};
use serde_json::value::RawValue;

use crate::{Error, IdentityFields};
#[cfg(test)]
use crate::UserIdentity;

/// Deepest nesting of arrays and objects accepted, counting the top-level
/// object as 1. Deeper payloads are refused rather than recursed into.
pub(crate) const MAX_DEPTH: usize = 64;

impl Serialize for IdentityFields<'_> {
    /// `{"id":…,"name":…,"email":…}`, absent (`None` or `""`) fields left
    /// out.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (name, email) = (self.name.filter(|s| !s.is_empty()), self.email.filter(|s| !s.is_empty()));
        let mut out = serializer.serialize_struct("identity", 1 + usize::from(name.is_some()) + usize::from(email.is_some()))?;
        out.serialize_field("id", self.id)?;
        if let Some(name) = name {
            out.serialize_field("name", name)?;
        }
        if let Some(email) = email {
            out.serialize_field("email", email)?;
        }
        out.end()
    }
}

/// Appends the identity's compact JSON to `out`.
pub(crate) fn write_json(identity: &IdentityFields<'_>, out: &mut Vec<u8>) {
    // Writing strings into a Vec cannot fail.
    let _ = serde_json::to_writer(out, identity);
}

/// [`write_json`] into `out`, advancing it past what was written; `None`
/// if it does not fit.
pub(crate) fn write_json_to(identity: &IdentityFields<'_>, out: &mut &mut [u8]) -> Option<()> {
    serde_json::to_writer(out, identity).ok()
}

/// About the length of [`write_json`]'s output, to size buffers (escaping
/// may add more, which the vector then grows for).
pub(crate) fn json_len_hint(identity: &IdentityFields<'_>) -> usize {
    identity.id.len() + identity.name.map_or(0, str::len) + identity.email.map_or(0, str::len) + 40
}

/// Why a payload is refused, when it is for a rule of ours rather than
/// for its JSON syntax.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Problem {
    DuplicateKey,
    NoId,
    EmptyId,
    IdNotInteger,
    IdWrongType,
    NameWrongType,
    EmailWrongType,
    TooDeep,
}

impl Problem {
    fn describe(self) -> &'static str {
        match self {
            Problem::DuplicateKey => "has a duplicated key",
            Problem::NoId => "has no id",
            Problem::EmptyId => "has an empty id",
            Problem::IdNotInteger => "has an id that is a number but not an integer",
            Problem::IdWrongType => "has an id that is neither a string nor an integer",
            Problem::NameWrongType => "has a name that is neither a string nor null",
            Problem::EmailWrongType => "has an email that is neither a string nor null",
            Problem::TooDeep => "nests deeper than 64 levels",
        }
    }
}

fn bad(what: &str) -> Error {
    Error::InvalidPayload(format!("token payload {what}"))
}

/// Reads a decrypted plaintext and lends its fields to `visit`, borrowed
/// from the plaintext where no escape had to be decoded.
pub(crate) fn parse_identity_with<R>(plaintext: &[u8], visit: impl FnOnce(IdentityFields<'_>) -> R) -> Result<R, Error> {
    let text = std::str::from_utf8(plaintext).map_err(|_| bad("is not UTF-8"))?;
    if !text.trim_start_matches([' ', '\t', '\n', '\r']).starts_with('{') {
        return Err(bad("is not a JSON object"));
    }
    // Our own refusals travel out of serde's visitors through this cell
    // (serde_json adds a position to an error's text, and we want ours
    // as written).
    let problem = Cell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = de.deserialize_map(IdentityVisitor { problem: &problem }).and_then(|identity| {
        de.end()?;
        Ok(identity)
    });
    match parsed {
        Ok(Parsed { id, name, email }) => Ok(visit(IdentityFields { id: &id, name: name.as_deref(), email: email.as_deref() })),
        Err(err) => Err(match problem.get() {
            Some(problem) => bad(problem.describe()),
            None => bad(syntax_problem(&err)),
        }),
    }
}

/// The three fields as read, each borrowed from the plaintext unless
/// escapes had to be decoded; `name` and `email` `None` when absent, null
/// or `""`.
struct Parsed<'de> {
    id: Cow<'de, str>,
    name: Option<Cow<'de, str>>,
    email: Option<Cow<'de, str>>,
}

/// Words for a JSON syntax error, from `serde_json`'s (an error from a
/// nested value's parse carries the nested message in its text).
fn syntax_problem(err: &serde_json::Error) -> &'static str {
    let text = err.to_string();
    if err.classify() == serde_json::error::Category::Eof || text.starts_with("EOF while parsing") {
        "ends too early"
    } else if text.starts_with("trailing characters") {
        "has text after the JSON object"
    } else if text.contains("surrogate") || text.contains("end of hex escape") {
        "has a \\u escape that is a lone surrogate"
    } else if text.contains("control character") {
        "has a control character inside a string"
    } else if text.contains("invalid escape") {
        "has an invalid string escape"
    } else {
        "is not valid JSON"
    }
}

/// Records `problem` and returns an error that carries it out.
fn refuse<E: de::Error>(slot: &Cell<Option<Problem>>, problem: Problem) -> E {
    slot.set(Some(problem));
    E::custom(problem.describe())
}

/// A string, borrowed from the plaintext unless escapes had to be decoded.
/// `serde_json` refuses strings with lone surrogates when it reads them as
/// text, as here.
struct Text<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Text<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s)))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

/// The text of a JSON string value (`raw` starts with `"`). `RawValue`
/// has checked its syntax, so one without a backslash (no escapes: the
/// usual case) is its own text between the quotes; one with escapes is
/// read by `serde_json`.
fn string_value<'a>(raw: &'a RawValue) -> Result<Cow<'a, str>, serde_json::Error> {
    let text = raw.get();
    if !text.as_bytes().contains(&b'\\') {
        return Ok(Cow::Borrowed(&text[1..text.len() - 1]));
    }
    serde_json::from_str::<Text<'a>>(text).map(|t| t.0)
}

struct IdentityVisitor<'p> {
    problem: &'p Cell<Option<Problem>>,
}

impl<'de> Visitor<'de> for IdentityVisitor<'_> {
    type Value = Parsed<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an identity object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parsed<'de>, A::Error> {
        let slot = self.problem;
        let mut id: Option<Cow<'de, str>> = None;
        let mut name: Option<Option<Cow<'de, str>>> = None;
        let mut email: Option<Option<Cow<'de, str>>> = None;
        let mut others: Vec<Cow<'de, str>> = Vec::new();
        while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
            let duplicate = match &*key {
                "id" => id.replace(id_value(slot, map.next_value()?)?).is_some(),
                "name" => name.replace(map.next_value_seed(OptionalText { slot, wrong_type: Problem::NameWrongType })?).is_some(),
                "email" => {
                    email.replace(map.next_value_seed(OptionalText { slot, wrong_type: Problem::EmailWrongType })?).is_some()
                }
                _ => {
                    let raw: &'de RawValue = map.next_value()?;
                    skip(slot, raw, 2)?;
                    let seen = others.contains(&key);
                    others.push(key);
                    seen
                }
            };
            if duplicate {
                return Err(refuse(slot, Problem::DuplicateKey));
            }
        }
        let id = id.ok_or_else(|| refuse::<A::Error>(slot, Problem::NoId))?;
        Ok(Parsed { id, name: name.flatten(), email: email.flatten() })
    }
}

/// `id`: a non-empty string, or an integer kept exactly as written.
fn id_value<'de, E: de::Error>(slot: &Cell<Option<Problem>>, raw: &'de RawValue) -> Result<Cow<'de, str>, E> {
    let text = raw.get();
    match text.as_bytes()[0] {
        b'"' => {
            let id = string_value(raw).map_err(E::custom)?;
            if id.is_empty() {
                return Err(refuse(slot, Problem::EmptyId));
            }
            Ok(id)
        }
        // `RawValue` checked the number's syntax.
        b'-' | b'0'..=b'9' if text.bytes().any(|b| matches!(b, b'.' | b'e' | b'E')) => {
            Err(refuse(slot, Problem::IdNotInteger))
        }
        b'-' | b'0'..=b'9' => Ok(Cow::Borrowed(text)),
        _ => Err(refuse(slot, Problem::IdWrongType)),
    }
}

/// `name` or `email`: a string (`""` means absent) or null, read straight
/// from the deserializer; any other type is `wrong_type`.
struct OptionalText<'p> {
    slot: &'p Cell<Option<Problem>>,
    wrong_type: Problem,
}

impl<'de> DeserializeSeed<'de> for OptionalText<'_> {
    type Value = Option<Cow<'de, str>>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for OptionalText<'_> {
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or null")
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(s)).filter(|s| !s.is_empty()))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::<'de, str>::Owned(s.to_owned())).filter(|s| !s.is_empty()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Err(refuse(self.slot, self.wrong_type))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Err(refuse(self.slot, self.wrong_type))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Err(refuse(self.slot, self.wrong_type))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Err(refuse(self.slot, self.wrong_type))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(refuse(self.slot, self.wrong_type))
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(refuse(self.slot, self.wrong_type))
    }
}

/// Checks an ignored value at nesting level `depth`: strings must be text
/// (no lone surrogate), objects must not repeat a key, nesting must stay
/// within [`MAX_DEPTH`]. Numbers, `true`, `false` and `null` were checked
/// by `RawValue` already.
fn skip<E: de::Error>(slot: &Cell<Option<Problem>>, raw: &RawValue, depth: usize) -> Result<(), E> {
    match raw.get().as_bytes()[0] {
        b'"' => string_value(raw).map(drop).map_err(E::custom),
        b'[' | b'{' => {
            if depth > MAX_DEPTH {
                return Err(refuse(slot, Problem::TooDeep));
            }
            let mut de = serde_json::Deserializer::from_str(raw.get());
            de.deserialize_any(ContainerVisitor { slot, depth }).map_err(E::custom)
        }
        _ => Ok(()),
    }
}

/// An ignored array or object, one level: its members go back to [`skip`].
struct ContainerVisitor<'p> {
    slot: &'p Cell<Option<Problem>>,
    depth: usize,
}

impl<'de> Visitor<'de> for ContainerVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array or an object")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<&'de RawValue>()? {
            skip(self.slot, raw, self.depth + 1)?;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut keys: Vec<Cow<'de, str>> = Vec::new();
        while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
            if keys.contains(&key) {
                return Err(refuse(self.slot, Problem::DuplicateKey));
            }
            keys.push(key);
            let raw: &'de RawValue = map.next_value()?;
            skip(self.slot, raw, self.depth + 1)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_identity(plaintext: &[u8]) -> Result<UserIdentity, Error> {
        parse_identity_with(plaintext, |fields| UserIdentity::from(fields))
    }

    fn ok(s: &str) -> (String, Option<String>, Option<String>) {
        parse_identity(s.as_bytes()).unwrap_or_else(|e| panic!("{s}: {e:?}")).into_parts()
    }

    fn refused(s: &str) -> String {
        let err = parse_identity(s.as_bytes()).expect_err(s);
        assert_eq!(err.code(), "invalid_payload", "{s}");
        err.to_string()
    }

    fn json(identity: &UserIdentity) -> String {
        let mut out = Vec::new();
        write_json(&identity.fields(), &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn writes_exact_json() {
        assert_eq!(json(&UserIdentity::new("u")), r#"{"id":"u"}"#);
        assert_eq!(
            json(&UserIdentity::new(5_u8).with_email("a@b").with_name("N \"q\" \\")),
            r#"{"id":"5","name":"N \"q\" \\","email":"a@b"}"#
        );
        assert_eq!(json(&UserIdentity::new("é\u{2028}/").with_email("")), "{\"id\":\"é\u{2028}/\"}");
        assert_eq!(
            UserIdentity::new("a\n\u{1}\u{7f}\u{8}\u{c}\r\t\u{1f}").to_json(),
            "{\"id\":\"a\\n\\u0001\u{7f}\\b\\f\\r\\t\\u001f\"}"
        );
    }

    #[test]
    fn lenient_json() {
        assert_eq!(ok(r#"{"id": "u", "name": null}"#), ("u".into(), None, None));
        assert_eq!(ok(r#" {"email":"a@b","id":-12,"x":[1,{"y":[]}]} "#), ("-12".into(), None, Some("a@b".into())));
        assert_eq!(ok(r#"{"id":"\u00e9\ud83d\ude00\/\"","name":""}"#), ("é😀/\"".into(), None, None));
        assert_eq!(ok(r#"{"\u0069d":"u","x":1e400,"y":-0.5E-3,"z":[true,false,null,"s",{}]}"#).0, "u");
        let huge = "9".repeat(300);
        assert_eq!(ok(&format!(r#"{{"id":{huge}}}"#)).0, huge);
        assert_eq!(ok(r#"{"id":-0}"#).0, "-0");
        let deep = format!(r#"{{"id":"u","x":{}{}}}"#, "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        assert_eq!(ok(&deep).0, "u");
        let deep = format!(r#"{{"id":"u","x":{}{}}}"#, r#"{"a":"#.repeat(MAX_DEPTH - 2), "{}".to_owned() + &"}".repeat(MAX_DEPTH - 2));
        assert_eq!(ok(&deep).0, "u");
    }

    #[test]
    fn strict_json() {
        for s in [
            "", "[]", r#""u""#, r#"{"id":"u",}"#, r#"{"id":"u"} x"#, r#"{"name":"n"}"#,
            r#"{"id":""}"#, r#"{"id":1.5}"#, r#"{"id":1e3}"#, r#"{"id":true}"#, r#"{"id":01}"#,
            r#"{"id":"u","id":"v"}"#, r#"{"id":"u","x":1,"x":2}"#, r#"{"id":"u","name":5}"#,
            r#"{"id":"\ud800"}"#, r#"{"id":"\udc00\ud800"}"#, "{\"id\":\"a\u{1}\"}", r#"{"id":"\x"}"#,
            "\u{feff}{\"id\":\"u\"}", r#"{"id":"u","x":NaN}"#, r#"{"id":"u","x":{"a":1,"a":2}}"#,
            r#"{"id":"u","x":"\ud800"}"#, r#"{"id":"u","x":{"\udc00":1}}"#, r#"{"id":"u","x":[{"b":1,"\u0062":2}]}"#,
            r#"{"id":{}}"#, r#"{"id":null}"#, r#"{"id":"u","email":[]}"#, r#"{"id":"u""#, r#"{"id":-}"#,
        ] {
            refused(s);
        }
        assert_eq!(refused(r#"{"id":"u","id":"v"}"#), "token payload has a duplicated key");
        assert_eq!(refused(r#"{"id":1.5}"#), "token payload has an id that is a number but not an integer");
        assert_eq!(refused(r#"{"id":"u"} x"#), "token payload has text after the JSON object");
        assert_eq!(refused(r#"{"id":"u""#), "token payload ends too early");
        assert_eq!(refused("[]"), "token payload is not a JSON object");
        assert_eq!(refused(r#"{"id":"\ud800"}"#), "token payload has a \\u escape that is a lone surrogate");
        assert_eq!(refused(r#"{"id":"u","x":["\udc00"]}"#), "token payload has a \\u escape that is a lone surrogate");
        assert_eq!(refused("{\"id\":\"a\u{1}\"}"), "token payload has a control character inside a string");
        assert_eq!(refused(r#"{"id":"\x"}"#), "token payload has an invalid string escape");
        let too_deep_object = format!(r#"{{"id":"u","x":{}{}}}"#, r#"{"a":"#.repeat(MAX_DEPTH - 1), "{}".to_owned() + &"}".repeat(MAX_DEPTH - 1));
        assert_eq!(refused(&too_deep_object), "token payload nests deeper than 64 levels");
        assert_eq!(Problem::TooDeep.describe(), format!("nests deeper than {MAX_DEPTH} levels"));
        let deep = format!(r#"{{"id":"u","x":{}{}}}"#, "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(refused(&deep), "token payload nests deeper than 64 levels");
        refused(&format!(r#"{{"id":"u","x":{}"#, "[".repeat(100_000)));
        refused(&format!(r#"{{"id":"u","x":{}{}}}"#, "[".repeat(100_000), "]".repeat(100_000)));
    }
}

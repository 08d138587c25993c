//! Reads a decrypted plaintext into a [`UserIdentity`] (SPEC section 3,
//! step 4): any valid JSON (RFC 8259) whose top level is an object with an
//! `id` that is a non-empty string or an integer, `name`/`email` strings or
//! null, other keys ignored, no key twice.

use std::borrow::Cow;

use crate::identity::first_to_escape;
use crate::{Error, UserIdentity};

/// Deepest nesting of arrays and objects accepted, counting the top-level
/// object as 1. Deeper payloads are refused rather than recursed into.
pub(crate) const MAX_DEPTH: usize = 64;

fn bad(what: &str) -> Error {
    Error::InvalidPayload(format!("token payload {what}"))
}

pub(crate) fn parse_identity(plaintext: &[u8]) -> Result<UserIdentity, Error> {
    let text = std::str::from_utf8(plaintext).map_err(|_| bad("is not UTF-8"))?;
    let mut p = Parser { s: text.as_bytes(), text, i: 0 };
    p.ws();
    if p.peek() != Some(b'{') {
        return Err(bad("is not a JSON object"));
    }
    p.i += 1;
    // Borrowed from the plaintext unless escapes had to be decoded; the
    // identity copies all three into one allocation at the end.
    let mut id: Option<Cow<'_, str>> = None;
    let mut name: Option<Option<Cow<'_, str>>> = None;
    let mut email: Option<Option<Cow<'_, str>>> = None;
    let mut others: Vec<Cow<'_, str>> = Vec::new();
    p.ws();
    if p.peek() == Some(b'}') {
        p.i += 1;
    } else {
        loop {
            p.ws();
            let key = p.string()?;
            p.ws();
            p.expect(b':')?;
            p.ws();
            let duplicate = match &*key {
                "id" => id.replace(p.id()?).is_some(),
                "name" => name.replace(p.optional_string("name")?).is_some(),
                "email" => email.replace(p.optional_string("email")?).is_some(),
                _ => {
                    p.skip_value(2)?;
                    let seen = others.contains(&key);
                    others.push(key.clone());
                    seen
                }
            };
            if duplicate {
                return Err(bad("has a duplicated key"));
            }
            p.ws();
            match p.next()? {
                b',' => continue,
                b'}' => break,
                _ => return Err(bad("is not valid JSON")),
            }
        }
    }
    p.ws();
    if p.i != p.s.len() {
        return Err(bad("has text after the JSON object"));
    }
    let id = id.ok_or_else(|| bad("has no id"))?;
    Ok(UserIdentity::from_fields(&id, name.flatten().as_deref(), email.flatten().as_deref()))
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn next(&mut self) -> Result<u8, Error> {
        let b = self.peek().ok_or_else(|| bad("ends too early"))?;
        self.i += 1;
        Ok(b)
    }

    fn expect(&mut self, want: u8) -> Result<(), Error> {
        if self.next()? == want {
            Ok(())
        } else {
            Err(bad("is not valid JSON"))
        }
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), Error> {
        if self.s[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err(bad("is not valid JSON"))
        }
    }

    /// `id`: a non-empty string, or an integer kept as written.
    fn id(&mut self) -> Result<Cow<'a, str>, Error> {
        match self.peek() {
            Some(b'"') => {
                let id = self.string()?;
                if id.is_empty() {
                    return Err(bad("has an empty id"));
                }
                Ok(id)
            }
            Some(b'-' | b'0'..=b'9') => {
                let start = self.i;
                if self.number()? {
                    return Err(bad("has an id that is a number but not an integer"));
                }
                Ok(Cow::Borrowed(&self.text[start..self.i]))
            }
            _ => Err(bad("has an id that is neither a string nor an integer")),
        }
    }

    /// `name`/`email`: a string (`""` means absent) or null.
    fn optional_string(&mut self, field: &str) -> Result<Option<Cow<'a, str>>, Error> {
        match self.peek() {
            Some(b'"') => {
                let s = self.string()?;
                Ok(if s.is_empty() { None } else { Some(s) })
            }
            Some(b'n') => self.literal(b"null").map(|_| None),
            _ => Err(bad(&format!("has a {field} that is neither a string nor null"))),
        }
    }

    /// Skips any JSON value; `depth` is the nesting level of that value.
    fn skip_value(&mut self, depth: usize) -> Result<(), Error> {
        match self.peek() {
            Some(b'"') => self.string().map(drop),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(open @ (b'[' | b'{')) => {
                if depth > MAX_DEPTH {
                    return Err(bad(&format!("nests deeper than {MAX_DEPTH} levels")));
                }
                self.i += 1;
                let close = if open == b'[' { b']' } else { b'}' };
                self.ws();
                if self.peek() == Some(close) {
                    self.i += 1;
                    return Ok(());
                }
                let mut keys: Vec<Cow<'_, str>> = Vec::new();
                loop {
                    self.ws();
                    if open == b'{' {
                        let key = self.string()?;
                        if keys.contains(&key) {
                            return Err(bad("has a duplicated key"));
                        }
                        keys.push(key);
                        self.ws();
                        self.expect(b':')?;
                        self.ws();
                    }
                    self.skip_value(depth + 1)?;
                    self.ws();
                    match self.next()? {
                        b',' => continue,
                        b if b == close => return Ok(()),
                        _ => return Err(bad("is not valid JSON")),
                    }
                }
            }
            _ => Err(bad("is not valid JSON")),
        }
    }

    /// Reads a number; returns whether it had a fraction or an exponent.
    fn number(&mut self) -> Result<bool, Error> {
        let digits = |p: &mut Self| {
            let start = p.i;
            while let Some(b'0'..=b'9') = p.peek() {
                p.i += 1;
            }
            p.i > start
        };
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(bad("is not valid JSON")),
        }
        let mut real = false;
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !digits(self) {
                return Err(bad("is not valid JSON"));
            }
            real = true;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if !digits(self) {
                return Err(bad("is not valid JSON"));
            }
            real = true;
        }
        Ok(real)
    }

    /// Reads a string, decoding escapes only when there are any.
    fn string(&mut self) -> Result<Cow<'a, str>, Error> {
        if self.next()? != b'"' {
            return Err(bad("is not valid JSON"));
        }
        let start = self.i;
        // The bytes that end a run of plain string content (`"`, `\`,
        // controls) are exactly the ones a JSON writer escapes.
        let run = first_to_escape(&self.s[start..]).ok_or_else(|| bad("ends too early"))?;
        self.i += run;
        match self.s[self.i] {
            b'"' => {
                self.i += 1;
                return Ok(Cow::Borrowed(&self.text[start..self.i - 1]));
            }
            b'\\' => {}
            _ => return Err(bad("has a control character inside a string")),
        }
        let mut out = String::from(&self.text[start..self.i]);
        loop {
            let run = self.i;
            self.i += first_to_escape(&self.s[run..]).unwrap_or(self.s.len() - run);
            out.push_str(&self.text[run..self.i]);
            match self.next()? {
                b'"' => return Ok(Cow::Owned(out)),
                b'\\' => {}
                _ => return Err(bad("has a control character inside a string")),
            }
            let c = match self.next()? {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => self.unicode_escape()?,
                _ => return Err(bad("has an invalid string escape")),
            };
            out.push(c);
        }
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let mut v = 0;
        for _ in 0..4 {
            let d = (self.next()? as char).to_digit(16).ok_or_else(|| bad("has an invalid \\u escape"))?;
            v = v * 16 + d;
        }
        Ok(v)
    }

    fn unicode_escape(&mut self) -> Result<char, Error> {
        let lone = || bad("has a \\u escape that is a lone surrogate");
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.s[self.i..].starts_with(b"\\u") {
                    return Err(lone());
                }
                self.i += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(lone());
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(lone()),
            c => c,
        };
        char::from_u32(code).ok_or_else(lone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> (String, Option<String>, Option<String>) {
        parse_identity(s.as_bytes()).unwrap().into_parts()
    }

    fn refused(s: &str) {
        let err = parse_identity(s.as_bytes()).unwrap_err();
        assert_eq!(err.code(), "invalid_payload", "{s}");
    }

    #[test]
    fn lenient_json() {
        assert_eq!(ok(r#"{"id": "u", "name": null}"#), ("u".into(), None, None));
        assert_eq!(ok(r#" {"email":"a@b","id":-12,"x":[1,{"y":[]}]} "#), ("-12".into(), None, Some("a@b".into())));
        assert_eq!(ok(r#"{"id":"\u00e9\ud83d\ude00\/\"","name":""}"#), ("é😀/\"".into(), None, None));
        let deep = format!(r#"{{"id":"u","x":{}{}}}"#, "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
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
        ] {
            refused(s);
        }
        let deep = format!(r#"{{"id":"u","x":{}{}}}"#, "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        refused(&deep);
        refused(&format!(r#"{{"id":"u","x":{}"#, "[".repeat(100_000)));
    }
}

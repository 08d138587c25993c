//! The widget's script tag.

use std::fmt::{self, Write as _};

/// Bytes scanned at a time by [`escape_attr`].
const CHUNK: usize = 16;

/// Whether `byte` is one of the five escaped characters. Written as
/// comparisons rather than a `match` so that a scan over a chunk vectorizes
/// (a `match` compiles to a jump table: one indirect branch per byte of a
/// token, mispredicted on every fresh token).
fn is_escaped(byte: u8) -> bool {
    (byte == b'&') | (byte == b'<') | (byte == b'>') | (byte == b'"') | (byte == b'\'')
}

/// The entity that replaces an escaped byte.
fn entity(byte: u8) -> Option<&'static str> {
    match byte {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#x27;"),
        _ => None,
    }
}

/// Writes `text` escaped for a double-quoted HTML attribute value. The five
/// characters escaped are ASCII, so the text is copied in runs between them
/// (each run ends and starts on a character boundary); chunks of text with
/// none of them (every chunk of a token, most of a URL) are passed over
/// with one test each.
fn escape_attr(out: &mut String, text: &str) {
    let mut run = 0;
    let chunks = text.as_bytes().chunks_exact(CHUNK);
    let tail = chunks.remainder();
    for (index, chunk) in chunks.enumerate() {
        if chunk.iter().fold(false, |any, &byte| any | is_escaped(byte)) {
            escape_bytes(out, text, &mut run, index * CHUNK, chunk);
        }
    }
    escape_bytes(out, text, &mut run, text.len() - tail.len(), tail);
    out.push_str(&text[run..]);
}

/// [`escape_attr`] over `bytes`, which start at `start` in `text`: copies
/// the text from `run` up to each escaped byte, then its entity.
fn escape_bytes(out: &mut String, text: &str, run: &mut usize, start: usize, bytes: &[u8]) {
    for (offset, &byte) in bytes.iter().enumerate() {
        if let Some(entity) = entity(byte) {
            let at = start + offset;
            out.push_str(&text[*run..at]);
            out.push_str(entity);
            *run = at + 1;
        }
    }
}

/// The `<script>` tag that loads the chat widget, with every value
/// HTML-attribute-escaped; without a token there is no `data-user-token`.
///
/// `assistant_id` may be text or an integer (anything `Display`).
///
/// ```
/// use teamweb_identity::widget_script_tag;
/// assert_eq!(
///     widget_script_tag("https://x.test/w.js?a=1&b=2", 123, Some("tok+/=")),
///     r#"<script src="https://x.test/w.js?a=1&amp;b=2" data-assistant-id="123" data-user-token="tok+/="></script>"#
/// );
/// assert_eq!(
///     widget_script_tag("/w.js", "a\"b", None),
///     r#"<script src="/w.js" data-assistant-id="a&quot;b"></script>"#
/// );
/// ```
pub fn widget_script_tag(src: &str, assistant_id: impl fmt::Display, user_token: Option<&str>) -> String {
    let mut id = String::new();
    // Writing to a String cannot fail.
    let _ = write!(id, "{assistant_id}");
    let mut out = String::with_capacity(64 + src.len() + id.len() + user_token.map_or(0, str::len));
    out.push_str("<script src=\"");
    escape_attr(&mut out, src);
    out.push_str("\" data-assistant-id=\"");
    escape_attr(&mut out, &id);
    if let Some(token) = user_token {
        out.push_str("\" data-user-token=\"");
        escape_attr(&mut out, token);
    }
    out.push_str("\"></script>");
    out
}

//! The widget's script tag.

use std::fmt::{self, Write as _};

/// Writes `text` escaped for a double-quoted HTML attribute value. The five
/// characters escaped are ASCII, so the text is copied in runs between them
/// (each run ends and starts on a character boundary).
fn escape_attr(out: &mut String, text: &str) {
    let mut run = 0;
    for (at, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            _ => continue,
        };
        out.push_str(&text[run..at]);
        out.push_str(entity);
        run = at + 1;
    }
    out.push_str(&text[run..]);
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

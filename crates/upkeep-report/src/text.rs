//! Untrusted text (commit authors, forge logins, tag names, paths) made safe
//! for where it is printed. JSON keeps the exact text; a terminal and Markdown
//! get it with control characters made visible, so an author named
//! `ESC[31m` or carrying a bidirectional override cannot recolour, move or
//! reorder what a reader sees.

use std::fmt::Write;

/// `text` for a terminal: C0 and C1 control characters, DEL and Unicode's
/// bidirectional controls are written as escapes (`\x1b`, `\u{202e}`);
/// everything else is kept.
pub fn terminal(text: &str) -> String {
    if !text.chars().any(unsafe_char) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !unsafe_char(c) {
            out.push(c);
        } else if (c as u32) < 0x100 {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
    out
}

/// A rendered page (HTML, SVG) with every control character but line
/// breaks and tabs made visible as in [`terminal`]: untrusted text in a title,
/// a table or an attribute can carry no raw `ESC` or bidirectional override,
/// whichever template put it there.
pub fn page(rendered: String) -> String {
    let kept = |c: char| matches!(c, '\n' | '\r' | '\t');
    if !rendered.chars().any(|c| unsafe_char(c) && !kept(c)) {
        return rendered;
    }
    let mut out = String::with_capacity(rendered.len() + 16);
    for c in rendered.chars() {
        if kept(c) || !unsafe_char(c) {
            out.push(c);
        } else {
            out.push_str(&terminal(c.encode_utf8(&mut [0; 4])));
        }
    }
    out
}

/// `text` for a Markdown table cell or list item: made terminal-safe, and
/// unable to break the table or inject markup.
pub fn markdown(text: &str) -> String {
    terminal(&text.replace('\n', " "))
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `text` as one quoted CSV cell: made terminal-safe (a spreadsheet or a
/// `cat` shows no raw control character), quotes doubled.
pub fn csv_cell(text: &str) -> String {
    format!("\"{}\"", terminal(text).replace('"', "\"\""))
}

/// Control characters (C0 but for none, DEL, C1) and bidirectional formatting
/// characters (marks, embeddings, overrides, isolates).
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_keep_their_lines_and_lose_raw_controls() {
        let html = "<title>ACME\u{1b}[2J</title>\n\t<td>\u{202e}evil</td>\r\n".to_owned();
        assert_eq!(
            page(html),
            "<title>ACME\\x1b[2J</title>\n\t<td>\\u{202e}evil</td>\r\n"
        );
    }

    #[test]
    fn controls_and_bidi_overrides_are_made_visible() {
        assert_eq!(terminal("Ann Smith"), "Ann Smith");
        assert_eq!(terminal("\u{1b}[31mEve\u{1b}[0m"), "\\x1b[31mEve\\x1b[0m");
        assert_eq!(terminal("a\u{7}b\u{9b}c\u{7f}"), "a\\x07b\\x9bc\\x7f");
        assert_eq!(terminal("evil\u{202e}gnp.exe"), "evil\\u{202e}gnp.exe");
        assert_eq!(terminal("René Latin"), "René Latin");
        assert_eq!(csv_cell("a \"b\"\u{1b}\0"), "\"a \"\"b\"\"\\x1b\\x00\"");
    }

    #[test]
    fn untrusted_text_cannot_break_markdown() {
        assert_eq!(markdown("Eve <script>|x\ny"), "Eve &lt;script&gt;\\|x y");
        assert_eq!(markdown("\u{1b}[2J"), "\\\\x1b[2J");
    }
}

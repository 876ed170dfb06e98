//! Who sent a message: `"Name" <addr>`, `Name <addr>`, `addr (Name)`, a bare
//! address; archives that hide addresses as `user at domain` get them back.

/// The (name, address) of a From value, RFC 2047 words already decoded.
pub fn sender(value: &str) -> (String, String) {
    let value = value.trim();
    if let (Some(open), Some(close)) = (value.rfind('<'), value.rfind('>'))
        && open < close
    {
        let name = unquote(&value[..open]);
        return (name, address(&value[open + 1..close]));
    }
    if let (Some(open), Some(close)) = (value.find('('), value.rfind(')'))
        && open < close
    {
        let name = unquote(&value[open + 1..close]);
        return (name, address(&value[..open]));
    }
    if value.contains('@') || value.contains(" at ") {
        return (String::new(), address(value));
    }
    (unquote(value), String::new())
}

/// An address as written, `user at domain` turned back into `user@domain`.
fn address(text: &str) -> String {
    let text = text.trim();
    match text.split_once(" at ") {
        Some((user, domain)) if !text.contains('@') => {
            format!(
                "{}@{}",
                user.trim(),
                domain.trim().trim_matches(['“', '”', '"'])
            )
        }
        _ => text.to_owned(),
    }
}

/// The name without its quotes, with RFC 2047 words decoded (mail programs
/// write them inside quotes and comments, where the header's decoder leaves them).
fn unquote(text: &str) -> String {
    let name = text.trim().trim_matches('"').trim();
    if !name.contains("=?") {
        return name.to_owned();
    }
    let header = format!("X: {name}");
    mailparse::parse_header(header.as_bytes())
        .map(|(h, _)| h.get_value())
        .unwrap_or_else(|_| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let s = |v| sender(v);
        assert_eq!(
            s("\"Eugenia Loli-Queru\" <eloli@hotmail.com>"),
            ("Eugenia Loli-Queru".into(), "eloli@hotmail.com".into())
        );
        assert_eq!(
            s("goran at domain.com (Göran Lastname)"),
            ("Göran Lastname".into(), "goran@domain.com".into())
        );
        assert_eq!(s("a@b.org"), (String::new(), "a@b.org".into()));
        assert_eq!(
            s("lucia at example.com (=?UTF-8?Q?Luc=C3=ADa_Charlie?=)"),
            ("Lucía Charlie".into(), "lucia@example.com".into())
        );
        assert_eq!(s("Just A Name"), ("Just A Name".into(), String::new()));
    }
}

//! Plain text for report files: no terminal escapes, nothing an XML 1.0 document
//! cannot hold. Every message that reaches a report goes through [`plain`].

/// `text` without ANSI escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL|ST`, and
/// two-byte `ESC x`), and without characters XML 1.0 forbids (C0 controls but tab, line
/// feed and carriage return; U+FFFE, U+FFFF). A removed control shows as U+FFFD.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.peek() {
                Some('[') => {
                    chars.next();
                    // Parameters and intermediates, then one final byte 0x40..=0x7e.
                    for c in chars.by_ref() {
                        if ('\u{40}'..='\u{7e}').contains(&c) {
                            break;
                        }
                    }
                }
                Some(']') => {
                    chars.next();
                    while let Some(c) = chars.next() {
                        if c == '\u{7}' {
                            break;
                        }
                        if c == '\u{1b}' && chars.peek() == Some(&'\\') {
                            chars.next();
                            break;
                        }
                    }
                }
                Some(_) => {
                    chars.next();
                }
                None => {}
            },
            '\t' | '\n' | '\r' => out.push(c),
            c if allowed_in_xml(c) => out.push(c),
            _ => out.push('\u{fffd}'),
        }
    }
    out
}

/// Whether XML 1.0 allows `c` in character data (tab, LF and CR are handled apart).
fn allowed_in_xml(c: char) -> bool {
    matches!(c,
        '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10ffff}')
        && !('\u{7f}'..='\u{9f}').contains(&c)
}

/// The first line of a message, for a one-line attribute.
pub fn first_line(text: &str) -> &str {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
}

/// Whether colour may be written to a stream: it is a terminal and `NO_COLOR` is unset
/// or empty (<https://no-color.org>).
pub fn colour_allowed(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_xml_invalid_characters_are_removed() {
        let coloured = "\u{1b}[1;31m-expected\u{1b}[0m \u{1b}]8;;x\u{7}link\u{1b}]8;;\u{7}";
        assert_eq!(plain(coloured), "-expected link");
        assert_eq!(plain("a\u{0}b\u{8}c\td\r\n"), "a\u{fffd}b\u{fffd}c\td\r\n");
        assert_eq!(plain("𠮷田 花子 \u{ffff}"), "𠮷田 花子 \u{fffd}");
        assert_eq!(plain("\u{1b}"), "");
    }

    #[test]
    fn first_line_skips_blank_lines() {
        assert_eq!(first_line("\n  check failed \nmore"), "check failed");
        assert_eq!(first_line(""), "");
    }
}

//! Line breaking for Japanese text with a little 禁則処理 (kinsoku).
//!
//! Japanese may break between any two characters, except that closing
//! punctuation and small kana must not start a line and opening brackets must
//! not end one. Runs of Latin letters and digits break only at spaces, unless
//! a single word is wider than the line. Explicit newlines are honoured.
//! Breaking never adds or removes a character other than the spaces at a break.

/// Characters that must not begin a line (行頭禁則).
const NO_LINE_START: &str = "、。，．,.・：；:;？！?!ー―‐ー〜～…‥)）]］}｝〕〉》」』】〙〗’”\u{FF60}ゝゞヽヾ々〻ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ%％℃°′″";

/// Characters that must not end a line (行末禁則).
const NO_LINE_END: &str = "(（[［{｛〔〈《「『【〘〖‘“\u{FF5F}";

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.' | ',' | '@' | '#' | '\'')
}

/// Splits one paragraph (no newlines) into unbreakable pieces: Latin words
/// with their trailing spaces, or single other characters.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut iter = text.char_indices().peekable();
    while let Some((start, c)) = iter.next() {
        let mut end = start + c.len_utf8();
        if is_word_char(c) {
            while let Some(&(i, n)) = iter.peek() {
                if !is_word_char(n) {
                    break;
                }
                end = i + n.len_utf8();
                iter.next();
            }
        }
        // ASCII spaces stick to the token before them, so a line never starts
        // with one (a full-width space is a character like any other).
        while let Some(&(i, n)) = iter.peek() {
            if n != ' ' {
                break;
            }
            end = i + n.len_utf8();
            iter.next();
        }
        // A variation selector belongs to the character before it.
        while let Some(&(i, n)) = iter.peek() {
            if !matches!(n, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}') {
                break;
            }
            end = i + n.len_utf8();
            iter.next();
        }
        out.push(&text[start..end]);
    }
    out
}

fn starts_forbidden(token: &str) -> bool {
    token
        .chars()
        .next()
        .is_some_and(|c| NO_LINE_START.contains(c))
}

fn ends_forbidden(token: &str) -> bool {
    token
        .trim_end_matches(' ')
        .chars()
        .last()
        .is_some_and(|c| NO_LINE_END.contains(c))
}

/// Breaks `text` into lines no wider than `max_width`, measured by `width`.
/// An empty text gives one empty line.
pub(crate) fn wrap(text: &str, max_width: f32, width: &dyn Fn(&str) -> f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let paragraph = paragraph.strip_suffix('\r').unwrap_or(paragraph);
        wrap_paragraph(paragraph, max_width, width, &mut lines);
    }
    lines
}

fn wrap_paragraph(
    text: &str,
    max_width: f32,
    width: &dyn Fn(&str) -> f32,
    lines: &mut Vec<String>,
) {
    // Split words wider than a line into single characters first.
    let mut toks: Vec<&str> = Vec::new();
    for t in tokens(text) {
        if t.chars().count() > 1 && width(t.trim_end_matches(' ')) > max_width {
            let mut start = 0;
            for (i, c) in t.char_indices().skip(1) {
                if !matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}') {
                    toks.push(&t[start..i]);
                    start = i;
                }
            }
            toks.push(&t[start..]);
        } else {
            toks.push(t);
        }
    }

    let mut current: Vec<&str> = Vec::new();
    let fits = |line: &[&str], extra: &str| {
        let mut s: String = line.concat();
        s.push_str(extra);
        width(s.trim_end_matches(' ')) <= max_width
    };
    for tok in toks {
        if current.is_empty() || fits(&current, tok) {
            current.push(tok);
            continue;
        }
        // `tok` starts a new line. Carry tokens over while the new line would
        // start with a forbidden character or the old one end with one, as
        // long as the old line keeps at least one token.
        let mut carried: Vec<&str> = vec![tok];
        while current.len() > 1
            && (starts_forbidden(carried[0]) || ends_forbidden(current[current.len() - 1]))
        {
            carried.insert(0, current.pop().expect("len > 1"));
        }
        lines.push(current.concat().trim_end_matches(' ').to_string());
        // The carried tokens normally fit; if not, break them greedily.
        current = Vec::new();
        for t in carried {
            if current.is_empty() || fits(&current, t) {
                current.push(t);
            } else {
                lines.push(current.concat().trim_end_matches(' ').to_string());
                current = vec![t];
            }
        }
    }
    lines.push(current.concat().trim_end_matches(' ').to_string());
}

#[cfg(test)]
mod tests {
    use super::wrap;

    /// Every character is 1 wide except ASCII, which is 0.5.
    fn w(s: &str) -> f32 {
        s.chars()
            .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
            .sum()
    }

    #[test]
    fn document_wrap_breaks_japanese_anywhere() {
        assert_eq!(
            wrap("青葉台市緑町一丁目", 4.0, &w),
            vec!["青葉台市", "緑町一丁", "目"]
        );
    }

    #[test]
    fn document_wrap_keeps_punctuation_off_line_start() {
        // 。 would start line 2: 。 and the character before it move down.
        assert_eq!(wrap("あいうえ。かき", 4.0, &w), vec!["あいう", "え。かき"]);
        // 「 must not end a line.
        assert_eq!(wrap("あいう「え」", 4.0, &w), vec!["あいう", "「え」"]);
    }

    #[test]
    fn document_wrap_keeps_latin_words_and_newlines() {
        assert_eq!(wrap("abc defg hij", 4.0, &w), vec!["abc defg", "hij"]);
        assert_eq!(wrap("一\n\n二", 4.0, &w), vec!["一", "", "二"]);
        assert_eq!(wrap("", 4.0, &w), vec![""]);
        // A word longer than the line is broken by character.
        assert_eq!(wrap("abcdefghij", 2.0, &w), vec!["abcd", "efgh", "ij"]);
    }

    #[test]
    fn document_wrap_loses_no_characters() {
        let text = "東京都千代田区霞が関二丁目1番2号　𠮷田ビル（第3号館）「テスト」、です。";
        let lines = wrap(text, 5.0, &w);
        let joined: String = lines.concat();
        let spaceless: String = text.chars().filter(|c| *c != ' ').collect();
        assert_eq!(joined.replace(' ', ""), spaceless);
        assert!(lines.iter().all(|l| w(l) <= 5.0));
    }
}

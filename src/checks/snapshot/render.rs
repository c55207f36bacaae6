//! The snapshot body of an issuance: its 記載事項 and options as JSON plus the text
//! extracted from the PDF, normalized, with volatile values and times of day redacted.

use kofu_profile::IssuanceOptions;
use kofu_profile::content::Content;
use kofu_profile::issuance::Issuance;
use serde::Serialize;

#[derive(Serialize)]
struct DocumentView<'a> {
    media_type: &'a str,
    page_count: u32,
    sha256: &'static str,
}

#[derive(Serialize)]
struct Normalized<'a> {
    certificate: &'a str,
    municipality: &'a str,
    copies: u8,
    fee_per_copy: u32,
    fee_total: u32,
    issue_date: chrono::NaiveDate,
    issuance_id: &'static str,
    request_id: &'static str,
    certificate_number: &'static str,
    options: IssuanceOptions,
    document: DocumentView<'a>,
    content: &'a Content,
    text: Vec<String>,
}

/// The normalized, redacted snapshot body of an issuance: pretty JSON.
pub fn render(issuance: &Issuance, options: &IssuanceOptions, pdf_text: &str) -> String {
    let mut options = options.clone();
    for m in &mut options.members {
        *m = "[member-id]".to_owned();
    }
    let volatile = [
        (issuance.certificate_number.as_str(), "[certificate-number]"),
        (issuance.issuance_id.as_str(), "[issuance-id]"),
    ];
    let request_id = issuance.request_id.to_string();
    let text = pdf_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut l = l.to_owned();
            for (value, placeholder) in volatile
                .iter()
                .copied()
                .chain([(request_id.as_str(), "[request-id]")])
            {
                if !value.is_empty() {
                    l = l.replace(value, placeholder);
                }
            }
            redact_times(&l)
        })
        .collect();
    let view = Normalized {
        certificate: issuance.certificate.code(),
        municipality: &issuance.municipality,
        copies: issuance.copies,
        fee_per_copy: issuance.fee_per_copy,
        fee_total: issuance.fee_total,
        issue_date: issuance.issue_date,
        issuance_id: "[issuance-id]",
        request_id: "[request-id]",
        certificate_number: "[certificate-number]",
        options,
        document: DocumentView {
            media_type: &issuance.document.media_type,
            page_count: issuance.document.page_count,
            sha256: "[sha256]",
        },
        content: &issuance.content,
        text,
    };
    serde_json::to_string_pretty(&view).unwrap_or_else(|e| format!("unserializable: {e}"))
}

/// Replace times of day (`10:03`, `10:03:41`, `10時3分`, `10時3分41秒`) with `[time]`.
pub fn redact_times(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        // Not inside a longer number, nor a UTC offset (`+09:00`).
        let preceded =
            i > 0 && (chars[i - 1].is_ascii_digit() || matches!(chars[i - 1], '+' | '-'));
        if !preceded && let Some(end) = time_at(&chars, i) {
            out.push_str("[time]");
            i = end;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Count of ASCII digits from `i`.
fn digits(chars: &[char], i: usize) -> usize {
    chars[i.min(chars.len())..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count()
}

/// The end of a time of day starting at `i`, if one does.
fn time_at(chars: &[char], i: usize) -> Option<usize> {
    let h = digits(chars, i);
    if !(1..=2).contains(&h) {
        return None;
    }
    let at = |k: usize| chars.get(k).copied();
    let mut end = i + h;
    match at(end)? {
        ':' => {
            if digits(chars, end + 1) != 2 {
                return None;
            }
            end += 3;
            if at(end) == Some(':') && digits(chars, end + 1) == 2 {
                end += 3;
            }
            if at(end).is_some_and(|c| c.is_ascii_digit() || c == ':') {
                return None;
            }
        }
        '時' => {
            let m = digits(chars, end + 1);
            if !(1..=2).contains(&m) || at(end + 1 + m) != Some('分') {
                return None;
            }
            end += m + 2;
            let s = digits(chars, end);
            if (1..=2).contains(&s) && at(end + s) == Some('秒') {
                end += s + 1;
            }
        }
        _ => return None,
    }
    Some(end)
}

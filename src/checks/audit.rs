//! The issuance audit: every certificate the candidate returns, wherever in a run it
//! arrives (a scenario step, a menu-honesty probe, a kiosk session, the store-trial day),
//! is checked against the card that asked for it.
//!
//! The checks, each from the fixtures and the profile alone:
//! - the request echo: municipality, type, copies and request id are those asked for;
//! - the fee: 交付手数料 per copy is the claimed fee of the type, the total is per copy
//!   times copies;
//! - the persons: the 記載事項 state exactly the card holder (or the household members
//!   the request chose), and the content equals the independent expectation of
//!   [`crate::checks::expected`];
//! - the document: the declared page count is the PDF's, and every page carries the
//!   certificate number, its page number `i/n` and the name of the certificate's subject
//!   (profile, "The PDF": the page footer), so a page of another resident's document is
//!   found wherever it sits.
//!
//! The audit is a pure function: it reads the request, the answer and the fixtures, and
//! returns what is wrong. Who calls it, and how a finding fails a scenario, is the rig's
//! business.

use kofu_fixtures::{Fixtures, Municipality, Person};
use kofu_profile::content::Content;
use kofu_profile::issuance::{Issuance, IssuanceRequest};
use kofu_profile::{IssuanceOptions, Scope};

mod findings;
mod identifiers;

pub use findings::{AuditFailure, Finding};
use identifiers::identifier_findings;
pub use identifiers::{id_charset_ok, revealed_person};

use super::expected;
use super::pdf::squeeze;

/// What the harness asked for, as the auditor needs it.
#[derive(Debug, Clone, Copy)]
pub struct Asked<'a> {
    /// The municipality the request was sent to (its claimed profile: fees, offers).
    pub municipality: &'a Municipality,
    /// The request as sent.
    pub request: &'a IssuanceRequest,
    /// For the scope `members` (世帯の一部): the person ids the chosen member ids stand
    /// for, when the caller knows them (it picked them from a menu by name). `None`
    /// limits the person check to "members of the holder's household".
    pub chosen_persons: Option<&'a [String]>,
}

/// Audit one issuance against the card that asked for it.
pub fn audit(
    fixtures: &Fixtures,
    asked: Asked<'_>,
    issuance: &Issuance,
) -> Result<(), AuditFailure> {
    let request = asked.request;
    let card = fixtures.card_by_serial(&request.card_serial);
    let holder = card.and_then(|c| fixtures.register.person(&c.person));
    let mut findings = echo_findings(asked, issuance);
    match holder {
        None => findings.push(Finding::UnknownCard),
        Some(holder) => findings.extend(person_findings(fixtures, asked, holder, issuance)),
    }
    findings.extend(identifier_findings(fixtures, issuance));
    findings.extend(document_findings(fixtures, asked.municipality, issuance));
    if findings.is_empty() {
        return Ok(());
    }
    Err(failure(fixtures, request, issuance, findings))
}

/// The failure naming the issuance, the card (fixture id, or the serial when unknown)
/// and its holder, with `findings`.
pub fn failure(
    fixtures: &Fixtures,
    request: &IssuanceRequest,
    issuance: &Issuance,
    findings: Vec<Finding>,
) -> AuditFailure {
    let card = fixtures.card_by_serial(&request.card_serial);
    let holder = card.and_then(|c| fixtures.register.person(&c.person));
    AuditFailure {
        request_id: request.reception.request_id.to_string(),
        issuance_id: issuance.issuance_id.clone(),
        card: card.map_or_else(|| request.card_serial.clone(), |c| c.id.clone()),
        holder: holder.map_or_else(|| "unknown".to_owned(), |p| format!("{} {}", p.id, p.name)),
        findings,
    }
}

/// What the answer echoes of the request, and the fee.
fn echo_findings(asked: Asked<'_>, issuance: &Issuance) -> Vec<Finding> {
    let request = asked.request;
    let mut out = Vec::new();
    if issuance.municipality != asked.municipality.code {
        out.push(Finding::Municipality {
            asked: asked.municipality.code.clone(),
            answered: issuance.municipality.clone(),
        });
    }
    if issuance.request_id != request.reception.request_id {
        out.push(Finding::RequestId {
            asked: request.reception.request_id.to_string(),
            answered: issuance.request_id.to_string(),
        });
    }
    if issuance.certificate != request.certificate {
        out.push(Finding::Certificate {
            asked: request.certificate.code().to_owned(),
            answered: issuance.certificate.code().to_owned(),
        });
    }
    if i64::from(issuance.copies) != request.copies {
        out.push(Finding::Copies {
            asked: request.copies,
            answered: issuance.copies,
        });
    }
    if let Some(offer) = asked.municipality.offer(request.certificate)
        && offer.fee != issuance.fee_per_copy
    {
        out.push(Finding::Fee {
            claimed: offer.fee,
            answered: issuance.fee_per_copy,
        });
    }
    let total = issuance
        .fee_per_copy
        .saturating_mul(u32::from(issuance.copies));
    if total != issuance.fee_total {
        out.push(Finding::FeeTotal {
            expected: total,
            answered: issuance.fee_total,
        });
    }
    out
}

/// Whether the certificate is of the right persons, and states what the register says.
fn person_findings(
    fixtures: &Fixtures,
    asked: Asked<'_>,
    holder: &Person,
    issuance: &Issuance,
) -> Vec<Finding> {
    let named = expected::printed_names(&issuance.content);
    let mut out = restriction_findings(fixtures, asked, holder, &named);
    if !out.is_empty() {
        return out;
    }
    out.extend(identity_findings(fixtures, asked, holder, issuance, named));
    out
}

/// The restrictions that stop any certificate, and the one that stops any document:
/// the holder under the age limit or under DV等支援措置, and a protected person printed.
fn restriction_findings(
    fixtures: &Fixtures,
    asked: Asked<'_>,
    holder: &Person,
    named: &[String],
) -> Vec<Finding> {
    let restrictions = &asked.municipality.restrictions;
    let mut out = Vec::new();
    if let Some(limit) = restrictions.age_limit {
        let date = kofu_profile::time::jst_date(&asked.request.reception.reception_time);
        let age = age_on(holder.birth_date, date);
        if age < u32::from(limit) {
            out.push(Finding::NotIssuable(format!(
                "the holder is {age} on {date}, under the age limit of {limit}"
            )));
        }
    }
    if !restrictions.dv_protection {
        return out;
    }
    if holder.dv_protected {
        out.push(Finding::NotIssuable(
            "the holder is under DV等支援措置".to_owned(),
        ));
    }
    for p in fixtures.register.persons.iter().filter(|p| p.dv_protected) {
        if named.contains(&p.name) {
            out.push(Finding::ProtectedPersonPrinted(format!(
                "{} {}",
                p.id, p.name
            )));
        }
    }
    out
}

/// Age in full years on `date` by the profile's anniversary rule (profile, "Age"),
/// written here rather than borrowed from the fixtures crate, which the reference
/// server also uses.
fn age_on(birth: chrono::NaiveDate, date: chrono::NaiveDate) -> u32 {
    use chrono::Datelike as _;
    let years = date.year() - birth.year();
    let before_birthday = (date.month(), date.day()) < (birth.month(), birth.day());
    u32::try_from(years - i32::from(before_birthday)).unwrap_or(0)
}

/// Whether the certificate is of the right persons and says what the register says.
fn identity_findings(
    fixtures: &Fixtures,
    asked: Asked<'_>,
    holder: &Person,
    issuance: &Issuance,
    named: Vec<String>,
) -> Vec<Finding> {
    let request = asked.request;
    let members_unknown =
        request.options.scope == Some(Scope::Members) && asked.chosen_persons.is_none();
    if members_unknown {
        // Without the menu the choice was made from, the member ids mean nothing here:
        // every person named must still be a current member of the holder's household.
        let household: Vec<String> = fixtures
            .register
            .residence_of(holder)
            .map(|h| {
                fixtures
                    .register
                    .household_members(&h.id)
                    .filter(|p| p.status == kofu_fixtures::register::ResidentStatus::Resident)
                    .map(|p| p.name.clone())
                    .collect()
            })
            .unwrap_or_default();
        let foreign = named.iter().any(|n| !household.contains(n));
        let count_ok = named.len() == request.options.members.len();
        return if foreign || !count_ok {
            vec![Finding::Persons {
                expected: household,
                named,
            }]
        } else {
            Vec::new()
        };
    }
    let mut options: IssuanceOptions = request.options.clone();
    if let Some(persons) = asked.chosen_persons {
        options.members = persons.to_vec();
    }
    let expected = match expected::content(
        fixtures,
        asked.municipality,
        holder,
        request.certificate,
        &options,
    ) {
        Ok(content) => content,
        Err(e) => return vec![Finding::NotIssuable(e.to_string())],
    };
    let expected_names = expected::printed_names(&expected);
    if expected_names != named {
        let registered = |name: &str| fixtures.register.persons.iter().any(|p| p.name == name);
        return vec![Finding::of_persons(expected_names, named, registered)];
    }
    if expected != issuance.content {
        return vec![Finding::Content(content_differences(
            &expected,
            &issuance.content,
        ))];
    }
    Vec::new()
}

/// The fields of two contents that differ, as `path: expected …, answered …` lines.
pub fn content_differences(expected: &Content, answered: &Content) -> Vec<String> {
    let a = serde_json::to_value(expected).unwrap_or_default();
    let b = serde_json::to_value(answered).unwrap_or_default();
    let mut out = Vec::new();
    json_differences("", &a, &b, &mut out);
    out
}

fn json_differences(
    path: &str,
    a: &serde_json::Value,
    b: &serde_json::Value,
    out: &mut Vec<String>,
) {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match (x.get(k), y.get(k)) {
                    (Some(u), Some(v)) => json_differences(&p, u, v, out),
                    (Some(u), None) => out.push(format!("{p}: expected {u}, absent")),
                    (None, Some(v)) => out.push(format!("{p}: not expected, answered {v}")),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (u, v)) in x.iter().zip(y).enumerate() {
                json_differences(&format!("{path}[{i}]"), u, v, out);
            }
        }
        _ if a != b => out.push(format!("{path}: expected {a}, answered {b}")),
        _ => {}
    }
}

/// The name each page must carry: the first person the certificate states, or for the
/// 戸籍 types and the 附票 the 筆頭者 (profile, "The PDF").
pub fn page_subject(content: &Content) -> Option<String> {
    match content {
        Content::ResidentRecord(r) => r.persons.first().map(|p| p.name.clone()),
        Content::SealRegistration(s) => Some(s.name.clone()),
        Content::Tax(t) => Some(t.name.clone()),
        Content::FamilyRegister(k) => Some(k.hittosha.clone()),
        Content::FamilyRegisterAnnex(a) => Some(a.hittosha.clone()),
    }
}

/// Page count, and the certificate number, page number and subject on every page.
fn document_findings(
    fixtures: &Fixtures,
    municipality: &Municipality,
    issuance: &Issuance,
) -> Vec<Finding> {
    use base64::Engine as _;
    let bytes =
        match base64::engine::general_purpose::STANDARD.decode(&issuance.document.pdf_base64) {
            Ok(b) => b,
            Err(e) => {
                return vec![Finding::Unreadable(format!(
                    "pdf_base64 is not base64: {e}"
                ))];
            }
        };
    // One pass reads the pages' text and scans the whole file, not only the pages:
    // nothing but the certificate (profile, The PDF). The persons the file may name are
    // those the answer states; whether those are the right ones is the person and
    // content checks' business.
    let watch = super::pdf_forensics::watch(
        fixtures,
        &issuance.content,
        std::slice::from_ref(&municipality.mayor_name),
    );
    let reading = match super::pdf_forensics::read(&bytes, &watch) {
        Ok(r) => r,
        Err(e) => return vec![Finding::Unreadable(e.to_string())],
    };
    let mut out = page_findings(issuance, &reading.pages);
    if let Some(found) = super::pdf_forensics::summary(&reading.findings) {
        out.push(Finding::PdfNotClean(found));
    }
    out
}

/// The per-page checks over the text of each page.
pub fn page_findings(issuance: &Issuance, pages: &[String]) -> Vec<Finding> {
    let mut out = Vec::new();
    let total = pages.len();
    if issuance.document.page_count as usize != total {
        out.push(Finding::PageCount {
            declared: issuance.document.page_count,
            actual: total as u32,
        });
    }
    let number = squeeze(&issuance.certificate_number);
    let subject = page_subject(&issuance.content).map(|s| squeeze(&s));
    for (i, text) in pages.iter().enumerate() {
        let page = i + 1;
        let text = squeeze(text);
        if !text.contains(&number) {
            out.push(Finding::PageWithoutNumber { page, total });
        }
        if !text.contains(&format!("{page}/{total}")) {
            out.push(Finding::PageWithoutPageNumber { page, total });
        }
        if let Some(subject) = &subject
            && !text.contains(subject.as_str())
        {
            out.push(Finding::PageWithoutSubject {
                page,
                total,
                subject: subject.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;

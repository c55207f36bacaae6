//! What the issuance audit finds: one [`Finding`] per thing wrong, in the profile's words,
//! and the [`AuditFailure`] that names the issuance, the card and its holder.

use std::fmt;

/// One thing wrong with an issuance. The fields are what was asked or expected and what
/// the candidate answered; [`fmt::Display`] says each in the profile's words.
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The card serial maps to no person of the register, yet a certificate came back.
    UnknownCard,
    /// The answer is for another municipality than the one asked.
    Municipality { asked: String, answered: String },
    /// The answer echoes another request id.
    RequestId { asked: String, answered: String },
    /// Another certificate type than the one asked for.
    Certificate { asked: String, answered: String },
    /// Another number of copies than asked for.
    Copies { asked: i64, answered: u8 },
    /// 交付手数料 per copy other than the claimed fee of the type.
    Fee { claimed: u32, answered: u32 },
    /// `fee_total` is not `fee_per_copy × copies`.
    FeeTotal { expected: u32, answered: u32 },
    /// The certificate names persons other than those the card may be issued.
    Persons {
        expected: Vec<String>,
        named: Vec<String>,
    },
    /// The right persons, in another order than the register's.
    PersonOrder {
        expected: Vec<String>,
        named: Vec<String>,
    },
    /// Names that are no registered person's name where the register has another:
    /// (register, certificate) pairs, e.g. a compatibility ideograph normalised away.
    NamesChanged(Vec<(String, String)>),
    /// The register gives the holder no such certificate, yet one was issued.
    NotIssuable(String),
    /// The certificate prints a person under DV等支援措置 (a kiosk never does).
    ProtectedPersonPrinted(String),
    /// The persons are right, but the 記載事項 differ from the register.
    Content(Vec<String>),
    /// The document cannot be decoded or read.
    Unreadable(String),
    /// The declared page count is not the PDF's.
    PageCount { declared: u32, actual: u32 },
    /// A page lacks the certificate number.
    PageWithoutNumber { page: usize, total: usize },
    /// A page lacks its page number `i/n`.
    PageWithoutPageNumber { page: usize, total: usize },
    /// A page lacks the name of the certificate's subject.
    PageWithoutSubject {
        page: usize,
        total: usize,
        subject: String,
    },
    /// The PDF holds more than the certificate (PDF forensics, the whole file).
    PdfNotClean(String),
    /// `issuance_id` is not 1–64 characters of `A-Z a-z 0-9 - . _ ~`.
    IdCharset { field: &'static str, value: String },
    /// An identifier contains a 個人番号, a 住民票コード or a name.
    IdRevealsPerson {
        field: &'static str,
        value: String,
        what: &'static str,
    },
    /// The 証明書番号 (or the issuance id) was given before to another request.
    Reused {
        field: &'static str,
        value: String,
        earlier_request: String,
    },
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownCard => write!(
                f,
                "a certificate was issued for a card serial that maps to no one (expected not-issuable)"
            ),
            Self::Municipality { asked, answered } => write!(
                f,
                "municipality: asked {asked}, the issuance says {answered}"
            ),
            Self::RequestId { asked, answered } => write!(
                f,
                "request_id: asked {asked}, the issuance echoes {answered}"
            ),
            Self::Certificate { asked, answered } => {
                write!(f, "certificate: asked for {asked}, issued {answered}")
            }
            Self::Copies { asked, answered } => {
                write!(f, "copies: asked for {asked}, issued {answered}")
            }
            Self::Fee { claimed, answered } => write!(
                f,
                "fee_per_copy: the municipality profile's 交付手数料 is {claimed} yen, the issuance charges {answered} yen"
            ),
            Self::FeeTotal { expected, answered } => write!(
                f,
                "fee_total: fee_per_copy × copies is {expected} yen, the issuance says {answered} yen"
            ),
            Self::Persons { expected, named } => write!(
                f,
                "the certificate names {}, but the card may be issued a certificate of {} only: \
                 another resident's certificate",
                list(named),
                list(expected)
            ),
            Self::PersonOrder { expected, named } => write!(
                f,
                "the certificate lists {} in this order, but register order is {}",
                list(named),
                list(expected)
            ),
            Self::NamesChanged(pairs) => {
                write!(
                    f,
                    "names must keep the register's code points; the certificate changes them:"
                )?;
                for (register, printed) in pairs {
                    write!(
                        f,
                        "\n    register `{register}` ({}), certificate `{printed}` ({})",
                        code_points(register),
                        code_points(printed)
                    )?;
                }
                Ok(())
            }
            Self::NotIssuable(why) => write!(
                f,
                "the register gives this card no such certificate ({why}), yet it was issued"
            ),
            Self::ProtectedPersonPrinted(name) => write!(
                f,
                "the certificate prints {name}, a person under DV等支援措置: a kiosk never prints a protected person"
            ),
            Self::Content(lines) => {
                write!(f, "記載事項 differ from the register:")?;
                for l in lines {
                    write!(f, "\n    {l}")?;
                }
                Ok(())
            }
            Self::Unreadable(why) => write!(f, "the document cannot be read: {why}"),
            Self::PageCount { declared, actual } => write!(
                f,
                "page_count: declared {declared}, the PDF has {actual} pages"
            ),
            Self::PageWithoutNumber { page, total } => write!(
                f,
                "page {page}/{total} does not carry the certificate number: it may be a page of another document"
            ),
            Self::PageWithoutPageNumber { page, total } => write!(
                f,
                "page {page}/{total} does not carry its page number `{page}/{total}`"
            ),
            Self::PageWithoutSubject {
                page,
                total,
                subject,
            } => write!(
                f,
                "page {page}/{total} does not name the certificate's subject `{subject}`: it may be a page of another resident's document"
            ),
            Self::PdfNotClean(found) => write!(
                f,
                "the PDF holds more than the certificate (no 個人番号 or 住民票コード, no person it does not state, no hidden text, no active or external content, no embedded file or form, no layers, not encrypted): {found}"
            ),
            Self::IdCharset { field, value } => write!(
                f,
                "{field} `{value}` is not 1–64 characters of `A-Z a-z 0-9 - . _ ~` (ids go into paths)"
            ),
            Self::IdRevealsPerson { field, value, what } => write!(
                f,
                "{field} `{value}` contains {what}: no identifier may contain or reveal a 個人番号, a 住民票コード or a name"
            ),
            Self::Reused {
                field,
                value,
                earlier_request,
            } => write!(
                f,
                "{field} `{value}` was already given to request {earlier_request}: it is unique within the municipality"
            ),
        }
    }
}

impl Finding {
    /// The finding for a certificate whose persons' names are not the expected ones:
    /// the same names in another order, names no registered person has (a register name
    /// changed on its way), or else another resident's certificate.
    pub fn of_persons(
        expected: Vec<String>,
        named: Vec<String>,
        is_registered: impl Fn(&str) -> bool,
    ) -> Self {
        let (mut a, mut b) = (expected.clone(), named.clone());
        a.sort();
        b.sort();
        if a == b {
            return Self::PersonOrder { expected, named };
        }
        if expected.len() == named.len() {
            let changed: Vec<(String, String)> = expected
                .iter()
                .zip(&named)
                .filter(|(e, n)| e != n)
                .map(|(e, n)| (e.clone(), n.clone()))
                .collect();
            if changed.iter().all(|(_, n)| !is_registered(n)) {
                return Self::NamesChanged(changed);
            }
        }
        Self::Persons { expected, named }
    }
}

fn code_points(text: &str) -> String {
    crate::checks::printed_text::code_points(text)
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "nobody".to_owned()
    } else {
        names.join("、")
    }
}

/// A failed audit: which issuance, for which card, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFailure {
    /// `reception.request_id` of the request.
    pub request_id: String,
    /// The issuance id the candidate gave.
    pub issuance_id: String,
    /// The card: fixture id (or the serial when unknown).
    pub card: String,
    /// The card holder, `R001 桜井 太郎`, or `unknown` for a serial that maps to no one.
    pub holder: String,
    /// What is wrong.
    pub findings: Vec<Finding>,
}

impl fmt::Display for AuditFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "issuance audit: issuance {} (request {}) for card {} held by {}:",
            self.issuance_id, self.request_id, self.card, self.holder
        )?;
        for finding in &self.findings {
            write!(f, "\n  - {finding}")?;
        }
        Ok(())
    }
}

impl std::error::Error for AuditFailure {}

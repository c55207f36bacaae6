//! 三者照合: settlement reconciled three ways, to the yen. The terminal's sales journal,
//! the center's ledger and the candidate's issuance records are each turned into the
//! same accounts, per transaction and per statement (municipality × operator × business
//! day, and month), and compared with what the settlement rules say they must be:
//! the copies the printer actually printed (the journal's count), the municipality
//! profile's 交付手数料 table, and each operator's 委託手数料 contract.
//!
//! Longer than 400 lines because the three ledgers' accounts and the rules they are
//! compared with are one reconciliation; the written report is [`report`].

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use kofu_fixtures::Fixtures;
use kofu_mock_center::ledger::{LedgerTransaction, Statement};
use kofu_profile::CertificateType;
use kofu_profile::outcome::CopyState;
use kofu_profile::records::IssuanceRecord;
use serde::Serialize;

use crate::terminal::journal::JournalEntry;

/// One transaction as one ledger accounts for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    /// Issuing municipality.
    pub municipality: String,
    /// 事業者コード.
    pub operator_code: String,
    /// JST business date.
    pub business_date: NaiveDate,
    /// Certificate type code.
    pub certificate: String,
    /// Copies issued.
    pub copies: u8,
    /// Copies 確定.
    pub confirmed: u8,
    /// Copies 取消.
    pub cancelled: u8,
    /// 交付手数料 per copy.
    pub fee_per_copy: u32,
    /// 交付手数料 of the transaction as this ledger states it: the journal's sales
    /// (paid - refunded), the center's confirmed copies at the issued fee, the
    /// candidate's `fee_confirmed`.
    pub fee: u64,
}

/// The accounts of one ledger, by transaction (request) id.
pub type Accounts = BTreeMap<String, Account>;

/// The journal's accounts: what the terminals printed and took money for.
pub fn from_journal(entries: &[JournalEntry]) -> Accounts {
    entries
        .iter()
        .map(|e| {
            (
                e.transaction_id.to_string(),
                Account {
                    municipality: e.municipality.clone(),
                    operator_code: e.operator_code.clone(),
                    business_date: e.business_date,
                    certificate: e.certificate.clone(),
                    copies: e.copies,
                    confirmed: e.printed,
                    cancelled: e.cancelled(),
                    fee_per_copy: e.fee_per_copy,
                    fee: u64::from(e.sales()),
                },
            )
        })
        .collect()
}

/// The center ledger's accounts: transactions the candidate issued.
pub fn from_ledger(transactions: &[LedgerTransaction]) -> Accounts {
    transactions
        .iter()
        .filter(|t| t.issuance_id.is_some())
        .map(|t| {
            let count = |word: &str| {
                u8::try_from(t.outcomes.iter().filter(|o| *o == word).count()).unwrap_or(u8::MAX)
            };
            (
                t.request_id.clone(),
                Account {
                    municipality: t.municipality.clone(),
                    operator_code: t.operator_code.clone(),
                    business_date: t.business_date.parse().unwrap_or_default(),
                    certificate: t.certificate.clone(),
                    copies: t.copies,
                    confirmed: count("confirmed"),
                    cancelled: count("cancelled"),
                    fee_per_copy: t.fee_per_copy,
                    fee: u64::from(count("confirmed")) * u64::from(t.fee_per_copy),
                },
            )
        })
        .collect()
}

/// The candidate's accounts, from its issuance records. The confirmed count is read
/// from the copy states; the record's own totals are checked against them separately.
pub fn from_records(records: &[IssuanceRecord]) -> (Accounts, Vec<Difference>) {
    let mut accounts = Accounts::new();
    let mut differences = Vec::new();
    for r in records {
        let id = r.request_id.to_string();
        let confirmed = r
            .copy_states
            .iter()
            .filter(|s| **s == CopyState::Confirmed)
            .count();
        let confirmed = u8::try_from(confirmed).unwrap_or(u8::MAX);
        let cancelled = r
            .copy_states
            .iter()
            .filter(|s| **s == CopyState::Cancelled)
            .count();
        let cancelled = u8::try_from(cancelled).unwrap_or(u8::MAX);
        if r.confirmed_copies != confirmed
            || u64::from(r.fee_confirmed) != u64::from(confirmed) * u64::from(r.fee_per_copy)
        {
            differences.push(Difference::single(
                &id,
                "candidate record totals (confirmed_copies, fee_confirmed) vs its copy states",
                format!(
                    "{confirmed} copies, {} yen",
                    u64::from(confirmed) * u64::from(r.fee_per_copy)
                ),
                format!("{} copies, {} yen", r.confirmed_copies, r.fee_confirmed),
            ));
        }
        if accounts.contains_key(&id) {
            differences.push(Difference::single(
                &id,
                "records per request id",
                "1".to_owned(),
                "more than 1".to_owned(),
            ));
        }
        accounts.insert(
            id,
            Account {
                municipality: String::new(),
                operator_code: r.operator_code.clone(),
                business_date: r.business_date,
                certificate: r.certificate.code().to_owned(),
                copies: r.copies,
                confirmed,
                cancelled,
                fee_per_copy: r.fee_per_copy,
                fee: u64::from(r.fee_confirmed),
            },
        );
    }
    (accounts, differences)
}

/// One disagreement: what the rules expect and what each ledger says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// A transaction id, or a statement `municipality/operator/period`.
    pub subject: String,
    /// What is compared.
    pub field: String,
    /// What the settlement rules say.
    pub expected: String,
    /// Sales journal (売上ジャーナル).
    pub journal: String,
    /// Center ledger.
    pub center: String,
    /// Candidate's records.
    pub candidate: String,
}

impl Difference {
    fn single(subject: &str, field: &str, expected: String, candidate: String) -> Self {
        Self {
            subject: subject.to_owned(),
            field: field.to_owned(),
            expected,
            journal: "-".to_owned(),
            center: "-".to_owned(),
            candidate,
        }
    }
}

/// Which statement (清算書): the issuing municipality, the store operator (事業者コード)
/// and the period (a business day `YYYY-MM-DD` or a month `YYYY-MM`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StatementKey {
    /// 団体コード of the issuing municipality.
    pub municipality: String,
    /// 事業者コード.
    pub operator: String,
    /// The business day or the month.
    pub period: String,
}

impl StatementKey {
    /// Whether `statement` is the one this key names.
    pub fn is_of(&self, statement: &Statement) -> bool {
        statement.municipality == self.municipality
            && statement.operator_code == self.operator
            && statement.period == self.period
    }
}

impl std::fmt::Display for StatementKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} × {} × {}",
            self.municipality, self.operator, self.period
        )
    }
}

/// The result of a reconciliation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Reconciliation {
    /// Transactions looked at (union of the three ledgers).
    pub transactions: usize,
    /// Confirmed copies by the journal.
    pub confirmed_copies: u64,
    /// The closing statements per business day, as the rules compute them.
    pub day_statements: Vec<Statement>,
    /// The closing statements per month.
    pub month_statements: Vec<Statement>,
    /// Every disagreement.
    pub differences: Vec<Difference>,
}

/// The three ledgers of a scope.
#[derive(Debug, Clone, Default)]
pub struct Ledgers {
    /// Terminal journal.
    pub journal: Accounts,
    /// Center ledger.
    pub center: Accounts,
    /// Candidate records.
    pub candidate: Accounts,
    /// Differences found while reading the candidate's records.
    pub record_differences: Vec<Difference>,
}

fn show<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "missing".to_owned(), |v| v.to_string())
}

/// The 交付手数料 of `certificate` in `municipality`'s profile.
fn table_fee(fixtures: &Fixtures, municipality: &str, certificate: &str) -> Option<u32> {
    let t = CertificateType::from_code(certificate)?;
    fixtures
        .municipalities
        .iter()
        .find(|m| m.code == municipality)?
        .offer(t)
        .map(|o| o.fee)
}

/// Reconcile the three ledgers against the settlement rules of `fixtures`.
pub fn reconcile(fixtures: &Fixtures, ledgers: &Ledgers) -> Reconciliation {
    let mut closing = Closing::default();
    closing.close(fixtures, ledgers);
    closing.finish(fixtures)
}

/// Ledgers closed one scope at a time (a soak closes each business day as it ends, and
/// keeps none of its transactions after): the transactions and the day statements of
/// each scope are reconciled at once; the month statements are summed per ledger and
/// compared when the closing finishes, since a month's 委託手数料 is rounded over the
/// month's copies, not summed from days.
#[derive(Debug, Default)]
pub struct Closing {
    /// What is reconciled so far, month statements aside.
    done: Reconciliation,
    /// Month statements so far: the rules' own, then the journal's, the center's and
    /// the candidate's.
    months: [BTreeMap<StatementKey, Statement>; 4],
}

impl Closing {
    /// Reconcile one scope's ledgers (transactions and day statements) and add its
    /// months to the totals.
    pub fn close(&mut self, fixtures: &Fixtures, ledgers: &Ledgers) {
        let day = close_scope(fixtures, ledgers, &mut self.months);
        self.done.transactions += day.transactions;
        self.done.confirmed_copies += day.confirmed_copies;
        self.done.day_statements.extend(day.day_statements);
        self.done.differences.extend(day.differences);
    }

    /// The whole reconciliation: the scopes closed, then the month statements compared.
    pub fn finish(mut self, fixtures: &Fixtures) -> Reconciliation {
        for month in &mut self.months {
            for statement in month.values_mut() {
                statement.close(&fixtures.operators);
            }
        }
        compare_statements(&self.months, &mut self.done.differences);
        let [want, ..] = self.months;
        self.done.month_statements = want.into_values().collect();
        self.done
    }
}

/// Transactions and day statements of one scope; its month statements (not yet closed)
/// are added to `months`.
fn close_scope(
    fixtures: &Fixtures,
    ledgers: &Ledgers,
    months: &mut [BTreeMap<StatementKey, Statement>; 4],
) -> Reconciliation {
    let mut differences = ledgers.record_differences.clone();
    let ids: BTreeSet<&String> = ledgers
        .journal
        .keys()
        .chain(ledgers.center.keys())
        .chain(ledgers.candidate.keys())
        .collect();
    // Expected accounts: the journal's printed copies, at the fee table's price. A
    // transaction the journal does not know is expected to have no confirmed copy.
    let mut expected = Accounts::new();
    for id in &ids {
        let j = ledgers.journal.get(*id);
        let c = ledgers.center.get(*id);
        let k = ledgers.candidate.get(*id);
        let Some(base) = j.or(c).or(k) else { continue };
        let municipality = j.or(c).map_or(String::new(), |a| a.municipality.clone());
        let fee = table_fee(fixtures, &municipality, &base.certificate);
        let mut row = |field: &str, expected: String, get: &dyn Fn(&Account) -> String| {
            // A transaction the center gave up on and cancelled never reached the
            // terminal: the journal rightly has no line for it.
            let unseen = j.is_none() && c.is_some_and(|a| a.confirmed == 0);
            let values = [j, c, k].map(|a| a.map_or_else(|| "missing".to_owned(), get));
            let values = if unseen {
                let [_, center, candidate] = values;
                [expected.clone(), center, candidate]
            } else {
                values
            };
            if values.iter().any(|v| *v != expected) {
                let [journal, center, candidate] = values;
                differences.push(Difference {
                    subject: format!("{id} ({} at {})", base.certificate, base.operator_code),
                    field: field.to_owned(),
                    expected: expected.clone(),
                    journal,
                    center,
                    candidate,
                });
            }
        };
        let printed = j.map_or(0, |a| a.confirmed);
        row("certificate", base.certificate.clone(), &|a: &Account| {
            a.certificate.clone()
        });
        row(
            "business date (JST)",
            base.business_date.to_string(),
            &|a| a.business_date.to_string(),
        );
        row("operator", base.operator_code.clone(), &|a| {
            a.operator_code.clone()
        });
        row("confirmed copies (確定)", printed.to_string(), &|a| {
            a.confirmed.to_string()
        });
        // A transaction the terminal never saw (the center gave up on it and cancelled
        // it, see the profile's cancellation resend) has the copies the center reported.
        let not_printed = j.or(c).map_or(0, |a| a.cancelled);
        row("cancelled copies (取消)", not_printed.to_string(), &|a| {
            a.cancelled.to_string()
        });
        row("交付手数料 per copy (fee table)", show(fee), &|a| {
            a.fee_per_copy.to_string()
        });
        row(
            "交付手数料 of confirmed copies",
            show(fee.map(|f| u64::from(f) * u64::from(printed))),
            &|a| a.fee.to_string(),
        );
        expected.insert(
            (*id).clone(),
            Account {
                municipality,
                confirmed: printed,
                cancelled: not_printed,
                fee_per_copy: fee.unwrap_or(0),
                fee: u64::from(fee.unwrap_or(0)) * u64::from(printed),
                ..base.clone()
            },
        );
    }
    // Day statements: the same grouping over each ledger, compared field by field; each
    // ledger's days are added to its months, compared when the closing finishes.
    let days = [
        &expected,
        &ledgers.journal,
        &ledgers.center,
        &ledgers.candidate,
    ]
    .map(|accounts| day_statements(fixtures, accounts, &expected));
    compare_statements(&days, &mut differences);
    for (months, days) in months.iter_mut().zip(&days) {
        add_to_months(months, days);
    }
    let [want_days, ..] = days;
    Reconciliation {
        transactions: ids.len(),
        confirmed_copies: ledgers
            .journal
            .values()
            .map(|a| u64::from(a.confirmed))
            .sum(),
        day_statements: want_days.into_values().collect(),
        month_statements: Vec::new(),
        differences,
    }
}

/// Compares statements, the rules' own first, then the journal's, the center's and the
/// candidate's, field by field; a disagreement is a difference.
fn compare_statements(
    [want, journal, center, candidate]: &[BTreeMap<StatementKey, Statement>; 4],
    differences: &mut Vec<Difference>,
) {
    let keys: BTreeSet<_> = want
        .keys()
        .chain(journal.keys())
        .chain(center.keys())
        .chain(candidate.keys())
        .cloned()
        .collect();
    for key in keys {
        let subject = format!(
            "statement {}/{}/{}",
            key.municipality, key.operator, key.period
        );
        let fields: [(&str, StatementField); 5] = [
            ("copies by type", |s| format!("{:?}", s.copies_by_type)),
            ("copies", |s| s.copies.to_string()),
            ("交付手数料 total", |s| s.fee_total.to_string()),
            ("委託手数料 total", |s| s.commission_total.to_string()),
            ("net", |s| s.net.to_string()),
        ];
        for (field, get) in fields {
            let v = |m: &BTreeMap<_, Statement>| m.get(&key).map_or("none".to_owned(), get);
            let (e, j, c, k) = (v(want), v(journal), v(center), v(candidate));
            if j != e || c != e || k != e {
                differences.push(Difference {
                    subject: subject.clone(),
                    field: field.to_owned(),
                    expected: e,
                    journal: j,
                    center: c,
                    candidate: k,
                });
            }
        }
    }
}

/// Reads one field of a statement for comparison.
type StatementField = fn(&Statement) -> String;

/// Day statements of `accounts`; the municipality of a transaction comes from `routing`
/// (the candidate's records do not carry it).
fn day_statements(
    fixtures: &Fixtures,
    accounts: &Accounts,
    routing: &Accounts,
) -> BTreeMap<StatementKey, Statement> {
    let mut out: BTreeMap<StatementKey, Statement> = BTreeMap::new();
    for (id, a) in accounts {
        if a.confirmed == 0 && a.fee == 0 {
            continue;
        }
        let municipality = if a.municipality.is_empty() {
            routing
                .get(id)
                .map_or_else(String::new, |r| r.municipality.clone())
        } else {
            a.municipality.clone()
        };
        let key_period = a.business_date.to_string();
        let st = out
            .entry(StatementKey {
                municipality: municipality.clone(),
                operator: a.operator_code.clone(),
                period: key_period.clone(),
            })
            .or_insert_with(|| Statement::open(&municipality, &a.operator_code, &key_period));
        st.add(&a.certificate, u64::from(a.confirmed), a.fee);
    }
    for st in out.values_mut() {
        st.close(&fixtures.operators);
    }
    out
}

/// Adds day statements to the statements of their months (`YYYY-MM`), left open: a
/// month's 委託手数料 is computed once, over all of its copies.
fn add_to_months(
    months: &mut BTreeMap<StatementKey, Statement>,
    days: &BTreeMap<StatementKey, Statement>,
) {
    for (key, day) in days {
        let month = StatementKey {
            period: key.period.get(..7).unwrap_or_default().to_owned(),
            ..key.clone()
        };
        let total = months
            .entry(month)
            .or_insert_with_key(|k| Statement::open(&k.municipality, &k.operator, &k.period));
        for (certificate, copies) in &day.copies_by_type {
            total.add(certificate, *copies, 0);
        }
        total.fee_total += day.fee_total;
    }
}

pub mod commission;
pub mod report;

#[cfg(test)]
mod tests;

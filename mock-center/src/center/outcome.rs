//! Print outcomes: what the terminal's printer did with each copy, kept in the ledger
//! whatever the candidate answers, then reported to the candidate that issued.

use kofu_profile::outcome::OutcomeReport;
use uuid::Uuid;

use super::api::{PrintRecorded, PrintReport};
use super::error::CenterError;
use super::state::CenterState;
use crate::client::Reply;

impl CenterState {
    /// Report what the printer did with each copy.
    pub async fn report(
        &self,
        id: Uuid,
        transaction: Uuid,
        report: PrintReport,
    ) -> Result<PrintRecorded, CenterError> {
        let now = self.inner.sessions.time(id, self.inner.config.clock)?;
        let tx = self.inner.sessions.transaction(id, transaction)?;
        let client = self
            .inner
            .candidates
            .get(tx.candidate)
            .ok_or_else(|| CenterError::unavailable("candidate-unavailable"))?;
        // The ledger keeps what the terminal saw its printer do, whatever the candidate
        // answers: that is the center's own account for settlement.
        let printed: Vec<_> = report.copies.iter().map(|c| (c.copy, c.outcome)).collect();
        Self::log_ledger(
            self.ledger()
                .outcomes(&transaction.to_string(), now, &printed),
        );
        let body = OutcomeReport {
            reported_at: now,
            copies: report.copies,
        };
        match client
            .report_outcome(&tx.municipality, &tx.issuance_id, &body)
            .await
        {
            Ok(Reply::Ok { value, .. }) => Ok(value),
            Ok(Reply::Refused { status, error, .. }) => {
                Err(CenterError::refused(status, error.code))
            }
            Err(e) => {
                tracing::warn!(error = %crate::client::error_chain(&e), "outcome report failed");
                Err(CenterError::unavailable("candidate-unavailable"))
            }
        }
    }
}

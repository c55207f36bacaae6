//! Issuance: the copy limit of the operator, the municipality (named by the terminal
//! or found in the menus), the center's stamp, the request to the candidate, and the
//! transaction in the ledger.

use axum::http::StatusCode;
use kofu_profile::ErrorCode;
use kofu_profile::outcome::{CopyOutcome, Outcome, OutcomeReport};
use uuid::Uuid;

use super::api::{IssueRequest, Issued};
use super::error::CenterError;
use super::messages::UNAVAILABLE_MESSAGE;
use super::session::Transaction;
use super::state::{CenterState, UnprintedIssuance};
use crate::client::Reply;
use crate::ledger::{NewTransaction, TxState};

impl CenterState {
    /// Request an issuance and route it.
    pub async fn issue(&self, id: Uuid, req: IssueRequest) -> Result<Issued, CenterError> {
        let view = self
            .inner
            .sessions
            .view(id, true, self.inner.config.clock)?;
        let now = view.now;
        let terminal = &view.terminal;
        let serial = view.card_serial.clone().unwrap_or_default();
        let routes = self.routes().await?;
        if let Some(operator) = self
            .inner
            .config
            .fixtures
            .operators
            .iter()
            .find(|o| o.code == terminal.operator_code)
            && (req.copies == 0 || req.copies > operator.max_copies_per_transaction)
        {
            return Err(CenterError::bad_request(
                "copies outside the operator's limit",
            ));
        }
        let municipality = match &req.municipality {
            Some(code) => code.clone(),
            None => {
                let cached = self.inner.sessions.menus(id);
                let menus = if cached.is_empty() {
                    self.menus(id).await?.menus
                } else {
                    cached
                };
                menus
                    .iter()
                    .find(|m| m.items.iter().any(|i| i.certificate == req.certificate))
                    .map(|m| m.municipality.clone())
                    .ok_or_else(|| CenterError::refused(422, ErrorCode::NotIssuable))?
            }
        };
        let index = *routes.get(&municipality).ok_or_else(|| {
            CenterError::new(
                StatusCode::NOT_FOUND,
                "unknown-municipality",
                UNAVAILABLE_MESSAGE,
            )
        })?;
        let client = self
            .inner
            .candidates
            .get(index)
            .ok_or_else(|| CenterError::unavailable("candidate-unavailable"))?;
        let reception = view.reception();
        let request_id = reception.request_id;
        let profile_request = kofu_profile::issuance::IssuanceRequest {
            reception: reception.clone(),
            card_serial: serial,
            certificate: req.certificate,
            options: req.options,
            copies: i64::from(req.copies),
        };
        Self::log_ledger(self.ledger().open_transaction(&NewTransaction {
            request_id: request_id.to_string(),
            municipality: municipality.clone(),
            operator_code: terminal.operator_code.clone(),
            store_id: terminal.store_id.clone(),
            terminal_id: terminal.terminal_id.clone(),
            certificate: req.certificate.code().to_owned(),
            copies: req.copies,
            reception_time: now,
        }));
        let tx = request_id.to_string();
        match client.issue(&municipality, &profile_request).await {
            Ok(Reply::Ok { value, .. }) => {
                Self::log_ledger(self.ledger().issued(
                    &tx,
                    now,
                    &value.issuance_id,
                    value.fee_per_copy,
                    value.copies,
                ));
                self.inner.sessions.add_transaction(
                    id,
                    request_id,
                    Transaction {
                        municipality,
                        issuance_id: value.issuance_id.clone(),
                        candidate: index,
                    },
                );
                Ok(Issued {
                    transaction_id: request_id,
                    reception,
                    issuance: value,
                })
            }
            Ok(Reply::Refused { status, error, .. }) => {
                Self::log_ledger(self.ledger().ended(
                    &tx,
                    now,
                    TxState::Refused,
                    error.code.code(),
                ));
                Err(CenterError::refused(status, error.code))
            }
            Err(e) => {
                let detail = crate::client::error_chain(&e);
                tracing::warn!(municipality, error = %detail, "issuance failed");
                Self::log_ledger(self.ledger().ended(&tx, now, TxState::Failed, &detail));
                if e.answer_lost() {
                    self.cancel_given_up(client, &municipality, &profile_request)
                        .await;
                }
                Err(CenterError::unavailable("candidate-unavailable"))
            }
        }
    }

    /// The profile's cancellation resend: the terminal has given up and printed nothing;
    /// the same request goes once more, and an issuance it answers has every copy
    /// reported `cancelled`. Its document is never handed to the terminal.
    async fn cancel_given_up(
        &self,
        client: &crate::client::CandidateClient,
        municipality: &str,
        request: &kofu_profile::issuance::IssuanceRequest,
    ) {
        let now = request.reception.reception_time;
        let tx = request.reception.request_id.to_string();
        let issuance = match client.resend_to_cancel(municipality, request).await {
            Ok(Reply::Ok { value, .. }) => value,
            Ok(Reply::Refused { error, .. }) => {
                tracing::info!(code = %error.code, "the cancellation resend was refused");
                return;
            }
            Err(e) => {
                tracing::info!(error = %crate::client::error_chain(&e), "the cancellation resend failed");
                return;
            }
        };
        self.keep_unprinted(UnprintedIssuance {
            municipality: municipality.to_owned(),
            request: request.clone(),
            issuance: issuance.clone(),
        });
        Self::log_ledger(self.ledger().issued(
            &tx,
            now,
            &issuance.issuance_id,
            issuance.fee_per_copy,
            issuance.copies,
        ));
        let copies: Vec<CopyOutcome> = (1..=issuance.copies)
            .map(|copy| CopyOutcome {
                copy,
                outcome: Outcome::Cancelled,
            })
            .collect();
        let printed: Vec<_> = copies.iter().map(|c| (c.copy, c.outcome)).collect();
        Self::log_ledger(self.ledger().outcomes(&tx, now, &printed));
        let report = OutcomeReport {
            reported_at: now,
            copies,
        };
        if let Err(e) = client
            .report_outcome(municipality, &issuance.issuance_id, &report)
            .await
        {
            tracing::warn!(error = %crate::client::error_chain(&e), "the cancellation could not be reported");
        }
    }
}

//! The card check: hours, chain, validity period, signature over the session's
//! challenge, and revocation at the validity service. A refused card closes the session
//! and never reaches a candidate.

use axum::http::StatusCode;
use base64::Engine as _;
use chrono::{DateTime, FixedOffset};
use uuid::Uuid;

use super::api::{CardAccepted, CardPresentation};
use super::error::CenterError;
use super::messages::{CARD_REVOKED, CARD_UNUSABLE};
use super::state::CenterState;
use crate::jpki::CardRefusal;
use crate::validity::Validity;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

impl CenterState {
    /// Check the card. A refused card closes the session.
    pub async fn present_card(
        &self,
        id: Uuid,
        card: CardPresentation,
    ) -> Result<CardAccepted, CenterError> {
        let now = self
            .inner
            .sessions
            .view(id, false, self.inner.config.clock)?
            .now;
        let challenge = self.inner.sessions.challenge(id);
        let result = self.check_card(&card, &challenge, now).await;
        self.inner.sessions.card_checked(id, &result);
        result
    }

    async fn check_card(
        &self,
        card: &CardPresentation,
        challenge: &[u8],
        now: DateTime<FixedOffset>,
    ) -> Result<CardAccepted, CenterError> {
        let certificate = B64
            .decode(card.certificate.as_bytes())
            .map_err(|_| CenterError::card(&CardRefusal::Malformed))?;
        let signature = B64
            .decode(card.signature.as_bytes())
            .map_err(|_| CenterError::card(&CardRefusal::BadSignature))?;
        let verified = self
            .inner
            .verifier
            .verify(&certificate, challenge, &signature, now)
            .map_err(|r| {
                tracing::info!(refusal = %r, "card refused");
                CenterError::card(&r)
            })?;
        match self.inner.validity.status(&verified.serial).await {
            Ok(Validity::Good) => Ok(CardAccepted {
                card_serial: verified.serial,
            }),
            Ok(Validity::Revoked) => {
                tracing::info!(serial = verified.serial, "card revoked");
                Err(CenterError::new(
                    StatusCode::FORBIDDEN,
                    "card-revoked",
                    CARD_REVOKED,
                ))
            }
            Ok(Validity::Unknown) => Err(CenterError::new(
                StatusCode::FORBIDDEN,
                "card-unknown",
                CARD_UNUSABLE,
            )),
            Err(e) => {
                tracing::warn!(error = %crate::client::error_chain(&e), "validity service failed");
                Err(CenterError::unavailable("validity-unavailable"))
            }
        }
    }
}

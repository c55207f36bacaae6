//! The terminal's link to the mock center's terminal API: it opens a session, reads the
//! card (PIN, signature over the center's challenge), asks the menus, requests an
//! issuance, reports the print outcome, and knows what the screen shows for every
//! refusal. One call per method; the resident's session as a whole is
//! [`super::session::KioskSession`].

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use kofu_mock_center::center::api::{
    CardAccepted, CardPresentation, CenterErrorBody, IssueRequest, Issued, MenuAnswer, OpenSession,
    PrintRecorded, PrintReport, SessionOpened,
};
use kofu_mock_center::jpki::{Card, CardError};
use serde::Serialize;
use serde::de::DeserializeOwned;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;
/// Largest answer of the center read.
const MAX_ANSWER_BYTES: usize = 32 * 1024 * 1024;

/// Why a kiosk step ended without success.
#[derive(Debug, Clone, thiserror::Error)]
pub enum KioskError {
    /// The center refused.
    #[error("the center refused ({}): {}", .body.code, .body.message)]
    Refused {
        /// HTTP status.
        status: u16,
        /// The center's error.
        body: CenterErrorBody,
    },
    /// The card's chip refused (wrong PIN, locked).
    #[error("the card refused: {0}")]
    Card(CardError),
    /// The center could not be reached or answered outside its API.
    #[error("the center did not answer: {0}")]
    Transport(String),
}

impl KioskError {
    /// The text on the terminal's screen.
    pub fn screen(&self) -> String {
        match self {
            Self::Refused { body, .. } => body.message.clone(),
            Self::Card(CardError::Locked) => kofu_mock_center::center::CARD_LOCKED.to_owned(),
            Self::Card(CardError::WrongPin { remaining }) => {
                format!("暗証番号が違います。あと{remaining}回間違えるとカードがロックされます。")
            }
            Self::Card(CardError::SignFailed) => kofu_mock_center::center::CARD_UNUSABLE.to_owned(),
            Self::Transport(_) => kofu_mock_center::center::UNAVAILABLE_MESSAGE.to_owned(),
        }
    }

    /// A short code: the center's code, `card-locked`, `wrong-pin` or `unreachable`.
    pub fn code(&self) -> String {
        match self {
            Self::Refused { body, .. } => body.code.clone(),
            Self::Card(CardError::Locked) => "card-locked".to_owned(),
            Self::Card(CardError::WrongPin { .. }) => "wrong-pin".to_owned(),
            Self::Card(CardError::SignFailed) => "card-failed".to_owned(),
            Self::Transport(_) => "unreachable".to_owned(),
        }
    }
}

/// Sees what the center hands to the terminal: the menus of a card and every issuance,
/// with the card serial the center accepted for the session. The rig's issuance seam
/// implements it; the terminal knows nothing of the rig.
pub trait LinkObserver: Send + Sync {
    /// The menus the center answered for the card `card_serial`.
    fn menus(&self, card_serial: &str, answer: &MenuAnswer);
    /// An issuance the center handed over for `req`, asked with the card `card_serial`.
    fn issued(&self, card_serial: &str, req: &IssueRequest, issued: &Issued);
}

/// A terminal's link to a center.
#[derive(Clone)]
pub struct CenterLink {
    http: reqwest::Client,
    base: String,
    observer: Option<Arc<dyn LinkObserver>>,
    /// The card serial the center accepted, per session.
    serials: Arc<std::sync::Mutex<std::collections::HashMap<uuid::Uuid, String>>>,
}

impl std::fmt::Debug for CenterLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CenterLink")
            .field("base", &self.base)
            .field("observed", &self.observer.is_some())
            .finish_non_exhaustive()
    }
}

impl CenterLink {
    /// A link to the center at `base` (plain http on loopback).
    pub fn new(base: &str) -> Result<Self, KioskError> {
        kofu_mock_center::install_crypto_provider();
        let tls = kofu_mock_center::client::plain_http_only()
            .map_err(|e| KioskError::Transport(kofu_mock_center::client::error_chain(&e)))?;
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(3))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .map_err(|e| KioskError::Transport(e.to_string()))?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            observer: None,
            serials: Default::default(),
        })
    }

    /// The same link, showing `observer` every menu and issuance the center hands over
    /// (the rig's issuance seam).
    pub fn observed_by(mut self, observer: Arc<dyn LinkObserver>) -> Self {
        self.observer = Some(observer);
        self
    }

    fn serial(&self, session: &SessionOpened) -> String {
        self.serials
            .lock()
            .ok()
            .and_then(|s| s.get(&session.session_id).cloned())
            .unwrap_or_default()
    }

    async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, KioskError> {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(b) = body {
            req = req.json(b);
        }
        let mut response = req
            .send()
            .await
            .map_err(|e| KioskError::Transport(e.to_string()))?;
        let status = response.status().as_u16();
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| KioskError::Transport(e.to_string()))?
        {
            if bytes.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(KioskError::Transport("answer too large".to_owned()));
            }
            bytes.extend_from_slice(&chunk);
        }
        if (200..300).contains(&status) {
            serde_json::from_slice(&bytes).map_err(|e| KioskError::Transport(e.to_string()))
        } else {
            match serde_json::from_slice::<CenterErrorBody>(&bytes) {
                Ok(body) => Err(KioskError::Refused { status, body }),
                Err(_) => Err(KioskError::Transport(format!("HTTP {status}"))),
            }
        }
    }

    /// Open a session.
    pub async fn open(&self, req: &OpenSession) -> Result<SessionOpened, KioskError> {
        self.call(reqwest::Method::POST, "/v1/sessions", Some(req))
            .await
    }

    /// Read the card: the resident enters `pin`, the chip signs the challenge, the
    /// center checks the card. `tamper` flips one bit of the signature (a forged card).
    pub async fn read_card(
        &self,
        session: &SessionOpened,
        card: &Card,
        pin: &str,
        tamper: bool,
    ) -> Result<CardAccepted, KioskError> {
        let challenge = B64
            .decode(session.challenge.as_bytes())
            .map_err(|e| KioskError::Transport(e.to_string()))?;
        let mut signature = card
            .sign_challenge(pin, &challenge)
            .map_err(KioskError::Card)?;
        if tamper && let Some(b) = signature.first_mut() {
            *b ^= 0x01;
        }
        let body = CardPresentation {
            certificate: B64.encode(&card.certificate_der),
            signature: B64.encode(signature),
        };
        let accepted: CardAccepted = self
            .call(
                reqwest::Method::POST,
                &format!("/v1/sessions/{}/card", session.session_id),
                Some(&body),
            )
            .await?;
        if let Ok(mut serials) = self.serials.lock() {
            serials.insert(session.session_id, accepted.card_serial.clone());
        }
        Ok(accepted)
    }

    /// The menus.
    pub async fn menus(&self, session: &SessionOpened) -> Result<MenuAnswer, KioskError> {
        let answer: MenuAnswer = self
            .call::<(), _>(
                reqwest::Method::POST,
                &format!("/v1/sessions/{}/menu", session.session_id),
                None,
            )
            .await?;
        if let Some(observer) = &self.observer {
            observer.menus(&self.serial(session), &answer);
        }
        Ok(answer)
    }

    /// Request an issuance.
    pub async fn issue(
        &self,
        session: &SessionOpened,
        req: &IssueRequest,
    ) -> Result<Issued, KioskError> {
        let issued: Issued = self
            .call(
                reqwest::Method::POST,
                &format!("/v1/sessions/{}/issuances", session.session_id),
                Some(req),
            )
            .await?;
        if let Some(observer) = &self.observer {
            observer.issued(&self.serial(session), req, &issued);
        }
        Ok(issued)
    }

    /// Report the print outcome.
    pub async fn report(
        &self,
        session: &SessionOpened,
        issued: &Issued,
        report: &PrintReport,
    ) -> Result<PrintRecorded, KioskError> {
        self.call(
            reqwest::Method::POST,
            &format!(
                "/v1/sessions/{}/issuances/{}/outcome",
                session.session_id, issued.transaction_id
            ),
            Some(report),
        )
        .await
    }

    /// Close the session (best effort), and forget its card serial.
    pub async fn close(&self, session: &SessionOpened) {
        if let Ok(mut serials) = self.serials.lock() {
            serials.remove(&session.session_id);
        }
        let url = format!("{}/v1/sessions/{}", self.base, session.session_id);
        if let Err(e) = self.http.delete(url).send().await {
            tracing::debug!(error = %e, "closing the session failed");
        }
    }
}

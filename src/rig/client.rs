//! [`AuditedClient`]: the candidate's API as steps call it. It is the mock center's
//! [`CandidateClient`], except that every issuance it returns passes the run's issuance
//! seam ([`super::IssuanceAudit`]). A raw probe ([`AuditedClient::raw`]) is not an
//! issuance the profile defines and passes no seam.

use std::sync::Arc;

use chrono::NaiveDate;
use kofu_mock_center::client::{CandidateClient, ClientError, RawResponse, Reply};
use kofu_profile::identity::Identity;
use kofu_profile::issuance::{Issuance, IssuanceRequest};
use kofu_profile::menu::{Menu, MenuRequest};
use kofu_profile::outcome::OutcomeReport;
use kofu_profile::records::{IssuanceRecord, Records};
use kofu_profile::registration::{Registration, RegistrationRequest};

use super::audit::{IssuanceAudit, IssuedVia};

/// A client of the candidate, as the center speaks to it, with the issuance seam.
#[derive(Debug)]
pub struct AuditedClient {
    inner: CandidateClient,
    audit: Arc<IssuanceAudit>,
}

impl AuditedClient {
    /// `inner`, with every issuance passed to `audit`.
    pub fn new(inner: CandidateClient, audit: Arc<IssuanceAudit>) -> Self {
        Self { inner, audit }
    }

    /// The headers every profile call sends (see [`CandidateClient::profile_headers`]).
    pub fn profile_headers(&self, with_body: bool) -> Vec<(String, String)> {
        self.inner.profile_headers(with_body)
    }

    /// `GET /v1/identity`.
    pub async fn identity(&self) -> Result<Reply<Identity>, ClientError> {
        self.inner.identity().await
    }

    /// `POST /v1/municipalities/{code}/menu`.
    pub async fn menu(
        &self,
        municipality: &str,
        req: &MenuRequest,
    ) -> Result<Reply<Menu>, ClientError> {
        let reply = self.inner.menu(municipality, req).await;
        if let Ok(Reply::Ok { value, .. }) = &reply {
            self.audit.menu_seen(&req.card_serial, value);
        }
        reply
    }

    /// `POST /v1/municipalities/{code}/issuances`; an issuance passes the seam.
    pub async fn issue(
        &self,
        municipality: &str,
        req: &IssuanceRequest,
    ) -> Result<Reply<Issuance>, ClientError> {
        let reply = self.inner.issue(municipality, req).await;
        if let Ok(Reply::Ok { value, .. }) = &reply {
            self.audit
                .received(IssuedVia::Direct, municipality, req, value);
        }
        reply
    }

    /// `POST /v1/municipalities/{code}/issuances/{id}/outcome`.
    pub async fn report_outcome(
        &self,
        municipality: &str,
        issuance_id: &str,
        report: &OutcomeReport,
    ) -> Result<Reply<IssuanceRecord>, ClientError> {
        self.inner
            .report_outcome(municipality, issuance_id, report)
            .await
    }

    /// `GET /v1/municipalities/{code}/records?from=..&to=..`.
    pub async fn records(
        &self,
        municipality: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Reply<Records>, ClientError> {
        self.inner.records(municipality, from, to).await
    }

    /// `POST /v1/municipalities/{code}/koseki-registrations`.
    pub async fn file_registration(
        &self,
        municipality: &str,
        req: &RegistrationRequest,
    ) -> Result<Reply<Registration>, ClientError> {
        self.inner.file_registration(municipality, req).await
    }

    /// `GET /v1/municipalities/{code}/koseki-registrations/{id}`.
    pub async fn registration(
        &self,
        municipality: &str,
        id: &str,
    ) -> Result<Reply<Registration>, ClientError> {
        self.inner.registration(municipality, id).await
    }

    /// `POST /v1/municipalities/{code}/register-events` (異動連携). An event the
    /// candidate answers `200` is recorded in the run's [`super::RegisterFeed`] before
    /// this returns, so every later audit judges by the register with it.
    pub async fn register_event(
        &self,
        municipality: &str,
        event: &kofu_profile::register_event::RegisterEvent,
    ) -> Result<Reply<kofu_profile::register_event::RegisterEventReceipt>, ClientError> {
        let reply = self.inner.register_event(municipality, event).await?;
        if let Reply::Ok { status: 200, .. } = &reply {
            self.audit.feed().delivered(municipality, event);
        }
        Ok(reply)
    }

    /// Any request, for conformance probes (see [`CandidateClient::raw`]).
    pub async fn raw(
        &self,
        operation: &str,
        method: reqwest::Method,
        path: &str,
        headers: Vec<(String, String)>,
        body: Option<Vec<u8>>,
    ) -> Result<RawResponse, ClientError> {
        let issuing = method == reqwest::Method::POST && path.ends_with("/issuances");
        let sent = if issuing { body.clone() } else { None };
        let raw = self
            .inner
            .raw(operation, method, path, headers, body)
            .await?;
        // An issuance answered to a probe passes the seam like any other.
        if let Some(sent) = sent
            && (200..300).contains(&raw.status)
            && let Ok(req) = serde_json::from_slice::<IssuanceRequest>(&sent)
            && let Ok(issuance) = serde_json::from_slice::<Issuance>(&raw.body)
        {
            let municipality = path
                .trim_end_matches("/issuances")
                .rsplit('/')
                .next()
                .unwrap_or_default();
            self.audit
                .received(IssuedVia::Direct, municipality, &req, &issuance);
        }
        Ok(raw)
    }

    /// A TLS handshake with this client's settings (see [`CandidateClient::handshake_probe`]).
    pub async fn handshake_probe(
        &self,
    ) -> Result<kofu_mock_center::client::HandshakeProbe, ClientError> {
        self.inner.handshake_probe().await
    }
}

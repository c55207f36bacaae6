//! The operations of the profile, one method each, and their resends (再送) with the
//! same request, as the profile's "Timeouts, resends and restarts" says.

use chrono::NaiveDate;
use kofu_profile::identity::Identity;
use kofu_profile::issuance::{Issuance, IssuanceRequest};
use kofu_profile::menu::{Menu, MenuRequest};
use kofu_profile::outcome::OutcomeReport;
use kofu_profile::paths;
use kofu_profile::records::{IssuanceRecord, Records};
use kofu_profile::register_event::{RegisterEvent, RegisterEventReceipt};
use kofu_profile::registration::{Registration, RegistrationRequest};
use kofu_profile::resend;
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::reply::{RawResponse, Reply, parse_reply};
use super::{CandidateClient, ClientError};

impl CandidateClient {
    /// `GET /v1/identity`.
    pub async fn identity(&self) -> Result<Reply<Identity>, ClientError> {
        self.call::<(), _>(
            "identity",
            Method::GET,
            paths::IDENTITY.to_owned(),
            None,
            Resend::NEVER,
        )
        .await
    }

    /// `POST /v1/municipalities/{code}/menu`. Resent once after `503 unavailable`.
    pub async fn menu(
        &self,
        municipality: &str,
        req: &MenuRequest,
    ) -> Result<Reply<Menu>, ClientError> {
        let path = paths::menu(&segment(municipality));
        self.call("menu", Method::POST, path, Some(req), Resend::MENU)
            .await
    }

    /// `POST /v1/municipalities/{code}/issuances`. Resent with the same request id and
    /// body after a failure the profile names, up to its attempts.
    pub async fn issue(
        &self,
        municipality: &str,
        req: &IssuanceRequest,
    ) -> Result<Reply<Issuance>, ClientError> {
        let path = paths::issuances(&segment(municipality));
        self.call("issue", Method::POST, path, Some(req), Resend::ISSUANCE)
            .await
    }

    /// The cancellation resend (取消のための再送): `POST .../issuances` once more with the
    /// same request, one attempt, after the center gave up on the transaction.
    pub async fn resend_to_cancel(
        &self,
        municipality: &str,
        req: &IssuanceRequest,
    ) -> Result<Reply<Issuance>, ClientError> {
        let path = paths::issuances(&segment(municipality));
        self.call(
            "issue (cancellation resend)",
            Method::POST,
            path,
            Some(req),
            Resend::NEVER,
        )
        .await
    }

    /// `POST /v1/municipalities/{code}/issuances/{id}/outcome`. Resent after a failure the
    /// profile names, up to its attempts.
    pub async fn report_outcome(
        &self,
        municipality: &str,
        issuance_id: &str,
        report: &OutcomeReport,
    ) -> Result<Reply<IssuanceRecord>, ClientError> {
        let path = paths::outcome(&segment(municipality), &segment(issuance_id));
        self.call("outcome", Method::POST, path, Some(report), Resend::OUTCOME)
            .await
    }

    /// `GET /v1/municipalities/{code}/records?from=..&to=..`.
    pub async fn records(
        &self,
        municipality: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Reply<Records>, ClientError> {
        let path = format!(
            "{}?from={}&to={}",
            paths::records(&segment(municipality)),
            from.format("%Y-%m-%d"),
            to.format("%Y-%m-%d")
        );
        self.call::<(), _>("records", Method::GET, path, None, Resend::NEVER)
            .await
    }

    /// `POST /v1/municipalities/{code}/koseki-registrations`.
    pub async fn file_registration(
        &self,
        municipality: &str,
        req: &RegistrationRequest,
    ) -> Result<Reply<Registration>, ClientError> {
        let path = paths::registrations(&segment(municipality));
        self.call(
            "file-registration",
            Method::POST,
            path,
            Some(req),
            Resend::ISSUANCE,
        )
        .await
    }

    /// `GET /v1/municipalities/{code}/koseki-registrations/{id}`.
    pub async fn registration(
        &self,
        municipality: &str,
        id: &str,
    ) -> Result<Reply<Registration>, ClientError> {
        let path = paths::registration(&segment(municipality), &segment(id));
        self.call::<(), _>("registration", Method::GET, path, None, Resend::NEVER)
            .await
    }

    /// `POST /v1/municipalities/{code}/register-events` (異動連携), as the municipality's
    /// register systems send it: one attempt; a re-delivery is the caller's decision.
    pub async fn register_event(
        &self,
        municipality: &str,
        event: &RegisterEvent,
    ) -> Result<Reply<RegisterEventReceipt>, ClientError> {
        let path = paths::register_events(&segment(municipality));
        self.call(
            "register-event",
            Method::POST,
            path,
            Some(event),
            Resend::NEVER,
        )
        .await
    }

    /// Any request, for conformance probes: malformed bodies, oversized bodies, wrong
    /// headers. Sends exactly `headers` (start from [`Self::profile_headers`]) and
    /// `path` as given, appended to the base URL. One attempt, no retry; timeout and
    /// size cap apply.
    pub async fn raw(
        &self,
        operation: &str,
        method: Method,
        path: &str,
        headers: Vec<(String, String)>,
        body: Option<Vec<u8>>,
    ) -> Result<RawResponse, ClientError> {
        let url = self.url(path);
        self.attempt(operation, 1, method, &url, &headers, body.as_deref())
            .await
    }

    async fn call<Req: Serialize, T: DeserializeOwned + Serialize>(
        &self,
        operation: &str,
        method: Method,
        path: String,
        body: Option<&Req>,
        resend: Resend,
    ) -> Result<Reply<T>, ClientError> {
        let url = self.url(&path);
        let body = body.map(serde_json::to_vec).transpose().map_err(|e| {
            ClientError::config_with(format!("cannot serialize the {operation} request"), e)
        })?;
        let headers = self.profile_headers(body.is_some());
        let attempts = if self.config.resend {
            resend.attempts
        } else {
            1
        };
        let mut attempt = 1;
        loop {
            let last = attempt >= attempts;
            let raw = match self
                .attempt(
                    operation,
                    attempt,
                    method.clone(),
                    &url,
                    &headers,
                    body.as_deref(),
                )
                .await
            {
                Ok(raw) => raw,
                Err(e) if resend.after_failures && !last && e.answer_lost() => {
                    tracing::info!(
                        operation,
                        url,
                        attempt,
                        error = %super::error_chain(&e),
                        "no whole answer; resending the same request"
                    );
                    attempt += 1;
                    continue;
                }
                Err(e) => return Err(e),
            };
            let reply = parse_reply::<T>(operation, &raw)?;
            if let Reply::Refused { error, .. } = &reply
                && error.code.retry_safe()
                && !last
            {
                tracing::info!(
                    operation,
                    url,
                    attempt,
                    "candidate unavailable; resending the same request"
                );
                attempt += 1;
                continue;
            }
            return Ok(reply);
        }
    }
}

/// How an operation is resent: attempts in all, and whether failures without a whole
/// answer are resent (else only `503 unavailable`).
#[derive(Debug, Clone, Copy)]
struct Resend {
    attempts: u32,
    after_failures: bool,
}

impl Resend {
    const NEVER: Self = Self {
        attempts: 1,
        after_failures: false,
    };
    const MENU: Self = Self {
        attempts: resend::MENU_ATTEMPTS,
        after_failures: false,
    };
    const ISSUANCE: Self = Self {
        attempts: resend::ISSUANCE_ATTEMPTS,
        after_failures: true,
    };
    const OUTCOME: Self = Self {
        attempts: resend::OUTCOME_ATTEMPTS,
        after_failures: true,
    };
}

/// `s` percent-encoded as one path segment (everything but RFC 3986 unreserved).
fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_encoded() {
        assert_eq!(segment("131016"), "131016");
        assert_eq!(segment("a/b?c#d"), "a%2Fb%3Fc%23d");
        assert_eq!(segment(".."), "..");
        assert_eq!(segment("発行"), "%E7%99%BA%E8%A1%8C");
    }
}

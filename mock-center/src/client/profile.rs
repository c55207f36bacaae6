//! The operations of the profile, one method each, and the retry after `unavailable`
//! with the same request.

use chrono::NaiveDate;
use kofu_profile::identity::Identity;
use kofu_profile::issuance::{Issuance, IssuanceRequest};
use kofu_profile::menu::{Menu, MenuRequest};
use kofu_profile::outcome::OutcomeReport;
use kofu_profile::paths;
use kofu_profile::records::{IssuanceRecord, Records};
use kofu_profile::registration::{Registration, RegistrationRequest};
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
            false,
        )
        .await
    }

    /// `POST /v1/municipalities/{code}/menu`. Retried after `unavailable`.
    pub async fn menu(
        &self,
        municipality: &str,
        req: &MenuRequest,
    ) -> Result<Reply<Menu>, ClientError> {
        let path = paths::menu(&segment(municipality));
        self.call("menu", Method::POST, path, Some(req), true).await
    }

    /// `POST /v1/municipalities/{code}/issuances`. Retried after `unavailable`, with the
    /// same request id and body.
    pub async fn issue(
        &self,
        municipality: &str,
        req: &IssuanceRequest,
    ) -> Result<Reply<Issuance>, ClientError> {
        let path = paths::issuances(&segment(municipality));
        self.call("issue", Method::POST, path, Some(req), true)
            .await
    }

    /// `POST /v1/municipalities/{code}/issuances/{id}/outcome`. Retried after
    /// `unavailable`.
    pub async fn report_outcome(
        &self,
        municipality: &str,
        issuance_id: &str,
        report: &OutcomeReport,
    ) -> Result<Reply<IssuanceRecord>, ClientError> {
        let path = paths::outcome(&segment(municipality), &segment(issuance_id));
        self.call("outcome", Method::POST, path, Some(report), true)
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
        self.call::<(), _>("records", Method::GET, path, None, false)
            .await
    }

    /// `POST /v1/municipalities/{code}/koseki-registrations`.
    pub async fn file_registration(
        &self,
        municipality: &str,
        req: &RegistrationRequest,
    ) -> Result<Reply<Registration>, ClientError> {
        let path = paths::registrations(&segment(municipality));
        self.call("file-registration", Method::POST, path, Some(req), false)
            .await
    }

    /// `GET /v1/municipalities/{code}/koseki-registrations/{id}`.
    pub async fn registration(
        &self,
        municipality: &str,
        id: &str,
    ) -> Result<Reply<Registration>, ClientError> {
        let path = paths::registration(&segment(municipality), &segment(id));
        self.call::<(), _>("registration", Method::GET, path, None, false)
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
        retry_unavailable: bool,
    ) -> Result<Reply<T>, ClientError> {
        let url = self.url(&path);
        let body = body.map(serde_json::to_vec).transpose().map_err(|e| {
            ClientError::config_with(format!("cannot serialize the {operation} request"), e)
        })?;
        let headers = self.profile_headers(body.is_some());
        let attempts = 1 + if retry_unavailable {
            u32::from(self.config.unavailable_retries)
        } else {
            0
        };
        let mut attempt = 1;
        loop {
            let raw = self
                .attempt(
                    operation,
                    attempt,
                    method.clone(),
                    &url,
                    &headers,
                    body.as_deref(),
                )
                .await?;
            let reply = parse_reply::<T>(operation, &raw)?;
            if let Reply::Refused { error, .. } = &reply
                && error.code.retry_safe()
                && attempt < attempts
            {
                tracing::info!(
                    operation,
                    url,
                    attempt,
                    "candidate unavailable; retrying at once with the same request"
                );
                attempt += 1;
                continue;
            }
            return Ok(reply);
        }
    }
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

//! One HTTP exchange with a candidate: under the overall timeout, the body read in
//! chunks with a hard cap, and recorded as evidence whatever happens.

use std::time::Instant;

use reqwest::Method;

use super::evidence::{Exchange, RecordedBody};
use super::reply::RawResponse;
use super::{CandidateClient, ClientError, error_chain};

/// What one attempt got before it ended, kept even when it failed.
#[derive(Default)]
struct Progress {
    status: Option<u16>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    received: usize,
}

impl CandidateClient {
    /// One HTTP exchange under the overall timeout, recorded as evidence.
    pub(super) async fn attempt(
        &self,
        operation: &str,
        attempt: u32,
        method: Method,
        url: &str,
        headers: &[(String, String)],
        body: Option<&[u8]>,
    ) -> Result<RawResponse, ClientError> {
        let started_at = chrono::Utc::now();
        let start = Instant::now();
        let mut progress = Progress::default();
        // The wait ends when the timeout elapses or, with a wait signal, when the
        // component holding the answer says so: both are the same timeout.
        let mut waiting = self
            .config
            .wait_signal
            .as_ref()
            .map(super::WaitSignal::begin);
        let named: Vec<(String, String)>;
        let sent = match &waiting {
            Some(attempt) => {
                named = headers
                    .iter()
                    .cloned()
                    .chain([(super::ATTEMPT_HEADER.to_owned(), attempt.name.clone())])
                    .collect();
                named.as_slice()
            }
            None => headers,
        };
        let expired = async {
            match waiting.as_mut() {
                Some(attempt) => attempt.expired().await,
                None => std::future::pending().await,
            }
        };
        let exchange = self.exchange(operation, method.clone(), url, sent, body, &mut progress);
        let outcome = tokio::select! {
            answered = tokio::time::timeout(self.config.timeout, exchange) => answered.ok(),
            () = expired => None,
        };
        drop(waiting);
        let elapsed = start.elapsed();
        let outcome = outcome.unwrap_or_else(|| {
            Err(ClientError::Timeout {
                operation: operation.to_owned(),
                url: url.to_owned(),
                after: self.config.timeout,
            })
        });
        let error = outcome.as_ref().err().map(|e| error_chain(e));
        match &error {
            Some(e) => {
                tracing::debug!(operation, url, attempt, error = %e, "candidate call failed")
            }
            None => tracing::debug!(
                operation,
                url,
                attempt,
                status = progress.status,
                elapsed_ms = elapsed.as_millis() as u64,
                "candidate answered"
            ),
        }
        self.evidence.record(Exchange {
            seq: 0,
            operation: operation.to_owned(),
            attempt,
            started_at,
            method: method.to_string(),
            url: url.to_owned(),
            request_headers: headers.to_vec(),
            request_body: body.and_then(RecordedBody::from_bytes),
            request_bytes: body.map_or(0, <[u8]>::len),
            status: progress.status,
            response_headers: progress.headers.clone(),
            response_body: RecordedBody::from_bytes(&progress.body),
            response_bytes: progress.received,
            elapsed_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
            error,
        });
        outcome?;
        Ok(RawResponse {
            status: progress.status.unwrap_or_default(),
            headers: progress.headers,
            body: progress.body,
            elapsed,
        })
    }

    /// Send, then read the body with the cap, filling `progress` as things arrive.
    async fn exchange(
        &self,
        operation: &str,
        method: Method,
        url: &str,
        headers: &[(String, String)],
        body: Option<&[u8]>,
        progress: &mut Progress,
    ) -> Result<(), ClientError> {
        let mut request = self.http.request(method, url);
        for (name, value) in headers {
            request = request.header(name.as_str(), value.as_str());
        }
        if let Some(body) = body {
            request = request.body(body.to_vec());
        }
        let mut response = request
            .send()
            .await
            .map_err(|e| ClientError::from_reqwest(operation, url, e))?;
        progress.status = Some(response.status().as_u16());
        progress.headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();

        let limit = self.config.max_response_bytes;
        let too_large = |received| ClientError::ResponseTooLarge {
            operation: operation.to_owned(),
            limit,
            received,
        };
        if let Some(declared) = response.content_length()
            && declared > limit as u64
        {
            return Err(too_large(0));
        }
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| ClientError::from_reqwest(operation, url, e))?
        {
            progress.received = progress.received.saturating_add(chunk.len());
            let needed = progress.body.len() + chunk.len();
            if needed > limit {
                return Err(too_large(progress.received));
            }
            if needed > progress.body.capacity() {
                // Grow geometrically, but never past the cap.
                let target = (progress.body.capacity() * 2).max(needed).min(limit);
                progress.body.reserve_exact(target - progress.body.len());
            }
            progress.body.extend_from_slice(&chunk);
        }
        Ok(())
    }
}

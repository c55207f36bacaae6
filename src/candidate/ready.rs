//! Readiness: a candidate is ready when the profile's identity operation
//! (`GET /v1/identity`) answers 200 through the center's client, with the candidate's
//! server CA and the center's identity. kofu polls that condition until a bounded
//! deadline, and asks the caller between attempts whether the candidate is still alive
//! (a container that exited is a setup failure at once, not a wait until the deadline).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use kofu_mock_center::client::{CandidateClient, ClientConfig, NoEvidence, Reply};
use tokio::time::Instant;

use super::CandidateError;

/// How long a candidate kofu started (or restarted) may take to become ready.
pub const READY_DEADLINE: Duration = Duration::from_secs(60);

/// Pause between two identity attempts: the condition is polled, never slept on.
const POLL_INTERVAL: Duration = Duration::from_millis(100);

/// Poll `GET /v1/identity` with `config` until it answers 200, `alive` fails, or
/// `deadline` passes. `alive` is asked before every attempt.
pub async fn wait_ready<F, Fut>(
    config: &ClientConfig,
    deadline: Duration,
    mut alive: F,
) -> Result<(), CandidateError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), CandidateError>>,
{
    let mut config = config.clone();
    config.timeout = Duration::from_secs(3);
    config.connect_timeout = Duration::from_secs(2);
    let client = CandidateClient::new(config.clone(), Arc::new(NoEvidence)).map_err(|e| {
        CandidateError::NotReady {
            url: config.base_url.clone(),
            detail: kofu_mock_center::client::error_chain(&e),
        }
    })?;
    let until = Instant::now() + deadline;
    loop {
        alive().await?;
        let last = match client.identity().await {
            Ok(Reply::Ok { status: 200, .. }) => return Ok(()),
            Ok(reply) => format!("identity answered {}", reply.status()),
            Err(e) => kofu_mock_center::client::error_chain(&e),
        };
        if Instant::now() >= until {
            return Err(CandidateError::NotReady {
                url: config.base_url.clone(),
                detail: format!(
                    "GET /v1/identity did not answer 200 within {} s; last: {last}",
                    deadline.as_secs()
                ),
            });
        }
        tokio::time::sleep(POLL_INTERVAL).await;
    }
}

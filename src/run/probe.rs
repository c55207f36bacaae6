//! The identity probe: the first call to the candidate, before the rig starts.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use super::RunError;
use crate::candidate::Candidate;

/// Ask the candidate who it is before anything else: an unreachable candidate, or one
/// kofu cannot talk TLS to, is a setup error, never a pass. Any HTTP answer counts as
/// reachable; a profile identity names the candidate's snapshots and is returned for the
/// report.
pub(super) async fn probe(
    candidate: &mut Candidate,
    run_dir: &Path,
) -> Result<Option<kofu_profile::identity::Identity>, RunError> {
    use kofu_mock_center::client::ClientError;
    let evidence = Arc::new(kofu_mock_center::client::DirEvidence::new(
        run_dir.join("evidence").join("probe"),
    ));
    let mut config = candidate.center_client();
    config.timeout = Duration::from_secs(10);
    let https = candidate.url.starts_with("https:");
    let url = candidate.url.clone();
    let client = kofu_mock_center::client::CandidateClient::new(config, evidence).map_err(|e| {
        if https && candidate.server_ca_pem.is_none() {
            RunError::ServerCaMissing { url: url.clone() }
        } else {
            RunError::Client {
                url: url.clone(),
                detail: kofu_mock_center::client::error_chain(&e),
            }
        }
    })?;
    match client.identity().await {
        Ok(kofu_mock_center::client::Reply::Ok { value, .. }) => {
            candidate.identified_as(&value);
            Ok(Some(value))
        }
        Ok(_) => Ok(None),
        Err(ClientError::Tls { detail, .. }) => {
            if detail.contains("invalid peer certificate") {
                Err(RunError::ServerNotTrusted { url, detail })
            } else {
                Err(RunError::Tls { url, detail })
            }
        }
        Err(e) if e.is_unreachable() || e.is_timeout() => Err(RunError::Unreachable {
            url,
            detail: kofu_mock_center::client::error_chain(&e),
        }),
        Err(_) => Ok(None),
    }
}

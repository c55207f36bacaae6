//! 異常系試験's network: a fault injector between a scenario's own mock center and the
//! candidate, so that one scenario's lost answers, resets and delays touch nobody else.
//! The center follows the profile's resend rules with a wait the scenario chooses, ended
//! at once for an answer the injector holds; its terminals' link passes every issuance
//! handed over through the run's audit seam.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use kofu_fault_injector::{FaultInjector, HoldNotice, Settings, Upstream};
use kofu_mock_center::center::{CenterConfig, Clock, RunningCenter};
use kofu_mock_center::client::{ATTEMPT_HEADER, ClientConfig, WaitSignal};

use super::{Rig, RigError};
use crate::terminal::center_link::CenterLink;

/// The center's wait in the faults phase unless a scenario sets another: the profile's.
/// A held answer costs no time: the injector ends the center's wait for it at once
/// ([`WaitSignal`]), so the wait only bounds the answers that are not held.
pub const FAULTS_WAIT: Duration = kofu_profile::resend::CENTER_WAIT;

/// A scenario's own center, reaching the candidate through a fault injector.
pub struct FaultyNetwork {
    /// Between the center and the candidate.
    pub injector: FaultInjector,
    /// The scenario's center.
    pub center: RunningCenter,
    /// Its terminals' link, observed by the run's audit.
    pub link: CenterLink,
    /// How the center reaches the candidate (through the injector).
    pub client: ClientConfig,
}

impl std::fmt::Debug for FaultyNetwork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaultyNetwork")
            .field("injector", &self.injector.url())
            .field("center", &self.center.url)
            .finish_non_exhaustive()
    }
}

/// The address and TLS name of a candidate's base URL.
async fn candidate_address(url: &str) -> Result<(SocketAddr, String, bool), String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("`{url}` is not a URL: {e}"))?;
    let host = parsed
        .host_str()
        .ok_or_else(|| format!("`{url}` names no host"))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let https = parsed.scheme() == "https";
    let port = parsed
        .port_or_known_default()
        .ok_or_else(|| format!("`{url}` names no port"))?;
    let addr = tokio::net::lookup_host((host.as_str(), port))
        .await
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .next()
        .ok_or_else(|| format!("{host} resolves to nothing"))?;
    Ok((addr, host, https))
}

impl Rig {
    /// Start a faulty network for one scenario: an injector in front of the candidate
    /// and a center with the wait `wait`, recording its exchanges into `evidence`.
    pub async fn faulty_network(
        &self,
        wait: Duration,
        evidence: &Path,
    ) -> Result<FaultyNetwork, RigError> {
        let direct = self.candidate.center_client();
        let (addr, server_name, https) = candidate_address(&direct.base_url)
            .await
            .map_err(RigError::Faults)?;
        let tls = if https {
            Some(Arc::new(direct.rustls_http1().map_err(|e| {
                RigError::Faults(kofu_mock_center::client::error_chain(&e))
            })?))
        } else {
            None
        };
        // The center's wait is an injected clock: an answer the injector holds ends the
        // wait of the attempt that asked for it at once, as if the wait had elapsed.
        let signal = WaitSignal::new();
        let expire = signal.clone();
        let settings = Settings {
            hold_notice: Some(HoldNotice {
                header: http::HeaderName::from_static(ATTEMPT_HEADER),
                notify: Arc::new(move |attempt: &str| {
                    expire.expire(attempt);
                }),
            }),
            ..Settings::default()
        };
        let upstream = Upstream {
            addr,
            server_name,
            tls,
        };
        let injector = FaultInjector::start_with(upstream, settings)
            .await
            .map_err(|e| RigError::Faults(e.to_string()))?;
        let client = ClientConfig {
            base_url: injector.url(),
            server_ca_pem: None,
            client_identity: None,
            timeout: wait,
            connect_timeout: wait,
            wait_signal: Some(signal),
            ..direct
        };
        let config = CenterConfig {
            fixtures: self.fixtures.clone(),
            candidates: vec![client.clone()],
            jpki_ca_der: self.center.jpki.ca_der.clone(),
            validity_url: String::new(),
            clock: Clock::System,
            trust_terminal_clock: true,
            ledger_path: None,
            evidence_dir: Some(evidence.join("center")),
        };
        let center = RunningCenter::start(config)
            .await
            .map_err(RigError::Center)?;
        let link = CenterLink::new(&center.url)
            .map_err(RigError::Link)?
            .observed_by(self.audit.clone());
        Ok(FaultyNetwork {
            injector,
            center,
            link,
            client,
        })
    }
}

//! How a candidate is reached: a URL given by the vendor, the bundled reference server
//! started in-process, or a container image started by kofu (`profile/CONTAINER.md`).
//! Either way the harness then speaks only the open reference profile to it. A candidate
//! kofu started sits behind a loopback relay ([`relay`]), so it can be restarted mid-run
//! ([`Candidate::restart`]) under the same URL.
//!
//! Longer than 400 lines because the three ways a candidate is launched, restarted and
//! stopped are one enum, matched here and nowhere else.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use kofu_fixtures::{Fixtures, Municipality};
use kofu_mock_center::client::ClientConfig;

pub mod container;
pub mod docker_api;
mod error;
pub mod ready;
pub mod relay;
mod restart_command;

use container::ContainerCandidate;
pub use error::CandidateError;
use relay::Relay;

/// Snapshot key of the bundled reference server.
const REFERENCE_KEY: &str = "reference";

/// Lowercase ASCII letters and digits, every other run of characters one `-`.
fn key_slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_matches('-').to_owned()
}

/// What the vendor asked to test.
#[derive(Debug, Clone)]
pub enum CandidateSpec {
    /// The bundled reference server, with these defect switches on.
    Embedded {
        /// Defect names.
        defects: Vec<String>,
    },
    /// A candidate at a URL.
    Remote {
        /// Base URL, e.g. `https://127.0.0.1:8443`.
        url: String,
        /// Municipality profiles the candidate claims (住所地 and 本籍地).
        municipalities: Vec<PathBuf>,
        /// PEM trust anchor for the candidate's server certificate (https).
        server_ca: Option<PathBuf>,
        /// The vendor's command that restarts the candidate (run with `sh -c`), for the
        /// restart scenarios; `None`: the candidate cannot be restarted.
        restart_command: Option<String>,
    },
    /// A candidate brought as a container image, run under `profile/CONTAINER.md`.
    Container {
        /// `NAME[:TAG]` of an image present in the local engine.
        image: String,
        /// Municipality profiles the candidate claims; empty: the fixtures'
        /// municipalities (what the bundled reference server serves).
        municipalities: Vec<PathBuf>,
        /// PEM trust anchor for the candidate's server certificate; `None`: the fixtures'
        /// candidate CA (`fixtures/pki/candidate-ca.pem`).
        server_ca: Option<PathBuf>,
    },
}

impl CandidateSpec {
    /// The candidate's URL where it is known before launch (a `--server` URL).
    pub fn known_url(&self) -> Option<&str> {
        match self {
            Self::Remote { url, .. } => Some(url),
            Self::Embedded { .. } | Self::Container { .. } => None,
        }
    }
}

/// How the candidate was launched, and how it is restarted. One per run, never moved
/// after launch: the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
enum Launched {
    /// Reached at the vendor's URL.
    Remote {
        restart_command: Option<String>,
        /// Where the restart command's output goes.
        evidence: PathBuf,
    },
    /// The bundled reference server in process, behind a relay.
    Embedded {
        config: kofu_reference_server::Config,
        server: tokio::sync::Mutex<Option<kofu_reference_server::RunningServer>>,
        relay: Relay,
    },
    /// A container, behind a relay.
    Container {
        container: ContainerCandidate,
        relay: Relay,
    },
}

/// A candidate ready to be tested.
pub struct Candidate {
    /// Base URL. For the embedded server and a container it names a loopback relay, so it
    /// stays the same across restarts.
    pub url: String,
    /// The claims under test.
    pub municipalities: Vec<Municipality>,
    /// PEM trust anchor for https.
    pub server_ca_pem: Option<Vec<u8>>,
    /// The center's client identity (cert PEM, key PEM) for mutual TLS.
    pub center_identity: (Vec<u8>, Vec<u8>),
    /// A client identity from an unrelated CA.
    pub stranger_identity: (Vec<u8>, Vec<u8>),
    /// The product name the candidate gave at the identity probe.
    implementation: Option<String>,
    launched: Launched,
    /// Restarts done so far; held during a restart, so concurrent restarts queue.
    restarts: tokio::sync::Mutex<u32>,
}

impl std::fmt::Debug for Candidate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.launched {
            Launched::Remote { .. } => "remote",
            Launched::Embedded { .. } => "embedded",
            Launched::Container { .. } => "container",
        };
        f.debug_struct("Candidate")
            .field("url", &self.url)
            .field("kind", &kind)
            .finish()
    }
}

fn read(path: &Path) -> Result<Vec<u8>, CandidateError> {
    std::fs::read(path).map_err(|source| CandidateError::Read {
        path: path.to_owned(),
        source,
    })
}

fn load_municipalities(paths: &[PathBuf]) -> Result<Vec<Municipality>, CandidateError> {
    paths
        .iter()
        .map(|p| Municipality::load(p).map_err(CandidateError::Municipality))
        .collect()
}

/// `https://127.0.0.1:PORT` of a relay.
fn relay_url(relay: &Relay) -> String {
    format!("https://{}", relay.addr())
}

impl Candidate {
    /// Launch or locate the candidate. `scratch` (`<run dir>/scratch`) holds the embedded
    /// server's database; the run folder above it names the run's containers and holds
    /// the restart command's output under `evidence/restart/`.
    pub async fn launch(
        spec: &CandidateSpec,
        fixtures: &Arc<Fixtures>,
        scratch: &Path,
    ) -> Result<Self, CandidateError> {
        kofu_mock_center::install_crypto_provider();
        let run_dir = scratch.parent().unwrap_or(scratch);
        let pki = fixtures.root.join("pki");
        let center_identity = (
            read(&pki.join("center-client.pem"))?,
            read(&pki.join("center-client.key"))?,
        );
        let stranger_identity = (
            read(&pki.join("stranger-client.pem"))?,
            read(&pki.join("stranger-client.key"))?,
        );
        let candidate = |url, municipalities, server_ca_pem, launched| Self {
            url,
            municipalities,
            server_ca_pem,
            center_identity: center_identity.clone(),
            stranger_identity: stranger_identity.clone(),
            implementation: None,
            launched,
            restarts: tokio::sync::Mutex::new(0),
        };
        match spec {
            CandidateSpec::Embedded { defects } => {
                let mut set = std::collections::BTreeSet::new();
                for name in defects {
                    let defect: kofu_reference_server::Defect = name
                        .parse()
                        .map_err(|_| CandidateError::UnknownDefect(name.clone()))?;
                    set.insert(defect);
                }
                let config = kofu_reference_server::Config {
                    fixtures: fixtures.clone(),
                    municipalities: Vec::new(),
                    database: scratch.join("reference-server.sqlite"),
                    defects: set,
                    tls: Some(kofu_reference_server::TlsSettings {
                        cert_pem: read(&pki.join("reference-server.pem"))?,
                        key_pem: read(&pki.join("reference-server.key"))?,
                        client_ca_pem: Some(read(&pki.join("center-ca.pem"))?),
                    }),
                };
                let server = kofu_reference_server::start(config.clone())
                    .await
                    .map_err(CandidateError::Embedded)?;
                let relay = Relay::start(server.addr)
                    .await
                    .map_err(CandidateError::Relay)?;
                Ok(candidate(
                    relay_url(&relay),
                    fixtures.municipalities.clone(),
                    Some(read(&pki.join("candidate-ca.pem"))?),
                    Launched::Embedded {
                        config,
                        server: tokio::sync::Mutex::new(Some(server)),
                        relay,
                    },
                ))
            }
            CandidateSpec::Remote {
                url,
                municipalities,
                server_ca,
                restart_command,
            } => Ok(candidate(
                url.clone(),
                load_municipalities(municipalities)?,
                server_ca.as_deref().map(read).transpose()?,
                Launched::Remote {
                    restart_command: restart_command.clone(),
                    evidence: run_dir.join("evidence").join("restart"),
                },
            )),
            CandidateSpec::Container {
                image,
                municipalities,
                server_ca,
            } => {
                let claims = if municipalities.is_empty() {
                    fixtures.municipalities.clone()
                } else {
                    load_municipalities(municipalities)?
                };
                let server_ca_pem = match server_ca {
                    Some(path) => read(path)?,
                    None => read(&pki.join("candidate-ca.pem"))?,
                };
                let run_id = run_dir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let container = ContainerCandidate::start(image, &fixtures.root, &run_id).await?;
                let relay = Relay::start(container.host_addr().await?)
                    .await
                    .map_err(CandidateError::Relay)?;
                let candidate = candidate(
                    relay_url(&relay),
                    claims,
                    Some(server_ca_pem),
                    Launched::Container { container, relay },
                );
                candidate.wait_ready().await?;
                Ok(candidate)
            }
        }
    }

    /// Why a restart is not possible for this candidate (e.g. "no --restart-command was
    /// given"), or None.
    pub fn restart_unavailable(&self) -> Option<String> {
        match &self.launched {
            Launched::Remote {
                restart_command: None,
                ..
            } => Some(
                "no --restart-command was given: kofu restarts a --server candidate only through the vendor's command"
                    .to_owned(),
            ),
            _ => None,
        }
    }

    /// Stop the candidate and start it again, then wait until it is ready (identity 200).
    /// The URL stays the same. Concurrent restarts run one after the other.
    pub async fn restart(&self) -> Result<(), CandidateError> {
        if let Some(why) = self.restart_unavailable() {
            return Err(CandidateError::RestartUnavailable(why));
        }
        let mut count = self.restarts.lock().await;
        *count += 1;
        tracing::info!(url = %self.url, restart = *count, "restarting the candidate");
        match &self.launched {
            Launched::Remote {
                restart_command,
                evidence,
            } => {
                let command = restart_command.as_deref().unwrap_or_default();
                restart_command::run(command, evidence, *count).await?;
            }
            Launched::Embedded {
                config,
                server,
                relay,
            } => {
                let mut slot = server.lock().await;
                if let Some(running) = slot.take() {
                    running.stop().await;
                }
                let running = kofu_reference_server::start(config.clone())
                    .await
                    .map_err(CandidateError::Embedded)?;
                relay.retarget(running.addr);
                *slot = Some(running);
            }
            Launched::Container { container, relay } => {
                container.stop_and_start().await?;
                // The engine may map another port after a start.
                relay.retarget(container.host_addr().await?);
            }
        }
        self.wait_ready().await
    }

    /// Wait until the candidate answers identity 200, or fail (a container that exited
    /// fails at once).
    async fn wait_ready(&self) -> Result<(), CandidateError> {
        let config = self.center_client();
        match &self.launched {
            Launched::Container { container, .. } => {
                ready::wait_ready(&config, ready::READY_DEADLINE, || container.alive()).await
            }
            _ => ready::wait_ready(&config, ready::READY_DEADLINE, || async { Ok(()) }).await,
        }
    }

    /// How many times the candidate was restarted in this run.
    pub async fn restart_count(&self) -> u32 {
        *self.restarts.lock().await
    }

    /// The candidate's container id, when it runs in one.
    pub fn container_id(&self) -> Option<&str> {
        match &self.launched {
            Launched::Container { container, .. } => Some(container.id()),
            _ => None,
        }
    }

    /// Client settings as the center uses them: the center's identity where mutual TLS
    /// is claimed.
    pub fn center_client(&self) -> ClientConfig {
        let mut config = self.base_client();
        config.client_identity = Some(self.center_identity.clone());
        config
    }

    /// Client settings without any client certificate.
    pub fn anonymous_client(&self) -> ClientConfig {
        self.base_client()
    }

    /// Client settings with a certificate from an unrelated CA.
    pub fn stranger_client(&self) -> ClientConfig {
        let mut config = self.base_client();
        config.client_identity = Some(self.stranger_identity.clone());
        config
    }

    fn base_client(&self) -> ClientConfig {
        ClientConfig {
            base_url: self.url.clone(),
            server_ca_pem: self.server_ca_pem.clone(),
            client_identity: None,
            timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(3),
            ..ClientConfig::default()
        }
    }

    /// The municipality that is the 住所地 (serves residents) among the claims.
    pub fn residence_municipality(&self) -> Option<&Municipality> {
        self.municipalities.iter().find(|m| m.serves_residents())
    }

    /// Remember who the candidate said it is (the identity probe): its product name
    /// names its snapshots.
    pub fn identified_as(&mut self, identity: &kofu_profile::identity::Identity) {
        self.implementation = Some(identity.implementation.name.clone());
    }

    /// The folder name of this candidate's snapshots under `fixtures/snapshots/`:
    /// `reference` for the bundled reference server (whatever its defect switches), in
    /// process or as the bundled image (a container naming itself `kofu-reference-server`),
    /// else a slug of the product name it gives in its identity (e.g. `acme-shomei`),
    /// else of the URL's host. Never the port, the version or anything else that
    /// changes between runs of the same product.
    pub fn snapshot_key(&self) -> String {
        if matches!(self.launched, Launched::Embedded { .. }) {
            return REFERENCE_KEY.to_owned();
        }
        // The bundled image (`scripts/build-image`) is the reference server itself.
        if matches!(self.launched, Launched::Container { .. })
            && self.implementation.as_deref()
                == Some(kofu_reference_server::operations::identity::IMPLEMENTATION_NAME)
        {
            return REFERENCE_KEY.to_owned();
        }
        let host = || {
            let rest = self
                .url
                .split_once("://")
                .map_or(self.url.as_str(), |(_, r)| r);
            let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
            let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
            // Without the port: `[::1]:8443` gives `::1`, `host:8443` gives `host`.
            match authority.strip_prefix('[') {
                Some(v6) => v6.split(']').next().unwrap_or_default().to_owned(),
                None => authority.split(':').next().unwrap_or_default().to_owned(),
            }
        };
        let source = self.implementation.clone().unwrap_or_else(host);
        let slug = key_slug(&source);
        if slug.is_empty() || slug == REFERENCE_KEY {
            format!("candidate-{slug}").trim_end_matches('-').to_owned()
        } else {
            slug
        }
    }

    /// What the candidate is, stable across runs of the same candidate (reports of
    /// different candidates are never merged): `reference` for the bundled reference
    /// server, with `+defect,…` for its defect switches; the URL of a `--server`
    /// candidate; the [`Self::snapshot_key`] of a container.
    pub fn identity_key(&self) -> String {
        match &self.launched {
            Launched::Embedded { config, .. } => {
                let defects: Vec<&str> = config.defects.iter().map(|d| d.name()).collect();
                if defects.is_empty() {
                    REFERENCE_KEY.to_owned()
                } else {
                    format!("{REFERENCE_KEY}+{}", defects.join(","))
                }
            }
            Launched::Remote { .. } => self.url.clone(),
            Launched::Container { .. } => self.snapshot_key(),
        }
    }

    /// Whether this candidate's snapshots may be recorded: not for the reference server
    /// with a defect switched on, whose output is wrong on purpose.
    pub fn may_record_snapshots(&self) -> bool {
        match &self.launched {
            Launched::Embedded { config, .. } => config.defects.is_empty(),
            _ => true,
        }
    }

    /// Stop the embedded server or remove the container, if any.
    pub async fn stop(self) {
        match self.launched {
            Launched::Remote { .. } => {}
            Launched::Embedded { server, .. } => {
                if let Some(server) = server.into_inner() {
                    server.stop().await;
                }
            }
            Launched::Container { container, .. } => container.remove().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remote(url: &str, implementation: Option<&str>) -> Candidate {
        Candidate {
            url: url.to_owned(),
            municipalities: Vec::new(),
            server_ca_pem: None,
            center_identity: (Vec::new(), Vec::new()),
            stranger_identity: (Vec::new(), Vec::new()),
            implementation: implementation.map(str::to_owned),
            launched: Launched::Remote {
                restart_command: None,
                evidence: PathBuf::new(),
            },
            restarts: tokio::sync::Mutex::new(0),
        }
    }

    #[test]
    fn the_snapshot_key_has_no_port() {
        assert_eq!(
            remote("https://127.0.0.1:8443", None).snapshot_key(),
            "127-0-0-1"
        );
        assert_eq!(
            remote("https://127.0.0.1:9443/", None).snapshot_key(),
            remote("https://127.0.0.1:8443", None).snapshot_key()
        );
        assert_eq!(remote("https://[::1]:8443", None).snapshot_key(), "1");
        assert_eq!(
            remote("https://127.0.0.1:8443", Some("ACME 証明発行 Server")).snapshot_key(),
            "acme-server"
        );
        assert_eq!(
            remote("http://x:1", Some("Reference")).snapshot_key(),
            "candidate-reference"
        );
    }
}

#[cfg(test)]
mod restart_tests;

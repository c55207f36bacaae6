//! How a candidate is reached: a URL given by the vendor, or the bundled reference
//! server started in-process. Either way the harness then speaks only the open
//! reference profile to it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use kofu_fixtures::{Fixtures, Municipality};
use kofu_mock_center::client::ClientConfig;

/// Errors reaching or launching a candidate.
#[derive(Debug, thiserror::Error)]
pub enum CandidateError {
    /// A file named on the command line could not be read.
    #[error("cannot read {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A municipality profile is invalid.
    #[error("invalid municipality profile")]
    Municipality(#[source] kofu_fixtures::FixtureError),
    /// The bundled reference server did not start.
    #[error("the bundled reference server did not start")]
    Embedded(#[source] kofu_reference_server::ServerError),
    /// An unknown defect name.
    #[error("unknown defect `{0}` (see `kofu defects`)")]
    UnknownDefect(String),
}

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
    },
}

/// A candidate ready to be tested.
pub struct Candidate {
    /// Base URL.
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
    /// Keeps the embedded server alive.
    embedded: Option<kofu_reference_server::RunningServer>,
}

impl std::fmt::Debug for Candidate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Candidate")
            .field("url", &self.url)
            .field("embedded", &self.embedded.is_some())
            .finish()
    }
}

fn read(path: &Path) -> Result<Vec<u8>, CandidateError> {
    std::fs::read(path).map_err(|source| CandidateError::Read {
        path: path.to_owned(),
        source,
    })
}

impl Candidate {
    /// Launch or locate the candidate. `scratch` holds the embedded server's database.
    pub async fn launch(
        spec: &CandidateSpec,
        fixtures: &Arc<Fixtures>,
        scratch: &Path,
    ) -> Result<Self, CandidateError> {
        kofu_mock_center::install_crypto_provider();
        let pki = fixtures.root.join("pki");
        let center_identity = (
            read(&pki.join("center-client.pem"))?,
            read(&pki.join("center-client.key"))?,
        );
        let stranger_identity = (
            read(&pki.join("stranger-client.pem"))?,
            read(&pki.join("stranger-client.key"))?,
        );
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
                let server = kofu_reference_server::start(config)
                    .await
                    .map_err(CandidateError::Embedded)?;
                Ok(Self {
                    url: server.url.clone(),
                    municipalities: fixtures.municipalities.clone(),
                    server_ca_pem: Some(read(&pki.join("candidate-ca.pem"))?),
                    center_identity,
                    stranger_identity,
                    implementation: None,
                    embedded: Some(server),
                })
            }
            CandidateSpec::Remote {
                url,
                municipalities,
                server_ca,
            } => {
                let municipalities = municipalities
                    .iter()
                    .map(|p| Municipality::load(p).map_err(CandidateError::Municipality))
                    .collect::<Result<Vec<_>, _>>()?;
                let server_ca_pem = server_ca.as_deref().map(read).transpose()?;
                Ok(Self {
                    url: url.clone(),
                    municipalities,
                    server_ca_pem,
                    center_identity,
                    stranger_identity,
                    implementation: None,
                    embedded: None,
                })
            }
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
    /// `reference` for the bundled reference server (whatever its defect switches),
    /// else a slug of the product name it gives in its identity (e.g. `acme-shomei`),
    /// else of the URL's host. Never the port, the version or anything else that
    /// changes between runs of the same product.
    pub fn snapshot_key(&self) -> String {
        if self.embedded.is_some() {
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

    /// Whether this candidate's snapshots may be recorded: not for the reference server
    /// with a defect switched on, whose output is wrong on purpose.
    pub fn may_record_snapshots(&self) -> bool {
        self.embedded
            .as_ref()
            .is_none_or(|s| s.state().defects().iter().next().is_none())
    }

    /// Stop the embedded server, if any.
    pub async fn stop(self) {
        if let Some(server) = self.embedded {
            server.stop().await;
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
            embedded: None,
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

//! [`RunError`]: what stops a run before a verdict (exit code 2).

use std::path::PathBuf;

use crate::candidate::CandidateError;
use crate::rig::RigError;

use super::subset;

/// Errors that stop a run before a verdict (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Fixtures did not load.
    #[error("fixtures did not load")]
    Fixtures(#[from] kofu_fixtures::FixtureError),
    /// The candidate could not be launched or configured.
    #[error("candidate setup failed")]
    Candidate(#[from] CandidateError),
    /// The candidate did not answer.
    #[error("candidate unreachable at {url}: {detail}")]
    Unreachable {
        /// The URL tried.
        url: String,
        /// What happened.
        detail: String,
    },
    /// An https candidate without `--server-ca`.
    #[error(
        "--server-ca is missing: the candidate at {url} is https, and kofu trusts only the CA given with --server-ca FILE (PEM), never public roots"
    )]
    ServerCaMissing {
        /// The URL.
        url: String,
    },
    /// kofu does not trust the candidate's server certificate.
    #[error(
        "the candidate's certificate at {url} is not trusted by the given CA (--server-ca): {detail}"
    )]
    ServerNotTrusted {
        /// The URL.
        url: String,
        /// The TLS error.
        detail: String,
    },
    /// Another TLS failure at the identity probe.
    #[error("TLS handshake with the candidate at {url} failed: {detail}")]
    Tls {
        /// The URL.
        url: String,
        /// The TLS error.
        detail: String,
    },
    /// The client for the candidate could not be configured.
    #[error("cannot configure the client for the candidate at {url}: {detail}")]
    Client {
        /// The URL.
        url: String,
        /// What is wrong.
        detail: String,
    },
    /// The tag expression is invalid.
    #[error("invalid tag expression `{expr}`{}", hint.as_deref().map(|h| format!(": {h}")).unwrap_or_default())]
    Tags {
        /// The expression.
        expr: String,
        /// A hint, e.g. "tags start with @: did you mean @phase-connection?".
        hint: Option<String>,
    },
    /// The rig (the mock center in front of the candidate) did not start.
    #[error("the rig did not start")]
    Rig(#[source] RigError),
    /// `--added` names nothing the fixtures can test, or `fixtures/additions` is broken.
    #[error("additions (--added) setup failed")]
    Additions(#[from] crate::additions::AdditionsError),
    /// The waivers file (`--waivers`) cannot be read or is not valid.
    #[error(transparent)]
    Waivers(#[from] crate::report::waiver::WaiverError),
    /// `--rerun-failed` has nothing to rerun, or cannot read the earlier run.
    #[error(transparent)]
    Rerun(#[from] subset::RerunError),
    /// Writing the report failed.
    #[error("cannot write report to {path}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

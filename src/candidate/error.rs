//! Errors reaching, launching or restarting a candidate: setup errors of the run (exit
//! code 2), or a failed restart.

use std::path::PathBuf;

/// Errors reaching, launching or restarting a candidate.
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
    /// The loopback relay in front of the candidate could not be bound.
    #[error("the loopback relay in front of the candidate did not start")]
    Relay(#[source] std::io::Error),
    /// The Docker engine does not answer (`--image` needs one).
    #[error("Docker is not available: {0}")]
    DockerUnavailable(String),
    /// The image is not in the local engine; kofu never pulls.
    #[error(
        "image {image} is not present in the local Docker engine (kofu never pulls an image): build it first, e.g. `scripts/build-image` for the bundled reference server"
    )]
    ImageMissing {
        /// `NAME[:TAG]`.
        image: String,
    },
    /// The container could not be created, started, stopped or inspected.
    #[error("the candidate container ({image}) failed: {detail}")]
    Container {
        /// `NAME[:TAG]`.
        image: String,
        /// What the engine said.
        detail: String,
    },
    /// The container exited before it was ready.
    #[error(
        "the candidate container ({image}) exited with code {code} before it was ready; the last lines of its logs:\n{logs}"
    )]
    ContainerExited {
        /// `NAME[:TAG]`.
        image: String,
        /// Its exit code, or `unknown`.
        code: String,
        /// The tail of its stdout and stderr.
        logs: String,
    },
    /// The candidate did not become ready (identity 200) in time.
    #[error("the candidate at {url} is not ready: {detail}")]
    NotReady {
        /// The URL polled.
        url: String,
        /// What the last attempt gave.
        detail: String,
    },
    /// This candidate cannot be restarted.
    #[error("the candidate cannot be restarted: {0}")]
    RestartUnavailable(String),
    /// The vendor's restart command failed or timed out.
    #[error("the restart command `{command}` failed: {detail}")]
    RestartCommand {
        /// The command as given.
        command: String,
        /// Its exit status, or the timeout, and where its output is.
        detail: String,
    },
}

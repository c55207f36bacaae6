//! A candidate brought as a container image (`kofu run --image NAME[:TAG]`), run with
//! `testcontainers` under the contract of `profile/CONTAINER.md`: HTTPS with mutual TLS
//! on port 8443, the fixtures copied to `/kofu/fixtures` before start, records in
//! `/kofu/data`. kofu never pulls: the image must exist in the local engine.
//!
//! Every container kofu starts carries labels naming its run and its owner process
//! ([`LABEL_RUN`], [`LABEL_PID`], [`LABEL_PID_NAMESPACE`]); it is removed when the run
//! ends or is interrupted, and a later run removes those whose owner died
//! ([`reap_stale`]).

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;

use testcontainers::bollard::models::PortBinding;
use testcontainers::core::{ContainerPort, WaitFor};
use testcontainers::runners::AsyncRunner as _;
use testcontainers::{ContainerAsync, CopyTargetOptions, GenericImage, ImageExt as _};

use super::CandidateError;

mod lifetime;

use lifetime::{docker, pid_namespace};
pub use lifetime::{reap_stale, remove_own};

/// The port a candidate image listens on inside its container (HTTPS, mutual TLS).
pub const CONTAINER_PORT: u16 = 8443;
/// Where kofu copies the fixtures folder inside the container.
pub const FIXTURES_PATH: &str = "/kofu/fixtures";
/// Where the candidate keeps its records inside the container.
pub const DATA_PATH: &str = "/kofu/data";
/// Label: the run id of the run that started the container.
pub const LABEL_RUN: &str = "io.kofu.run";
/// Label: the process id of the kofu process that owns the container.
pub const LABEL_PID: &str = "io.kofu.pid";
/// Label: the owner's pid namespace, so a pid is only judged where it means something.
pub const LABEL_PID_NAMESPACE: &str = "io.kofu.pidns";
/// Seconds `docker stop` waits after SIGTERM before it kills the candidate.
const STOP_GRACE_SECS: i32 = 10;
/// Log lines of a failed container quoted in the error.
const LOG_TAIL_LINES: usize = 30;
/// Most files, and most bytes, of a fixtures folder copied into a container.
const MAX_FIXTURE_FILES: usize = 10_000;
const MAX_FIXTURE_BYTES: u64 = 64 * 1024 * 1024;

/// The regular files under `root`, as (path relative to `root` with `/`, path). Symbolic
/// links are skipped; the folder is bounded in files and bytes.
fn fixture_files(root: &Path) -> Result<Vec<(String, std::path::PathBuf)>, CandidateError> {
    let mut files = Vec::new();
    let mut bytes = 0u64;
    let mut pending = vec![root.to_owned()];
    let too_big = || CandidateError::Container {
        image: String::new(),
        detail: format!(
            "the fixtures folder {} is over {MAX_FIXTURE_FILES} files or {MAX_FIXTURE_BYTES} bytes",
            root.display()
        ),
    };
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|source| CandidateError::Read {
            path: dir.clone(),
            source,
        })?;
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                pending.push(path);
            } else if meta.is_file() {
                bytes += meta.len();
                let Ok(relative) = path.strip_prefix(root) else {
                    continue;
                };
                let relative: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                files.push((relative.join("/"), path));
                if files.len() > MAX_FIXTURE_FILES || bytes > MAX_FIXTURE_BYTES {
                    return Err(too_big());
                }
            }
        }
    }
    files.sort();
    Ok(files)
}

/// `NAME[:TAG]` as (name, tag); the tag defaults to `latest`. A `:` inside the registry
/// part (`host:5000/name`) is not a tag.
pub fn split_image(image: &str) -> (String, String) {
    match image.rsplit_once(':') {
        Some((name, tag)) if !tag.contains('/') && !name.is_empty() => {
            (name.to_owned(), tag.to_owned())
        }
        _ => (image.to_owned(), "latest".to_owned()),
    }
}

/// A running candidate container.
pub struct ContainerCandidate {
    image: String,
    container: ContainerAsync<GenericImage>,
}

impl std::fmt::Debug for ContainerCandidate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContainerCandidate")
            .field("image", &self.image)
            .field("id", &self.container.id())
            .finish()
    }
}

impl ContainerCandidate {
    /// Start `image` with the fixtures at `fixtures_root` copied in, labelled for
    /// `run_id`. The container is started, not yet known to be ready.
    pub async fn start(
        image: &str,
        fixtures_root: &Path,
        run_id: &str,
    ) -> Result<Self, CandidateError> {
        super::docker_api::serve_if_prepared()
            .map_err(|e| CandidateError::DockerUnavailable(e.to_string()))?;
        let docker = docker().await?;
        if docker.inspect_image(image).await.is_err() {
            return Err(CandidateError::ImageMissing {
                image: image.to_owned(),
            });
        }
        match reap_stale().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(n, "removed containers left by dead kofu processes"),
            Err(e) => tracing::warn!(error = %e, "cannot look for stale kofu containers"),
        }
        let (name, tag) = split_image(image);
        let port = ContainerPort::Tcp(CONTAINER_PORT);
        let mut request = GenericImage::new(name, tag)
            .with_exposed_port(port)
            .with_wait_for(WaitFor::Nothing)
            .with_label(LABEL_RUN, run_id)
            .with_label(LABEL_PID, std::process::id().to_string())
            .with_env_var("KOFU_FIXTURES", FIXTURES_PATH)
            .with_env_var("KOFU_LISTEN", format!("0.0.0.0:{CONTAINER_PORT}"))
            .with_env_var("KOFU_DATA_DIR", DATA_PATH)
            // Published on loopback only, on a port the engine picks.
            .with_host_config_modifier(|host| {
                host.publish_all_ports = Some(false);
                host.port_bindings = Some(HashMap::from([(
                    format!("{CONTAINER_PORT}/tcp"),
                    Some(vec![PortBinding {
                        host_ip: Some(Ipv4Addr::LOCALHOST.to_string()),
                        host_port: Some(String::new()),
                    }]),
                )]));
            });
        if let Some(ns) = pid_namespace() {
            request = request.with_label(LABEL_PID_NAMESPACE, ns);
        }
        // File by file, each readable by every user (0644), whatever the modes on the host:
        // the image runs as its own user. The engine creates the folders (0755).
        for (relative, path) in fixture_files(fixtures_root)? {
            let target =
                CopyTargetOptions::new(format!("{FIXTURES_PATH}/{relative}")).with_mode(0o644);
            request = request.with_copy_to(target, path);
        }
        let container = request
            .start()
            .await
            .map_err(|e| CandidateError::Container {
                image: image.to_owned(),
                detail: e.to_string(),
            })?;
        tracing::info!(image, id = container.id(), "candidate container started");
        Ok(Self {
            image: image.to_owned(),
            container,
        })
    }

    /// The container's id.
    pub fn id(&self) -> &str {
        self.container.id()
    }

    /// Where the candidate is reached now: `127.0.0.1` and the mapped port (which may
    /// change when the container is started again).
    /// A container that has already exited has no mapped port: that is reported as the
    /// exit, with its logs.
    pub async fn host_addr(&self) -> Result<SocketAddr, CandidateError> {
        match self
            .container
            .get_host_port_ipv4(ContainerPort::Tcp(CONTAINER_PORT))
            .await
        {
            Ok(port) => Ok(SocketAddr::from((Ipv4Addr::LOCALHOST, port))),
            Err(e) => {
                self.alive().await?;
                Err(self.error(e))
            }
        }
    }

    /// `Ok` while the container runs; an exited container is an error quoting the tail
    /// of its logs.
    pub async fn alive(&self) -> Result<(), CandidateError> {
        if self
            .container
            .is_running()
            .await
            .map_err(|e| self.error(e))?
        {
            return Ok(());
        }
        let code = self.container.exit_code().await.ok().flatten();
        Err(CandidateError::ContainerExited {
            image: self.image.clone(),
            code: code.map_or_else(|| "unknown".to_owned(), |c| c.to_string()),
            logs: self.log_tail().await,
        })
    }

    /// The last lines of the container's stdout and stderr.
    pub async fn log_tail(&self) -> String {
        let mut text = String::new();
        for bytes in [
            self.container.stdout_to_vec().await,
            self.container.stderr_to_vec().await,
        ]
        .into_iter()
        .flatten()
        {
            text.push_str(&String::from_utf8_lossy(&bytes));
        }
        let lines: Vec<&str> = text.lines().collect();
        let from = lines.len().saturating_sub(LOG_TAIL_LINES);
        if lines.is_empty() {
            "(no log output)".to_owned()
        } else {
            lines[from..].join("\n")
        }
    }

    /// `docker stop` (SIGTERM, then SIGKILL after a grace period) and `docker start`;
    /// the container's filesystem, `/kofu/data` with it, survives.
    pub async fn stop_and_start(&self) -> Result<(), CandidateError> {
        self.container
            .stop_with_timeout(Some(STOP_GRACE_SECS))
            .await
            .map_err(|e| self.error(e))?;
        self.container.start().await.map_err(|e| self.error(e))
    }

    /// Remove the container (stopping it first).
    pub async fn remove(self) {
        let id = self.container.id().to_owned();
        if let Err(e) = self.container.rm().await {
            tracing::warn!(container = %id, error = %e, "cannot remove the candidate container");
        }
    }

    fn error(&self, e: testcontainers::TestcontainersError) -> CandidateError {
        CandidateError::Container {
            image: self.image.clone(),
            detail: e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_name_splits_into_name_and_tag() {
        let split = |s: &str| split_image(s);
        assert_eq!(
            split("kofu-reference"),
            ("kofu-reference".into(), "latest".into())
        );
        assert_eq!(
            split("kofu-reference:dev"),
            ("kofu-reference".into(), "dev".into())
        );
        assert_eq!(
            split("registry:5000/acme/shomei"),
            ("registry:5000/acme/shomei".into(), "latest".into())
        );
        assert_eq!(
            split("registry:5000/acme/shomei:2.1"),
            ("registry:5000/acme/shomei".into(), "2.1".into())
        );
    }

    #[test]
    fn the_fixtures_are_listed_file_by_file_with_relative_paths() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let files = fixture_files(&root).expect("the fixtures are listed");
        let names: Vec<&str> = files.iter().map(|(r, _)| r.as_str()).collect();
        assert!(names.contains(&"pki/reference-server.pem"), "{names:?}");
        assert!(names.contains(&"residents/register.toml"), "{names:?}");
        assert!(names.iter().all(|n| !n.starts_with('/')));
    }
}

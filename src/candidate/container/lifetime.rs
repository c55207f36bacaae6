//! The lifetime of kofu's containers: removed by their owner at the end of a run (or
//! on SIGINT/SIGTERM), and by a later run when their owner died without cleaning up.

use std::collections::HashMap;
use std::path::Path;

use testcontainers::bollard::Docker;
use testcontainers::bollard::query_parameters::{ListContainersOptions, RemoveContainerOptions};

use super::{LABEL_PID, LABEL_PID_NAMESPACE};
use crate::candidate::CandidateError;

/// This process's pid namespace (`pid:[4026531836]`), where `/proc` tells it.
pub(super) fn pid_namespace() -> Option<String> {
    std::fs::read_link("/proc/self/ns/pid")
        .ok()
        .map(|p| p.to_string_lossy().into_owned())
}

/// Whether a process of this pid namespace is alive; `None` where kofu cannot tell.
fn process_alive(pid: u32) -> Option<bool> {
    if !Path::new("/proc/self").exists() {
        return None;
    }
    Some(Path::new(&format!("/proc/{pid}")).exists())
}

/// A client of the local engine, at the engine's own API version.
pub(super) async fn docker() -> Result<Docker, CandidateError> {
    let unavailable = |e: testcontainers::bollard::errors::Error| {
        CandidateError::DockerUnavailable(e.to_string())
    };
    Docker::connect_with_defaults()
        .map_err(unavailable)?
        .negotiate_version()
        .await
        .map_err(unavailable)
}

/// Containers with kofu's labels, as (id, labels).
async fn labelled(
    docker: &Docker,
    label: &str,
) -> Result<Vec<(String, HashMap<String, String>)>, CandidateError> {
    let options = ListContainersOptions {
        all: true,
        filters: Some(HashMap::from([(
            "label".to_owned(),
            vec![label.to_owned()],
        )])),
        ..ListContainersOptions::default()
    };
    let list = docker
        .list_containers(Some(options))
        .await
        .map_err(|e| CandidateError::DockerUnavailable(e.to_string()))?;
    Ok(list
        .into_iter()
        .filter_map(|c| Some((c.id?, c.labels.unwrap_or_default())))
        .collect())
}

async fn remove(docker: &Docker, id: &str) -> bool {
    let options = RemoveContainerOptions {
        force: true,
        v: true,
        ..RemoveContainerOptions::default()
    };
    match docker.remove_container(id, Some(options)).await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(container = id, error = %e, "cannot remove a kofu container");
            false
        }
    }
}

/// Remove the containers left by kofu processes that are no longer alive (killed before
/// they could clean up). Only containers of this pid namespace are judged. Returns how
/// many were removed.
pub async fn reap_stale() -> Result<usize, CandidateError> {
    let docker = docker().await?;
    let ours = pid_namespace();
    let mut reaped = 0;
    for (id, labels) in labelled(&docker, LABEL_PID).await? {
        let Some(pid) = labels.get(LABEL_PID).and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if ours.is_none() || labels.get(LABEL_PID_NAMESPACE) != ours.as_ref() {
            continue;
        }
        if process_alive(pid) == Some(false) && remove(&docker, &id).await {
            tracing::info!(container = %id, pid, "removed a container left by a dead kofu");
            reaped += 1;
        }
    }
    Ok(reaped)
}

/// Remove every container this process started (on exit, interrupted or not). Returns
/// how many were removed; a missing engine removes none.
pub async fn remove_own() -> usize {
    let Ok(docker) = docker().await else {
        return 0;
    };
    let label = format!("{LABEL_PID}={}", std::process::id());
    let Ok(list) = labelled(&docker, &label).await else {
        return 0;
    };
    let mut removed = 0;
    for (id, _) in list {
        if remove(&docker, &id).await {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_a_pid_namespace_is_known() {
        if Path::new("/proc/self").exists() {
            assert_eq!(process_alive(std::process::id()), Some(true));
            assert!(pid_namespace().is_some());
        }
    }
}

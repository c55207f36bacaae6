//! The vendor's restart command (`kofu run --server URL --restart-command "…"`): run
//! through `sh -c`, bounded by [`RESTART_COMMAND_TIMEOUT`], its stdout and stderr written
//! to the run's evidence folder (`evidence/restart/<n>.stdout`, `<n>.stderr`).

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use super::CandidateError;

/// How long the vendor's restart command may run before kofu kills it and fails the
/// restart. Readiness is waited for after it returns, under its own deadline.
pub const RESTART_COMMAND_TIMEOUT: Duration = Duration::from_secs(120);

/// Run `command` (the `n`-th restart of the run), its output into `evidence`.
pub async fn run(command: &str, evidence: &Path, n: u32) -> Result<(), CandidateError> {
    let failed = |detail: String| CandidateError::RestartCommand {
        command: command.to_owned(),
        detail,
    };
    std::fs::create_dir_all(evidence)
        .map_err(|e| failed(format!("cannot create {}: {e}", evidence.display())))?;
    let stdout_path = evidence.join(format!("{n}.stdout"));
    let stderr_path = evidence.join(format!("{n}.stderr"));
    let open = |path: &Path| {
        std::fs::File::create(path)
            .map_err(|e| failed(format!("cannot create {}: {e}", path.display())))
    };
    let stdout = open(&stdout_path)?;
    let stderr = open(&stderr_path)?;
    let mut child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::from(stdout))
        .stderr(Stdio::from(stderr))
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| failed(format!("cannot run sh: {e}")))?;
    let output = format!(
        "output in {} and {}",
        stdout_path.display(),
        stderr_path.display()
    );
    match tokio::time::timeout(RESTART_COMMAND_TIMEOUT, child.wait()).await {
        Ok(Ok(status)) if status.success() => {
            tracing::info!(command, n, "restart command succeeded");
            Ok(())
        }
        Ok(Ok(status)) => Err(failed(format!("it exited with {status}; {output}"))),
        Ok(Err(e)) => Err(failed(format!("waiting for it failed: {e}; {output}"))),
        Err(_) => {
            let _ = child.kill().await;
            Err(failed(format!(
                "it did not finish within {} s and was killed; {output}",
                RESTART_COMMAND_TIMEOUT.as_secs()
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_output_is_kept_and_a_failure_is_explained() {
        let dir = tempfile::tempdir().expect("temporary folder");
        run("echo restarted; echo warn >&2", dir.path(), 1)
            .await
            .expect("the command succeeds");
        let out = std::fs::read_to_string(dir.path().join("1.stdout")).expect("stdout kept");
        let err = std::fs::read_to_string(dir.path().join("1.stderr")).expect("stderr kept");
        assert_eq!((out.trim(), err.trim()), ("restarted", "warn"));
        let error = run("exit 3", dir.path(), 2)
            .await
            .expect_err("a failing command fails the restart")
            .to_string();
        assert!(
            error.contains("exit 3") && error.contains("2.stderr"),
            "{error}"
        );
    }
}

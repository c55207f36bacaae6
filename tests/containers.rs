//! Container candidates (`kofu run --image`), as a `harness = false` test: they need a
//! Docker engine. Where there is none (no `docker` command, or no daemon answering),
//! every test is reported `skipped (Docker is not available: <reason>)`, never passed.
//!
//! The tests build the bundled reference server's image from the debug `kofu` binary
//! `cargo test` has just built (`scripts/build-image --binary …`), so CI compiles nothing
//! twice; then they run kofu against it, interrupt runs, and restart a container.
//!
//! Longer than 400 lines because the harness (skip, count, report) and the six tests
//! that share its helpers are one file, like every `harness = false` target.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kofu::candidate::container::LABEL_PID;
use kofu::candidate::{Candidate, CandidateSpec};
use kofu_mock_center::client::{CandidateClient, NoEvidence, Reply};

/// The image the tests build and use.
const IMAGE: &str = "kofu-reference:test";
/// kofu itself as an image (`scripts/build-image --kofu`).
const KOFU_IMAGE: &str = "kofu:test";
const KOFU: &str = env!("CARGO_BIN_EXE_kofu");
/// Longest wait for any condition here (an image build, a run, a container appearing).
const DEADLINE: Duration = Duration::from_secs(180);

type Outcome = Result<(), String>;
/// A test; the runtime is for those that call the library.
type Test = dyn Fn(&tokio::runtime::Runtime) -> Outcome;

/// `DOCKER_HOST` as this process found it, before the API bridge may have replaced it.
static DOCKER_HOST: std::sync::OnceLock<Option<std::ffi::OsString>> = std::sync::OnceLock::new();

/// A child process with the environment this process started with: `DOCKER_HOST` may
/// name this process's own API bridge, which is no business of the `docker` command or
/// of another kofu.
fn cmd(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = Command::new(program);
    match DOCKER_HOST.get().cloned().flatten() {
        Some(host) => command.env("DOCKER_HOST", host),
        None => command.env_remove("DOCKER_HOST"),
    };
    command
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Wait for `child` until `deadline`; kill it past that.
fn wait_child(child: &mut Child, deadline: Duration) -> Result<std::process::ExitStatus, String> {
    let until = Instant::now() + deadline;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if Instant::now() < until => std::thread::sleep(Duration::from_millis(50)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "still running after {} s: killed",
                    deadline.as_secs()
                ));
            }
            Err(e) => return Err(format!("cannot wait for the child: {e}")),
        }
    }
}

/// Run a command to its end within `deadline`, its stdout as text.
fn output(command: &mut Command, deadline: Duration) -> Result<String, String> {
    let out = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
    let err = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
    let mut child = command
        .stdin(Stdio::null())
        .stdout(out.reopen().map_err(|e| e.to_string())?)
        .stderr(err.reopen().map_err(|e| e.to_string())?)
        .spawn()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    let status = wait_child(&mut child, deadline)?;
    let stdout = std::fs::read_to_string(out.path()).unwrap_or_default();
    if status.success() {
        Ok(stdout)
    } else {
        let stderr = std::fs::read_to_string(err.path()).unwrap_or_default();
        Err(format!(
            "{command:?} exited with {status}:\n{stdout}\n{stderr}"
        ))
    }
}

fn docker(args: &[&str]) -> Result<String, String> {
    output(cmd("docker").args(args), Duration::from_secs(60))
}

/// Why Docker cannot be used here, if it cannot.
fn docker_unavailable() -> Option<String> {
    match cmd("docker")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(s) if s.success() => {}
        _ => return Some("no `docker` command".to_owned()),
    }
    match output(
        cmd("docker").args(["info", "--format", "{{.ServerVersion}}"]),
        Duration::from_secs(20),
    ) {
        Ok(v) if !v.trim().is_empty() => None,
        Ok(_) => Some("the daemon gave no version".to_owned()),
        Err(e) => Some(format!(
            "no daemon answers `docker info`: {}",
            e.lines().last().unwrap_or_default()
        )),
    }
}

/// Ids of the containers (running or not) owned by kofu process `pid`.
fn containers_of(pid: u32) -> Result<Vec<String>, String> {
    let out = docker(&[
        "ps",
        "-a",
        "-q",
        "--filter",
        &format!("label={LABEL_PID}={pid}"),
    ])?;
    Ok(out.split_whitespace().map(str::to_owned).collect())
}

/// Poll until `condition` holds, or fail after [`DEADLINE`].
fn wait_for(what: &str, mut condition: impl FnMut() -> Result<bool, String>) -> Outcome {
    let until = Instant::now() + DEADLINE;
    while Instant::now() < until {
        if condition()? {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!("{what}: not within {} s", DEADLINE.as_secs()))
}

fn kofu_run(reports: &Path, extra: &[&str]) -> Command {
    let mut command = cmd(KOFU);
    command
        .current_dir(root())
        .args(["run", "--image", IMAGE, "--report-dir"])
        .arg(reports)
        .args(extra);
    command
}

fn check(condition: bool, message: impl FnOnce() -> String) -> Outcome {
    if condition { Ok(()) } else { Err(message()) }
}

fn the_image_builds() -> Outcome {
    let started = Instant::now();
    let out = output(
        cmd(root().join("scripts/build-image"))
            .current_dir(root())
            .args(["--binary", KOFU, "--tag", IMAGE]),
        DEADLINE,
    )?;
    eprintln!(
        "    {} in {:.1} s",
        out.trim(),
        started.elapsed().as_secs_f64()
    );
    docker(&["image", "inspect", IMAGE]).map(|_| ())
}

fn a_run_against_the_image_passes_and_leaves_no_container() -> Outcome {
    let reports = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut child = kofu_run(reports.path(), &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let pid = child.id();
    let status = wait_child(&mut child, DEADLINE)?;
    let text = child
        .wait_with_output()
        .map(|o| {
            format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            )
        })
        .unwrap_or_default();
    check(status.success(), || {
        format!("kofu run --image exited with {status}:\n{text}")
    })?;
    let left = containers_of(pid)?;
    check(left.is_empty(), || format!("containers left: {left:?}"))
}

/// kofu itself as a container (`scripts/build-image --kofu`): one `docker run` runs a
/// phase against the bundled reference server inside it, from the binary's own
/// features and fixtures.
fn kofu_itself_runs_in_a_container() -> Outcome {
    output(
        cmd(root().join("scripts/build-image"))
            .current_dir(root())
            .args(["--kofu", "--binary", KOFU, "--tag", KOFU_IMAGE]),
        DEADLINE,
    )?;
    let out = output(
        cmd("docker").args([
            "run",
            "--rm",
            "--label",
            "io.kofu.test=kofu-itself",
            KOFU_IMAGE,
            "run",
            "--tags",
            "@phase-connection",
        ]),
        DEADLINE,
    )?;
    check(
        out.lines()
            .any(|l| l.ends_with("0 failed, 0 skipped") && l.contains(" passed, ")),
        || format!("docker run {KOFU_IMAGE} run did not pass:\n{out}"),
    )
}

/// Start a whole-suite run against the image and wait until its container runs.
fn run_with_container(reports: &Path) -> Result<(Child, u32), String> {
    let mut child = kofu_run(reports, &[])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let pid = child.id();
    let running = wait_for("the run's container is running", || {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "kofu ended ({status}) before its container was seen"
            ));
        }
        let out = docker(&[
            "ps",
            "-q",
            "--filter",
            &format!("label={LABEL_PID}={pid}"),
            "--filter",
            "status=running",
        ])?;
        Ok(!out.trim().is_empty())
    });
    if let Err(e) = running {
        let _ = child.kill();
        let _ = child.wait();
        return Err(e);
    }
    Ok((child, pid))
}

fn signal(pid: u32, name: &str) -> Outcome {
    output(
        cmd("kill").args([&format!("-{name}"), &pid.to_string()]),
        Duration::from_secs(10),
    )
    .map(|_| ())
}

fn sigterm_cancels_the_run_and_removes_its_container() -> Outcome {
    let reports = tempfile::tempdir().map_err(|e| e.to_string())?;
    let (mut child, pid) = run_with_container(reports.path())?;
    signal(pid, "TERM")?;
    let status = wait_child(&mut child, DEADLINE)?;
    check(status.code() == Some(143), || {
        format!("kofu exited with {status} after SIGTERM, not 143")
    })?;
    let left = containers_of(pid)?;
    check(left.is_empty(), || {
        format!("containers left after SIGTERM: {left:?}")
    })
}

fn after_sigkill_the_next_run_removes_the_dead_runs_container() -> Outcome {
    let reports = tempfile::tempdir().map_err(|e| e.to_string())?;
    let (mut child, pid) = run_with_container(reports.path())?;
    signal(pid, "KILL")?;
    wait_child(&mut child, DEADLINE)?;
    let left = containers_of(pid)?;
    check(!left.is_empty(), || {
        "a SIGKILLed kofu cannot clean up, yet its container is gone".to_owned()
    })?;
    output(
        &mut kofu_run(reports.path(), &["--tags", "@phase-connection"]),
        DEADLINE,
    )?;
    let left = containers_of(pid)?;
    check(left.is_empty(), || {
        format!("the next run left the dead run's containers: {left:?}")
    })
}

fn a_container_that_exits_early_is_an_explained_setup_failure() -> Outcome {
    let reports = tempfile::tempdir().map_err(|e| e.to_string())?;
    // Fixtures whose server key is no key: kofu loads them, the server in the container
    // cannot start TLS and exits. The temporary folder is 0700 on the host: the copy in
    // the container is readable all the same.
    let fixtures = tempfile::tempdir().map_err(|e| e.to_string())?;
    output(
        cmd("cp")
            .arg("-r")
            .arg(root().join("fixtures/."))
            .arg(fixtures.path()),
        Duration::from_secs(30),
    )?;
    std::fs::write(
        fixtures.path().join("pki/reference-server.key"),
        "not a key\n",
    )
    .map_err(|e| e.to_string())?;
    let mut command = kofu_run(
        reports.path(),
        &["--tags", "@phase-connection", "--fixtures"],
    );
    command.arg(fixtures.path());
    let out = command.output().map_err(|e| e.to_string())?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    check(out.status.code() == Some(2), || {
        format!("exit {:?}, not 2:\n{stderr}", out.status.code())
    })?;
    check(
        stderr.contains("exited with code") && stderr.contains("invalid server key PEM"),
        || format!("the error does not explain the exit with the container's logs:\n{stderr}"),
    )
}

/// Issue one 住民票の写し for card C001 at 990001; its issuance id.
async fn issue_one(
    client: &CandidateClient,
    fixtures: &kofu_fixtures::Fixtures,
) -> Result<String, String> {
    let request = kofu_profile::issuance::IssuanceRequest {
        reception: kofu_profile::Reception {
            request_id: uuid::Uuid::new_v4(),
            reception_time: chrono::DateTime::parse_from_rfc3339("2026-11-26T10:00:00+09:00")
                .map_err(|e| e.to_string())?,
            operator_code: "OP-A".to_owned(),
            store_id: "S001".to_owned(),
            terminal_id: "T001".to_owned(),
        },
        card_serial: fixtures.card("C001").ok_or("no card C001")?.serial.clone(),
        certificate: kofu_profile::CertificateType::Juminhyo,
        options: kofu_profile::IssuanceOptions {
            scope: Some(kofu_profile::Scope::Holder),
            ..Default::default()
        },
        copies: 1,
    };
    match client.issue("990001", &request).await {
        Ok(Reply::Ok { value, .. }) => Ok(value.issuance_id),
        other => Err(format!("the issuance failed: {other:?}")),
    }
}

async fn record_ids(client: &CandidateClient) -> Result<Vec<String>, String> {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).ok_or("date")?;
    match client.records("990001", day, day).await {
        Ok(Reply::Ok { value, .. }) => {
            Ok(value.records.into_iter().map(|r| r.issuance_id).collect())
        }
        other => Err(format!("records failed: {other:?}")),
    }
}

async fn the_container_restarts_under_the_same_url_and_keeps_its_records() -> Outcome {
    let run = tempfile::tempdir().map_err(|e| e.to_string())?;
    let scratch = run.path().join("scratch");
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let fixtures = Arc::new(
        kofu_fixtures::Fixtures::load(&root().join("fixtures")).map_err(|e| e.to_string())?,
    );
    let spec = CandidateSpec::Container {
        image: IMAGE.to_owned(),
        municipalities: Vec::new(),
        server_ca: None,
    };
    let candidate = Candidate::launch(&spec, &fixtures, &scratch)
        .await
        .map_err(|e| kofu_mock_center::client::error_chain(&e))?;
    let id = candidate.container_id().unwrap_or_default().to_owned();
    let result = async {
        check(candidate.restart_unavailable().is_none(), || {
            "a container must be restartable".to_owned()
        })?;
        let client = CandidateClient::new(candidate.center_client(), Arc::new(NoEvidence))
            .map_err(|e| e.to_string())?;
        let issued = issue_one(&client, &fixtures).await?;
        let url = candidate.url.clone();
        candidate
            .restart()
            .await
            .map_err(|e| kofu_mock_center::client::error_chain(&e))?;
        check(candidate.url == url, || "the URL changed".to_owned())?;
        let ids = record_ids(&client).await?;
        check(ids.contains(&issued), || {
            format!("the issuance {issued} made before the restart is not in the records: {ids:?}")
        })
    }
    .await;
    candidate.stop().await;
    let gone = docker(&["ps", "-a", "-q", "--filter", &format!("id={id}")])?;
    result?;
    check(gone.trim().is_empty(), || {
        format!("container {id} is left after stop")
    })
}

fn main() -> ExitCode {
    // Before the runtime: Candidate::launch may need the Docker API version bridge.
    let _ = DOCKER_HOST.set(std::env::var_os("DOCKER_HOST"));
    kofu::candidate::docker_api::prepare();
    let tests: [(&str, &Test); 7] = [
        ("the_image_builds", &|_| the_image_builds()),
        ("kofu_itself_runs_in_a_container", &|_| {
            kofu_itself_runs_in_a_container()
        }),
        (
            "a_run_against_the_image_passes_and_leaves_no_container",
            &|_| a_run_against_the_image_passes_and_leaves_no_container(),
        ),
        (
            "a_container_that_exits_early_is_an_explained_setup_failure",
            &|_| a_container_that_exits_early_is_an_explained_setup_failure(),
        ),
        ("sigterm_cancels_the_run_and_removes_its_container", &|_| {
            sigterm_cancels_the_run_and_removes_its_container()
        }),
        (
            "after_sigkill_the_next_run_removes_the_dead_runs_container",
            &|_| after_sigkill_the_next_run_removes_the_dead_runs_container(),
        ),
        (
            "the_container_restarts_under_the_same_url_and_keeps_its_records",
            &|rt| rt.block_on(the_container_restarts_under_the_same_url_and_keeps_its_records()),
        ),
    ];
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    if let Some(reason) = docker_unavailable() {
        for (name, _) in &tests {
            println!("test {name} ... skipped (Docker is not available: {reason})");
            skipped += 1;
        }
        println!("{passed} passed, {failed} failed, {skipped} skipped");
        println!("(set up Docker Engine and its `docker` command to run these tests)");
        return ExitCode::SUCCESS;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let started = Instant::now();
    for (name, test) in &tests {
        let t = Instant::now();
        match test(&runtime) {
            Ok(()) => {
                println!("test {name} ... ok ({:.1} s)", t.elapsed().as_secs_f64());
                passed += 1;
            }
            Err(e) => {
                println!("test {name} ... FAILED\n{e}");
                failed += 1;
            }
        }
    }
    println!(
        "containers: {:.1} s in all",
        started.elapsed().as_secs_f64()
    );
    println!("{passed} passed, {failed} failed, {skipped} skipped");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

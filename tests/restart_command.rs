//! A `--server` candidate restarted through the vendor's `--restart-command`: the
//! restart scenarios of the faults phase pass against the reference server run as a
//! separate process at a fixed loopback URL, stopped and started again by a shell
//! script, as a vendor's `systemctl restart` would.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A free loopback port (bound, then released for the server to take).
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    listener.local_addr().expect("its address").port()
}

/// Wait until something listens on `port`, at most `within`.
fn listening(port: u16, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if TcpStream::connect_timeout(
            &std::net::SocketAddr::from(([127, 0, 0, 1], port)),
            Duration::from_millis(200),
        )
        .is_ok()
        {
            return true;
        }
        std::thread::yield_now();
    }
    false
}

/// Stops the server when the test ends, whatever happened.
struct Server {
    dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(pid) = std::fs::read_to_string(self.dir.join("pid")) {
            let _ = Command::new("kill").arg(pid.trim()).status();
        }
    }
}

fn write_scripts(dir: &Path, port: u16) {
    let kofu = env!("CARGO_BIN_EXE_kofu");
    let fixtures = root().join("fixtures");
    let start = format!(
        "#!/bin/sh\n\"{kofu}\" reference-server --listen 127.0.0.1:{port} --data-dir \"{d}/data\" \
         --fixtures \"{f}\" >>\"{d}/server.log\" 2>&1 &\necho $! > \"{d}/pid\"\n",
        d = dir.display(),
        f = fixtures.display(),
    );
    // Stop the running server, wait for it to exit (tail --pid waits without polling),
    // start it again on the same port and data folder.
    let restart = format!(
        "#!/bin/sh\npid=$(cat \"{d}/pid\")\nkill \"$pid\"\ntail --pid=\"$pid\" -f /dev/null\nsh \"{d}/start.sh\"\n",
        d = dir.display(),
    );
    std::fs::write(dir.join("start.sh"), start).expect("start.sh");
    std::fs::write(dir.join("restart.sh"), restart).expect("restart.sh");
}

#[test]
fn the_restart_scenarios_pass_against_a_url_candidate_with_a_restart_command() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let port = free_port();
    write_scripts(dir.path(), port);
    let status = Command::new("sh")
        .arg(dir.path().join("start.sh"))
        .status()
        .expect("start.sh runs");
    assert!(status.success());
    let _server = Server {
        dir: dir.path().to_owned(),
    };
    assert!(
        listening(port, Duration::from_secs(30)),
        "the reference server did not listen on {port}: {}",
        std::fs::read_to_string(dir.path().join("server.log")).unwrap_or_default()
    );
    let municipalities = root().join("fixtures/municipalities");
    let output = Command::new(env!("CARGO_BIN_EXE_kofu"))
        .current_dir(root())
        .args(["run", "--server", &format!("https://127.0.0.1:{port}")])
        .arg("--server-ca")
        .arg(root().join("fixtures/pki/candidate-ca.pem"))
        .arg("--municipality")
        .arg(municipalities.join("aobadai.toml"))
        .arg("--municipality")
        .arg(municipalities.join("shirasuna.toml"))
        .arg("--restart-command")
        .arg(format!("sh {}", dir.path().join("restart.sh").display()))
        .args(["--tags", "@phase-faults and @requires-restart"])
        .arg("--report-dir")
        .arg(dir.path().join("reports"))
        .output()
        .expect("kofu runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("5 passed, 0 failed, 0 skipped"),
        "exit {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status.code()
    );
}

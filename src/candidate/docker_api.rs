//! The Docker Engine API version bridge. `testcontainers` speaks the API version its
//! `bollard` client was built for (1.53 today) and never negotiates down; an older engine
//! (Docker 20.10 answers at most 1.41) refuses every such request ("client version 1.53
//! is too new"). Where the local engine is older than the client, kofu puts a small
//! HTTP/1.1 bridge on `127.0.0.1:0` between the two: it rewrites the `/v1.NN/` prefix of
//! each request path to the engine's version and forwards the request to the engine's
//! unix socket, and `DOCKER_HOST` names the bridge for the rest of the process. Against a
//! current engine nothing is bridged.
//!
//! [`prepare`] must run before the async runtime starts (it sets `DOCKER_HOST` while the
//! process has one thread); [`serve_if_prepared`] then runs the bridge on the runtime.

use std::io::{Read as _, Write as _};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use http_body_util::BodyExt as _;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;

/// The engine's default socket, when `DOCKER_HOST` is unset.
const DEFAULT_SOCKET: &str = "/var/run/docker.sock";

/// Largest `/version` answer read.
const MAX_VERSION_BYTES: u64 = 64 * 1024;

/// A bridge prepared by [`prepare`], not yet serving.
struct Prepared {
    listener: std::net::TcpListener,
    socket: PathBuf,
    version: String,
}

static PREPARED: Mutex<Option<Prepared>> = Mutex::new(None);

/// The unix socket `DOCKER_HOST` names (or the default one); `None` for other schemes,
/// which kofu leaves alone.
fn engine_socket() -> Option<PathBuf> {
    match std::env::var("DOCKER_HOST") {
        Ok(host) if !host.is_empty() => host.strip_prefix("unix://").map(PathBuf::from),
        _ => Some(PathBuf::from(DEFAULT_SOCKET)),
    }
}

/// The engine's API version (`1.41`), asked over its socket.
pub fn engine_api_version(socket: &std::path::Path) -> std::io::Result<String> {
    let mut stream = UnixStream::connect(socket)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.set_write_timeout(Some(Duration::from_secs(5)))?;
    stream.write_all(b"GET /version HTTP/1.0\r\nHost: docker\r\n\r\n")?;
    let mut answer = Vec::new();
    stream.take(MAX_VERSION_BYTES).read_to_end(&mut answer)?;
    let invalid =
        |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
    let body = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| &answer[at + 4..])
        .ok_or_else(|| invalid("the engine's /version answer has no body"))?;
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| invalid("the engine's /version is not JSON"))?;
    value
        .get("ApiVersion")
        .and_then(|v| v.as_str())
        .map(str::to_owned)
        .ok_or_else(|| invalid("the engine's /version has no ApiVersion"))
}

/// `1.41` as (1, 41).
fn parse_version(text: &str) -> Option<(usize, usize)> {
    let (major, minor) = text.split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// Prepare the bridge if the local engine is older than the client `testcontainers`
/// uses, and point `DOCKER_HOST` at it. Call before the async runtime (or any other
/// thread) starts; does nothing when Docker is not reachable over a unix socket or the
/// engine is current.
pub fn prepare() {
    let Some(socket) = engine_socket() else {
        return;
    };
    let Ok(version) = engine_api_version(&socket) else {
        return;
    };
    let client = testcontainers::bollard::API_DEFAULT_VERSION;
    let Some(engine) = parse_version(&version) else {
        return;
    };
    if engine >= (client.major_version, client.minor_version) {
        return;
    }
    let Ok(listener) = std::net::TcpListener::bind(("127.0.0.1", 0)) else {
        return;
    };
    let (Ok(()), Ok(addr)) = (listener.set_nonblocking(true), listener.local_addr()) else {
        return;
    };
    // SAFETY: called from `main` (or a test's `main`) before the runtime starts: no other
    // thread reads or writes the environment at this point.
    #[allow(unsafe_code)]
    unsafe {
        std::env::set_var("DOCKER_HOST", format!("tcp://{addr}"));
    }
    if let Ok(mut slot) = PREPARED.lock() {
        *slot = Some(Prepared {
            listener,
            socket,
            version,
        });
    }
}

/// Start serving the bridge [`prepare`] made, once; later calls do nothing.
pub fn serve_if_prepared() -> std::io::Result<()> {
    let Some(prepared) = PREPARED.lock().ok().and_then(|mut p| p.take()) else {
        return Ok(());
    };
    let listener = tokio::net::TcpListener::from_std(prepared.listener)?;
    tracing::info!(
        engine_api = %prepared.version,
        "bridging the Docker API to the engine's older version"
    );
    tokio::spawn(async move {
        while let Ok((inbound, _)) = listener.accept().await {
            let socket = prepared.socket.clone();
            let version = prepared.version.clone();
            tokio::spawn(async move {
                if let Err(e) = bridge_connection(inbound, socket, version).await {
                    tracing::debug!(error = %e, "docker API bridge: connection ended");
                }
            });
        }
    });
    Ok(())
}

/// `/v1.53/containers/json` → `/v1.41/containers/json`; anything else unchanged.
fn rewrite_path(path_and_query: &str, version: &str) -> String {
    if let Some(rest) = path_and_query.strip_prefix("/v")
        && let Some((prefix, tail)) = rest.split_once('/')
        && parse_version(prefix).is_some()
    {
        return format!("/v{version}/{tail}");
    }
    path_and_query.to_owned()
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// One client connection: its own connection to the engine, requests in order.
async fn bridge_connection(
    inbound: tokio::net::TcpStream,
    socket: PathBuf,
    version: String,
) -> Result<(), BoxError> {
    let engine = tokio::net::UnixStream::connect(&socket).await?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(engine)).await?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %e, "docker API bridge: engine connection ended");
        }
    });
    let sender = std::sync::Arc::new(tokio::sync::Mutex::new(sender));
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        let sender = sender.clone();
        let version = version.clone();
        async move {
            let path = request
                .uri()
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_owned();
            *request.uri_mut() = rewrite_path(&path, &version)
                .parse()
                .map_err(std::io::Error::other)?;
            let response = sender
                .lock()
                .await
                .send_request(request)
                .await
                .map_err(std::io::Error::other)?;
            let (parts, body) = response.into_parts();
            Ok::<_, std::io::Error>(hyper::Response::from_parts(parts, body.boxed()))
        }
    });
    hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(inbound), service)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_version_prefix_is_rewritten() {
        assert_eq!(
            rewrite_path("/v1.53/containers/json?all=true", "1.41"),
            "/v1.41/containers/json?all=true"
        );
        assert_eq!(rewrite_path("/_ping", "1.41"), "/_ping");
        assert_eq!(rewrite_path("/volumes/x", "1.41"), "/volumes/x");
        assert_eq!(parse_version("1.41"), Some((1, 41)));
        assert_eq!(parse_version("x"), None);
    }
}

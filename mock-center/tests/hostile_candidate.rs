//! The candidate client against hostile and broken candidates: real loopback servers,
//! raw sockets where HTTP itself is the problem.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kofu_mock_center::client::{
    CandidateClient, ClientConfig, ClientError, DirEvidence, MemoryEvidence, NoEvidence,
    RecordedBody, Reply,
};
use kofu_mock_center::transport_pki;
use kofu_profile::menu::MenuRequest;
use kofu_profile::{ErrorCode, Reception, VERSION_HEADER};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

// ---------------------------------------------------------------------------------
// Raw loopback servers

/// Serve every connection with `handler`, forever (until the test's runtime ends).
async fn serve<F, Fut>(handler: F) -> SocketAddr
where
    F: Fn(TcpStream, usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let handler = Arc::new(handler);
    tokio::spawn(async move {
        let mut n = 0;
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(handler(stream, n));
            n += 1;
        }
    });
    addr
}

/// Read one request: headers, then the body announced by `content-length`.
async fn read_request<S: AsyncRead + Unpin>(stream: &mut S) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse::<usize>().unwrap());
            if buf.len() >= end + 4 + length {
                return buf;
            }
        }
        let n = stream.read(&mut chunk).await.unwrap_or(0);
        if n == 0 || buf.len() > 1 << 20 {
            return buf;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Hold the connection open until the client goes away.
async fn hold<S: AsyncRead + Unpin>(stream: &mut S) {
    let mut sink = [0u8; 1024];
    while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
}

fn response(status: u16, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{VERSION_HEADER}: 1.2\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A server answering every request with the same canned bytes.
async fn canned(bytes: Vec<u8>) -> SocketAddr {
    let bytes = Arc::new(bytes);
    serve(move |mut stream, _| {
        let bytes = bytes.clone();
        async move {
            read_request(&mut stream).await;
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
    })
    .await
}

const IDENTITY: &str = r#"{"profile_version":"1.2","implementation":{"name":"hostile","version":"0"},"municipalities":["131016"]}"#;

fn client_for(base_url: String, timeout: Duration) -> (CandidateClient, Arc<MemoryEvidence>) {
    let evidence = Arc::new(MemoryEvidence::new());
    let config = ClientConfig {
        timeout,
        ..ClientConfig::new(base_url)
    };
    (
        CandidateClient::new(config, evidence.clone()).unwrap(),
        evidence,
    )
}

fn client(addr: SocketAddr) -> (CandidateClient, Arc<MemoryEvidence>) {
    client_for(format!("http://{addr}"), Duration::from_secs(10))
}

fn menu_request() -> MenuRequest {
    MenuRequest {
        reception: Reception {
            request_id: uuid::Uuid::new_v4(),
            reception_time: chrono::DateTime::parse_from_rfc3339("2026-11-26T10:00:00+09:00")
                .unwrap(),
            operator_code: "OP01".to_owned(),
            store_id: "S0001".to_owned(),
            terminal_id: "T01".to_owned(),
        },
        card_serial: "0123456789ABCDEF".to_owned(),
    }
}

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

// ---------------------------------------------------------------------------------
// Broken HTTP

#[tokio::test]
async fn garbage_instead_of_http_is_a_clear_error() {
    let addr = canned(b"\x16\x03\x01\xff\xfe NOT HTTP AT ALL \x00\x01\r\n\r\n".to_vec()).await;
    let (client, evidence) = client(addr);
    let err = client.identity().await.unwrap_err();
    assert!(
        matches!(
            err,
            ClientError::Transport { .. } | ClientError::MalformedResponse { .. }
        ),
        "{err:?}"
    );
    let recorded = evidence.exchanges();
    assert_eq!(recorded.len(), 1);
    assert!(recorded[0].error.is_some());
}

#[tokio::test]
async fn a_streamed_100_mb_body_stops_at_the_cap() {
    const CHUNK: usize = 64 * 1024;
    const TOTAL: usize = 100 * 1024 * 1024;
    let written = Arc::new(AtomicUsize::new(0));
    let written_by_server = written.clone();
    let addr = serve(move |mut stream, _| {
        let written = written_by_server.clone();
        async move {
            read_request(&mut stream).await;
            let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
            if stream.write_all(head).await.is_err() {
                return;
            }
            // One reused buffer: the server never holds more than one chunk.
            let mut chunk = format!("{CHUNK:x}\r\n").into_bytes();
            chunk.extend(std::iter::repeat_n(b' ', CHUNK));
            chunk.extend_from_slice(b"\r\n");
            for _ in 0..TOTAL / CHUNK {
                if stream.write_all(&chunk).await.is_err() {
                    return;
                }
                written.fetch_add(CHUNK, Ordering::Relaxed);
            }
            let _ = stream.write_all(b"0\r\n\r\n").await;
        }
    })
    .await;
    let (client, evidence) = client(addr);
    let limit = client.config().max_response_bytes;
    let rss_before = rss_kib();
    let start = Instant::now();
    let err = client.identity().await.unwrap_err();
    let took = start.elapsed();
    let rss_after = rss_kib();
    let ClientError::ResponseTooLarge {
        limit: reported,
        received,
        ..
    } = err
    else {
        panic!("expected ResponseTooLarge, got {err:?}");
    };
    assert_eq!(reported, limit);
    assert!(received > limit, "stopped only once over the cap");
    assert!(
        received <= limit + (1 << 20),
        "read {received} bytes for a cap of {limit}"
    );
    assert!(
        written.load(Ordering::Relaxed) < TOTAL,
        "the client stopped reading before the end"
    );
    if let (Some(before), Some(after)) = (rss_before, rss_after) {
        let grown_mib = after.saturating_sub(before) / 1024;
        assert!(grown_mib < 50, "rss grew by {grown_mib} MiB");
    }
    let recorded = evidence.exchanges();
    assert_eq!(recorded[0].status, Some(200));
    assert_eq!(recorded[0].response_bytes, received);
    // The body recorded in evidence is bounded too.
    let Some(RecordedBody::Text(text)) = &recorded[0].response_body else {
        panic!("partial body recorded as text");
    };
    assert!(text.len() < 70 * 1024);
    eprintln!("100 MB body refused after {received} bytes in {took:?}");
}

#[tokio::test]
async fn a_declared_length_over_the_cap_fails_before_reading() {
    let addr = serve(|mut stream, _| async move {
        read_request(&mut stream).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 104857600\r\n\r\n{";
        let _ = stream.write_all(head.as_bytes()).await;
        hold(&mut stream).await;
    })
    .await;
    let (client, _) = client(addr);
    let err = client.identity().await.unwrap_err();
    assert!(
        matches!(err, ClientError::ResponseTooLarge { received: 0, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_response_that_never_ends_times_out() {
    let addr = serve(|mut stream, _| async move {
        read_request(&mut stream).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"profile_version\":";
        let _ = stream.write_all(head.as_bytes()).await;
        hold(&mut stream).await;
    })
    .await;
    let (client, evidence) = client_for(format!("http://{addr}"), Duration::from_secs(1));
    let err = client.identity().await.unwrap_err();
    assert!(
        matches!(&err, ClientError::Timeout { operation, .. } if operation == "identity"),
        "{err:?}"
    );
    assert!(err.is_timeout());
    assert!(!err.is_unreachable());
    let recorded = evidence.exchanges();
    assert_eq!(recorded[0].status, Some(200), "headers had arrived");
    assert!(recorded[0].error.as_deref().unwrap().contains("timed out"));
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let addr = serve(|mut stream, _| async move {
        read_request(&mut stream).await;
        hold(&mut stream).await;
    })
    .await;
    let (client, evidence) = client_for(format!("http://{addr}"), Duration::from_secs(1));
    let err = client.menu("131016", &menu_request()).await.unwrap_err();
    assert!(matches!(err, ClientError::Timeout { .. }), "{err:?}");
    assert_eq!(evidence.exchanges()[0].status, None);
}

/// The wait as an injected clock: whoever holds the answer ends the wait by the attempt's
/// name, and the call fails as timed out at once, long before its timeout.
#[tokio::test]
async fn a_wait_signal_ends_the_wait_of_the_named_attempt() {
    let signal = kofu_mock_center::client::WaitSignal::new();
    let holder = signal.clone();
    let addr = serve(move |mut stream, _| {
        let holder = holder.clone();
        async move {
            let request = String::from_utf8_lossy(&read_request(&mut stream).await).into_owned();
            let attempt = request
                .lines()
                .find_map(|l| l.strip_prefix("kofu-attempt: "))
                .map(str::trim);
            // An unnamed attempt, or one no longer waiting, gets its connection closed: the
            // call then fails at once as a transport error, never by sleeping out its wait.
            if attempt.is_some_and(|a| holder.expire(a)) {
                hold(&mut stream).await;
            }
        }
    })
    .await;
    let evidence = Arc::new(MemoryEvidence::new());
    let config = ClientConfig {
        timeout: Duration::from_secs(600),
        wait_signal: Some(signal),
        ..ClientConfig::new(format!("http://{addr}"))
    };
    let client = CandidateClient::new(config, evidence.clone()).unwrap();
    let err = client.identity().await.unwrap_err();
    assert!(matches!(err, ClientError::Timeout { .. }), "{err:?}");
    let recorded = evidence.exchanges();
    assert_eq!(recorded.len(), 1, "identity is not resent");
    assert!(
        recorded[0]
            .request_headers
            .iter()
            .all(|(name, _)| name != "kofu-attempt"),
        "the evidence keeps the profile's headers only: the name is for the component in between"
    );
}

#[tokio::test]
async fn a_reset_mid_response_is_a_transport_error() {
    let addr = serve(|mut stream, _| async move {
        read_request(&mut stream).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"profile_version\":";
        let _ = stream.write_all(head.as_bytes()).await;
        let _ = stream.flush().await;
        stream.set_zero_linger().unwrap();
        drop(stream); // RST
    })
    .await;
    let (client, _) = client(addr);
    let err = client.identity().await.unwrap_err();
    assert!(matches!(err, ClientError::Transport { .. }), "{err:?}");
    assert!(!err.is_unreachable());
}

#[tokio::test]
async fn a_refused_connection_is_unreachable_and_names_the_url() {
    let (client, evidence) = client_for("http://127.0.0.1:9".to_owned(), Duration::from_secs(5));
    let err = client.identity().await.unwrap_err();
    assert!(matches!(err, ClientError::Connect { .. }), "{err:?}");
    assert!(err.is_unreachable());
    assert!(err.to_string().contains("http://127.0.0.1:9"), "{err}");
    assert_eq!(evidence.exchanges()[0].status, None);
}

// ---------------------------------------------------------------------------------
// Profile answers

#[tokio::test]
async fn an_error_body_is_a_refusal() {
    let body = r#"{"code":"not-issuable","message":"この証明書はコンビニ交付では発行できません。市区町村の窓口でお尋ねください。"}"#;
    let addr = canned(response(422, body)).await;
    let (client, _) = client(addr);
    let reply = client.menu("131016", &menu_request()).await.unwrap();
    let Reply::Refused {
        status,
        error,
        profile_version,
    } = reply
    else {
        panic!("expected a refusal, got {reply:?}");
    };
    assert_eq!(status, 422);
    assert_eq!(error.code, ErrorCode::NotIssuable);
    assert_eq!(profile_version.as_deref(), Some("1.2"));
}

#[tokio::test]
async fn a_success_is_parsed_and_the_version_header_is_sent() {
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    let addr = serve(move |mut stream, _| {
        let seen = seen.clone();
        async move {
            let request = read_request(&mut stream).await;
            seen.lock().unwrap().push(request);
            let _ = stream.write_all(&response(200, IDENTITY)).await;
        }
    })
    .await;
    let (client, _) = client(addr);
    let reply = client.identity().await.unwrap();
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.value().unwrap().municipalities, ["131016"]);
    let request = String::from_utf8(requests.lock().unwrap().remove(0)).unwrap();
    assert!(
        request.starts_with("GET /v1/identity HTTP/1.1\r\n"),
        "{request}"
    );
    assert!(
        request
            .to_ascii_lowercase()
            .contains("kofu-profile-version: 1.2\r\n"),
        "{request}"
    );
}

#[tokio::test]
async fn invalid_json_with_200_is_malformed_with_a_snippet() {
    let addr = canned(response(200, "{not json at all")).await;
    let (client, _) = client(addr);
    let err = client.identity().await.unwrap_err();
    let ClientError::MalformedResponse {
        status,
        snippet,
        detail,
        operation,
    } = &err
    else {
        panic!("expected MalformedResponse, got {err:?}");
    };
    assert_eq!((*status, operation.as_str()), (200, "identity"));
    assert_eq!(snippet, "{not json at all");
    assert!(detail.contains("not JSON"), "{detail}");
}

#[tokio::test]
async fn a_success_of_the_wrong_shape_names_the_field() {
    let addr = canned(response(200, r#"{"profile_version":"1.2"}"#)).await;
    let (client, _) = client(addr);
    let err = client.identity().await.unwrap_err();
    assert!(
        err.to_string().contains("missing field `implementation`"),
        "{err}"
    );
}

#[tokio::test]
async fn an_error_status_without_error_body_is_malformed() {
    let long_html = format!("<html>{}</html>", "x".repeat(1000));
    let addr = canned(response(500, &long_html)).await;
    let (client, _) = client(addr);
    let err = client.identity().await.unwrap_err();
    let ClientError::MalformedResponse {
        status, snippet, ..
    } = &err
    else {
        panic!("expected MalformedResponse, got {err:?}");
    };
    assert_eq!(*status, 500);
    assert_eq!(snippet.len(), 300);
    assert!(snippet.starts_with("<html>"));
}

#[tokio::test]
async fn unavailable_is_retried_once_with_the_same_body() {
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let seen = bodies.clone();
    let addr = serve(move |mut stream, n| {
        let seen = seen.clone();
        async move {
            let request = read_request(&mut stream).await;
            let end = request.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
            seen.lock().unwrap().push(request[end..].to_vec());
            let answer = if n == 0 {
                response(503, r#"{"code":"unavailable","message":"busy"}"#)
            } else {
                response(200, r#"{"municipality":"131016","items":[]}"#)
            };
            let _ = stream.write_all(&answer).await;
        }
    })
    .await;
    let (client, evidence) = client(addr);
    let req = menu_request();
    let reply = client.menu("131016", &req).await.unwrap();
    assert!(matches!(reply, Reply::Ok { status: 200, .. }), "{reply:?}");
    let bodies = bodies.lock().unwrap().clone();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0], bodies[1]);
    assert_eq!(bodies[0], serde_json::to_vec(&req).unwrap());
    let recorded = evidence.exchanges();
    assert_eq!(
        recorded
            .iter()
            .map(|e| (e.seq, e.attempt, e.status))
            .collect::<Vec<_>>(),
        [(1, 1, Some(503)), (2, 2, Some(200))]
    );
}

#[tokio::test]
async fn unavailable_twice_is_returned_as_a_refusal() {
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    let addr = serve(move |mut stream, _| {
        let counter = counter.clone();
        async move {
            read_request(&mut stream).await;
            counter.fetch_add(1, Ordering::SeqCst);
            let answer = response(503, r#"{"code":"unavailable","message":"busy"}"#);
            let _ = stream.write_all(&answer).await;
        }
    })
    .await;
    let (client, _) = client(addr);
    let reply = client.menu("131016", &menu_request()).await.unwrap();
    assert_eq!(reply.error().unwrap().code, ErrorCode::Unavailable);
    assert_eq!(count.load(Ordering::SeqCst), 2, "one retry by default");
    // Identity is never retried.
    let _ = client.identity().await.unwrap();
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn raw_sends_exactly_the_given_headers_and_body() {
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    let addr = serve(move |mut stream, _| {
        let seen = seen.clone();
        async move {
            let request = read_request(&mut stream).await;
            seen.lock().unwrap().push(request);
            let _ = stream
                .write_all(&response(
                    400,
                    r#"{"code":"malformed-request","message":"x"}"#,
                ))
                .await;
        }
    })
    .await;
    let (client, evidence) = client(addr);
    let raw = client
        .raw(
            "malformed-menu",
            reqwest::Method::POST,
            "/v1/municipalities/131016/menu",
            vec![("content-type".to_owned(), "application/json".to_owned())],
            Some(b"{\"reception\":".to_vec()),
        )
        .await
        .unwrap();
    assert_eq!(raw.status, 400);
    assert_eq!(raw.header(VERSION_HEADER), Some("1.2"));
    let request = String::from_utf8(requests.lock().unwrap().remove(0)).unwrap();
    assert!(
        !request
            .to_ascii_lowercase()
            .contains("kofu-profile-version"),
        "{request}"
    );
    assert!(request.ends_with("\r\n\r\n{\"reception\":"), "{request}");
    let recorded = &evidence.exchanges()[0];
    assert_eq!(recorded.operation, "malformed-menu");
    assert_eq!(
        recorded.request_body,
        Some(RecordedBody::Text("{\"reception\":".to_owned()))
    );
}

#[tokio::test]
async fn dir_evidence_keeps_failed_attempts() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = Arc::new(DirEvidence::new(dir.path().join("evidence")));
    let client = CandidateClient::new(ClientConfig::new("http://127.0.0.1:9"), evidence).unwrap();
    let _ = client.identity().await.unwrap_err();
    let record: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("evidence").join("001-identity.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(record["url"], "http://127.0.0.1:9/v1/identity");
    assert!(
        record["error"]
            .as_str()
            .unwrap()
            .contains("cannot connect to the candidate at http://127.0.0.1:9")
    );
}

// ---------------------------------------------------------------------------------
// TLS with the committed test PKI

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(transport_pki::fixtures_dir().join(name)).unwrap()
}

/// A TLS server with the reference server certificate that requires a client
/// certificate from the center CA. Counts refused handshakes.
async fn mutual_tls_server() -> (SocketAddr, Arc<AtomicUsize>) {
    use rustls::server::WebPkiClientVerifier;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    for cert in
        transport_pki::certs_from_pem("center ca", &fixture(transport_pki::files::CENTER_CA_CERT))
            .unwrap()
    {
        roots.add(cert).unwrap();
    }
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .unwrap();
    let chain = transport_pki::certs_from_pem(
        "server",
        &fixture(transport_pki::files::REFERENCE_SERVER_CERT),
    )
    .unwrap();
    let key = transport_pki::key_from_pem(
        "server key",
        &fixture(transport_pki::files::REFERENCE_SERVER_KEY),
    )
    .unwrap();
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .unwrap();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let refused = Arc::new(AtomicUsize::new(0));
    let refused_by_server = refused.clone();
    let addr = serve(move |tcp, _| {
        let acceptor = acceptor.clone();
        let refused = refused_by_server.clone();
        async move {
            match acceptor.accept(tcp).await {
                Ok(mut tls) => {
                    read_request(&mut tls).await;
                    let _ = tls.write_all(&response(200, IDENTITY)).await;
                    let _ = tls.shutdown().await;
                }
                Err(_) => {
                    refused.fetch_add(1, Ordering::SeqCst);
                }
            }
        }
    })
    .await;
    (addr, refused)
}

fn tls_client(
    addr: SocketAddr,
    server_ca: &str,
    identity: Option<(&str, &str)>,
) -> CandidateClient {
    let config = ClientConfig {
        server_ca_pem: Some(fixture(server_ca)),
        client_identity: identity.map(|(c, k)| (fixture(c), fixture(k))),
        timeout: Duration::from_secs(5),
        ..ClientConfig::new(format!("https://{addr}"))
    };
    CandidateClient::new(config, Arc::new(NoEvidence)).unwrap()
}

#[tokio::test]
async fn mutual_tls_accepts_the_center_client() {
    let (addr, refused) = mutual_tls_server().await;
    let client = tls_client(
        addr,
        transport_pki::files::CANDIDATE_CA_CERT,
        Some((
            transport_pki::files::CENTER_CLIENT_CERT,
            transport_pki::files::CENTER_CLIENT_KEY,
        )),
    );
    let reply = client.identity().await.unwrap();
    assert_eq!(reply.value().unwrap().implementation.name, "hostile");
    assert_eq!(refused.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn mutual_tls_refuses_a_client_without_certificate() {
    let (addr, refused) = mutual_tls_server().await;
    let client = tls_client(addr, transport_pki::files::CANDIDATE_CA_CERT, None);
    let err = client.identity().await.unwrap_err();
    assert!(
        matches!(err, ClientError::Tls { .. } | ClientError::Transport { .. }),
        "{err:?}"
    );
    assert!(!err.is_unreachable());
    assert_eq!(refused.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn mutual_tls_refuses_a_stranger_certificate() {
    let (addr, refused) = mutual_tls_server().await;
    let client = tls_client(
        addr,
        transport_pki::files::CANDIDATE_CA_CERT,
        Some((
            transport_pki::files::STRANGER_CLIENT_CERT,
            transport_pki::files::STRANGER_CLIENT_KEY,
        )),
    );
    let err = client.identity().await.unwrap_err();
    assert!(
        matches!(err, ClientError::Tls { .. } | ClientError::Transport { .. }),
        "{err:?}"
    );
    assert_eq!(refused.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_untrusted_server_certificate_is_a_tls_error() {
    let (addr, _) = mutual_tls_server().await;
    // Trusting the center CA, not the candidate CA that signed the server certificate.
    let client = tls_client(
        addr,
        transport_pki::files::CENTER_CA_CERT,
        Some((
            transport_pki::files::CENTER_CLIENT_CERT,
            transport_pki::files::CENTER_CLIENT_KEY,
        )),
    );
    let err = client.identity().await.unwrap_err();
    let ClientError::Tls { detail, url, .. } = &err else {
        panic!("expected Tls, got {err:?}");
    };
    assert!(detail.contains("UnknownIssuer"), "{detail}");
    assert!(url.starts_with(&format!("https://{addr}")));
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_a_tls_error() {
    // Answers at once, without waiting for a request (a ClientHello is not one).
    let addr = serve(|mut stream, _| async move {
        let _ = stream.write_all(&response(200, IDENTITY)).await;
        hold(&mut stream).await;
    })
    .await;
    let client = tls_client(addr, transport_pki::files::CANDIDATE_CA_CERT, None);
    let err = client.identity().await.unwrap_err();
    assert!(matches!(err, ClientError::Tls { .. }), "{err:?}");
}

//! The validity service: the center asks it whether a card certificate is revoked, as
//! the real center asks the JPKI service. In tests and in the harness it is a small
//! loopback service fed from the fixture card states ([`start_mock`]). It keeps nothing
//! of the requests it answers, so a center that runs for days holds no more memory on
//! its last day than on its first.
//!
//! Protocol (kofu's own, test-only): `GET /v1/certificates/{SERIAL}/status` answers
//! `200 {"status": "good"}` or `200 {"status": "revoked"}`; a serial the service does not
//! know answers `404`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use kofu_fixtures::{CardState, Fixtures};
use serde::{Deserialize, Serialize};

/// What the validity service says about a serial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// Not revoked.
    Good,
    /// Revoked (失効).
    Revoked,
    /// The service does not know the serial.
    Unknown,
}

/// Errors asking the validity service.
#[derive(Debug, thiserror::Error)]
pub enum ValidityError {
    /// The http client could not be built.
    #[error("cannot build the validity client")]
    Client(#[source] reqwest::Error),
    /// Its TLS settings could not be made.
    #[error("cannot make the validity client's TLS settings: {0}")]
    Tls(String),
    /// The call failed.
    #[error("the validity service did not answer")]
    Call(#[source] reqwest::Error),
    /// An answer outside the protocol.
    #[error("the validity service answered HTTP {0}")]
    Status(u16),
    /// The mock service could not bind a loopback port.
    #[error("cannot start the validity service on 127.0.0.1")]
    Bind(#[source] std::io::Error),
}

#[derive(Debug, Serialize, Deserialize)]
struct StatusBody {
    status: String,
}

/// Client of the validity service.
#[derive(Debug, Clone)]
pub struct ValidityClient {
    http: reqwest::Client,
    base: String,
}

impl ValidityClient {
    /// A client for the service at `base` (e.g. `http://127.0.0.1:4321`).
    pub fn new(base: &str) -> Result<Self, ValidityError> {
        crate::install_crypto_provider();
        let tls = crate::client::plain_http_only()
            .map_err(|e| ValidityError::Tls(crate::client::error_chain(&e)))?;
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .timeout(Duration::from_secs(5))
            .connect_timeout(Duration::from_secs(2))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .map_err(ValidityError::Client)?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
        })
    }

    /// Ask about one serial (uppercase hex).
    pub async fn status(&self, serial: &str) -> Result<Validity, ValidityError> {
        let serial: String = serial.chars().filter(char::is_ascii_hexdigit).collect();
        let url = format!("{}/v1/certificates/{serial}/status", self.base);
        let response = self
            .http
            .get(url)
            .send()
            .await
            .map_err(ValidityError::Call)?;
        match response.status().as_u16() {
            200 => {
                let body: StatusBody = response.json().await.map_err(ValidityError::Call)?;
                match body.status.as_str() {
                    "good" => Ok(Validity::Good),
                    "revoked" => Ok(Validity::Revoked),
                    _ => Err(ValidityError::Status(200)),
                }
            }
            404 => Ok(Validity::Unknown),
            other => Err(ValidityError::Status(other)),
        }
    }
}

/// A validity service answering on 127.0.0.1 from the fixture card states; it stops
/// when dropped.
#[derive(Debug)]
pub struct MockValidity {
    url: String,
    task: tokio::task::JoinHandle<()>,
}

impl MockValidity {
    /// Its base URL, e.g. `http://127.0.0.1:40123`.
    pub fn uri(&self) -> String {
        self.url.clone()
    }
}

impl Drop for MockValidity {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Start a validity service on 127.0.0.1 that knows every fixture card: `revoked` cards
/// are revoked, every other card is good (expiry, CA and PIN lock are checked
/// elsewhere). Unknown serials get 404.
pub async fn start_mock(fixtures: &Fixtures) -> Result<MockValidity, ValidityError> {
    use axum::extract::{Path, State};
    use axum::http::StatusCode;
    let states: HashMap<String, &'static str> = fixtures
        .cards
        .iter()
        .map(|card| {
            let status = if card.state == CardState::Revoked {
                "revoked"
            } else {
                "good"
            };
            (card.serial.to_ascii_uppercase(), status)
        })
        .collect();
    let answer = |State(states): State<Arc<HashMap<String, &'static str>>>,
                  Path(serial): Path<String>| async move {
        match states.get(&serial) {
            Some(status) => Ok(axum::Json(StatusBody {
                status: (*status).to_owned(),
            })),
            None => Err(StatusCode::NOT_FOUND),
        }
    };
    let app = axum::Router::new()
        .route(
            "/v1/certificates/{serial}/status",
            axum::routing::get(answer),
        )
        .with_state(Arc::new(states));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .map_err(ValidityError::Bind)?;
    let addr = listener.local_addr().map_err(ValidityError::Bind)?;
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "the validity service stopped");
        }
    });
    Ok(MockValidity {
        url: format!("http://{addr}"),
        task,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_mock_knows_fixture_states() {
        let fixtures = Fixtures::load_default().expect("fixtures");
        let server = start_mock(&fixtures).await.expect("the service starts");
        let client = ValidityClient::new(&server.uri()).expect("client");
        let serial = |id: &str| fixtures.card(id).expect("card").serial.clone();
        assert_eq!(
            client.status(&serial("C001")).await.ok(),
            Some(Validity::Good)
        );
        assert_eq!(
            client.status(&serial("C101")).await.ok(),
            Some(Validity::Revoked)
        );
        assert_eq!(
            client.status("0000000000000001").await.ok(),
            Some(Validity::Unknown)
        );
    }
}

//! The validity service: the center asks it whether a card certificate is revoked, as
//! the real center asks the JPKI service. In tests and in the harness it is a wiremock
//! [`MockServer`] fed from the fixture card states ([`start_mock`]).
//!
//! Protocol (kofu's own, test-only): `GET /v1/certificates/{SERIAL}/status` answers
//! `200 {"status": "good"}` or `200 {"status": "revoked"}`; a serial the service does not
//! know answers `404`.

use std::time::Duration;

use kofu_fixtures::{CardState, Fixtures};
use serde::{Deserialize, Serialize};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

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

/// Start a wiremock validity service on 127.0.0.1 that knows every fixture card:
/// `revoked` cards are revoked, every other card is good (expiry, CA and PIN lock are
/// checked elsewhere). Unknown serials get 404.
pub async fn start_mock(fixtures: &Fixtures) -> MockServer {
    let server = MockServer::start().await;
    for card in &fixtures.cards {
        let status = if card.state == CardState::Revoked {
            "revoked"
        } else {
            "good"
        };
        Mock::given(method("GET"))
            .and(path(format!(
                "/v1/certificates/{}/status",
                card.serial.to_ascii_uppercase()
            )))
            .respond_with(ResponseTemplate::new(200).set_body_json(StatusBody {
                status: status.to_owned(),
            }))
            .mount(&server)
            .await;
    }
    server
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_mock_knows_fixture_states() {
        let fixtures = Fixtures::load_default().expect("fixtures");
        let server = start_mock(&fixtures).await;
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

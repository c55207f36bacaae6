//! A server on a loopback socket with its own database file, restartable, and the
//! register feed's requests.

use std::collections::BTreeSet;
use std::path::PathBuf;

use kofu_profile::issuance::{Issuance, IssuanceRequest};
use kofu_profile::menu::Menu;
use kofu_profile::{CertificateType, PROFILE_VERSION, VERSION_HEADER, paths};
use kofu_reference_server::{Config, Defect, RunningServer, start};
use serde::Serialize;
use serde_json::{Value, json};

use super::{AOBADAI, Reply, fixtures, menu_request, reception_at, serial};

/// A running server and a client for it.
pub struct Live {
    server: RunningServer,
    client: reqwest::Client,
    database: PathBuf,
    defects: Vec<Defect>,
    _dir: tempfile::TempDir,
}

fn config(database: &std::path::Path, defects: &[Defect]) -> Config {
    Config {
        fixtures: fixtures(),
        municipalities: Vec::new(),
        database: database.to_owned(),
        defects: defects.iter().copied().collect::<BTreeSet<_>>(),
        tls: None,
    }
}

impl Live {
    /// A server with these switches on, over a fresh database.
    pub async fn start(defects: &[Defect]) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let dir = tempfile::tempdir().expect("temporary folder");
        let database = dir.path().join("server.sqlite");
        let server = start(config(&database, defects)).await.expect("start");
        Self {
            server,
            client: reqwest::Client::builder().build().expect("client"),
            database,
            defects: defects.to_vec(),
            _dir: dir,
        }
    }

    /// Stop the server and start it again on the same database.
    pub async fn restart(self) -> Self {
        let Self {
            server,
            client,
            database,
            defects,
            _dir,
        } = self;
        server.stop().await;
        let server = start(config(&database, &defects)).await.expect("restart");
        Self {
            server,
            client,
            database,
            defects,
            _dir,
        }
    }

    /// The running server (its state, for tests that decide a registration).
    pub fn server(&self) -> &RunningServer {
        &self.server
    }

    async fn reply(response: reqwest::Response) -> Reply {
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.expect("body").to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    /// `POST` raw bytes with the version header.
    pub async fn post_bytes(&self, path: &str, body: Vec<u8>) -> Reply {
        let response = self
            .client
            .post(format!("{}{path}", self.server.url))
            .header(VERSION_HEADER, PROFILE_VERSION)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("response");
        Self::reply(response).await
    }

    /// `POST` raw bytes without the version header.
    pub async fn post_without_version(&self, path: &str, body: Vec<u8>) -> Reply {
        let response = self
            .client
            .post(format!("{}{path}", self.server.url))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("response");
        Self::reply(response).await
    }

    /// `POST` a JSON body.
    pub async fn post<T: Serialize>(&self, path: &str, body: &T) -> Reply {
        self.post_bytes(path, serde_json::to_vec(body).expect("json"))
            .await
    }

    /// `GET`.
    pub async fn get(&self, path: &str) -> Reply {
        let response = self
            .client
            .get(format!("{}{path}", self.server.url))
            .header(VERSION_HEADER, PROFILE_VERSION)
            .send()
            .await
            .expect("response");
        Self::reply(response).await
    }

    /// Deliver an event to a municipality.
    pub async fn deliver(&self, code: &str, event: &Value) -> Reply {
        self.post(&paths::register_events(code), event).await
    }

    /// Deliver an event to 青葉台市 and expect `applied`.
    pub async fn applied(&self, event: &Value) {
        let reply = self.deliver(AOBADAI, event).await;
        let receipt: Value = reply.ok();
        assert_eq!(receipt["status"], "applied", "{receipt}");
        assert_eq!(receipt["event_id"], event["event_id"]);
    }

    /// The menu of a card at 青葉台市 at a reception time.
    pub async fn menu(&self, code: &str, card: &str, time: &str) -> Menu {
        self.post(&paths::menu(code), &menu_request(card, time))
            .await
            .ok()
    }

    /// An issuance request at 青葉台市, answered.
    pub async fn issue(&self, code: &str, req: &IssuanceRequest) -> Reply {
        self.post(&paths::issuances(code), req).await
    }

    /// An issuance that must succeed.
    pub async fn issued(&self, code: &str, req: &IssuanceRequest) -> Issuance {
        self.issue(code, req).await.ok()
    }
}

/// An event of a new id.
pub fn event(effective_at: &str, change: Value) -> Value {
    json!({
        "event_id": uuid::Uuid::new_v4(),
        "effective_at": effective_at,
        "change": change,
    })
}

/// A request of `card` for `certificate` with `options` at a reception time.
pub fn request_at(
    card: &str,
    certificate: CertificateType,
    options: kofu_profile::IssuanceOptions,
    time: &str,
) -> IssuanceRequest {
    IssuanceRequest {
        reception: reception_at(time),
        card_serial: serial(card),
        certificate,
        options,
        copies: 1,
    }
}

/// Whether a menu offers a type.
pub fn offers(menu: &Menu, certificate: CertificateType) -> bool {
    menu.items.iter().any(|i| i.certificate == certificate)
}

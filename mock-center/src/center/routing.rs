//! Routing: which candidate serves which municipality (asked of each candidate's
//! identity on first use), and the menus of every served municipality for a card.

use std::collections::BTreeMap;

use kofu_profile::menu::MenuRequest;
use uuid::Uuid;

use super::api::MenuAnswer;
use super::error::CenterError;
use super::state::CenterState;
use crate::client::Reply;

impl CenterState {
    /// Municipality code → candidate index, asked of each candidate's identity once
    /// (again after a failure).
    pub(super) async fn routes(&self) -> Result<BTreeMap<String, usize>, CenterError> {
        let mut guard = self.inner.routes.lock().await;
        if let Some(routes) = guard.as_ref() {
            return Ok(routes.clone());
        }
        let mut routes = BTreeMap::new();
        let mut answered = false;
        for (index, client) in self.inner.candidates.iter().enumerate() {
            match client.identity().await {
                Ok(Reply::Ok { value, .. }) => {
                    answered = true;
                    for code in value.municipalities {
                        routes.entry(code).or_insert(index);
                    }
                }
                Ok(Reply::Refused { status, .. }) => {
                    tracing::warn!(candidate = client.base_url(), status, "identity refused");
                }
                Err(e) => {
                    tracing::warn!(candidate = client.base_url(), error = %crate::client::error_chain(&e), "identity failed");
                }
            }
        }
        if !answered {
            return Err(CenterError::unavailable("candidate-unavailable"));
        }
        *guard = Some(routes.clone());
        Ok(routes)
    }

    /// The menus of every served municipality for the session's card.
    pub async fn menus(&self, id: Uuid) -> Result<MenuAnswer, CenterError> {
        let view = self
            .inner
            .sessions
            .view(id, true, self.inner.config.clock)?;
        let serial = view.card_serial.clone().unwrap_or_default();
        let routes = self.routes().await?;
        let mut menus = Vec::new();
        let mut answered = false;
        for (code, index) in &routes {
            let Some(client) = self.inner.candidates.get(*index) else {
                continue;
            };
            let req = MenuRequest {
                reception: view.reception(),
                card_serial: serial.clone(),
            };
            match client.menu(code, &req).await {
                Ok(Reply::Ok { value, .. }) => {
                    answered = true;
                    if !value.items.is_empty() || value.koseki_registration.is_some() {
                        menus.push(value);
                    }
                }
                Ok(Reply::Refused { status, error, .. }) => {
                    answered = true;
                    tracing::info!(
                        municipality = code,
                        status,
                        code = error.code.code(),
                        "menu refused"
                    );
                }
                Err(e) => {
                    tracing::warn!(municipality = code, error = %crate::client::error_chain(&e), "menu failed");
                }
            }
        }
        if !answered {
            return Err(CenterError::unavailable("candidate-unavailable"));
        }
        self.inner.sessions.keep_menus(id, menus.clone());
        Ok(MenuAnswer { menus })
    }
}

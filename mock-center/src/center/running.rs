//! [`RunningCenter`]: a center served in-process on 127.0.0.1 with its own validity
//! mock, and how it stops.

use super::config::{CenterConfig, CenterSetupError};
use super::http::serve;
use super::state::CenterState;

/// A center running in-process on 127.0.0.1 with its own validity service.
pub struct RunningCenter {
    /// Base URL of the terminal API, e.g. `http://127.0.0.1:40123`.
    pub url: String,
    /// The state (ledger access).
    pub state: CenterState,
    /// Stops serving when the center is dropped.
    _validity: crate::validity::MockValidity,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for RunningCenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningCenter")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl RunningCenter {
    /// Start a center on 127.0.0.1:0 with a validity service fed from the fixtures.
    /// `config.validity_url` is replaced by the service's.
    pub async fn start(mut config: CenterConfig) -> Result<Self, StartError> {
        let validity = crate::validity::start_mock(&config.fixtures)
            .await
            .map_err(StartError::Validity)?;
        config.validity_url = validity.uri();
        let state = CenterState::new(config)?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(StartError::Bind)?;
        let addr = listener.local_addr().map_err(StartError::Bind)?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let serving = state.clone();
        let task = tokio::spawn(async move {
            if let Err(e) = serve(listener, serving, async {
                let _ = rx.await;
            })
            .await
            {
                tracing::error!(error = %e, "the center stopped");
            }
        });
        Ok(Self {
            url: format!("http://{addr}"),
            state,
            _validity: validity,
            stop: Some(tx),
            task,
        })
    }

    /// Stop serving.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

/// Errors starting an in-process center.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The configuration was refused.
    #[error("cannot set up the center")]
    Setup(#[from] CenterSetupError),
    /// No loopback port.
    #[error("cannot bind 127.0.0.1")]
    Bind(#[source] std::io::Error),
    /// The validity service did not start.
    #[error("cannot start the validity service")]
    Validity(#[source] crate::validity::ValidityError),
}

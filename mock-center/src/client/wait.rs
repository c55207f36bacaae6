//! The center's wait (待ち時間) as an injected clock.
//!
//! A real center gives up on a call when its wait has elapsed. In the faults phase an
//! answer is held "past the wait" on purpose, and sleeping out the wait would cost the
//! suite seconds per held answer. A [`WaitSignal`] lets whoever holds the answer (the
//! fault injector, which sits between the center and the candidate) end the wait at once:
//! each attempt is tagged with an [`ATTEMPT_HEADER`] naming it, and
//! [`WaitSignal::expire`] with that name makes the attempt fail exactly as if its wait
//! had elapsed ([`crate::client::ClientError::Timeout`]). The configured timeout still
//! bounds every attempt. The header is for the component in between only: the fault
//! injector removes it before the request reaches the candidate, which sees nothing but
//! the profile.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::oneshot;

/// The header naming an attempt, sent only by a client that has a [`WaitSignal`].
pub const ATTEMPT_HEADER: &str = "kofu-attempt";

/// Ends the waits of named attempts before their time (see the module docs).
#[derive(Clone, Default)]
pub struct WaitSignal {
    waiting: Arc<Mutex<HashMap<String, oneshot::Sender<()>>>>,
}

impl std::fmt::Debug for WaitSignal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WaitSignal").finish_non_exhaustive()
    }
}

impl WaitSignal {
    /// A signal with no attempt waiting.
    pub fn new() -> Self {
        Self::default()
    }

    /// Ends the wait of the attempt named `attempt`: it fails as timed out. Whether such
    /// an attempt was still waiting.
    pub fn expire(&self, attempt: &str) -> bool {
        self.lock()
            .remove(attempt)
            .is_some_and(|sender| sender.send(()).is_ok())
    }

    /// A new attempt: its name, and what resolves when [`Self::expire`] names it.
    pub(crate) fn begin(&self) -> Attempt {
        let name = uuid::Uuid::new_v4().to_string();
        let (sender, expired) = oneshot::channel();
        self.lock().insert(name.clone(), sender);
        Attempt {
            name,
            expired,
            signal: self.clone(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, oneshot::Sender<()>>> {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One attempt whose wait a [`WaitSignal`] can end; forgotten when dropped.
pub(crate) struct Attempt {
    /// The value of the [`ATTEMPT_HEADER`].
    pub(crate) name: String,
    expired: oneshot::Receiver<()>,
    signal: WaitSignal,
}

impl Attempt {
    /// Resolves when the attempt's wait is ended by the signal; never otherwise.
    pub(crate) async fn expired(&mut self) {
        if (&mut self.expired).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        self.signal.lock().remove(&self.name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn expire_ends_only_the_named_attempt() {
        let signal = WaitSignal::new();
        let mut first = signal.begin();
        let second = signal.begin();
        assert!(signal.expire(&first.name));
        first.expired().await;
        assert!(!signal.expire(&first.name), "an attempt expires once");
        assert!(!signal.expire("unknown"));
        let name = second.name.clone();
        drop(second);
        assert!(!signal.expire(&name), "a finished attempt is forgotten");
        assert!(signal.lock().is_empty());
    }
}

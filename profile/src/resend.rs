//! 再送: how the center waits and resends, as the profile's "Timeouts, resends and
//! restarts" states it. A server cannot rely on these numbers; the center follows them.

use std::time::Duration;

/// The center's wait for one call (connect, request, the whole answer). A server must
/// answer within it.
pub const CENTER_WAIT: Duration = Duration::from_secs(10);

/// Attempts in all of `POST .../issuances` and `POST .../koseki-registrations` (2 resends).
pub const ISSUANCE_ATTEMPTS: u32 = 3;

/// Attempts in all of `POST .../outcome` (4 resends).
pub const OUTCOME_ATTEMPTS: u32 = 5;

/// Attempts in all of `POST .../menu`, resent only after `503 unavailable`.
pub const MENU_ATTEMPTS: u32 = 2;

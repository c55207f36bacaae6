//! The mock issuance center (証明書交付センター) of kofu.
//!
//! The harness plays the center and drives a candidate issuance server (証明発行サーバ)
//! through kofu's open reference profile:
//! - [`client`]: the center's HTTP client for one candidate, with hard limits on
//!   everything the candidate sends back, and an evidence trail of every exchange.
//! - [`transport_pki`]: the synthetic, test-only PKI of the transport (mutual TLS);
//!   [`jpki`]: the test JPKI of the cards.

pub mod center;
pub mod client;
pub mod hours;
pub mod jpki;
pub mod ledger;
pub mod transport_pki;
pub mod validity;

/// Install ring as the process-wide rustls crypto provider.
///
/// Harmless when a provider is already installed (ring or another one): the existing
/// provider stays. The candidate client does not depend on it (it names ring
/// explicitly), but servers and other rustls users in the process may.
pub fn install_crypto_provider() {
    if rustls::crypto::ring::default_provider()
        .install_default()
        .is_err()
    {
        tracing::trace!("a rustls crypto provider was already installed");
    }
}

//! Settings of the candidate client and the TLS configuration built from them.

use std::sync::Arc;
use std::time::Duration;

use kofu_profile::PROFILE_VERSION;

use super::error::ClientError;
use crate::transport_pki;

/// How to reach one candidate.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Base URL of the candidate, `http://` or `https://`, e.g. `https://127.0.0.1:8443`.
    /// A path prefix is kept; a trailing `/` is ignored.
    pub base_url: String,
    /// PEM trust anchor(s) for the candidate's server certificate. Required for
    /// `https`: the client never uses public web roots.
    pub server_ca_pem: Option<Vec<u8>>,
    /// Certificate chain PEM and private key PEM presented for mutual TLS.
    pub client_identity: Option<(Vec<u8>, Vec<u8>)>,
    /// Per call, total: connect, request, response headers and the whole body.
    pub timeout: Duration,
    /// Connect (TCP and TLS handshake) timeout.
    pub connect_timeout: Duration,
    /// Largest response body read; reading stops as soon as more arrives.
    pub max_response_bytes: usize,
    /// Value sent in the `Kofu-Profile-Version` header (tests send wrong ones).
    pub profile_version: String,
    /// 再送: whether calls are resent as the profile's resend rules say (issuances and
    /// 利用登録申請 up to [`kofu_profile::resend::ISSUANCE_ATTEMPTS`] attempts, outcome
    /// reports up to [`kofu_profile::resend::OUTCOME_ATTEMPTS`], menus once more after
    /// `503 unavailable`), with the same request id and body. `false`: one attempt each.
    pub resend: bool,
    /// Ends an attempt's wait before `timeout` when the component holding its answer says
    /// so (the faults phase's injector); `None`: the wait is the timeout alone.
    pub wait_signal: Option<super::WaitSignal>,
}

impl Default for ClientConfig {
    /// Defaults, with an empty `base_url` that must be set.
    fn default() -> Self {
        Self {
            base_url: String::new(),
            server_ca_pem: None,
            client_identity: None,
            timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(3),
            max_response_bytes: 16 * 1024 * 1024,
            profile_version: PROFILE_VERSION.to_owned(),
            resend: true,
            wait_signal: None,
        }
    }
}

impl ClientConfig {
    /// Defaults for a base URL.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            ..Self::default()
        }
    }

    /// The TLS settings this client uses (trust anchors, client identity), for a
    /// component that reaches the same candidate on the center's behalf, offering
    /// HTTP/1.1 only.
    pub fn rustls_http1(&self) -> Result<rustls::ClientConfig, ClientError> {
        let https = check_base_url(&self.base_url)?.https;
        let mut tls = tls_config(self, https)?;
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(tls)
    }
}

/// TLS settings for a client that only ever calls plain `http://` on loopback (the
/// terminals' link, the validity mock): no trust anchor at all, so no system certificate
/// store is read (a `FROM scratch` image has none).
pub fn plain_http_only() -> Result<rustls::ClientConfig, ClientError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ClientError::config_with("no usable tls protocol version", e))?
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth())
}

/// The checked base URL: no trailing `/`, scheme http or https.
pub(crate) struct Base {
    pub(crate) url: String,
    pub(crate) https: bool,
}

pub(crate) fn check_base_url(base_url: &str) -> Result<Base, ClientError> {
    let parsed = reqwest::Url::parse(base_url).map_err(|e| {
        ClientError::config_with(format!("the base url `{base_url}` is not a url"), e)
    })?;
    let https = match parsed.scheme() {
        "https" => true,
        "http" => false,
        other => {
            return Err(ClientError::config(format!(
                "the base url `{base_url}` has scheme `{other}`; only http and https are supported"
            )));
        }
    };
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(ClientError::config(format!(
            "the base url `{base_url}` names no host"
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(ClientError::config(format!(
            "the base url `{base_url}` must not carry a query or fragment"
        )));
    }
    Ok(Base {
        url: base_url.trim_end_matches('/').to_owned(),
        https,
    })
}

/// The rustls configuration of the client: only the given trust anchors, the given
/// client identity, ALPN h2 and http/1.1, ring as the provider. For plain http an
/// empty trust store (no https URL is ever called then).
pub(crate) fn tls_config(
    config: &ClientConfig,
    https: bool,
) -> Result<rustls::ClientConfig, ClientError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ClientError::config_with("no usable tls protocol version", e))?;

    let mut roots = rustls::RootCertStore::empty();
    match (&config.server_ca_pem, https) {
        (Some(pem), _) => {
            let certs = transport_pki::certs_from_pem("candidate server ca", pem)
                .map_err(|e| ClientError::config_with("unusable server ca pem", e))?;
            for cert in certs {
                roots.add(cert).map_err(|e| {
                    ClientError::config_with("the server ca pem holds an unusable certificate", e)
                })?;
            }
        }
        (None, true) => {
            return Err(ClientError::config(format!(
                "the base url `{}` is https but no server ca was given (public web roots are never trusted)",
                config.base_url
            )));
        }
        (None, false) => {}
    }
    let builder = builder.with_root_certificates(roots);

    let mut tls = match &config.client_identity {
        Some((cert_pem, key_pem)) => {
            let chain = transport_pki::certs_from_pem("client certificate", cert_pem)
                .map_err(|e| ClientError::config_with("unusable client certificate pem", e))?;
            let key = transport_pki::key_from_pem("client key", key_pem)
                .map_err(|e| ClientError::config_with("unusable client key pem", e))?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| ClientError::config_with("unusable client identity", e))?
        }
        None => builder.with_no_client_auth(),
    };
    tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(tls)
}

//! What counts as a refused TLS handshake: the server's own alert, and nothing else.
//!
//! A connection that a mutual-TLS candidate must refuse (no client certificate, or one
//! of another CA) has to fail *in the handshake, by the server*. A reset, a closed
//! connection, bytes that are not HTTP, a dead server or kofu's own distrust of the
//! server's certificate are other failures and prove nothing about client
//! authentication.

/// The TLS alerts (as rustls names them) a server sends when it refuses a client
/// certificate or its absence.
pub const REFUSAL_ALERTS: [&str; 7] = [
    "CertificateRequired",
    "HandshakeFailure",
    "BadCertificate",
    "UnknownCA",
    "CertificateUnknown",
    "AccessDenied",
    "DecryptError",
];

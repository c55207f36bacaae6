//! Generating a fresh test PKI of the transport with rcgen: three CAs, their leaves, and
//! the README, written to a directory.

use std::path::Path;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, SanType,
};

use super::{NOT_AFTER, NOT_BEFORE, ORGANIZATION, PkiError, README_TEXT, files};

/// Generate a fresh test PKI into `dir` (created if missing), overwriting the files of
/// [`files::ALL`]. Keys are ECDSA P-256, new on every call.
pub fn generate(dir: &Path) -> Result<(), PkiError> {
    std::fs::create_dir_all(dir).map_err(|source| PkiError::CreateDir {
        path: dir.to_owned(),
        source,
    })?;

    let center_ca = new_ca("center CA", "kofu TEST center CA")?;
    let (center_client, center_client_key) = new_leaf(
        "center client certificate",
        "kofu TEST center client",
        &center_ca,
        Leaf::Client,
    )?;
    let candidate_ca = new_ca("candidate CA", "kofu TEST candidate CA")?;
    let (server, server_key) = new_leaf(
        "reference server certificate",
        "kofu TEST reference server",
        &candidate_ca,
        Leaf::Server,
    )?;
    let stranger_ca = new_ca("stranger CA", "kofu TEST stranger CA (trusted by nobody)")?;
    let (stranger_client, stranger_client_key) = new_leaf(
        "stranger client certificate",
        "kofu TEST stranger client",
        &stranger_ca,
        Leaf::Client,
    )?;

    let outputs: [(&str, String); 12] = [
        (files::CENTER_CA_CERT, center_ca.pem()),
        (files::CENTER_CA_KEY, center_ca.key().serialize_pem()),
        (files::CENTER_CLIENT_CERT, center_client),
        (files::CENTER_CLIENT_KEY, center_client_key),
        (files::CANDIDATE_CA_CERT, candidate_ca.pem()),
        (files::CANDIDATE_CA_KEY, candidate_ca.key().serialize_pem()),
        (files::REFERENCE_SERVER_CERT, server),
        (files::REFERENCE_SERVER_KEY, server_key),
        (files::STRANGER_CA_CERT, stranger_ca.pem()),
        (files::STRANGER_CLIENT_CERT, stranger_client),
        (files::STRANGER_CLIENT_KEY, stranger_client_key),
        (files::README, README_TEXT.to_owned()),
    ];
    for (name, text) in outputs {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|source| PkiError::Write { path, source })?;
    }
    tracing::info!(dir = %dir.display(), "generated the synthetic test pki");
    Ok(())
}

#[derive(Clone, Copy)]
enum Leaf {
    Client,
    Server,
}

fn subject(common_name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "JP");
    dn.push(DnType::OrganizationName, ORGANIZATION);
    dn.push(DnType::CommonName, common_name);
    dn
}

fn base_params(common_name: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = subject(common_name);
    params.not_before = rcgen::date_time_ymd(NOT_BEFORE.0, NOT_BEFORE.1, NOT_BEFORE.2);
    params.not_after = rcgen::date_time_ymd(NOT_AFTER.0, NOT_AFTER.1, NOT_AFTER.2);
    params
}

fn new_key(what: &'static str) -> Result<KeyPair, PkiError> {
    KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
        .map_err(|source| PkiError::Generate { what, source })
}

fn new_ca(
    what: &'static str,
    common_name: &str,
) -> Result<CertifiedIssuer<'static, KeyPair>, PkiError> {
    let mut params = base_params(common_name);
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let key = new_key(what)?;
    CertifiedIssuer::self_signed(params, key).map_err(|source| PkiError::Generate { what, source })
}

/// A leaf certificate and its key, both PEM.
fn new_leaf(
    what: &'static str,
    common_name: &str,
    issuer: &CertifiedIssuer<'static, KeyPair>,
    leaf: Leaf,
) -> Result<(String, String), PkiError> {
    let mut params = base_params(common_name);
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.use_authority_key_identifier_extension = true;
    match leaf {
        Leaf::Client => {
            params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        }
        Leaf::Server => {
            params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
            params.subject_alt_names = vec![
                SanType::IpAddress(std::net::Ipv4Addr::LOCALHOST.into()),
                SanType::IpAddress(std::net::Ipv6Addr::LOCALHOST.into()),
                SanType::DnsName(
                    "localhost"
                        .try_into()
                        .map_err(|source| PkiError::Generate { what, source })?,
                ),
            ];
        }
    }
    let key = new_key(what)?;
    let cert = params
        .signed_by(&key, issuer)
        .map_err(|source| PkiError::Generate { what, source })?;
    Ok((cert.pem(), key.serialize_pem()))
}

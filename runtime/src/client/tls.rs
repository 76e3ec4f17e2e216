//! Trust: which certificate authorities the client accepts, and what a refused certificate means.
//!
//! The roots are, together: webpki's built-in roots (Mozilla's list, compiled in), the operating
//! system's trust store (read by `rustls-native-certs`; `SSL_CERT_FILE` and `SSL_CERT_DIR` replace
//! it, as with OpenSSL), and the CA certificates the builder names
//! ([`super::ClientBuilder::ca_cert_file`], [`super::ClientBuilder::ca_cert_pem`], `ODOO_CA_CERT`).
//! Verification cannot be turned off: a certificate the roots do not vouch for is an
//! [`Error::Certificate`] naming the host, the problem and the setting that fixes it.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::error::{CertificateProblem, Error, Result};

/// A CA certificate source given to the builder.
#[derive(Clone)]
pub(crate) enum CaSource {
    /// A file holding PEM certificates (or one DER certificate).
    File(PathBuf),
    /// PEM text (or one DER certificate) given in memory.
    Pem(Vec<u8>),
}

impl std::fmt::Debug for CaSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CaSource::File(path) => write!(f, "File({})", path.display()),
            CaSource::Pem(bytes) => write!(f, "Pem({} bytes)", bytes.len()),
        }
    }
}

impl CaSource {
    fn label(&self) -> String {
        match self {
            CaSource::File(path) => format!("the CA certificate file {}", path.display()),
            CaSource::Pem(_) => "the CA certificate given in memory".to_owned(),
        }
    }
}

/// Reads the certificates of `bytes`: every `CERTIFICATE` block of PEM text, or one DER
/// certificate. `label` names the source in errors.
fn certificates(bytes: &[u8], label: &str) -> Result<Vec<CertificateDer<'static>>> {
    let looks_pem = bytes.windows(11).any(|w| w == b"-----BEGIN ");
    if !looks_pem {
        // DER: an X.509 certificate is a SEQUENCE (0x30).
        if bytes.first() == Some(&0x30) {
            return Ok(vec![CertificateDer::from(bytes.to_vec())]);
        }
        return Err(Error::Config(format!(
            "{label} holds no certificate (expected PEM `-----BEGIN CERTIFICATE-----` blocks or \
             one DER certificate)"
        )));
    }
    let mut out = Vec::new();
    for (i, cert) in CertificateDer::pem_slice_iter(bytes).enumerate() {
        out.push(cert.map_err(|e| {
            Error::Config(format!(
                "{label}: certificate {} is not valid PEM: {e}",
                i + 1
            ))
        })?);
    }
    if out.is_empty() {
        return Err(Error::Config(format!(
            "{label} holds no `-----BEGIN CERTIFICATE-----` block"
        )));
    }
    Ok(out)
}

/// The built-in roots plus the system's store (or `SSL_CERT_FILE` / `SSL_CERT_DIR`). Reading and
/// parsing the system's store takes tens of milliseconds, so it is done once per process, and
/// again only when those two variables change.
fn base_roots() -> Result<rustls::RootCertStore> {
    type Cached = (Vec<String>, rustls::RootCertStore);
    static CACHE: Mutex<Option<Cached>> = Mutex::new(None);
    let env_set: Vec<String> = ["SSL_CERT_FILE", "SSL_CERT_DIR"]
        .into_iter()
        .filter_map(|var| {
            std::env::var_os(var)
                .filter(|v| !v.is_empty())
                .map(|v| format!("{var}={}", v.to_string_lossy()))
        })
        .collect();
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((key, roots)) = cache.as_ref()
        && *key == env_set
    {
        return Ok(roots.clone());
    }
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let built_in = roots.len();
    let native = rustls_native_certs::load_native_certs();
    if !native.errors.is_empty() {
        let errors: Vec<String> = native.errors.iter().map(ToString::to_string).collect();
        if !env_set.is_empty() {
            // The user named these files: a typo must not silently leave the CA out.
            return Err(Error::Config(format!(
                "cannot read the certificates of {}: {}",
                env_set.join(" and "),
                errors.join("; ")
            )));
        }
        tracing::debug!(
            errors = errors.join("; "),
            "some of the system's trust store could not be read"
        );
    }
    let (system, unusable) = roots.add_parsable_certificates(native.certs);
    if !env_set.is_empty() && system == 0 {
        return Err(Error::Config(format!(
            "{} holds no usable certificate (expected PEM `-----BEGIN CERTIFICATE-----` blocks)",
            env_set.join(" and ")
        )));
    }
    tracing::debug!(
        built_in,
        system,
        unusable,
        "trusted certificate authorities"
    );
    *cache = Some((env_set, roots.clone()));
    Ok(roots)
}

/// The rustls configuration of a client trusting the built-in roots, the system's store (or
/// `SSL_CERT_FILE` / `SSL_CERT_DIR`) and `extra`.
pub(crate) fn client_config(extra: &[CaSource]) -> Result<rustls::ClientConfig> {
    let mut roots = base_roots()?;
    let mut given = 0;
    for source in extra {
        let label = source.label();
        let bytes = match source {
            CaSource::File(path) => std::fs::read(path)
                .map_err(|e| Error::Config(format!("cannot read {label} (ca_cert): {e}")))?,
            CaSource::Pem(bytes) => bytes.clone(),
        };
        for (i, cert) in certificates(&bytes, &label)?.into_iter().enumerate() {
            roots.add(cert).map_err(|e| {
                Error::Config(format!(
                    "{label}: certificate {} cannot be used as a trust anchor: {e}",
                    i + 1
                ))
            })?;
            given += 1;
        }
    }
    if given > 0 {
        tracing::debug!(given, "trusted certificate authorities given to the client");
    }

    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("cannot set up TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    // What reqwest offers with its own configuration (HTTP/2 when the server wants it).
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The certificate problem behind a request failure, if the TLS handshake refused the server's
/// certificate.
pub(crate) fn certificate_problem(
    err: &(dyn std::error::Error + 'static),
) -> Option<CertificateProblem> {
    let rustls_error = find_rustls_error(err)?;
    let rustls::Error::InvalidCertificate(cert) = rustls_error else {
        return None;
    };
    use rustls::CertificateError as C;
    let date = |t: rustls::pki_types::UnixTime| {
        httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(t.as_secs()))
    };
    Some(match cert {
        C::UnknownIssuer => CertificateProblem::UnknownIssuer,
        C::NotValidForName => CertificateProblem::NameMismatch {
            presented: Vec::new(),
        },
        C::NotValidForNameContext { presented, .. } => CertificateProblem::NameMismatch {
            presented: presented.iter().map(|name| bare_name(name)).collect(),
        },
        C::Expired => CertificateProblem::Expired { not_after: None },
        C::ExpiredContext { not_after, .. } => CertificateProblem::Expired {
            not_after: Some(date(*not_after)),
        },
        C::NotValidYet => CertificateProblem::NotYetValid { not_before: None },
        C::NotValidYetContext { not_before, .. } => CertificateProblem::NotYetValid {
            not_before: Some(date(*not_before)),
        },
        C::Revoked => CertificateProblem::Revoked,
        C::BadSignature => CertificateProblem::Other(
            "bad signature: a trusted CA has the name of its issuer but did not sign it (an old \
             or another CA certificate of the same name?)"
                .to_owned(),
        ),
        other => CertificateProblem::Other(other.to_string()),
    })
}

/// `odoo.internal` for rustls' `DnsName("odoo.internal")` (and the same for `IpAddress(..)`).
fn bare_name(presented: &str) -> String {
    match presented.split_once('(') {
        Some((kind, rest)) if kind.chars().all(|c| c.is_ascii_alphabetic()) => {
            rest.trim_end_matches(')').trim_matches('"').to_owned()
        }
        _ => presented.to_owned(),
    }
}

/// Whether the failure involves rustls at all (a handshake with the server, as opposed to a
/// failure of the proxy in front of it).
pub(crate) fn is_tls_failure(err: &(dyn std::error::Error + 'static)) -> bool {
    find_rustls_error(err).is_some()
}

/// The `rustls::Error` in `err`'s chain. tokio-rustls wraps it in an `io::Error`, whose
/// `source()` skips the wrapped error itself, so each `io::Error` is opened with `get_ref`.
fn find_rustls_error<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut current: Option<&'a (dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(r) = e.downcast_ref::<rustls::Error>() {
            return Some(r);
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && let Some(inner) = io.get_ref()
        {
            if let Some(r) = inner.downcast_ref::<rustls::Error>() {
                return Some(r);
            }
            if let Some(found) = find_rustls_error(inner) {
                return Some(found);
            }
        }
        current = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_files_are_read_as_pem_or_der() {
        let err = certificates(b"hello", "the file x").unwrap_err();
        assert!(
            err.to_string().contains("the file x holds no certificate"),
            "{err}"
        );
        let err = certificates(
            b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            "f",
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("no `-----BEGIN CERTIFICATE-----`"),
            "{err}"
        );
        let der = certificates(&[0x30, 0x03, 0x02, 0x01, 0x01], "f").unwrap();
        assert_eq!(der.len(), 1);
    }

    #[test]
    fn presented_names_are_shown_bare() {
        assert_eq!(bare_name("DnsName(\"odoo.internal\")"), "odoo.internal");
        assert_eq!(bare_name("IpAddress(10.0.0.1)"), "10.0.0.1");
        assert_eq!(bare_name("odoo.internal"), "odoo.internal");
    }

    #[test]
    fn rustls_errors_are_found_inside_io_errors() {
        let io = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        );
        assert_eq!(
            certificate_problem(&io),
            Some(CertificateProblem::UnknownIssuer)
        );
        let other = std::io::Error::other("plain");
        assert_eq!(certificate_problem(&other), None);
        assert!(!is_tls_failure(&other));
    }
}

//! Trust: an Odoo behind a TLS front whose certificate comes from a private "company" CA (made
//! by rcgen for each run), with the replay server behind it. No network beyond loopback.

use odoo_replay::net as net_support;

use net_support::{
    Pki, TlsProxy, count_companies, recorded_admin as builder, replay_xmlrpc as replay, run_child,
    self_signed_leaf,
};
use odoo_runtime::{CertificateProblem, Error, Reached};
use serde_json::json;

/// The problem of a certificate error.
fn problem(err: &Error) -> &CertificateProblem {
    match err {
        Error::Certificate { problem, .. } => problem,
        other => panic!("not a certificate error: {other:?}"),
    }
}

#[tokio::test]
async fn a_private_ca_is_refused_without_its_certificate() {
    let server = replay();
    let pki = Pki::new();
    let front = TlsProxy::start(server.addr(), &pki.leaf(&["localhost"]));
    let client = builder(&front.url()).build().unwrap();
    let err = count_companies(&client).await.unwrap_err();
    let Error::Certificate { url, host, problem } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(host, "localhost");
    assert!(url.starts_with(&front.url()), "{url}");
    assert_eq!(*problem, CertificateProblem::UnknownIssuer);
    let text = err.to_string();
    for needed in [
        "localhost",
        "unknown issuer",
        "ca_cert",
        "ODOO_CA_CERT",
        "SSL_CERT_FILE",
    ] {
        assert!(text.contains(needed), "{needed:?} missing: {text}");
    }
    // Refused at the handshake: nothing reached the server, and a refused certificate is not
    // retried (search_count is a read: a transient failure would have been tried 5 times).
    assert_eq!(front.handshakes(), 0);
    assert_eq!(front.accepted(), 1);
    assert!(server.requests().is_empty());

    // A write says it was never sent.
    let err = client
        .create("res.partner", &json!({"name": "New Partner"}))
        .await
        .unwrap_err();
    assert_eq!(err.reached(), Some(Reached::No), "{err}");
    assert!(
        matches!(
            err.underlying(),
            Error::Certificate {
                problem: CertificateProblem::UnknownIssuer,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn the_company_ca_is_trusted_from_a_file_or_memory() {
    let server = replay();
    let pki = Pki::new();
    let front = TlsProxy::start(server.addr(), &pki.leaf(&["localhost"]));
    let dir = tempfile::tempdir().unwrap();
    let pem_file = dir.path().join("company-ca.pem");
    std::fs::write(&pem_file, pki.ca_pem()).unwrap();

    let from_file = builder(&front.url())
        .ca_cert_file(&pem_file)
        .build()
        .unwrap();
    assert_eq!(count_companies(&from_file).await.unwrap(), 13);
    let version = from_file.version().await.unwrap();
    assert_eq!(version.server_version, "18.0");

    let from_memory = builder(&front.url())
        .ca_cert_pem(pki.ca_pem().as_bytes())
        .build()
        .unwrap();
    assert_eq!(count_companies(&from_memory).await.unwrap(), 13);
    assert!(front.handshakes() >= 2);
    // The recordings answered the calls: TLS ended at the front, the bytes went through.
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());

    // A bundle with another certificate first, and the CA in DER, work too.
    let other = Pki::named("Another CA");
    let bundle = dir.path().join("bundle.pem");
    std::fs::write(&bundle, format!("{}{}", other.ca_pem(), pki.ca_pem())).unwrap();
    let client = builder(&front.url()).ca_cert_file(&bundle).build().unwrap();
    assert_eq!(count_companies(&client).await.unwrap(), 13);
    let der = rustls::pki_types::CertificateDer::from_pem_slice(pki.ca_pem().as_bytes()).unwrap();
    let der_file = dir.path().join("company-ca.der");
    std::fs::write(&der_file, der.as_ref()).unwrap();
    let client = builder(&front.url())
        .ca_cert_file(&der_file)
        .build()
        .unwrap();
    assert_eq!(count_companies(&client).await.unwrap(), 13);

    // Another CA's certificate alone does not vouch for this server.
    let wrong = dir.path().join("other.pem");
    std::fs::write(&wrong, other.ca_pem()).unwrap();
    let client = builder(&front.url()).ca_cert_file(&wrong).build().unwrap();
    let err = count_companies(&client).await.unwrap_err();
    assert_eq!(problem(&err), &CertificateProblem::UnknownIssuer);
    // A CA of the same name but another key (an old or a different CA certificate).
    let namesake = dir.path().join("namesake.pem");
    std::fs::write(&namesake, Pki::new().ca_pem()).unwrap();
    let client = builder(&front.url())
        .ca_cert_file(&namesake)
        .build()
        .unwrap();
    let err = count_companies(&client).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("bad signature"), "{text}");
}

use rustls::pki_types::pem::PemObject as _;

#[tokio::test]
async fn a_wrong_host_name_is_refused_as_a_name_mismatch() {
    let server = replay();
    let pki = Pki::new();
    let front = TlsProxy::start(server.addr(), &pki.leaf(&["odoo.internal"]));
    let client = builder(&front.url())
        .ca_cert_pem(pki.ca_pem().as_bytes())
        .build()
        .unwrap();
    let err = count_companies(&client).await.unwrap_err();
    let Error::Certificate { host, problem, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(host, "localhost");
    let CertificateProblem::NameMismatch { presented } = problem else {
        panic!("{problem:?}")
    };
    assert_eq!(presented, &["odoo.internal".to_owned()]);
    let text = err.to_string();
    assert!(text.contains("name mismatch"), "{text}");
    assert!(text.contains("odoo.internal"), "{text}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn an_expired_certificate_is_named_as_expired() {
    let server = replay();
    let pki = Pki::new();
    let front = TlsProxy::start(server.addr(), &pki.expired_leaf(&["localhost"]));
    let client = builder(&front.url())
        .ca_cert_pem(pki.ca_pem().as_bytes())
        .build()
        .unwrap();
    let err = count_companies(&client).await.unwrap_err();
    let Error::Certificate { problem, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        *problem,
        CertificateProblem::Expired {
            not_after: Some("Fri, 01 Jan 2021 00:00:00 GMT".to_owned())
        }
    );
    let text = err.to_string();
    assert!(text.contains("has expired"), "{text}");
    assert!(text.contains("2021"), "{text}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_self_signed_server_certificate_can_be_named_as_the_ca() {
    let server = replay();
    let leaf = self_signed_leaf(&["localhost"]);
    let front = TlsProxy::start(server.addr(), &leaf);
    let refused = builder(&front.url()).build().unwrap();
    let err = count_companies(&refused).await.unwrap_err();
    assert_eq!(problem(&err), &CertificateProblem::UnknownIssuer);
    let trusted = builder(&front.url())
        .ca_cert_pem(leaf.cert_pem.as_bytes())
        .build()
        .unwrap();
    assert_eq!(count_companies(&trusted).await.unwrap(), 13);
}

#[test]
fn unusable_ca_files_are_configuration_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.pem");
    let err = builder("https://localhost:1")
        .ca_cert_file(&missing)
        .build()
        .unwrap_err();
    let Error::Config(message) = &err else {
        panic!("{err:?}")
    };
    assert!(message.contains("nope.pem"), "{message}");
    assert!(message.contains("ca_cert"), "{message}");

    let garbage = dir.path().join("key.pem");
    std::fs::write(
        &garbage,
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    let err = builder("https://localhost:1")
        .ca_cert_file(&garbage)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("BEGIN CERTIFICATE"), "{err}");
}

// ---- SSL_CERT_FILE, in a child process (the environment is the process's) ---------------------

const CHILD_URL: &str = "NET_TLS_CHILD_URL";
const CHILD_EXPECT: &str = "NET_TLS_CHILD_EXPECT";

/// Run by [`ssl_cert_file_is_honoured`] in a child process whose environment names the server
/// (`NET_TLS_CHILD_URL`), `SSL_CERT_FILE`, and what must happen (`NET_TLS_CHILD_EXPECT`).
#[tokio::test]
#[ignore = "run by ssl_cert_file_is_honoured in a child process with SSL_CERT_FILE set"]
async fn child_with_ssl_cert_file() {
    let url = std::env::var(CHILD_URL).expect("NET_TLS_CHILD_URL");
    let expect = std::env::var(CHILD_EXPECT).expect("NET_TLS_CHILD_EXPECT");
    match expect.as_str() {
        "trusted" => {
            let client = builder(&url).build().unwrap();
            assert_eq!(count_companies(&client).await.unwrap(), 13);
        }
        "unreadable" => {
            let err = builder(&url).build().unwrap_err();
            let Error::Config(message) = &err else {
                panic!("{err:?}")
            };
            assert!(message.contains("SSL_CERT_FILE="), "{message}");
        }
        other => panic!("unknown expectation {other}"),
    }
}

#[test]
fn ssl_cert_file_is_honoured() {
    let server = replay();
    let pki = Pki::new();
    let front = TlsProxy::start(server.addr(), &pki.leaf(&["localhost"]));
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, pki.ca_pem()).unwrap();
    let url = front.url();
    run_child(
        "child_with_ssl_cert_file",
        &[
            (CHILD_URL, url.as_str()),
            (CHILD_EXPECT, "trusted"),
            ("SSL_CERT_FILE", ca.to_str().unwrap()),
        ],
    );
    assert!(front.handshakes() >= 1);
    let missing = dir.path().join("missing.pem");
    run_child(
        "child_with_ssl_cert_file",
        &[
            (CHILD_URL, url.as_str()),
            (CHILD_EXPECT, "unreadable"),
            ("SSL_CERT_FILE", missing.to_str().unwrap()),
        ],
    );
}

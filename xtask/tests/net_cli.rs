//! The command line behind the things real deployments put in front of Odoo (`odoo_replay::net`):
//! a gateway failing one call in ten (introspection still completes, with the same snapshot), a
//! TLS front with a private CA (`--ca-cert`, `ODOO_CA_CERT`, `[connection] ca_cert`), a forward
//! proxy asking for credentials, and a gateway that stays busy: each with its exit code and hint.

mod cli_support;
mod fake_odoo;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use cli_support::{failure, xtask};
use fake_odoo::{Faults, fake_odoo};
use odoo_replay::fixtures::read_text_tree;
use odoo_replay::net::{Action, FaultProxy, ForwardProxy, Pki, TlsProxy, one_in_ten};

/// `introspect` of the server at `url` into `out`, with `extra` arguments and environment.
fn introspect(
    dir: &Path,
    url: &str,
    out: &Path,
    extra: &[&str],
    env: &[(&str, &str)],
) -> std::process::Output {
    let mut cmd = xtask(dir);
    cmd.env("ODOO_URL", url)
        .env("ODOO_DB", "odoo18")
        .env("ODOO_USER", "admin")
        .env("ODOO_PASSWORD", "admin")
        .env("ODOO_TRANSPORT", "jsonrpc")
        .env_remove("HTTP_PROXY")
        .env_remove("HTTPS_PROXY")
        .env_remove("ALL_PROXY")
        .env_remove("http_proxy")
        .env_remove("https_proxy")
        .env_remove("all_proxy")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.arg("introspect")
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn introspection_completes_through_a_gateway_failing_one_call_in_ten() {
    let server = fake_odoo(Faults::default());
    let failed = Arc::new(AtomicUsize::new(0));
    let faults = vec![
        Action::gateway(503, Some("0")),
        Action::gateway(502, None),
        Action::Reset,
        Action::CutAfter(40),
    ];
    let gateway = FaultProxy::start(server.url(), one_in_ten(faults, Arc::clone(&failed)));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snapshot");
    let output = introspect(dir.path(), &gateway.url(), &out, &["-v"], &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let failures = failed.load(std::sync::atomic::Ordering::SeqCst);
    assert!(failures >= 9, "the gateway failed {failures} calls");
    assert!(
        stderr.contains("retry"),
        "each retry is logged at info level (-v): {stderr}"
    );
    let committed = read_text_tree(&fake_odoo::repo().join("testdata/odoo-18.0/snapshot")).unwrap();
    assert_eq!(
        read_text_tree(&out).unwrap(),
        committed,
        "the same snapshot as without the gateway"
    );
}

#[test]
fn a_private_ca_is_trusted_only_when_named() {
    let server = fake_odoo(Faults::default());
    let pki = Pki::new();
    let front = TlsProxy::start(server.addr(), &pki.leaf(&["localhost"]));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snapshot");

    let stderr = failure(&introspect(dir.path(), &front.url(), &out, &[], &[]), 12);
    assert!(stderr.contains("unknown issuer"), "{stderr}");
    assert!(
        stderr.contains("--ca-cert"),
        "the hint names the flag: {stderr}"
    );
    assert!(!out.exists());

    let ca = dir.path().join("company-ca.pem");
    std::fs::write(&ca, pki.ca_pem()).unwrap();
    let output = introspect(
        dir.path(),
        &front.url(),
        &out,
        &["--ca-cert", ca.to_str().unwrap()],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let output = introspect(
        dir.path(),
        &front.url(),
        &out,
        &[],
        &[("ODOO_CA_CERT", ca.to_str().unwrap())],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // From odoo-codegen.toml, relative to the file.
    let project = dir.path().join("project");
    std::fs::create_dir_all(project.join("certs")).unwrap();
    std::fs::write(project.join("certs/ca.pem"), pki.ca_pem()).unwrap();
    std::fs::write(
        project.join("odoo-codegen.toml"),
        "[connection]\nca_cert = \"certs/ca.pem\"\n",
    )
    .unwrap();
    let output = introspect(&project, &front.url(), &out, &[], &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // A name the certificate does not hold is refused even with the CA.
    let other = TlsProxy::start(server.addr(), &pki.leaf(&["odoo.example.com"]));
    let stderr = failure(
        &introspect(
            dir.path(),
            &other.url(),
            &dir.path().join("other"),
            &["--ca-cert", ca.to_str().unwrap()],
            &[],
        ),
        12,
    );
    assert!(stderr.contains("name mismatch"), "{stderr}");
}

#[test]
fn a_proxy_asking_for_credentials_is_named_as_the_proxy() {
    let server = fake_odoo(Faults::default());
    let proxy = ForwardProxy::with_credentials("me", "proxy-pw-81c2");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snapshot");
    let stderr = failure(
        &introspect(
            dir.path(),
            server.url(),
            &out,
            &[],
            &[("HTTP_PROXY", &proxy.url())],
        ),
        18,
    );
    assert!(
        stderr.contains("407") || stderr.contains("credentials"),
        "{stderr}"
    );
    assert!(
        stderr.contains("HTTP_PROXY"),
        "the variable is named: {stderr}"
    );

    let with_credentials = proxy.url().replace("http://", "http://me:proxy-pw-81c2@");
    let output = introspect(
        dir.path(),
        server.url(),
        &out,
        &[],
        &[("HTTP_PROXY", &with_credentials)],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("proxy-pw-81c2"));
    assert!(!proxy.log().is_empty(), "the calls went through the proxy");
}

#[test]
fn a_server_that_stays_busy_has_its_own_exit_code() {
    let server = fake_odoo(Faults::default());
    let gateway = FaultProxy::start(server.url(), |_| Action::gateway(503, Some("0")));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snapshot");
    let stderr = failure(
        &introspect(
            dir.path(),
            &gateway.url(),
            &out,
            &["--max-tries", "2", "-v"],
            &[],
        ),
        19,
    );
    assert!(stderr.contains("503"), "{stderr}");
    assert!(stderr.contains("--max-tries"), "the hint: {stderr}");
    assert_eq!(gateway.seen().len(), 2, "two tries, as asked");
    assert!(!out.exists());
}

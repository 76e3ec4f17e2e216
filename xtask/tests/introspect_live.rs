//! Live introspection against a fake Odoo 18.0 served over HTTP from the recorded dump
//! (`testdata/odoo-18.0/schema`), through the real runtime client and the real command line.
//!
//! The fake answers `common.version`, `common.authenticate`, and `execute_kw` `search_read` (with
//! `fields`, `offset`, `limit`, `order`) on the three reflection models and `fields_get` (with
//! `allfields` and `attributes`), over XML-RPC and JSON-RPC. Like Odoo's marshaller, an XML-RPC
//! answer holding a `None` (JSON `null`) is the fault Odoo 18 sends (the recorded bytes of
//! `xmlrpc/74-product.pricelist.fields_get`), which is what makes `product.pricelist`'s full
//! `fields_get` fail over XML-RPC. The fake is `fake_odoo/mod.rs`, shared with `diff_live.rs`.

mod cli_support;
mod fake_odoo;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use assert_cmd::Command;
use cli_support::{differing, tree};
use fake_odoo::{Faults, fake_odoo, repo};
use odoo_replay::ReplayServer;
use predicates::prelude::*;
use serde_json::{Value, json};

fn xtask(cwd: &Path, server: &ReplayServer) -> Command {
    let mut cmd = Command::cargo_bin("xtask").unwrap();
    cmd.current_dir(cwd)
        .env("ODOO_URL", server.url())
        .env("ODOO_DB", "odoo18")
        .env("ODOO_USER", "admin")
        .env("ODOO_PASSWORD", "admin")
        .env_remove("ODOO_API_KEY")
        .env_remove("ODOO_TRANSPORT")
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1");
    cmd
}

fn committed() -> BTreeMap<String, Vec<u8>> {
    tree(&repo().join("testdata/odoo-18.0/snapshot"))
}

/// `(service or model, method)` of each request the fake received.
fn calls(server: &ReplayServer) -> Vec<(String, String)> {
    server
        .requests()
        .iter()
        .map(|r| {
            if r.path == "/jsonrpc" {
                let body = r.json().unwrap_or_default();
                let args = &body["params"]["args"];
                match args.get(4).and_then(Value::as_str) {
                    Some(method) => (
                        args[3].as_str().unwrap_or_default().to_owned(),
                        method.to_owned(),
                    ),
                    None => (
                        "common".to_owned(),
                        body["params"]["method"]
                            .as_str()
                            .unwrap_or_default()
                            .to_owned(),
                    ),
                }
            } else {
                let (method, args): (std::borrow::Cow<'_, str>, Vec<Value>) =
                    odoo_runtime::xmlrpc::decode_call(&r.body).unwrap();
                match args.get(4).and_then(Value::as_str) {
                    Some(m) => (
                        args[3].as_str().unwrap_or_default().to_owned(),
                        m.to_owned(),
                    ),
                    None => ("common".to_owned(), method.into_owned()),
                }
            }
        })
        .collect()
}

#[test]
fn the_fake_reproduces_the_recorded_pricelist_failure() {
    let server = fake_odoo(Faults::default());
    let client = odoo_runtime::client::Client::builder()
        .url(server.url())
        .database("odoo18")
        .login("admin")
        .password("admin")
        .transport(odoo_runtime::client::Transport::XmlRpc)
        .build_blocking()
        .unwrap();
    let err = client
        .fields_get::<Value>("product.pricelist", &[])
        .unwrap_err()
        .to_string();
    assert!(err.contains("cannot marshal None"), "{err}");
    // With an attribute list, the same call works.
    let ok: Value = client
        .fields_get("product.pricelist", &["type", "string"])
        .unwrap();
    assert_eq!(ok["item_ids"]["type"], "one2many");
}

#[test]
fn xmlrpc_introspection_equals_the_committed_snapshot() {
    let server = fake_odoo(Faults::default());
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("snap");
    let started = Instant::now();
    xtask(tmp.path(), &server)
        .args(["introspect", "--transport", "xmlrpc", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("507 models, 9,774 fields"))
        // The fields hidden from fields_get by groups (the pricelist is never asked for), and
        // methods, which an Odoo 18 cannot describe.
        .stderr(predicate::str::contains("2 warnings"))
        .stderr(predicate::str::contains(
            "methods were not read: Odoo 18.0 has no /doc-bearer",
        ))
        .stderr(predicate::str::contains("product.pricelist").not());
    let elapsed = started.elapsed();
    assert_eq!(differing(&tree(&out), &committed()), Vec::<String>::new());

    let calls = calls(&server);
    let fields_get: Vec<&String> = calls
        .iter()
        .filter(|(_, m)| m == "fields_get")
        .map(|(model, _)| model)
        .collect();
    // 3 probes of the reflection models' fields, then the 92 models bulk data cannot describe.
    let probes = ["ir.model", "ir.model.fields", "ir.model.fields.selection"];
    assert_eq!(fields_get.len(), 3 + 92);
    for probe in probes {
        assert!(fields_get.iter().any(|m| *m == probe), "{probe}");
    }
    assert!(!fields_get.iter().any(|m| *m == "product.pricelist"));
    let search_reads = calls.iter().filter(|(_, m)| m == "search_read").count();
    // ir.model: 1 page; ir.model.fields: 9,774 rows in pages of 5,000; selections: 1 page.
    assert_eq!(search_reads, 1 + 2 + 1);
    // + version + authenticate.
    assert_eq!(calls.len(), 3 + 92 + 4 + 2, "{calls:?}");
    eprintln!(
        "live introspection over XML-RPC against the fake: {} requests (the Python loop: 507 \
         fields_get + login), {elapsed:.2?} including process start",
        calls.len()
    );
}

#[test]
fn jsonrpc_introspection_equals_the_committed_snapshot() {
    let server = fake_odoo(Faults::default());
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("snap");
    // Default transport (auto): JSON-RPC with a password.
    xtask(tmp.path(), &server)
        .args(["introspect", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(differing(&tree(&out), &committed()), Vec::<String>::new());
    assert!(server.requests().iter().all(|r| r.path == "/jsonrpc"));
}

/// `--no-methods`: methods are not asked for at all (no `/doc-bearer` request, no warning about
/// them), and the snapshot is the same.
#[test]
fn no_methods_skips_the_doc_bearer() {
    let server = fake_odoo(Faults::default());
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("snap");
    xtask(tmp.path(), &server)
        .args(["introspect", "--no-methods", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("1 warning"))
        .stderr(predicate::str::contains("methods were not read").not());
    assert_eq!(differing(&tree(&out), &committed()), Vec::<String>::new());
    assert!(
        server
            .requests()
            .iter()
            .all(|r| !r.path.starts_with("/doc-bearer")),
        "{:?}",
        server
            .requests()
            .iter()
            .map(|r| &r.path)
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_model_failing_over_xmlrpc_is_retried_over_jsonrpc() {
    let server = fake_odoo(Faults {
        none_in_fields_get: vec!["res.partner".into()],
        ..Faults::default()
    });
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("snap");
    xtask(tmp.path(), &server)
        .args(["introspect", "--transport", "xmlrpc", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("warning: res.partner").not());
    assert_eq!(differing(&tree(&out), &committed()), Vec::<String>::new());
    let json: Vec<(String, String)> = calls(&server)
        .into_iter()
        .zip(server.requests())
        .filter(|(_, r)| r.path == "/jsonrpc")
        .map(|(c, _)| c)
        .collect();
    assert!(
        json.contains(&("res.partner".to_owned(), "fields_get".to_owned())),
        "{json:?}"
    );
}

#[test]
fn a_model_failing_everywhere_is_a_warning_not_an_abort() {
    let server = fake_odoo(Faults {
        broken: vec!["res.partner".into()],
        ..Faults::default()
    });
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("snap");
    xtask(tmp.path(), &server)
        .args(["introspect", "--transport", "xmlrpc", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: res.partner: fields_get failed (",
        ))
        .stderr(predicate::str::contains("broken on purpose"))
        .stderr(predicate::str::contains(
            "falling back to the ir.model.fields data",
        ));
    // Only res.partner differs: its dynamic selections (lang) are empty.
    assert_eq!(
        differing(&tree(&out), &committed()),
        vec!["models/res.partner.json".to_owned()]
    );
}

#[test]
fn wrong_password_and_live_generate() {
    let server = fake_odoo(Faults::default());
    let tmp = tempfile::tempdir().unwrap();
    xtask(tmp.path(), &server)
        .env("ODOO_PASSWORD", "wrong")
        .args(["introspect", "--out"])
        .arg(tmp.path().join("snap"))
        .assert()
        .code(14);
    assert!(!tmp.path().join("snap").exists());

    // ODOO_URL set and no --dump/--snapshot: generate reads the live instance.
    let out = tmp.path().join("bindings");
    xtask(tmp.path(), &server)
        .args(["generate", "--models", "res.partner", "--output"])
        .arg(&out)
        .assert()
        .success();
    let cargo_toml = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(cargo_toml.contains("live Odoo 18.0"), "{cargo_toml}");
    assert!(!cargo_toml.contains("127.0.0.1"), "no URL in the output");
    assert!(out.join("src/res_partner.rs").is_file());
    // The same bindings as from the recorded snapshot (what the fake serves), but for the header
    // label.
    let from_snapshot = tmp.path().join("from-snapshot");
    xtask(tmp.path(), &server)
        .env_remove("ODOO_URL")
        .args(["generate", "--models", "res.partner", "--snapshot"])
        .arg(repo().join("testdata/odoo-18.0/snapshot"))
        .arg("--output")
        .arg(&from_snapshot)
        .assert()
        .success();
    let a = std::fs::read_to_string(out.join("src/res_partner.rs")).unwrap();
    let b = std::fs::read_to_string(from_snapshot.join("src/res_partner.rs")).unwrap();
    assert_eq!(
        a.replace("live Odoo 18.0", "X"),
        b.replace("snapshot odoo-18.0/snapshot", "X")
    );
}

/// Speed, measured in one run against the same fake server (run with `cargo test -p xtask --test
/// introspect_live -- --ignored --nocapture`, ideally with `--release`): `cargo xtask introspect`
/// versus the Python-style loop (login, then `fields_get()` with every attribute, once per model,
/// one after the other, over XML-RPC) done with the same runtime client. The fake answers from
/// memory, so this compares request counts and payloads, not Odoo's own per-call work (which the
/// loop pays 507 times: 16 s on a real 18.0 server, and this introspection 92 times).
#[test]
#[ignore = "benchmark: prints a ratio"]
fn speed_versus_the_python_loop() {
    let server = fake_odoo(Faults::default());
    let tmp = tempfile::tempdir().unwrap();
    let started = Instant::now();
    xtask(tmp.path(), &server)
        .args(["introspect", "--transport", "xmlrpc", "--out"])
        .arg(tmp.path().join("snap"))
        .assert()
        .success();
    let ours = started.elapsed();
    let our_requests = server.requests().len();
    let our_bytes: usize = server.requests().iter().map(|r| r.body.len()).sum();

    // The same with one fields_get at a time: the share of concurrency in the gain.
    let serial_server = fake_odoo(Faults::default());
    let started = Instant::now();
    xtask(tmp.path(), &serial_server)
        .args([
            "introspect",
            "--transport",
            "xmlrpc",
            "--concurrency",
            "1",
            "--out",
        ])
        .arg(tmp.path().join("snap"))
        .assert()
        .success();
    let serial = started.elapsed();

    let loop_server = fake_odoo(Faults::default());
    let started = Instant::now();
    let client = odoo_runtime::client::Client::builder()
        .url(loop_server.url())
        .database("odoo18")
        .login("admin")
        .password("admin")
        .transport(odoo_runtime::client::Transport::XmlRpc)
        .build_blocking()
        .unwrap();
    let models: Vec<Value> = client
        .search_read("ir.model", &json!([]), &["model"], Default::default())
        .unwrap();
    let mut failures = 0;
    for m in &models {
        let model = m["model"].as_str().unwrap();
        if client.fields_get::<Value>(model, &[]).is_err() {
            failures += 1;
        }
    }
    let python_loop = started.elapsed();
    let loop_requests = loop_server.requests().len();
    // The fake's round trip for a tiny call.
    let started = Instant::now();
    for _ in 0..20 {
        client.version().unwrap();
    }
    let round_trip = started.elapsed() / 20;
    eprintln!(
        "introspect: {our_requests} requests ({our_bytes} request bytes), {ours:.2?} (process \
         start, merge and snapshot writing included); with --concurrency 1: {serial:.2?}\n\
         python-style loop: {} requests, {} failed (product.pricelist), {python_loop:.2?}\n\
         fake server round trip (version): {round_trip:.2?}\n\
         ratio loop/introspect: {:.2}x (concurrency 1: {:.2}x)",
        loop_requests,
        failures,
        python_loop.as_secs_f64() / ours.as_secs_f64(),
        python_loop.as_secs_f64() / serial.as_secs_f64()
    );
}

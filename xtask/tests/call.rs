//! `cargo xtask call` through the real binary against the replay of the recorded Odoo 18.0.

use assert_cmd::Command;
use odoo_replay::ReplayServer;
use serde_json::{Value, json};

fn server() -> ReplayServer {
    ReplayServer::from_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../testdata/odoo-18.0"
    ))
    .unwrap()
}

/// `xtask call ...` with only the given ODOO_* variables, run from an empty directory (no `.env`,
/// no `odoo-codegen.toml`).
fn call(dir: &tempfile::TempDir, env: &[(&str, &str)], args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::cargo_bin("xtask").unwrap();
    cmd.current_dir(dir.path())
        .env_remove("RUST_LOG")
        .env_remove("RUST_BACKTRACE");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("ODOO_") {
            cmd.env_remove(key);
        }
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let output = cmd
        .arg("call")
        .args(args)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn admin<'a>(url: &'a str, transport: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("ODOO_URL", url),
        ("ODOO_DB", "odoo18"),
        ("ODOO_USER", "admin"),
        ("ODOO_PASSWORD", "admin"),
        ("ODOO_TRANSPORT", transport),
    ]
}

#[test]
fn prints_the_result_as_json() {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = call(
        &dir,
        &admin(server.url(), "jsonrpc"),
        &[
            "res.partner",
            "search_read",
            r#"[[["is_company","=",true]]]"#,
            r#"{"fields":["name","country_id","comment"],"limit":3}"#,
        ],
    );
    assert_eq!(code, 0, "{err}");
    let value: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        value,
        json!([
            {"id": 15, "name": "Azure Interior", "country_id": [233, "United States"], "comment": false},
            {"id": 79, "name": "Batch B", "country_id": false, "comment": false},
            {"id": 74, "name": "Batch B", "country_id": false, "comment": false}
        ])
    );

    // Over XML-RPC, chosen by flag (the flag wins over ODOO_TRANSPORT).
    let (code, out, err) = call(
        &dir,
        &admin(server.url(), "jsonrpc"),
        &[
            "res.partner",
            "search",
            r#"[[["is_company","=",true]]]"#,
            r#"{"offset":10,"limit":5}"#,
            "--transport",
            "xmlrpc",
            "--compact",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "[12,14,9]\n");
}

#[test]
fn odoo_errors_exit_1_with_class_and_message() {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = call(
        &dir,
        &admin(server.url(), "xmlrpc"),
        &["res.partner", "read", r#"[[1],["no_such_field"]]"#],
    );
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty());
    assert_eq!(
        err.trim(),
        "ValueError: Invalid field 'no_such_field' on model 'res.partner'"
    );

    let (code, _, err) = call(
        &dir,
        &admin(server.url(), "jsonrpc"),
        &["res.partner", "write", r#"[[80],{"parent_id":80}]"#],
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        err.trim(),
        "odoo.exceptions.ValidationError: You cannot create recursive Partner hierarchies."
    );

    let (code, _, err) = call(
        &dir,
        &admin(server.url(), "xmlrpc"),
        &["res.partner", "_compute_display_name", "[[1]]"],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.starts_with("odoo.exceptions.AccessError: Private methods"),
        "{err}"
    );
}

/// `error:` and `hint:` lines (and nothing else) on stderr.
fn error_and_hint(err: &str) -> (&str, &str) {
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    (
        lines[0].strip_prefix("error: ").expect(err),
        lines[1].strip_prefix("hint: ").expect(err),
    )
}

#[test]
fn bad_url_or_credentials_exit_2() {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let secret = "wrong";
    let mut env = admin(server.url(), "xmlrpc");
    env[3] = ("ODOO_PASSWORD", secret);
    let (code, out, err) = call(&dir, &env, &["res.partner", "search", "[[]]"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    let (error, hint) = error_and_hint(&err);
    assert!(error.starts_with("cannot log in: access denied"), "{err}");
    assert!(hint.starts_with("check ODOO_USER"), "{err}");
    assert!(!err.contains(secret), "{err}");

    let mut env = admin(server.url(), "xmlrpc");
    env[1] = ("ODOO_DB", "no_such_db");
    let (code, _, err) = call(&dir, &env, &["res.partner", "search", "[[]]"]);
    assert_eq!(code, 2, "{err}");
    let (error, hint) = error_and_hint(&err);
    assert!(error.starts_with("cannot log in: "), "{err}");
    assert!(error.contains("no_such_db"), "{err}");
    assert!(hint.starts_with("check ODOO_DB"), "{err}");

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let (code, _, err) = call(
        &dir,
        &admin(&closed, "jsonrpc"),
        &["res.partner", "search", "[[]]"],
    );
    assert_eq!(code, 2, "{err}");
    let (error, hint) = error_and_hint(&err);
    assert!(error.starts_with("cannot log in: cannot talk to"), "{err}");
    assert!(hint.starts_with("check ODOO_URL"), "{err}");

    let (code, _, err) = call(
        &dir,
        &admin("ftp://example.com", "jsonrpc"),
        &["res.partner", "search", "[[]]"],
    );
    assert_eq!(code, 2, "{err}");
    let (error, _) = error_and_hint(&err);
    assert!(error.contains("unsupported URL scheme"), "{err}");

    let (code, _, err) = call(
        &dir,
        &admin(server.url(), "jsonrpc"),
        &["res.partner", "search", "[[[oops"],
    );
    assert_eq!(code, 2, "{err}");
    let (error, hint) = error_and_hint(&err);
    assert!(error.starts_with("ARGS_JSON is not valid JSON"), "{err}");
    assert!(hint.contains("--help"), "{err}");
}

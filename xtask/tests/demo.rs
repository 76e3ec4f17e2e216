//! `cargo xtask demo`, `--demo` and the `demo` side of `diff`, through the real binary, against a
//! fake start endpoint answering the documented struct (`host`, `database`, `user`, `password`)
//! that points at the fake Odoo serving the recorded 18.0 dump (`fake_odoo`).

mod cli_support;
mod fake_odoo;

use std::path::Path;
use std::process::Output;

use cli_support::{failure, xtask};
use fake_odoo::{Faults, fake_odoo};
use odoo_replay::{ReplayServer, Reply};
use serde_json::{Value, json};

const PASSWORD: &str = "demo-pw-5e1f";

/// A start endpoint at `/start` answering `start()` with `answer` (an XML-RPC value).
fn start_endpoint(answer: Value) -> ReplayServer {
    ReplayServer::builder()
        .route("/start", move |request| {
            match odoo_runtime::xmlrpc::decode_call::<Vec<Value>>(&request.body) {
                Ok((method, params)) if method == "start" && params.is_empty() => {
                    Reply::xml(format!(
                        "<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>\n<value>{}</value>\n</param>\n</params>\n</methodResponse>\n",
                        odoo_runtime::xmlrpc::encode_value(&answer).unwrap()
                    ))
                }
                other => Reply::html(400, format!("unexpected call {other:?}")),
            }
        })
        .start()
        .unwrap()
}

/// The documented answer, pointing at `odoo`.
fn handing_out(odoo: &ReplayServer) -> ReplayServer {
    start_endpoint(json!({
        "host": odoo.url(),
        "database": "odoo18",
        "user": "admin",
        "password": "admin",
    }))
}

fn run(dir: &Path, args: &[&str]) -> Output {
    xtask(dir).args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn demo_prints_the_connection_and_the_password_only_when_asked() {
    let odoo = fake_odoo(Faults::default());
    let start = start_endpoint(json!({
        "host": odoo.url(),
        "database": "demo_db_1",
        "user": "admin",
        "password": PASSWORD,
    }));
    let dir = tempfile::tempdir().unwrap();
    let start_url = format!("{}/start", start.url());

    let output = run(dir.path(), &["demo", "--start-url", &start_url]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains(&format!("ODOO_URL={}\n", odoo.url())),
        "{stdout}"
    );
    assert!(stdout.contains("ODOO_DB=demo_db_1\n"), "{stdout}");
    assert!(stdout.contains("ODOO_USER=admin\n"), "{stdout}");
    assert!(stdout.contains("ODOO_DEMO=1\n"), "{stdout}");
    assert!(stdout.contains("short-lived"), "{stdout}");
    assert!(stdout.contains("--show-password"), "{stdout}");
    assert!(!stdout.contains(PASSWORD), "{stdout}");
    assert!(!text(&output.stderr).contains(PASSWORD));

    let output = run(
        dir.path(),
        &[
            "demo",
            "--start-url",
            &start_url,
            "--show-password",
            "--export",
        ],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains(&format!("export ODOO_PASSWORD={PASSWORD}\n")),
        "{stdout}"
    );
    assert!(stdout.contains("export ODOO_DB=demo_db_1\n"), "{stdout}");
    assert!(!text(&output.stderr).contains(PASSWORD));
}

#[test]
fn the_printed_settings_work_as_a_dotenv() {
    let odoo = fake_odoo(Faults::default());
    let start = handing_out(&odoo);
    let dir = tempfile::tempdir().unwrap();
    let start_url = format!("{}/start", start.url());
    let output = run(
        dir.path(),
        &["demo", "--start-url", &start_url, "--show-password"],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    std::fs::write(dir.path().join(".env"), &output.stdout).unwrap();
    let output = run(
        dir.path(),
        &[
            "call",
            "res.partner",
            "fields_get",
            "[]",
            r#"{"attributes": ["type"]}"#,
            "--compact",
        ],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let fields: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(fields["name"]["type"], "char", "{fields}");
}

#[test]
fn generate_introspect_call_and_diff_work_against_a_test_database() {
    let odoo = fake_odoo(Faults::default());
    let start = handing_out(&odoo);
    let dir = tempfile::tempdir().unwrap();
    let start_url = format!("{}/start", start.url());
    let out = dir.path().join("bindings");
    let output = run(
        dir.path(),
        &[
            "generate",
            "--demo",
            "--start-url",
            &start_url,
            "--models",
            "res.partner",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("short-lived"), "the note says so: {stderr}");
    let lib = std::fs::read_to_string(out.join("src/res_partner.rs")).unwrap();
    assert!(
        lib.contains("pub struct ResPartner "),
        "generated from the test database"
    );

    let snapshot = dir.path().join("snapshot");
    let output = run(
        dir.path(),
        &[
            "introspect",
            "--demo",
            "--start-url",
            &start_url,
            "--out",
            snapshot.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let committed = odoo_replay::fixtures::read_text_tree(
        &fake_odoo::repo().join("testdata/odoo-18.0/snapshot"),
    )
    .unwrap();
    let written = odoo_replay::fixtures::read_text_tree(&snapshot).unwrap();
    assert_eq!(
        written, committed,
        "the fake serves the recorded 18.0 schema"
    );

    let output = run(
        dir.path(),
        &[
            "call",
            "--demo",
            "--start-url",
            &start_url,
            "res.partner",
            "fields_get",
            "[]",
            r#"{"attributes": ["type"]}"#,
            "--compact",
        ],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let fields: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(fields["name"]["type"], "char", "{fields}");

    let recorded = fake_odoo::repo().join("testdata/odoo-18.0/snapshot");
    let output = run(
        dir.path(),
        &[
            "diff",
            recorded.to_str().unwrap(),
            "demo",
            "--start-url",
            &start_url,
        ],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout).trim(), "no changes");
    // Every side asked for one database: the diff's, introspect's, generate's and call's.
    let starts = start.requests().len();
    assert_eq!(starts, 4, "one start() per command");
}

#[test]
fn endpoint_failures_are_clear_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bindings");
    let generate = |start_url: &str| {
        run(
            dir.path(),
            &[
                "generate",
                "--demo",
                "--start-url",
                start_url,
                "--output",
                out.to_str().unwrap(),
            ],
        )
    };

    // Nothing listening.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_url = format!("http://{}/start", closed.local_addr().unwrap());
    drop(closed);
    let stderr = failure(&generate(&closed_url), 10);
    assert!(stderr.contains("asking http://127.0.0.1:"), "{stderr}");
    assert!(
        stderr.contains("--start-url"),
        "the hint names the setting: {stderr}"
    );

    // An HTML page.
    let html = ReplayServer::builder()
        .route("/start", |_| {
            Reply::html(200, "<html><title>Maintenance</title></html>")
        })
        .start()
        .unwrap();
    let stderr = failure(&generate(&format!("{}/start", html.url())), 11);
    assert!(stderr.contains("Maintenance"), "{stderr}");

    // A fault.
    let fault = ReplayServer::builder()
        .route("/start", |_| {
            Reply::xml(
                "<?xml version=\"1.0\"?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>1</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>Traceback (most recent call last):\nException: no more demo databases today</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n",
            )
        })
        .start()
        .unwrap();
    let stderr = failure(&generate(&format!("{}/start", fault.url())), 3);
    assert!(stderr.contains("no more demo databases today"), "{stderr}");

    // A struct missing a key.
    let partial =
        start_endpoint(json!({"host": "http://127.0.0.1:9", "database": "x", "user": "admin"}));
    let stderr = failure(&generate(&format!("{}/start", partial.url())), 11);
    assert!(stderr.contains("no `password`"), "{stderr}");

    assert!(!out.exists(), "nothing written");
}

#[test]
fn an_expired_test_database_says_so() {
    let odoo = ReplayServer::from_dir(fake_odoo::repo().join("testdata/odoo-18.0")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // What `demo` printed, once the database is gone: the recorded server answers "database does
    // not exist" for the unknown database `no_such_db`.
    std::fs::write(
        dir.path().join(".env"),
        format!(
            "ODOO_URL={}\nODOO_DB=no_such_db\nODOO_USER=admin\nODOO_PASSWORD=admin\nODOO_TRANSPORT=xmlrpc\nODOO_DEMO=1\n",
            odoo.url()
        ),
    )
    .unwrap();
    let snapshot = dir.path().join("snapshot");
    let output = run(
        dir.path(),
        &["introspect", "--out", snapshot.to_str().unwrap()],
    );
    let stderr = failure(&output, 13);
    assert!(stderr.contains("has expired"), "{stderr}");
    assert!(stderr.contains("no_such_db"), "{stderr}");
    assert!(
        stderr.contains("demo --show-password"),
        "the hint says how: {stderr}"
    );
    assert!(!snapshot.exists());

    // Settings that did not come from `demo`: a plain unknown database.
    let env = std::fs::read_to_string(dir.path().join(".env")).unwrap();
    std::fs::write(dir.path().join(".env"), env.replace("ODOO_DEMO=1\n", "")).unwrap();
    let output = run(
        dir.path(),
        &["introspect", "--out", snapshot.to_str().unwrap()],
    );
    let stderr = failure(&output, 13);
    assert!(!stderr.contains("expired"), "{stderr}");
}

//! Errors against a server, through the real binary: a closed port, a server answering HTML, TLS
//! spoken to a plain HTTP port, the replay server of the recorded Odoo 18.0 (wrong password, unknown
//! database), and Ctrl-C during a run. Each ends with one `error:` line, one `hint:` line and its own
//! exit code, and never shows the password.

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use odoo_replay::{Recordings, ReplayServer, Reply};

mod cli_support;
use cli_support::{error_line, repo_root, xtask_std};

const PASSWORD: &str = "wrong-pass-7c1d";

fn recordings_dir() -> std::path::PathBuf {
    repo_root().join("testdata/odoo-18.0")
}

/// `cargo xtask generate` against `url` (XML-RPC), with the given database, login and password in
/// the environment only, writing into `dir/bindings`.
fn generate_std(
    dir: &Path,
    url: &str,
    db: &str,
    user: &str,
    password: &str,
) -> std::process::Command {
    let mut cmd = xtask_std(dir);
    cmd.env("ODOO_URL", url)
        .env("ODOO_DB", db)
        .env("ODOO_USER", user)
        .env("ODOO_PASSWORD", password)
        .env("ODOO_TRANSPORT", "xmlrpc")
        .args(["generate", "--models", "res.partner.category", "--output"])
        .arg(dir.join("bindings"));
    cmd
}

/// [`generate_std`] with a time limit.
fn generate(dir: &Path, url: &str, db: &str, user: &str, password: &str) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::from_std(generate_std(dir, url, db, user, password));
    cmd.timeout(Duration::from_secs(120));
    cmd
}

/// [`cli_support::failure`], plus: the password never shows. Returns the error line.
fn failure(output: &Output, code: i32) -> String {
    let stderr = cli_support::failure(output, code);
    assert!(!stderr.contains(PASSWORD), "the password leaked:\n{stderr}");
    error_line(&stderr).to_owned()
}

#[test]
fn closed_port_is_unreachable() {
    let tmp = tempfile::tempdir().unwrap();
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}");
    let output = generate(tmp.path(), &url, "odoo18", "admin", PASSWORD)
        .output()
        .unwrap();
    let error = failure(&output, 10);
    assert!(error.contains(&format!("127.0.0.1:{port}")), "{error}");
    assert!(!tmp.path().join("bindings").exists());
}

#[test]
fn html_answer_is_not_odoo() {
    let tmp = tempfile::tempdir().unwrap();
    // A 502 page is a gateway's while the server restarts: busy (19), after the retries (one
    // try here).
    for (status, code) in [(200, 11), (404, 11), (502, 19)] {
        let server = ReplayServer::with_handler(move |_| {
            Reply::html(
                status,
                "<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body>hello</body></html>",
            )
        })
        .unwrap();
        let output = generate(tmp.path(), server.url(), "odoo18", "admin", PASSWORD)
            .arg("--max-tries")
            .arg("1")
            .output()
            .unwrap();
        let error = failure(&output, code);
        assert!(
            error.contains(server.url().trim_end_matches('/')),
            "{status}: {error}"
        );
    }
}

/// A plain HTTP server that answers anything (a TLS ClientHello included) with a 400, as a web
/// server does when TLS is spoken to its plain port.
fn plain_http_port() -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(
                b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    port
}

#[test]
fn tls_to_a_plain_http_port_is_a_tls_failure() {
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("https://127.0.0.1:{}", plain_http_port());
    let output = generate(tmp.path(), &url, "odoo18", "admin", PASSWORD)
        .output()
        .unwrap();
    failure(&output, 12);
}

#[test]
fn wrong_password_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let server = ReplayServer::builder()
        .recordings(Recordings::load(recordings_dir()).unwrap())
        .start()
        .unwrap();
    // The recording `03-authenticate-wrong-password` was made with the password `wrong`.
    let output = generate(tmp.path(), server.url(), "odoo18", "admin", "wrong")
        .output()
        .unwrap();
    let error = failure(&output, 14);
    assert!(error.to_lowercase().contains("access denied"), "{error}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("wrong\"") && !stderr.contains(" wrong "),
        "{stderr}"
    );
}

#[test]
fn unknown_database_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let server = ReplayServer::builder()
        .recordings(Recordings::load(recordings_dir()).unwrap())
        .start()
        .unwrap();
    // The recording `05-authenticate-unknown-db`: database `no_such_db`, admin / admin.
    let output = generate(tmp.path(), server.url(), "no_such_db", "admin", "admin")
        .output()
        .unwrap();
    let error = failure(&output, 13);
    assert!(error.contains("no_such_db"), "{error}");
    assert!(!error.contains("Traceback"), "{error}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_run_and_keeps_the_previous_output() {
    let tmp = tempfile::tempdir().unwrap();
    // A previous output, as a real run leaves it.
    let previous = cli_support::xtask(tmp.path())
        .args(["generate", "--models", "res.partner.category", "--output"])
        .arg(tmp.path().join("bindings"))
        .output()
        .unwrap();
    assert!(
        previous.status.success(),
        "{}",
        String::from_utf8_lossy(&previous.stderr)
    );
    let manifest = tmp.path().join("bindings/Cargo.toml");
    let before = std::fs::read_to_string(&manifest).unwrap();

    // A server that takes its time: the run is still waiting for it when Ctrl-C comes.
    let server = ReplayServer::with_handler(|_| {
        Reply::xml("<methodResponse/>").with_delay(Duration::from_secs(60))
    })
    .unwrap();
    let child = generate_std(tmp.path(), server.url(), "odoo18", "admin", PASSWORD)
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while server.requests().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the run never reached the server"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let output = child.wait_with_output().unwrap();
    let error = failure(&output, 130);
    assert!(error.contains("interrupted"), "{error}");
    assert_eq!(
        std::fs::read_to_string(&manifest).unwrap(),
        before,
        "previous output changed"
    );
}

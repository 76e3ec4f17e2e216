//! `cargo xtask decode FILE` over the recorded responses prints what Python decoded.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/odoo-18.0")
}

fn decode(file: &Path) -> serde_json::Value {
    let output = Command::cargo_bin("xtask")
        .unwrap()
        .env_remove("RUST_LOG")
        .args(["decode", "--compact"])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{}: stdout is not JSON: {e}", file.display()))
}

fn read_json(path: &Path) -> serde_json::Value {
    let bytes = std::fs::read(path).unwrap();
    let bytes = if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(bytes.as_slice()),
            &mut out,
        )
        .unwrap();
        out
    } else {
        bytes
    };
    serde_json::from_slice(&bytes).unwrap()
}

#[test]
fn every_recorded_xmlrpc_response_prints_its_expected_json() {
    let dir = testdata().join("xmlrpc");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name
            .strip_suffix(".response.xml")
            .or_else(|| name.strip_suffix(".response.xml.gz"))
        else {
            continue;
        };
        let expected = ["expected.json", "expected.json.gz"]
            .iter()
            .map(|ext| dir.join(format!("{stem}.{ext}")))
            .find(|p| p.exists())
            .unwrap();
        assert!(
            decode(&path) == read_json(&expected),
            "{name}: output differs from {}",
            expected.display()
        );
        count += 1;
    }
    assert_eq!(count, 75);
}

#[test]
fn jsonrpc_responses_print_result_or_error() {
    let dir = testdata().join("jsonrpc");
    let out = decode(&dir.join("03-search_read.response.json"));
    assert_eq!(out["result"][0]["name"], "Azure Interior");
    assert_eq!(out.as_object().unwrap().len(), 1);
    let out = decode(&dir.join("05-validation-error.response.json"));
    let raw = read_json(&dir.join("05-validation-error.response.json"));
    assert_eq!(out, serde_json::json!({ "error": raw["error"] }));
    assert_eq!(
        out["error"]["data"]["name"],
        "odoo.exceptions.ValidationError"
    );
}

#[test]
fn unreadable_or_foreign_files_fail_with_one_error_line() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("page.xml");
    std::fs::write(&html, "<html><body>502 Bad Gateway</body></html>").unwrap();
    let output = Command::cargo_bin("xtask")
        .unwrap()
        .args(["decode"])
        .arg(&html)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("page.xml"), "{stderr}");
    assert!(stderr.contains("methodResponse"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    let missing = dir.path().join("missing.xml");
    let output = Command::cargo_bin("xtask")
        .unwrap()
        .args(["decode"])
        .arg(&missing)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("missing.xml"));
}

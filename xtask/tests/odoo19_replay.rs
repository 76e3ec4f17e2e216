//! The command line against the answers a real Odoo 19.0 gave over JSON-2 (replayed from
//! `testdata/odoo-19.0/json2`): a refused API key and an unknown database each end in one error
//! with their own exit code, and no secret is shown.

mod cli_support;

use cli_support::{error_line, failure, repo_root, xtask_std};
use odoo_replay::ReplayServer;

fn introspect_over_json2(server: &ReplayServer, db: &str, key: &str) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = xtask_std(dir.path());
    cmd.args(["introspect", "--out", "snapshot", "--transport", "json2"])
        .env("ODOO_URL", server.url())
        .env("ODOO_DB", db)
        .env("ODOO_USER", "admin")
        .env("ODOO_API_KEY", key);
    let output = cmd.output().unwrap();
    assert!(!dir.path().join("snapshot").exists(), "nothing is written");
    output
}

#[test]
fn a_refused_key_and_an_unknown_database_over_json2() {
    let server = ReplayServer::from_dir(repo_root().join("testdata/odoo-19.0/json2")).unwrap();

    // 401 "Invalid apikey" (29-wrong-api-key).
    let wrong = "0000000000000000000000000000000000000000";
    let output = introspect_over_json2(&server, "odoo19", wrong);
    let stderr = failure(&output, 14);
    assert!(error_line(&stderr).contains("Invalid apikey"), "{stderr}");
    assert!(!stderr.contains(wrong), "{stderr}");

    // An HTML 404 page "No database is selected" (31-unknown-database).
    let output =
        introspect_over_json2(&server, "no_such_database_odoo_codegen", "scrubbed-api-key");
    let stderr = failure(&output, 13);
    assert!(
        error_line(&stderr).contains("No database is selected"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: check ODOO_DB"), "{stderr}");
    assert!(!stderr.contains("scrubbed-api-key"), "{stderr}");
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
}

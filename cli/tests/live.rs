//! The tool as a user runs it, against a real Odoo (the live tier: `ODOO_LIVE=1` and the `ODOO_*`
//! settings of one server; see `odoo_replay::live`): the README's project, outside this repository,
//! generates its bindings from the live server through its own `cargo xtask generate`, then its
//! integration runs against that server and prints what a direct call reads. Read-only.

mod support;

use odoo_replay::live::{self, Server};
use odoo_runtime::client::{Client, Transport};
use serde_json::json;
use support::{Project, after_generate, before_generate, ok};

fn xtask_generate_from_the_live_server(server: &Server) {
    let project = Project::new(false);
    let (generate, rest) = before_generate(&project);
    assert_eq!(generate, "cargo xtask generate");
    let env = server.env();
    let env: Vec<(&str, String)> = env.into_iter().collect();
    let output = project.cargo(".", &["xtask", "generate"], &env);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    ok("cargo xtask generate (live)", output);
    assert!(stderr.contains("1 model,"), "{stderr}");
    for (name, value) in &env {
        if name.ends_with("PASSWORD") || name.ends_with("API_KEY") {
            assert!(!stderr.contains(value.as_str()), "{name} printed");
        }
    }
    let lib = std::fs::read_to_string(project.path().join("bindings/src/lib.rs")).unwrap();
    assert!(
        lib.contains(&format!("live Odoo {}", server.server_version)),
        "the header names the live source:\n{}",
        &lib[..lib.len().min(400)]
    );

    after_generate(&project, &rest);
    let stdout = ok(
        "cargo run -p integration (live)",
        project.cargo(".", &["run", "--quiet", "-p", "integration"], &env),
    );
    let client: Client = server.client(Transport::JsonRpc, live::Credential::Password);
    let rows: serde_json::Value = live::block_on(client.execute_kw(
        "res.partner",
        "search_read",
        &json!([[["is_company", "=", true]]]),
        &json!({"fields": ["name", "country_id", "comment"], "limit": 5}),
    ))
    .unwrap();
    assert!(
        !rows.as_array().unwrap().is_empty(),
        "no company on the server"
    );
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        support::expected_lines(&rows)
    );
}

fn main() -> std::process::ExitCode {
    live::main(vec![live::test(
        "xtask_generate_from_the_live_server",
        xtask_generate_from_the_live_server,
    )])
}

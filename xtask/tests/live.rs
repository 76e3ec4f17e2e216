//! The command line against a real Odoo (the live tier: `ODOO_LIVE=1` and the `ODOO_*` settings of
//! one server; see `odoo_replay::live`), through the `xtask` binary:
//!
//! - `introspect` gives the same bytes run after run, on every transport the server speaks and
//!   with each secret the transport takes;
//! - a crate generated from the live server (every model) passes clippy with warnings denied;
//! - `diff` from the snapshot built in for the server's version to `live` runs and classes every
//!   change (no count is pinned: the next update of the server changes them);
//! - faults, made by a proxy in front of the real server: the server stopping in the middle of an
//!   introspection, a server answering later than `--timeout`, a proxy answering an HTML page. Each
//!   is one clear error with its exit code, and the previous snapshot or crate stays byte for byte.
//!
//! Nothing is written to the server.

mod cli_support;
mod live_proxy;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use cli_support::{differing, error_line, failure, repo_root, tree, xtask_std};
use live_proxy::{Fault, Proxy, upstream_of};
use odoo_codegen_cli::embedded::{SNAPSHOTS, Snapshot};
use odoo_replay::live::{self, Credential, Server};
use odoo_runtime::client::Transport;
use serde_json::Value;

/// The xtask binary in `dir`, reaching `url` as the live server's user with `credential` over
/// `transport` (the secret in the environment only).
fn xtask_at(
    server: &Server,
    url: &str,
    dir: &Path,
    transport: Transport,
    credential: Credential,
) -> Command {
    let mut cmd = xtask_std(dir);
    cmd.env("ODOO_URL", url)
        .env("ODOO_DB", &server.db)
        .env("ODOO_USER", &server.user)
        .env("ODOO_TRANSPORT", transport.name())
        .env("NO_COLOR", "1");
    match (credential, server.api_key()) {
        (Credential::ApiKey, Some(key)) => cmd.env("ODOO_API_KEY", key),
        _ => cmd.env("ODOO_PASSWORD", server.password()),
    };
    cmd
}

fn run(mut cmd: Command) -> Output {
    cmd.output().expect("the xtask binary runs")
}

fn succeeded(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what}: exit {:?}\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The snapshot built into the tool for this server's version (`odoo-19.0`), else the newest one
/// below it, else the oldest: what `diff` compares the live schema with.
fn builtin_snapshot(server: &Server) -> &'static Snapshot {
    let major = |s: &Snapshot| -> u32 {
        s.name
            .strip_prefix("odoo-")
            .and_then(|v| v.split('.').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    SNAPSHOTS
        .iter()
        .filter(|s| major(s) <= server.major())
        .max_by_key(|s| major(s))
        .or(SNAPSHOTS.first())
        .expect("a snapshot built into the tool")
}

/// The schema of a snapshot directory.
fn load_snapshot(dir: &Path) -> odoo_codegen::Schema {
    let files = odoo_replay::fixtures::read_text_tree(dir).unwrap();
    odoo_codegen::snapshot::from_files(&files).unwrap()
}

/// `introspect` on every transport the server speaks, with each secret it takes, twice where it
/// takes one, models and fields only (`--no-methods`): every run writes the same bytes. The schema
/// holds the core models and names the server's version. A run that cannot read methods (a
/// password; an Odoo before 19) writes the same bytes and says why in one warning. On Odoo 19 and
/// later with an API key, methods are read too (`/doc-bearer` does not depend on the transport):
/// twice, the same bytes, `sale.order.action_confirm` among them, and the same models and fields.
fn introspection_gives_the_same_bytes_on_every_transport(server: &Server) {
    let tmp = tempfile::tempdir().unwrap();
    let mut first: Option<(String, BTreeMap<String, Vec<u8>>)> = None;
    let without_dir = tmp.path().join(format!("{}-0", server.transports()[0]));
    let mut same_as_first = |label: String, out: &Path| {
        let files = tree(out);
        match &first {
            None => {
                let schema = load_snapshot(out);
                for model in ["res.partner", "sale.order", "ir.model.fields"] {
                    assert!(schema.models.contains_key(model), "{label}: no {model}");
                }
                assert!(
                    schema.models.len() > 100,
                    "{label}: {}",
                    schema.models.len()
                );
                assert_eq!(schema.odoo_version, server.server_version, "{label}");
                let methods: usize = schema.models.values().map(|m| m.methods.len()).sum();
                assert_eq!(methods, 0, "{label}: methods read");
                first = Some((label, files));
            }
            Some((first_label, first_files)) => assert!(
                files == *first_files,
                "{label} wrote other bytes than {first_label}: {:?}",
                differing(first_files, &files)
            ),
        }
    };
    for transport in server.transports() {
        let mut runs = server.credentials(transport);
        if runs.len() == 1 {
            runs.push(runs[0]);
        }
        for (i, credential) in runs.into_iter().enumerate() {
            let label = format!("{transport} with the {credential} (run {})", i + 1);
            let out = tmp.path().join(format!("{transport}-{i}"));
            let mut cmd = xtask_at(server, &server.url, tmp.path(), transport, credential);
            cmd.args(["introspect", "--no-methods", "--out"]).arg(&out);
            let output = run(cmd);
            succeeded(&output, &label);
            same_as_first(label, &out);
        }
    }
    // Methods asked for where they cannot be read: the same bytes, and one warning saying why.
    let transport = server.transports()[0];
    let label = format!("{transport} with the password, methods asked for");
    let out = tmp.path().join("password-methods");
    let mut cmd = xtask_at(
        server,
        &server.url,
        tmp.path(),
        transport,
        Credential::Password,
    );
    cmd.args(["introspect", "--out"]).arg(&out);
    let output = run(cmd);
    succeeded(&output, &label);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("methods were not read"),
        "{label}: {stderr}"
    );
    same_as_first(label, &out);

    if server.major() < 19 || server.api_key().is_none() {
        return;
    }
    let mut with: Option<BTreeMap<String, Vec<u8>>> = None;
    for i in 1..=2 {
        let label = format!("the API key with methods (run {i})");
        let out = tmp.path().join(format!("methods-{i}"));
        let transport = *server.transports().last().unwrap();
        let mut cmd = xtask_at(
            server,
            &server.url,
            tmp.path(),
            transport,
            Credential::ApiKey,
        );
        cmd.args(["introspect", "--out"]).arg(&out);
        let output = run(cmd);
        succeeded(&output, &label);
        let files = tree(&out);
        match &with {
            None => {
                let schema = load_snapshot(&out);
                assert!(
                    schema.models["sale.order"]
                        .methods
                        .contains_key("action_confirm"),
                    "{label}: sale.order has no action_confirm"
                );
                let fields = |dir: &Path| -> BTreeMap<String, Vec<String>> {
                    load_snapshot(dir)
                        .models
                        .into_iter()
                        .map(|(name, model)| (name, model.fields.into_keys().collect()))
                        .collect()
                };
                assert!(
                    fields(&out) == fields(&without_dir),
                    "{label}: other models or fields than without methods"
                );
                with = Some(files);
            }
            Some(first_files) => assert!(
                files == *first_files,
                "{label} wrote other bytes than run 1: {:?}",
                differing(first_files, &files)
            ),
        }
    }
}

/// A crate generated from the live server with every model, checked by clippy with every feature
/// and warnings denied (one compile per server: the expensive part). The target directory is the
/// one the other compile tests share, so dependencies are built once.
fn a_crate_generated_from_the_live_server_passes_clippy(server: &Server) {
    let root = repo_root();
    let crate_dir = root.join(format!("target/live-crates/odoo-{}", server.major()));
    let parent = crate_dir.parent().unwrap();
    std::fs::create_dir_all(parent).unwrap();
    let transport = *server.transports().last().unwrap();
    let credential = *server.credentials(transport).last().unwrap();
    let mut cmd = xtask_at(server, &server.url, &root, transport, credential);
    cmd.arg("generate")
        .arg("--output")
        .arg(&crate_dir)
        .arg("--crate-name")
        .arg(format!("odoo-live-{}", server.major()));
    let output = run(cmd);
    succeeded(&output, "generate from the live server");
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("res_partner"), "{manifest}");
    std::fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "--offline",
            "clippy",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(&crate_dir)
        .env(
            "CARGO_TARGET_DIR",
            root.join("target/generated-crates-target"),
        )
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "clippy -D warnings on the crate generated from Odoo {}:\n{}",
        server.server_version,
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `diff <built-in snapshot> live`, as JSON and as text: it runs, every change is classed, the
/// summary agrees with the list, and the core models exist on both sides. No count is pinned.
fn diff_from_the_committed_snapshot_to_live(server: &Server) {
    let builtin = builtin_snapshot(server);
    let snapshot = builtin.name;
    let tmp = tempfile::tempdir().unwrap();
    let transport = server.transports()[0];
    let diff = |args: &[&str]| {
        let mut cmd = xtask_at(
            server,
            &server.url,
            tmp.path(),
            transport,
            Credential::Password,
        );
        cmd.args(["diff", snapshot, "live"]).args(args);
        run(cmd)
    };
    let output = diff(&["--format", "json"]);
    succeeded(&output, "diff --format json");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["new_version"], server.server_version.as_str());
    assert_eq!(
        report["old_version"],
        builtin.schema().unwrap().odoo_version
    );
    let models = report["models"].as_array().unwrap();
    let summary = &report["summary"];
    let count = |status: &str| models.iter().filter(|m| m["status"] == status).count() as u64;
    assert_eq!(summary["models_added"].as_u64(), Some(count("added")));
    assert_eq!(summary["models_removed"].as_u64(), Some(count("removed")));
    assert_eq!(summary["models_changed"].as_u64(), Some(count("changed")));
    let mut by_impact = BTreeMap::<String, u64>::new();
    for model in models {
        let name = model["model"].as_str().unwrap();
        if ["res.partner", "sale.order"].contains(&name) {
            assert_eq!(
                model["status"], "changed",
                "{name} must exist on both sides"
            );
        }
        for change in model["changes"].as_array().unwrap() {
            let impact = change["impact"].as_str().unwrap();
            assert!(
                ["compatible", "misbehaves", "does_not_compile"].contains(&impact),
                "{name}: {change}"
            );
            *by_impact.entry(impact.to_owned()).or_default() += 1;
        }
    }
    for impact in ["compatible", "misbehaves", "does_not_compile"] {
        assert_eq!(
            summary[impact].as_u64(),
            Some(by_impact.get(impact).copied().unwrap_or(0)),
            "{impact}"
        );
    }
    assert_eq!(
        summary["breaking"].as_u64(),
        Some(
            by_impact.get("misbehaves").unwrap_or(&0)
                + by_impact.get("does_not_compile").unwrap_or(&0)
        )
    );
    // The text form of the same comparison: one line per model that changed.
    let output = diff(&[]);
    succeeded(&output, "diff");
    let text = String::from_utf8_lossy(&output.stdout);
    for model in models {
        let name = model["model"].as_str().unwrap();
        assert!(
            text.lines().any(|l| {
                let mut words = l.split_whitespace();
                ["~", "+", "-"].contains(&words.next().unwrap_or_default())
                    && words.next() == Some("model")
                    && words.next() == Some(name)
            }),
            "{name} is not in the text report"
        );
    }
    if !models.is_empty() {
        assert!(text.lines().any(|l| l.starts_with("Summary: ")), "{text}");
    }
    eprintln!(
        "    diff {snapshot} → live (Odoo {}): {} models changed, {} added, {} removed; {}",
        server.server_version,
        count("changed"),
        count("added"),
        count("removed"),
        by_impact
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

/// Requests that pass before a fault: 5 (login, version and the reflection probes are done: the
/// fault meets the bulk reads) and 20 (it meets the `fields_get` calls).
const PASSES: [usize; 2] = [5, 20];

/// `--timeout` of the faulty runs, in seconds: long enough for every request before the fault on
/// a loaded machine, much shorter than the slow server's delay.
const TIMEOUT: u64 = 10;

/// What a faulty run must leave: `dir` as it was, and nothing new beside it.
struct Before {
    dir: PathBuf,
    files: BTreeMap<String, Vec<u8>>,
    siblings: BTreeSet<String>,
}

impl Before {
    fn take(dir: &Path) -> Before {
        let siblings = std::fs::read_dir(dir.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        Before {
            dir: dir.to_path_buf(),
            files: tree(dir),
            siblings,
        }
    }

    fn check(&self, what: &str) {
        let now = tree(&self.dir);
        assert!(
            now == self.files,
            "{what}: the previous output changed: {:?}",
            differing(&self.files, &now)
        );
        let siblings: BTreeSet<String> = std::fs::read_dir(self.dir.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            siblings, self.siblings,
            "{what}: something was left beside it"
        );
    }
}

/// Runs `introspect` on every transport, then `generate`, through a proxy with the fault `fault`
/// makes after each of [`PASSES`] requests, over an existing snapshot and crate; checks the exit
/// code, that the error names the server and says `expect`, that no secret shows, and that both
/// outputs are intact.
fn faulty_runs(server: &Server, fault: fn(usize) -> Fault, code: i32, expect: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    // An existing snapshot: the one built in for this version.
    let builtin = builtin_snapshot(server);
    let snapshot = work.join("snapshot");
    for (path, text) in builtin.files().unwrap() {
        let to = snapshot.join(path);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, text).unwrap();
    }
    // An existing crate, generated from the built-in snapshot.
    let bindings = tmp.path().join("crate").join("bindings");
    let output = run({
        let mut cmd = xtask_std(&work);
        cmd.args([
            "generate",
            "--snapshot",
            builtin.name,
            "--models",
            "res.partner",
        ])
        .arg("--output")
        .arg(&bindings);
        cmd
    });
    succeeded(&output, "generate from the built-in snapshot");
    let before_snapshot = Before::take(&snapshot);
    let before_crate = Before::take(&bindings);

    let upstream = upstream_of(&server.url);
    let mut runs: Vec<(String, Transport, Vec<String>)> = server
        .transports()
        .into_iter()
        .map(|t| {
            let args = vec![
                "introspect".into(),
                "--out".into(),
                snapshot.display().to_string(),
            ];
            (format!("introspect over {t}"), t, args)
        })
        .collect();
    runs.push((
        "generate".to_owned(),
        server.transports()[0],
        vec![
            "generate".into(),
            "--output".into(),
            bindings.display().to_string(),
        ],
    ));
    for pass in PASSES {
        for (what, transport, args) in &runs {
            let fault = fault(pass);
            let proxy = Proxy::start(&upstream, fault);
            let credential = *server.credentials(*transport).last().unwrap();
            let mut cmd = xtask_at(server, proxy.url(), &work, *transport, credential);
            cmd.args(args).args(["--timeout", &TIMEOUT.to_string()]);
            let output = run(cmd);
            let label = format!("{what} ({fault:?})");
            let stderr = failure(&output, code);
            let error = error_line(&stderr);
            assert!(
                error.contains(proxy.url().trim_start_matches("http://")),
                "{label}: the error must name the server: {error}"
            );
            for word in expect {
                assert!(
                    error.contains(word),
                    "{label}: `{word}` expected in: {error}"
                );
            }
            for secret in [Some(server.password()), server.api_key()]
                .into_iter()
                .flatten()
            {
                if secret.len() >= 8 {
                    assert!(!stderr.contains(secret), "{label}: a secret shows");
                }
            }
            assert!(
                proxy.requests() > pass,
                "{label}: the fault was never reached ({} requests)",
                proxy.requests()
            );
            before_snapshot.check(&label);
            before_crate.check(&label);
            eprintln!(
                "    {label}: exit {code} after {} requests: {error}",
                proxy.requests()
            );
        }
    }
}

fn the_server_stopping_in_the_middle(server: &Server) {
    faulty_runs(server, Fault::Stop, 10, &["cannot talk to"]);
}

fn a_server_slower_than_the_timeout(server: &Server) {
    faulty_runs(
        server,
        |pass| Fault::Slow(pass, Duration::from_secs(60)),
        10,
        &[&format!("timed out after {TIMEOUT}s")],
    );
}

fn a_proxy_answering_html(server: &Server) {
    // A 502 page is a gateway saying Odoo is busy or restarting: retried, then exit 19 (busy).
    faulty_runs(server, Fault::Html, 19, &["502", "Bad Gateway"]);
}

/// `--demo` against the real server: a fake start endpoint (the documented struct) hands out the
/// live server's database, and `generate --demo` and `call --demo` run against real Odoo.
fn demo_through_a_start_endpoint(server: &Server) {
    let answer = serde_json::json!({
        "host": server.url,
        "database": server.db,
        "user": server.user,
        "password": server.password(),
    });
    let start = odoo_replay::ReplayServer::builder()
        .route("/start", move |request| {
            match odoo_runtime::xmlrpc::decode_call::<Vec<Value>>(&request.body) {
                Ok((method, params)) if method == "start" && params.is_empty() => {
                    odoo_replay::Reply::xml(format!(
                        "<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>\n<value>{}</value>\n</param>\n</params>\n</methodResponse>\n",
                        odoo_runtime::xmlrpc::encode_value(&answer).unwrap()
                    ))
                }
                other => odoo_replay::Reply::html(400, format!("unexpected call {other:?}")),
            }
        })
        .start()
        .unwrap();
    let start_url = format!("{}/start", start.url());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bindings");
    let output = run({
        let mut cmd = xtask_std(dir.path());
        cmd.args([
            "generate",
            "--demo",
            "--start-url",
            &start_url,
            "--models",
            "res.partner",
        ])
        .arg("--output")
        .arg(&out);
        cmd
    });
    succeeded(&output, "generate --demo");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("short-lived"), "{stderr}");
    let module = std::fs::read_to_string(out.join("src/res_partner.rs")).unwrap();
    assert!(module.contains("pub struct ResPartner "));
    assert!(
        std::fs::read_to_string(out.join("Cargo.toml"))
            .unwrap()
            .contains(&format!("live Odoo {}", server.server_version)),
        "generated from the live server"
    );

    let output = run({
        let mut cmd = xtask_std(dir.path());
        cmd.args([
            "call",
            "--demo",
            "--start-url",
            &start_url,
            "res.partner",
            "search_count",
            "[[[\"is_company\", \"=\", true]]]",
        ]);
        cmd
    });
    succeeded(&output, "call --demo");
    let count: i64 = String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .unwrap();
    let direct = server.client(Transport::JsonRpc, Credential::Password);
    let expected = live::block_on(direct.search_count(
        "res.partner",
        &serde_json::json!([["is_company", "=", true]]),
    ))
    .unwrap();
    assert_eq!(count as u64, expected as u64);
    assert_eq!(start.requests().len(), 2, "one test database per command");
}

fn main() -> std::process::ExitCode {
    live::main(vec![
        live::test(
            "demo_through_a_start_endpoint",
            demo_through_a_start_endpoint,
        ),
        live::test(
            "introspection_gives_the_same_bytes_on_every_transport",
            introspection_gives_the_same_bytes_on_every_transport,
        ),
        live::test(
            "a_crate_generated_from_the_live_server_passes_clippy",
            a_crate_generated_from_the_live_server_passes_clippy,
        ),
        live::test(
            "diff_from_the_committed_snapshot_to_live",
            diff_from_the_committed_snapshot_to_live,
        ),
        live::test(
            "the_server_stopping_in_the_middle",
            the_server_stopping_in_the_middle,
        ),
        live::test(
            "a_server_slower_than_the_timeout",
            a_server_slower_than_the_timeout,
        ),
        live::test("a_proxy_answering_html", a_proxy_answering_html),
    ])
}

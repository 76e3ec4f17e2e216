//! `cargo xtask diff` with a `live` side: a fake Odoo 18.0 serving the recorded dump
//! (`testdata/odoo-18.0/schema`) over JSON-RPC, read through the real runtime client and the real
//! live introspection, compared with the committed snapshot and with the base dump.
//!
//! The fake (`search_read` on the reflection models, `fields_get` with `allfields`/`attributes`,
//! `version`, `authenticate`) is the one of `introspect_live.rs`, reduced to JSON-RPC.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use assert_cmd::Command;
use odoo_codegen::diff::Changelog;
use odoo_replay::{ReplayServer, Reply, Request};
use serde_json::{Map, Value, json};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn schema_dir() -> PathBuf {
    repo().join("testdata/odoo-18.0/schema")
}

fn load_json(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap();
    if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .unwrap();
        serde_json::from_slice(&out).unwrap()
    } else {
        serde_json::from_slice(&bytes).unwrap()
    }
}

/// The dump, ready to answer from.
struct Dump {
    version: Value,
    /// Rows by model, sorted by id.
    rows: BTreeMap<&'static str, Vec<Value>>,
    fields_get: BTreeMap<String, Value>,
}

impl Dump {
    fn load() -> Dump {
        let dir = schema_dir();
        let mut rows = BTreeMap::new();
        for (model, file) in [
            ("ir.model", "ir.model.json"),
            ("ir.model.fields", "ir.model.fields.json.gz"),
            (
                "ir.model.fields.selection",
                "ir.model.fields.selection.json",
            ),
        ] {
            let Value::Array(mut list) = load_json(&dir.join(file)) else {
                panic!("{file}");
            };
            list.sort_by_key(|r| r["id"].as_i64());
            rows.insert(model, list);
        }
        let mut fields_get = BTreeMap::new();
        for entry in std::fs::read_dir(dir.join("fields_get")).unwrap() {
            let path = entry.unwrap().path();
            let model = path.file_stem().unwrap().to_string_lossy().into_owned();
            fields_get.insert(model, load_json(&path));
        }
        Dump {
            version: load_json(&dir.join("version.json")),
            rows,
            fields_get,
        }
    }
}

enum Outcome {
    Ok(Value),
    /// A server exception (class, message).
    Error(&'static str, String),
}

fn execute(dump: &Dump, service: &str, method: &str, args: &[Value]) -> Outcome {
    match (service, method) {
        ("common", "version") => Outcome::Ok(dump.version.clone()),
        ("common", "authenticate") | ("common", "login") => {
            let ok = args.get(1) == Some(&json!("admin")) && args.get(2) == Some(&json!("admin"));
            Outcome::Ok(if ok { json!(2) } else { json!(false) })
        }
        ("object", "execute_kw") | ("object", "execute") => {
            if args.get(2) != Some(&json!("admin")) {
                return Outcome::Error("odoo.exceptions.AccessDenied", "Access Denied".into());
            }
            let model = args.get(3).and_then(Value::as_str).unwrap_or_default();
            let method = args.get(4).and_then(Value::as_str).unwrap_or_default();
            let empty = Map::new();
            let kwargs = args.get(6).and_then(Value::as_object).unwrap_or(&empty);
            match method {
                "search_read" => {
                    let Some(rows) = dump.rows.get(model) else {
                        return Outcome::Error(
                            "odoo.exceptions.UserError",
                            format!("Object {model} doesn't exist"),
                        );
                    };
                    let offset = kwargs.get("offset").and_then(Value::as_u64).unwrap_or(0) as usize;
                    let limit = kwargs
                        .get("limit")
                        .and_then(Value::as_u64)
                        .map_or(usize::MAX, |l| l as usize);
                    let fields: Option<Vec<&str>> = kwargs
                        .get("fields")
                        .and_then(Value::as_array)
                        .map(|f| f.iter().filter_map(Value::as_str).collect());
                    let page = rows
                        .iter()
                        .skip(offset)
                        .take(limit)
                        .map(|row| match &fields {
                            None => row.clone(),
                            Some(fields) => {
                                let mut out = Map::new();
                                out.insert("id".into(), row["id"].clone());
                                for f in fields {
                                    if let Some(v) = row.get(*f) {
                                        out.insert((*f).to_owned(), v.clone());
                                    }
                                }
                                Value::Object(out)
                            }
                        })
                        .collect();
                    Outcome::Ok(Value::Array(page))
                }
                "fields_get" => {
                    let all = dump.fields_get.get(model).cloned().unwrap_or(json!({}));
                    let allfields: Option<BTreeSet<&str>> = kwargs
                        .get("allfields")
                        .or(args.get(5).and_then(|a| a.get(0)))
                        .and_then(Value::as_array)
                        .filter(|a| !a.is_empty())
                        .map(|a| a.iter().filter_map(Value::as_str).collect());
                    let attributes: Option<BTreeSet<&str>> = kwargs
                        .get("attributes")
                        .and_then(Value::as_array)
                        .filter(|a| !a.is_empty())
                        .map(|a| a.iter().filter_map(Value::as_str).collect());
                    let mut out = Map::new();
                    for (name, desc) in all.as_object().into_iter().flatten() {
                        if allfields
                            .as_ref()
                            .is_some_and(|s| !s.contains(name.as_str()))
                        {
                            continue;
                        }
                        let desc = match &attributes {
                            None => desc.clone(),
                            Some(attrs) => Value::Object(
                                desc.as_object()
                                    .into_iter()
                                    .flatten()
                                    .filter(|(k, _)| attrs.contains(k.as_str()))
                                    .map(|(k, v)| (k.clone(), v.clone()))
                                    .collect(),
                            ),
                        };
                        out.insert(name.clone(), desc);
                    }
                    Outcome::Ok(Value::Object(out))
                }
                other => Outcome::Error(
                    "builtins.AttributeError",
                    format!("The method '{other}' does not exist on the fake"),
                ),
            }
        }
        _ => Outcome::Error("builtins.KeyError", format!("{service}.{method}")),
    }
}

fn jsonrpc(dump: &Dump, request: &Request) -> Reply {
    let Some(body) = request.json() else {
        return Reply::html(400, "Invalid JSON data");
    };
    let id = body.get("id").cloned().unwrap_or(Value::Null);
    let params = &body["params"];
    let service = params["service"].as_str().unwrap_or_default();
    let method = params["method"].as_str().unwrap_or_default();
    let args: Vec<Value> = params["args"].as_array().cloned().unwrap_or_default();
    match execute(dump, service, method, &args) {
        Outcome::Ok(result) => {
            Reply::json(200, &json!({"jsonrpc": "2.0", "id": id, "result": result}))
        }
        Outcome::Error(class, message) => Reply::json(
            200,
            &json!({"jsonrpc": "2.0", "id": id, "error": {"code": 200, "message": "Odoo Server Error",
                "data": {"name": class, "message": message, "arguments": [message], "debug": "", "context": {}}}}),
        ),
    }
}

fn fake_odoo() -> ReplayServer {
    let dump = Arc::new(Dump::load());
    ReplayServer::builder()
        .route("/jsonrpc", move |r| jsonrpc(&dump, r))
        .start()
        .unwrap()
}

/// The xtask binary pointed at `server` over JSON-RPC, in a clean environment.
fn xtask(cwd: &Path, server: &ReplayServer, password: &str) -> Command {
    let mut cmd = Command::cargo_bin("xtask").unwrap();
    cmd.current_dir(cwd)
        .env("ODOO_URL", server.url())
        .env("ODOO_DB", "odoo18")
        .env("ODOO_USER", "admin")
        .env("ODOO_PASSWORD", password)
        .env("ODOO_TRANSPORT", "jsonrpc")
        .env_remove("ODOO_API_KEY")
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1");
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let output = cmd.output().unwrap();
    Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

#[test]
fn the_committed_snapshot_against_the_live_instance_has_no_changes() {
    let server = fake_odoo();
    let tmp = tempfile::tempdir().unwrap();
    let snapshot = repo().join("snapshots/odoo-18.0");
    let r = run(xtask(tmp.path(), &server, "admin")
        .arg("diff")
        .arg(&snapshot)
        .args(["live", "--fail-on", "any"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "no changes\n");
    // Both sides live: the instance is read once.
    let before = server.requests().len();
    let r = run(xtask(tmp.path(), &server, "admin").args(["diff", "live", "env"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "no changes\n");
    let versions = server.requests()[before..]
        .iter()
        .filter(|req| {
            req.json()
                .is_some_and(|b| b["params"]["method"] == "version")
        })
        .count();
    assert_eq!(versions, 1);
}

#[test]
fn the_base_dump_against_the_live_instance() {
    let server = fake_odoo();
    let tmp = tempfile::tempdir().unwrap();
    let r = run(xtask(tmp.path(), &server, "admin")
        .arg("diff")
        .arg(repo().join("testdata/odoo-18.0-base/schema"))
        .args(["live", "--format", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let log: Changelog = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(log.summary.models_added, 291);
    assert_eq!(log.summary.fields_added, 615);
    assert_eq!(log.summary.models_removed, 0);

    // Reversed, it is breaking, and says which.
    let r = run(xtask(tmp.path(), &server, "admin")
        .args(["diff", "live"])
        .arg(repo().join("testdata/odoo-18.0-base/schema"))
        .args(["--fail-on", "compile"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("\n  sale.order: model removed (does not compile: "),
        "{}",
        r.stderr
    );
}

#[test]
fn live_failures_are_errors_without_secrets() {
    let server = fake_odoo();
    let tmp = tempfile::tempdir().unwrap();
    let r = run(xtask(tmp.path(), &server, "hunter2-wrong")
        .arg("diff")
        .arg(repo().join("snapshots/odoo-18.0"))
        .arg("live"));
    assert_ne!(r.code, 0);
    assert_ne!(
        r.code, 1,
        "a login failure is not a diff result: {}",
        r.stderr
    );
    assert!(r.stderr.contains("reading NEW `live`"), "{}", r.stderr);
    assert!(!r.stderr.contains("hunter2"), "{}", r.stderr);
    assert!(r.stdout.is_empty());

    // `live` without a server URL.
    let r = run(xtask(tmp.path(), &server, "admin")
        .env_remove("ODOO_URL")
        .args(["diff", "live"])
        .arg(repo().join("snapshots/odoo-18.0")));
    assert_ne!(r.code, 0);
    assert_ne!(r.code, 1);
    assert!(r.stderr.contains("ODOO_URL"), "{}", r.stderr);
}

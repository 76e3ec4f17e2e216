//! A fake Odoo 18.0 served over HTTP from the recorded dump (`testdata/odoo-18.0/schema`), shared
//! by `diff_live.rs` and `introspect_live.rs`.
//!
//! The fake answers `common.version`, `common.authenticate` (`admin`/`admin`), and `execute_kw`
//! `search_read` (with `fields`, `offset`, `limit`, `load`, and the domain `[["id", ">", n]]`,
//! optionally followed by one `[field, "in" | "not in", [values]]`) on the three
//! reflection models and `fields_get` (with `allfields` and `attributes`), over JSON-RPC and, unless
//! [`Faults::jsonrpc_only`], over XML-RPC. Like Odoo's marshaller, an XML-RPC answer holding a
//! `None` (JSON `null`) is the fault Odoo 18 sends (the recorded bytes of
//! `xmlrpc/74-product.pricelist.fields_get`), which is what makes `product.pricelist`'s full
//! `fields_get` fail over XML-RPC.
//!
//! Everything here is reachable from [`fake_odoo`] and [`repo`], which both test binaries use, so
//! neither sees dead code; helpers only one binary needs stay in that binary's file.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use odoo_replay::{ReplayServer, Reply, Request};
use serde_json::{Map, Value, json};

/// The repository root.
pub fn repo() -> PathBuf {
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
    /// The recorded XML-RPC fault for an answer holding a `None`.
    fault_body: Vec<u8>,
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
        let fault_body = std::fs::read(
            repo().join("testdata/odoo-18.0/xmlrpc/74-product.pricelist.fields_get.response.xml"),
        )
        .unwrap();
        Dump {
            version: load_json(&dir.join("version.json")),
            rows,
            fields_get,
            fault_body,
        }
    }
}

/// What the fake does besides answering faithfully. The default is a faithful fake serving both
/// transports.
#[derive(Default, Clone)]
pub struct Faults {
    /// Models whose fields_get answer holds a `None` (fails over XML-RPC, works over JSON-RPC).
    pub none_in_fields_get: Vec<String>,
    /// Models whose fields_get fails on every transport (a server error).
    pub broken: Vec<String>,
    /// Serve `/jsonrpc` only: no `/xmlrpc/2/*` routes.
    pub jsonrpc_only: bool,
}

enum Outcome {
    Ok(Value),
    /// A server exception (class, message).
    Error(&'static str, String),
}

fn contains_null(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.iter().any(contains_null),
        Value::Object(o) => o.values().any(contains_null),
        _ => false,
    }
}

fn execute(dump: &Dump, faults: &Faults, service: &str, method: &str, args: &[Value]) -> Outcome {
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
                    // The domains introspection sends: `[["id", ">", n]]` (keyset paging), with
                    // `[field, "in" | "not in", [values]]` after it to read a part of the rows.
                    let domain = args
                        .get(5)
                        .and_then(|a| a.get(0))
                        .or_else(|| kwargs.get("domain"));
                    let (after_id, part) = match domain.and_then(Value::as_array).map(Vec::as_slice)
                    {
                        None | Some([]) => (i64::MIN, None),
                        Some([leaf, rest @ ..])
                            if leaf.get(0) == Some(&json!("id"))
                                && leaf.get(1) == Some(&json!(">"))
                                && rest.len() <= 1
                                && rest.iter().all(|c| {
                                    c[0].is_string()
                                        && (c[1] == "in" || c[1] == "not in")
                                        && c[2].is_array()
                                }) =>
                        {
                            (
                                leaf.get(2).and_then(Value::as_i64).unwrap_or(i64::MIN),
                                rest.first(),
                            )
                        }
                        Some(_) => {
                            return Outcome::Error(
                                "builtins.ValueError",
                                format!(
                                    "the fake answers no domain but id > and one in / not \
                                         in: {domain:?}"
                                ),
                            );
                        }
                    };
                    let meets = |row: &Value| match part {
                        None => true,
                        Some(c) => {
                            let found = c[2].as_array().is_some_and(|values| {
                                values.contains(&row[c[0].as_str().unwrap_or_default()])
                            });
                            found == (c[1] == "in")
                        }
                    };
                    let mut rows: Vec<&Value> = rows
                        .iter()
                        .filter(|row| row["id"].as_i64().is_some_and(|id| id > after_id))
                        .filter(|row| meets(row))
                        .collect();
                    rows.sort_by_key(|row| row["id"].as_i64());
                    let limit = kwargs
                        .get("limit")
                        .and_then(Value::as_u64)
                        .map_or(usize::MAX, |l| l as usize);
                    let fields: Option<Vec<&str>> = kwargs
                        .get("fields")
                        .and_then(Value::as_array)
                        .map(|f| f.iter().filter_map(Value::as_str).collect());
                    // `load=None`: a many2one (`[id, name]` in the dump) is its id alone.
                    let bare = kwargs.get("load").is_some_and(Value::is_null);
                    let value = |v: &Value| match v.as_array().map(Vec::as_slice) {
                        Some([id, name]) if bare && id.is_i64() && name.is_string() => id.clone(),
                        _ => v.clone(),
                    };
                    let page = rows
                        .iter()
                        .skip(offset)
                        .take(limit)
                        .map(|row| match &fields {
                            None => (*row).clone(),
                            Some(fields) => {
                                let mut out = Map::new();
                                out.insert("id".into(), row["id"].clone());
                                for f in fields {
                                    if let Some(v) = row.get(*f) {
                                        out.insert((*f).to_owned(), value(v));
                                    }
                                }
                                Value::Object(out)
                            }
                        })
                        .collect();
                    Outcome::Ok(Value::Array(page))
                }
                "fields_get" => {
                    if faults.broken.iter().any(|m| m == model) {
                        return Outcome::Error("builtins.ValueError", "broken on purpose".into());
                    }
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
                    if faults.none_in_fields_get.iter().any(|m| m == model)
                        && let Some((_, first)) = out.iter_mut().next()
                    {
                        first["domain"] = json!([["x", "=", null]]);
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

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn xmlrpc(dump: &Dump, faults: &Faults, request: &Request) -> Reply {
    let service = request.path.trim_start_matches("/xmlrpc/2/");
    let (method, args): (std::borrow::Cow<'_, str>, Vec<Value>) =
        match odoo_runtime::xmlrpc::decode_call(&request.body) {
            Ok(call) => call,
            Err(e) => return Reply::html(400, format!("bad request: {e}")),
        };
    match execute(dump, faults, service, &method, &args) {
        Outcome::Ok(value) if contains_null(&value) => Reply::xml(dump.fault_body.clone()),
        Outcome::Ok(value) => {
            let body = format!(
                "<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>\n<value>{}</value>\n</param>\n</params>\n</methodResponse>\n",
                odoo_runtime::xmlrpc::encode_value(&value).unwrap()
            );
            Reply::xml(body)
        }
        Outcome::Error(class, message) => {
            let code = if class == "odoo.exceptions.AccessDenied" {
                3
            } else {
                1
            };
            let text = if code == 1 {
                format!(
                    "Traceback (most recent call last):\n  File \"/opt/odoo/x.py\", line 1\n{class}: {message}\n"
                )
            } else {
                message
            };
            Reply::xml(format!(
                "<?xml version=\"1.0\"?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>{code}</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>{}</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n",
                xml_escape(&text)
            ))
        }
    }
}

fn jsonrpc(dump: &Dump, faults: &Faults, request: &Request) -> Reply {
    let Some(body) = request.json() else {
        return Reply::html(400, "Invalid JSON data");
    };
    let id = body.get("id").cloned().unwrap_or(Value::Null);
    let params = &body["params"];
    let service = params["service"].as_str().unwrap_or_default();
    let method = params["method"].as_str().unwrap_or_default();
    let args: Vec<Value> = params["args"].as_array().cloned().unwrap_or_default();
    match execute(dump, faults, service, method, &args) {
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

/// A fake Odoo serving the dump, with `faults`. Every request is recorded
/// ([`ReplayServer::requests`]).
pub fn fake_odoo(faults: Faults) -> ReplayServer {
    let dump = Arc::new(Dump::load());
    let mut builder = ReplayServer::builder();
    if !faults.jsonrpc_only {
        let (d1, f1) = (Arc::clone(&dump), faults.clone());
        let (d2, f2) = (Arc::clone(&dump), faults.clone());
        builder = builder
            .route("/xmlrpc/2/common", move |r| xmlrpc(&d1, &f1, r))
            .route("/xmlrpc/2/object", move |r| xmlrpc(&d2, &f2, r));
    }
    builder
        .route("/jsonrpc", move |r| jsonrpc(&dump, &faults, r))
        .start()
        .unwrap()
}

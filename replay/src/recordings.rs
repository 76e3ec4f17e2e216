//! Loading recorded exchanges and matching requests to them.

use std::collections::HashMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::{Reply, Request};

/// One recorded exchange.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// File stem, e.g. `07-res.partner.search`.
    pub name: String,
    /// Path it was sent to: `/xmlrpc/2/common`, `/xmlrpc/2/object`, `/jsonrpc`, or any other
    /// path for plain HTTP exchanges (`/json/2/res.partner/search_read`, `/web/version`).
    pub endpoint: String,
    /// HTTP method of the request (`POST`; `GET` for `/web/version`).
    pub http_method: String,
    /// Request headers that take part in matching a plain HTTP exchange (names lower-cased):
    /// `authorization` (with the secret replaced by the recordings' placeholder),
    /// `x-odoo-database`, `content-type`. Empty for XML-RPC and JSON-RPC exchanges.
    pub headers: Vec<(String, String)>,
    /// RPC method (`execute_kw`, `version`, ...).
    pub method: String,
    /// The note of the index.
    pub note: String,
    /// The exact request body.
    pub request: Vec<u8>,
    /// HTTP status of the answer.
    pub status: u16,
    /// Content type of the answer.
    pub content_type: String,
    dir: PathBuf,
    response_file: String,
}

impl Exchange {
    /// The exact recorded response body (decompressed when stored as `.gz`).
    pub fn response(&self) -> io::Result<Vec<u8>> {
        read_maybe_gz(&self.dir.join(&self.response_file))
    }

    /// `<name>.expected.json` (what Python's `xmlrpc.client` decoded), when there is one.
    pub fn expected(&self) -> io::Result<Option<Value>> {
        let path = self.dir.join(format!("{}.expected.json", self.name));
        if !path.exists() && !gz_path(&path).exists() {
            return Ok(None);
        }
        let bytes = read_maybe_gz(&path)?;
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| io::Error::other(format!("{}: {e}", path.display())))
    }

    /// The request decoded as `[method or service, ..., params]` in the canonical form used for
    /// matching (`None` for a malformed request). For a plain HTTP exchange (JSON-2), the JSON
    /// body (`null` when there is none).
    pub fn decoded_request(&self) -> Option<Value> {
        if is_rpc(&self.endpoint) {
            decode(&self.endpoint, &self.request)
        } else if self.request.iter().all(u8::is_ascii_whitespace) {
            Some(Value::Null)
        } else {
            serde_json::from_slice(&self.request).ok()
        }
    }

    /// The recorded request header `name` (lower case), for plain HTTP exchanges.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The recordings of a directory, with the state of each request's answer sequence.
#[derive(Debug, Default)]
pub struct Recordings {
    exchanges: Vec<Exchange>,
    by_key: HashMap<String, Vec<usize>>,
    cursors: HashMap<String, usize>,
    cache: HashMap<usize, Arc<Vec<u8>>>,
}

#[derive(serde::Deserialize)]
struct IndexEntry {
    file: String,
    #[serde(default)]
    endpoint: Option<String>,
    #[serde(default)]
    http_method: Option<String>,
    #[serde(default)]
    headers: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    method: String,
    #[serde(default)]
    http_status: Option<u16>,
    #[serde(default)]
    content_type: Option<String>,
    #[serde(default)]
    note: String,
}

impl Recordings {
    /// Loads `dir`: either a directory with an `index.json` (XML-RPC recordings have
    /// `.request.xml`, JSON-RPC and plain HTTP ones `.request.json`; a response is
    /// `.response.xml`, `.response.json` or `.response.html`), or a directory holding such
    /// directories (`xmlrpc/`, `jsonrpc/`, `json2/`), as `testdata/odoo-18.0` and
    /// `testdata/odoo-19.0` do.
    pub fn load(dir: impl AsRef<Path>) -> io::Result<Recordings> {
        let dir = dir.as_ref();
        let mut rec = Recordings::default();
        if dir.join("index.json").exists() {
            rec.load_one(dir)?;
        } else {
            for sub in ["xmlrpc", "jsonrpc", "json2"] {
                if dir.join(sub).join("index.json").exists() {
                    rec.load_one(&dir.join(sub))?;
                }
            }
        }
        if rec.exchanges.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "no recordings in {} (no index.json, xmlrpc/index.json, jsonrpc/index.json or \
                     json2/index.json)",
                    dir.display()
                ),
            ));
        }
        Ok(rec)
    }

    fn load_one(&mut self, dir: &Path) -> io::Result<()> {
        let index_path = dir.join("index.json");
        let index = std::fs::read(&index_path).map_err(|e| with_path(e, &index_path))?;
        let entries: Vec<IndexEntry> = serde_json::from_slice(&index)
            .map_err(|e| io::Error::other(format!("{}: {e}", index_path.display())))?;
        for entry in entries {
            let xml = dir.join(format!("{}.request.xml", entry.file));
            let (request_path, response_file, endpoint, content_type) = if xml.exists() {
                (
                    xml,
                    format!("{}.response.xml", entry.file),
                    entry
                        .endpoint
                        .clone()
                        .unwrap_or_else(|| "/xmlrpc/2/object".to_owned()),
                    entry
                        .content_type
                        .clone()
                        .unwrap_or_else(|| "text/xml; charset=utf-8".to_owned()),
                )
            } else {
                let json = format!("{}.response.json", entry.file);
                let html = format!("{}.response.html", entry.file);
                let response = if !exists(&dir.join(&json)) && exists(&dir.join(&html)) {
                    html
                } else {
                    json
                };
                (
                    dir.join(format!("{}.request.json", entry.file)),
                    response,
                    entry
                        .endpoint
                        .clone()
                        .unwrap_or_else(|| "/jsonrpc".to_owned()),
                    entry
                        .content_type
                        .clone()
                        .unwrap_or_else(|| "application/json".to_owned()),
                )
            };
            let request = read_maybe_gz(&request_path)?;
            let response_path = dir.join(&response_file);
            if !exists(&response_path) {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    format!(
                        "{}: missing (listed in {})",
                        response_path.display(),
                        index_path.display()
                    ),
                ));
            }
            let exchange = Exchange {
                name: entry.file,
                endpoint,
                http_method: entry
                    .http_method
                    .unwrap_or_else(|| "POST".to_owned())
                    .to_ascii_uppercase(),
                headers: entry
                    .headers
                    .into_iter()
                    .map(|(k, v)| (k.to_ascii_lowercase(), v))
                    .collect(),
                method: entry.method,
                note: entry.note,
                request,
                status: entry.http_status.unwrap_or(200),
                content_type,
                dir: dir.to_owned(),
                response_file,
            };
            let key = key(
                &exchange.http_method,
                &exchange.endpoint,
                |name| exchange.header(name),
                &exchange.request,
            );
            self.by_key
                .entry(key)
                .or_default()
                .push(self.exchanges.len());
            self.exchanges.push(exchange);
        }
        Ok(())
    }

    /// Every exchange, in index order.
    pub fn exchanges(&self) -> &[Exchange] {
        &self.exchanges
    }

    /// The exchange named `name` (file stem, e.g. `07-res.partner.search`).
    pub fn get(&self, name: &str) -> Option<&Exchange> {
        self.exchanges.iter().find(|e| e.name == name)
    }

    /// Restarts every answer sequence.
    pub fn rewind(&mut self) {
        self.cursors.clear();
    }

    /// The recorded answer to `request`, or why there is none.
    pub(crate) fn answer(&mut self, request: &Request) -> Result<Reply, String> {
        let path = request.path.split('?').next().unwrap_or_default();
        if is_rpc(path) && request.method != "POST" {
            return Err(format!(
                "no recording for {} {}",
                request.method, request.path
            ));
        }
        let key = key(
            &request.method,
            path,
            |name| request.header(name),
            &request.body,
        );
        let Some(candidates) = self.by_key.get(&key) else {
            let what = if is_rpc(path) {
                match decode(path, &request.body) {
                    Some(v) => v.to_string(),
                    None => format!("{} undecodable bytes", request.body.len()),
                }
            } else {
                // The key names the headers that count; a bearer secret is not shown.
                key.lines()
                    .skip(1)
                    .map(|line| match line.strip_prefix("authorization: ") {
                        Some(value) => format!(
                            "authorization: {}*** ({} characters)",
                            if value.starts_with("bearer ") {
                                "bearer "
                            } else {
                                ""
                            },
                            value.len()
                        ),
                        None => line.to_owned(),
                    })
                    .collect::<Vec<_>>()
                    .join(" | ")
            };
            let mut what: String = what.chars().take(600).collect();
            if what.len() >= 600 {
                what.push('…');
            }
            return Err(format!(
                "no recording matches {} {path} {what}",
                request.method
            ));
        };
        let cursor = self.cursors.entry(key).or_insert(0);
        let index = candidates[(*cursor).min(candidates.len() - 1)];
        *cursor += 1;
        let body = match self.cache.get(&index) {
            Some(body) => Arc::clone(body),
            None => {
                let body = Arc::new(
                    self.exchanges[index]
                        .response()
                        .map_err(|e| e.to_string())?,
                );
                self.cache.insert(index, Arc::clone(&body));
                body
            }
        };
        let exchange = &self.exchanges[index];
        Ok(Reply::new(
            exchange.status,
            &exchange.content_type,
            body.as_ref().clone(),
        ))
    }
}

/// Whether `path` is an XML-RPC or JSON-RPC endpoint (matched by the decoded call), rather than
/// a plain HTTP exchange (matched by method, path, headers and body meaning).
fn is_rpc(path: &str) -> bool {
    path.starts_with("/xmlrpc") || path == "/jsonrpc"
}

/// The matching key of a request: for XML-RPC and JSON-RPC, the endpoint and the decoded call;
/// for any other path (JSON-2), the method, the path, the headers that change the answer
/// (`Authorization` with its scheme in lower case, `X-Odoo-Database`, the media type of
/// `Content-Type`) and the JSON body with object keys sorted (the raw text when it is not JSON).
fn key<'a>(
    method: &str,
    path: &str,
    header: impl Fn(&str) -> Option<&'a str>,
    body: &[u8],
) -> String {
    if is_rpc(path) {
        return match decode(path, body) {
            Some(value) => format!("{path}\n{}", canonical(&value)),
            None => format!("{path}\nraw:{}", String::from_utf8_lossy(body).trim()),
        };
    }
    let authorization = header("authorization").map(|v| {
        let v = v.trim();
        match v.split_once(char::is_whitespace) {
            Some((scheme, rest)) => {
                format!("{} {}", scheme.to_ascii_lowercase(), rest.trim())
            }
            None => v.to_owned(),
        }
    });
    let database = header("x-odoo-database").map(str::trim);
    let media = header("content-type").map(|v| {
        v.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    });
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        String::new()
    } else {
        match serde_json::from_slice::<Value>(body) {
            Ok(value) => canonical(&value),
            Err(_) => format!("raw:{}", String::from_utf8_lossy(body).trim()),
        }
    };
    let mut key = format!("{} {path}", method.to_ascii_uppercase());
    for (name, value) in [
        ("authorization", authorization.as_deref()),
        ("x-odoo-database", database),
        ("content-type", media.as_deref()),
    ] {
        if let Some(value) = value {
            key.push_str(&format!("\n{name}: {value}"));
        }
    }
    key.push('\n');
    key.push_str(&body);
    key
}

/// Decodes a request: XML-RPC → `[method, params]`, JSON-RPC → `[service, method, args]`.
fn decode(endpoint: &str, body: &[u8]) -> Option<Value> {
    if endpoint.starts_with("/xmlrpc") {
        let (method, params) = odoo_runtime::xmlrpc::decode_call::<Vec<Value>>(body).ok()?;
        Some(Value::Array(vec![
            Value::String(method.into_owned()),
            Value::Array(params),
        ]))
    } else {
        let call: Value = serde_json::from_slice(body).ok()?;
        let params = call.get("params")?;
        Some(Value::Array(vec![
            params.get("service").cloned().unwrap_or(Value::Null),
            params.get("method").cloned().unwrap_or(Value::Null),
            params
                .get("args")
                .cloned()
                .unwrap_or(Value::Array(Vec::new())),
        ]))
    }
}

/// JSON text with object keys sorted at every level.
fn canonical(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(v, out);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Whether `path` or `path.gz` exists.
fn exists(path: &Path) -> bool {
    path.exists() || gz_path(path).exists()
}

fn gz_path(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".gz");
    PathBuf::from(p)
}

fn with_path(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// Reads `path`, or `path.gz` decompressed.
fn read_maybe_gz(path: &Path) -> io::Result<Vec<u8>> {
    if path.exists() {
        return std::fs::read(path).map_err(|e| with_path(e, path));
    }
    let gz = gz_path(path);
    let file = std::fs::File::open(&gz).map_err(|e| with_path(e, path))?;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut out)
        .map_err(|e| with_path(e, &gz))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_order_and_int_width_do_not_matter() {
        let a = br#"<?xml version="1.0"?><methodCall><methodName>execute_kw</methodName><params><param><value><struct><member><name>a</name><value><int>1</int></value></member><member><name>b</name><value>x</value></member></struct></value></param></params></methodCall>"#;
        let b = br#"<methodCall><methodName>execute_kw</methodName><params><param><value><struct><member><name>b</name><value><string>x</string></value></member><member><name>a</name><value><i8>1</i8></value></member></struct></value></param></params></methodCall>"#;
        let key = |body: &[u8]| key("POST", "/xmlrpc/2/object", |_| None, body);
        assert_eq!(key(a), key(b));
        let c = br#"<methodCall><methodName>execute_kw</methodName><params><param><value><struct><member><name>b</name><value><string>x</string></value></member><member><name>a</name><value><i8>2</i8></value></member></struct></value></param></params></methodCall>"#;
        assert_ne!(key(a), key(c));
    }

    #[test]
    fn http_exchanges_match_by_method_path_headers_and_body_meaning() {
        let headers = |auth: &'static str, ctype: &'static str| {
            move |name: &str| match name {
                "authorization" => Some(auth),
                "x-odoo-database" => Some("odoo19"),
                "content-type" => Some(ctype),
                _ => None,
            }
        };
        let path = "/json/2/res.partner/search";
        let a = key(
            "POST",
            path,
            headers("bearer k1", "application/json"),
            br#"{"domain": [], "limit": 1}"#,
        );
        let b = key(
            "post",
            path,
            headers("Bearer   k1", "application/json; charset=utf-8"),
            br#"{"limit":1,"domain":[]}"#,
        );
        assert_eq!(a, b);
        let other_key = key(
            "POST",
            path,
            headers("bearer k2", "application/json"),
            br#"{"domain": [], "limit": 1}"#,
        );
        assert_ne!(a, other_key);
        let other_body = key(
            "POST",
            path,
            headers("bearer k1", "application/json"),
            br#"{"domain": [], "limit": 2}"#,
        );
        assert_ne!(a, other_body);
        let get = key("GET", path, headers("bearer k1", "application/json"), b"");
        assert_ne!(a, get);
        let no_db = key(
            "POST",
            path,
            |n: &str| (n == "authorization").then_some("bearer k1"),
            br#"{"domain": [], "limit": 1}"#,
        );
        assert_ne!(a, no_db);
    }
}

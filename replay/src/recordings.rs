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
    /// Path it was sent to: `/xmlrpc/2/common`, `/xmlrpc/2/object` or `/jsonrpc`.
    pub endpoint: String,
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
    /// matching (`None` for a malformed request).
    pub fn decoded_request(&self) -> Option<Value> {
        decode(&self.endpoint, &self.request)
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
    /// `.request.xml`, JSON-RPC ones `.request.json`), or a directory holding such directories
    /// (`xmlrpc/`, `jsonrpc/`), as `testdata/odoo-18.0` does.
    pub fn load(dir: impl AsRef<Path>) -> io::Result<Recordings> {
        let dir = dir.as_ref();
        let mut rec = Recordings::default();
        if dir.join("index.json").exists() {
            rec.load_one(dir)?;
        } else {
            for sub in ["xmlrpc", "jsonrpc"] {
                if dir.join(sub).join("index.json").exists() {
                    rec.load_one(&dir.join(sub))?;
                }
            }
        }
        if rec.exchanges.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "no recordings in {} (no index.json, xmlrpc/index.json or jsonrpc/index.json)",
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
                (
                    dir.join(format!("{}.request.json", entry.file)),
                    format!("{}.response.json", entry.file),
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
            if !response_path.exists() && !gz_path(&response_path).exists() {
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
                method: entry.method,
                note: entry.note,
                request,
                status: entry.http_status.unwrap_or(200),
                content_type,
                dir: dir.to_owned(),
                response_file,
            };
            let key = key(&exchange.endpoint, &exchange.request);
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
        if request.method != "POST" {
            return Err(format!(
                "no recording for {} {}",
                request.method, request.path
            ));
        }
        let path = request.path.split('?').next().unwrap_or_default();
        let key = key(path, &request.body);
        let Some(candidates) = self.by_key.get(&key) else {
            let what = match decode(path, &request.body) {
                Some(v) => v.to_string(),
                None => format!("{} undecodable bytes", request.body.len()),
            };
            let mut what: String = what.chars().take(600).collect();
            if what.len() >= 600 {
                what.push('…');
            }
            return Err(format!("no recording matches POST {path} {what}"));
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

/// The matching key of a request body sent to `endpoint`.
fn key(endpoint: &str, body: &[u8]) -> String {
    match decode(endpoint, body) {
        Some(value) => format!("{endpoint}\n{}", canonical(&value)),
        None => format!("{endpoint}\nraw:{}", String::from_utf8_lossy(body).trim()),
    }
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
        assert_eq!(key("/xmlrpc/2/object", a), key("/xmlrpc/2/object", b));
        let c = br#"<methodCall><methodName>execute_kw</methodName><params><param><value><struct><member><name>b</name><value><string>x</string></value></member><member><name>a</name><value><i8>2</i8></value></member></struct></value></param></params></methodCall>"#;
        assert_ne!(key("/xmlrpc/2/object", a), key("/xmlrpc/2/object", c));
    }
}

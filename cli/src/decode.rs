//! `cargo xtask decode FILE`: print a recorded XML-RPC or JSON-RPC response as JSON.
//!
//! XML-RPC bodies print as `{"result": ...}` or `{"fault": {"faultCode", "faultString"}}`, the
//! shape of the recordings' `.expected.json` files (Python's reading). JSON-RPC bodies print their
//! `result` (a missing one is `null`) or their `error` object as-is. Files ending in `.gz` are
//! decompressed first.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use odoo_runtime::Value;
use odoo_runtime::xmlrpc::{Response, decode_response};
use serde_json::json;

/// Options of `cargo xtask decode`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The response body: `.xml` (XML-RPC) or `.json` (JSON-RPC), optionally gzip-compressed
    /// (`.gz`). Other names are recognised by their first character.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print on one line instead of indented.
    #[arg(long)]
    pub compact: bool,
}

/// What a body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    XmlRpc,
    JsonRpc,
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    let raw = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if path.extension().is_some_and(|e| e == "gz") || raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::with_capacity(raw.len() * 8);
        flate2::read::GzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .with_context(|| format!("{} is not valid gzip", path.display()))?;
        return Ok(out);
    }
    Ok(raw)
}

fn format_of(path: &Path, body: &[u8]) -> anyhow::Result<Format> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    if name.ends_with(".xml") {
        return Ok(Format::XmlRpc);
    }
    if name.ends_with(".json") {
        return Ok(Format::JsonRpc);
    }
    let text = body.strip_prefix("\u{feff}".as_bytes()).unwrap_or(body);
    match text.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'<') => Ok(Format::XmlRpc),
        Some(b'{') => Ok(Format::JsonRpc),
        _ => bail!(
            "{}: neither XML (starts with `<`) nor JSON (starts with `{{`); name it .xml or .json",
            path.display()
        ),
    }
}

/// The JSON to print for a body.
fn decode(path: &Path, body: &[u8]) -> anyhow::Result<serde_json::Value> {
    match format_of(path, body)? {
        Format::XmlRpc => {
            let response = decode_response::<Value>(body)
                .with_context(|| format!("{} is not a valid XML-RPC response", path.display()))?;
            Ok(match response {
                Response::Success(v) => json!({ "result": v.to_json() }),
                Response::Fault(f) => {
                    json!({ "fault": { "faultCode": f.code, "faultString": f.message } })
                }
            })
        }
        Format::JsonRpc => {
            let value: serde_json::Value = serde_json::from_slice(body)
                .with_context(|| format!("{} is not valid JSON", path.display()))?;
            let Some(object) = value.as_object() else {
                bail!(
                    "{}: a JSON-RPC response is an object, found {}",
                    path.display(),
                    kind(&value)
                );
            };
            if let Some(error) = object.get("error") {
                return Ok(json!({ "error": error }));
            }
            if !object.contains_key("jsonrpc") && !object.contains_key("result") {
                bail!(
                    "{}: not a JSON-RPC response (no `jsonrpc`, `result` or `error` member)",
                    path.display()
                );
            }
            // Odoo omits `result` when the method returned None.
            Ok(
                json!({ "result": object.get("result").cloned().unwrap_or(serde_json::Value::Null) }),
            )
        }
    }
}

fn kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let body = read(&args.file)?;
    let json = decode(&args.file, &body)?;
    let mut text = if args.compact {
        serde_json::to_string(&json)?
    } else {
        serde_json::to_string_pretty(&json)?
    };
    text.push('\n');
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .context("cannot write to stdout")?;
    stdout.flush().context("cannot write to stdout")?;
    Ok(ExitCode::SUCCESS)
}

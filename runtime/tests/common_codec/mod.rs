//! Shared helpers of the codec tests: reading the recorded exchanges from `testdata/`.
#![allow(dead_code)]

pub mod mutate;

use std::io::Read;
use std::path::{Path, PathBuf};

/// `testdata/odoo-18.0/xmlrpc` in the repository.
pub fn xmlrpc_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/odoo-18.0/xmlrpc")
}

/// `testdata/odoo-18.0/jsonrpc` in the repository.
pub fn jsonrpc_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/odoo-18.0/jsonrpc")
}

/// Reads `path`, or `path.gz` decompressed when only that exists.
pub fn read_maybe_gz(path: &Path) -> Vec<u8> {
    if path.exists() {
        return std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    let gz = PathBuf::from(format!("{}.gz", path.display()));
    let file = std::fs::File::open(&gz).unwrap_or_else(|e| panic!("{}: {e}", gz.display()));
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut out)
        .unwrap_or_else(|e| panic!("{}: {e}", gz.display()));
    out
}

/// Names (`NN-name`) of every recorded XML-RPC exchange, sorted.
pub fn exchanges() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(xmlrpc_dir())
        .expect("testdata/odoo-18.0/xmlrpc")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".request.xml").map(str::to_owned)
        })
        .collect();
    names.sort();
    names
}

/// The recorded response body of exchange `name`.
pub fn response(name: &str) -> Vec<u8> {
    read_maybe_gz(&xmlrpc_dir().join(format!("{name}.response.xml")))
}

/// The recorded request body of exchange `name`.
pub fn request(name: &str) -> Vec<u8> {
    read_maybe_gz(&xmlrpc_dir().join(format!("{name}.request.xml")))
}

/// Python's decoding of the response of exchange `name`.
pub fn expected(name: &str) -> serde_json::Value {
    let bytes = read_maybe_gz(&xmlrpc_dir().join(format!("{name}.expected.json")));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{name}.expected.json: {e}"))
}

/// The recorded response of exchange `name` whose number is `nn` (e.g. "11").
pub fn find(nn: &str) -> String {
    exchanges()
        .into_iter()
        .find(|n| n.starts_with(&format!("{nn}-")))
        .unwrap_or_else(|| panic!("no exchange {nn}"))
}

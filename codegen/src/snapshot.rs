//! Schema snapshots: the IR written as a directory of small, pretty, deterministic JSON files.
//!
//! Layout (paths relative to the snapshot directory):
//! - `snapshot.json`: `{"format": 1, "odoo_version": "18.0", "models": ["res.partner", ...]}`;
//!   the model list lets [`from_files`] notice a deleted or stray model file.
//! - `models/<model>.json`: one [`Model`] (with its fields, sorted by name), pretty-printed with
//!   two-space indentation and a final newline.
//!
//! The same schema always gives the same bytes: maps are `BTreeMap`s, struct members keep their
//! declaration order, and nothing volatile (timestamps, record counts, URLs, credentials) is in the IR.
//! Adding or changing one field therefore changes a few lines of one file in `git diff`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::schema::{Model, Schema};

/// The index file.
pub const INDEX_FILE: &str = "snapshot.json";
/// The directory of model files.
pub const MODELS_DIR: &str = "models/";
/// The snapshot format this code writes and reads.
pub const FORMAT: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct Index {
    format: u32,
    odoo_version: String,
    models: Vec<String>,
}

fn invalid(file: &str, reason: impl Into<String>) -> Error {
    Error::Input {
        what: format!("snapshot file `{file}`"),
        reason: reason.into(),
    }
}

/// The longest file name stem of a model file: with `.json`, well under the 255 bytes file
/// systems allow.
const MAX_FILE_STEM: usize = 200;

/// The file name of a model: its technical name, with anything but ASCII letters, digits, `.`, `_`
/// and `-` written as `%XX` (Odoo model names never need it, but a file name must stay inside
/// `models/`). A name longer than 200 bytes once escaped (a model without table escapes
/// PostgreSQL's 63-byte limit) is cut, and `~` and the CRC-32 of the whole name are appended:
/// `~` is escaped in every other name, so a cut name never meets an uncut one.
pub fn model_file(model: &str) -> String {
    let mut stem = String::with_capacity(model.len() + 5);
    for (i, byte) in model.bytes().enumerate() {
        let plain =
            byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-' || (byte == b'.' && i > 0);
        if plain {
            stem.push(char::from(byte));
        } else {
            stem.push_str(&format!("%{byte:02X}"));
        }
    }
    if stem.len() > MAX_FILE_STEM {
        let sum = crc32fast::hash(model.as_bytes());
        stem.truncate(MAX_FILE_STEM - 9);
        // Never end inside a `%XX` escape.
        if let Some(at) = stem[stem.len().saturating_sub(2)..].find('%') {
            stem.truncate(stem.len().saturating_sub(2) + at);
        }
        stem.push_str(&format!("~{sum:08x}"));
    }
    format!("{MODELS_DIR}{stem}.json")
}

fn pretty<T: Serialize>(value: &T) -> String {
    // Serialising plain data (strings, bools, maps with string keys) into a String cannot fail;
    // should it ever, the file says so rather than panicking.
    let mut text = serde_json::to_string_pretty(value)
        .unwrap_or_else(|err| format!("\"snapshot serialisation failed: {err}\""));
    text.push('\n');
    text
}

/// Writes a schema as snapshot files (relative path → contents).
pub fn to_files(schema: &Schema) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let index = Index {
        format: FORMAT,
        odoo_version: schema.odoo_version.clone(),
        models: schema.models.keys().cloned().collect(),
    };
    files.insert(INDEX_FILE.to_owned(), pretty(&index));
    for (name, model) in &schema.models {
        files.insert(model_file(name), pretty(model));
    }
    files
}

/// Reads snapshot files back (the inverse of [`to_files`]).
pub fn from_files(files: &BTreeMap<String, String>) -> Result<Schema> {
    let index_text = files
        .get(INDEX_FILE)
        .ok_or_else(|| invalid(INDEX_FILE, "missing"))?;
    let index: Index = serde_json::from_str(index_text).map_err(|error| Error::Json {
        what: format!("snapshot file `{INDEX_FILE}`"),
        error,
    })?;
    if index.format != FORMAT {
        return Err(invalid(
            INDEX_FILE,
            format!(
                "snapshot format {} is not supported (this generator reads format {FORMAT})",
                index.format
            ),
        ));
    }
    let mut schema = Schema {
        odoo_version: index.odoo_version,
        models: BTreeMap::new(),
    };
    for name in &index.models {
        let file = model_file(name);
        let text = files.get(&file).ok_or_else(|| invalid(&file, "missing"))?;
        let model: Model = serde_json::from_str(text).map_err(|error| Error::Json {
            what: format!("snapshot file `{file}`"),
            error,
        })?;
        if &model.name != name {
            return Err(invalid(
                &file,
                format!("holds model `{}`, expected `{name}`", model.name),
            ));
        }
        for (key, field) in &model.fields {
            if &field.name != key {
                return Err(invalid(
                    &file,
                    format!("field key `{key}` holds field `{}`", field.name),
                ));
            }
        }
        if schema.models.insert(name.clone(), model).is_some() {
            return Err(invalid(
                INDEX_FILE,
                format!("model `{name}` is listed twice"),
            ));
        }
    }
    let expected: std::collections::BTreeSet<String> =
        schema.models.keys().map(|name| model_file(name)).collect();
    if let Some(stray) = files
        .keys()
        .filter(|path| path.starts_with(MODELS_DIR))
        .find(|path| !expected.contains(*path))
    {
        return Err(invalid(stray, format!("not listed in {INDEX_FILE}")));
    }
    Ok(schema)
}

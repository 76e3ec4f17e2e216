//! Schema snapshots: the IR written as a directory of small, pretty, deterministic JSON files.
//!
//! Layout (paths relative to the snapshot directory):
//! - `snapshot.json`: `{"format": 1, "odoo_version": "18.0", "models": ["res.partner", ...]}`;
//!   the model list lets [`from_files`] notice a deleted or stray model file.
//! - `models/<model>.json`: one [`Model`] (with its fields, sorted by name), pretty-printed with
//!   two-space indentation and a final newline.
//! - Methods (Odoo 19's `/doc-bearer`), when the schema has any. A method is described by the
//!   class that introduced it, so most models share most descriptions (`sale.order` has 104
//!   methods, 50 of them `BaseModel`'s and `base`'s, the same on every model): each description is
//!   written once, in `methods/<introducing model>.json` (`{"<module>": {"<method>": {...}}}`,
//!   the [`Method`] without its name, model and module), and a model file lists its methods by
//!   introducing model and module (`"methods": {"sale.order": {"sale": ["action_confirm", ...]}}`).
//!   A model whose description of a method differs from the shared one (never seen on a real
//!   server) keeps its own under `"own_methods"`. The index lists the `methods/` files under
//!   `"methods"`. A snapshot without methods has neither, and reads as before.
//!
//! The same schema always gives the same bytes: maps are `BTreeMap`s, struct members keep their
//! declaration order, and nothing volatile (timestamps, record counts, URLs, credentials) is in the IR.
//! Adding or changing one field therefore changes a few lines of one file in `git diff`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::schema::{Method, Model, Schema};

/// The index file.
pub const INDEX_FILE: &str = "snapshot.json";
/// The directory of model files.
pub const MODELS_DIR: &str = "models/";
/// The directory of shared method descriptions.
pub const METHODS_DIR: &str = "methods/";
/// The snapshot format this code writes and reads.
pub const FORMAT: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct Index {
    format: u32,
    odoo_version: String,
    models: Vec<String>,
    /// Introducing models with a `methods/` file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    methods: Vec<String>,
}

/// A model file's methods: introducing model → module → method names.
type MethodRefs = BTreeMap<String, BTreeMap<String, Vec<String>>>;
/// A `methods/` file: module → method name → description (without name, model and module).
type MethodDefs = BTreeMap<String, BTreeMap<String, serde_json::Value>>;

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
    format!("{MODELS_DIR}{}.json", file_stem(model))
}

/// The file of the methods `model` introduced (escaped and cut like [`model_file`]).
pub fn methods_file(model: &str) -> String {
    format!("{METHODS_DIR}{}.json", file_stem(model))
}

fn file_stem(model: &str) -> String {
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
    stem
}

fn pretty<T: Serialize>(value: &T) -> String {
    // Serialising plain data (strings, bools, maps with string keys) into a String cannot fail;
    // should it ever, the file says so rather than panicking.
    let mut text = serde_json::to_string_pretty(value)
        .unwrap_or_else(|err| format!("\"snapshot serialisation failed: {err}\""));
    text.push('\n');
    text
}

/// A method's description as a `methods/` file holds it: without name, model and module.
fn shared_form(method: &Method) -> serde_json::Value {
    let mut value = serde_json::to_value(method).unwrap_or(serde_json::Value::Null);
    if let Some(members) = value.as_object_mut() {
        for key in ["name", "model", "module"] {
            members.shift_remove(key);
        }
    }
    value
}

/// The shared description of every (introducing model, module, method): the one most models
/// have, the smallest JSON text among equally common ones.
fn shared_methods(schema: &Schema) -> BTreeMap<String, MethodDefs> {
    type Key<'a> = (&'a str, &'a str, &'a str);
    let mut counts: BTreeMap<Key<'_>, BTreeMap<String, (usize, serde_json::Value)>> =
        BTreeMap::new();
    for model in schema.models.values() {
        for method in model.methods.values() {
            let value = shared_form(method);
            let text = value.to_string();
            let entry = counts
                .entry((&method.model, &method.module, &method.name))
                .or_default()
                .entry(text)
                .or_insert((0, value));
            entry.0 += 1;
        }
    }
    let mut out: BTreeMap<String, MethodDefs> = BTreeMap::new();
    for ((model, module, name), forms) in counts {
        // Most common first; the BTreeMap order (by text) breaks ties.
        let best = forms
            .into_values()
            .enumerate()
            .max_by(|(ia, (na, _)), (ib, (nb, _))| na.cmp(nb).then(ib.cmp(ia)))
            .map(|(_, (_, value))| value);
        if let Some(value) = best {
            out.entry(model.to_owned())
                .or_default()
                .entry(module.to_owned())
                .or_default()
                .insert(name.to_owned(), value);
        }
    }
    out
}

/// Writes a schema as snapshot files (relative path → contents).
pub fn to_files(schema: &Schema) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let shared = shared_methods(schema);
    let index = Index {
        format: FORMAT,
        odoo_version: schema.odoo_version.clone(),
        models: schema.models.keys().cloned().collect(),
        methods: shared.keys().cloned().collect(),
    };
    files.insert(INDEX_FILE.to_owned(), pretty(&index));
    for (name, model) in &schema.models {
        files.insert(model_file(name), model_text(model, &shared));
    }
    for (model, defs) in &shared {
        files.insert(methods_file(model), pretty(defs));
    }
    files
}

/// A model file: the model without its methods, then the references to the shared descriptions,
/// then the methods whose description differs from the shared one.
fn model_text(model: &Model, shared: &BTreeMap<String, MethodDefs>) -> String {
    if model.methods.is_empty() {
        return pretty(model);
    }
    let bare = Model {
        methods: BTreeMap::new(),
        ..model.clone()
    };
    let mut value = serde_json::to_value(&bare).unwrap_or(serde_json::Value::Null);
    let mut refs: MethodRefs = BTreeMap::new();
    let mut own: BTreeMap<&str, &Method> = BTreeMap::new();
    for method in model.methods.values() {
        let is_shared = shared
            .get(&method.model)
            .and_then(|defs| defs.get(&method.module))
            .and_then(|defs| defs.get(&method.name))
            .is_some_and(|def| *def == shared_form(method));
        if is_shared {
            refs.entry(method.model.clone())
                .or_default()
                .entry(method.module.clone())
                .or_default()
                .push(method.name.clone());
        } else {
            own.insert(&method.name, method);
        }
    }
    if let Some(members) = value.as_object_mut() {
        if !refs.is_empty() {
            members.insert(
                "methods".to_owned(),
                serde_json::to_value(&refs).unwrap_or_default(),
            );
        }
        if !own.is_empty() {
            members.insert(
                "own_methods".to_owned(),
                serde_json::to_value(&own).unwrap_or_default(),
            );
        }
    }
    pretty(&value)
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
    let mut shared: BTreeMap<&str, MethodDefs> = BTreeMap::new();
    for introducer in &index.methods {
        let file = methods_file(introducer);
        let text = files.get(&file).ok_or_else(|| invalid(&file, "missing"))?;
        let defs: MethodDefs = serde_json::from_str(text).map_err(|error| Error::Json {
            what: format!("snapshot file `{file}`"),
            error,
        })?;
        if shared.insert(introducer, defs).is_some() {
            return Err(invalid(
                INDEX_FILE,
                format!("methods of `{introducer}` are listed twice"),
            ));
        }
    }
    for name in &index.models {
        let file = model_file(name);
        let text = files.get(&file).ok_or_else(|| invalid(&file, "missing"))?;
        let json = |error| Error::Json {
            what: format!("snapshot file `{file}`"),
            error,
        };
        let mut value: serde_json::Value = serde_json::from_str(text).map_err(json)?;
        let (refs, own) = match value.as_object_mut() {
            Some(members) => (
                members.shift_remove("methods"),
                members.shift_remove("own_methods"),
            ),
            None => (None, None),
        };
        let mut model: Model = serde_json::from_value(value).map_err(json)?;
        if let Some(refs) = refs {
            let refs: MethodRefs = serde_json::from_value(refs).map_err(json)?;
            for (introducer, modules) in refs {
                for (module, names) in modules {
                    for method in names {
                        let def = shared
                            .get(introducer.as_str())
                            .and_then(|defs| defs.get(&module))
                            .and_then(|defs| defs.get(&method))
                            .ok_or_else(|| {
                                invalid(
                                    &file,
                                    format!(
                                        "method `{method}` names the description of \
                                         `{introducer}` in module `{module}`, which `{}` does not hold",
                                        methods_file(&introducer)
                                    ),
                                )
                            })?;
                        let mut def = def.clone();
                        if let Some(members) = def.as_object_mut() {
                            members.insert("name".to_owned(), method.clone().into());
                            members.insert("model".to_owned(), introducer.clone().into());
                            members.insert("module".to_owned(), module.clone().into());
                        }
                        let def: Method = serde_json::from_value(def).map_err(json)?;
                        if model.methods.insert(method.clone(), def).is_some() {
                            return Err(invalid(
                                &file,
                                format!("method `{method}` is listed twice"),
                            ));
                        }
                    }
                }
            }
        }
        if let Some(own) = own {
            let own: BTreeMap<String, Method> = serde_json::from_value(own).map_err(json)?;
            for (key, method) in own {
                if method.name != key {
                    return Err(invalid(
                        &file,
                        format!("method key `{key}` holds method `{}`", method.name),
                    ));
                }
                if model.methods.insert(key.clone(), method).is_some() {
                    return Err(invalid(&file, format!("method `{key}` is listed twice")));
                }
            }
        }
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
    let expected: std::collections::BTreeSet<String> = schema
        .models
        .keys()
        .map(|name| model_file(name))
        .chain(index.methods.iter().map(|name| methods_file(name)))
        .collect();
    if let Some(stray) = files
        .keys()
        .filter(|path| path.starts_with(MODELS_DIR) || path.starts_with(METHODS_DIR))
        .find(|path| !expected.contains(*path))
    {
        return Err(invalid(stray, format!("not listed in {INDEX_FILE}")));
    }
    Ok(schema)
}

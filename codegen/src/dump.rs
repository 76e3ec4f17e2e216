//! Building a [`Schema`] from Odoo's reflection data: a dump directory, or the same rows fetched live.
//!
//! Both sources go through one function, [`merge`], so a schema introspected from a live server and one
//! loaded from a dump of that server are equal, and their snapshots are byte-identical.
//!
//! # The dump layout
//! A dump is what a short script run against any server writes (see `testdata/odoo-18.0/schema/`):
//!
//! | file | content |
//! |---|---|
//! | `version.json` | `common.version()` |
//! | `ir.model.json` | `ir.model` `search_read` of every model |
//! | `ir.model.fields.json` (or `.json.gz`) | `ir.model.fields` `search_read` of every field |
//! | `ir.model.fields.selection.json` | every `ir.model.fields.selection` row |
//! | `fields_get/<model>.json` | `fields_get()` of one model (optional per model) |
//! | `fields_get-failures.json` | `{model: error}` for models whose `fields_get` failed (optional) |
//! | `ir.module.module.json` | installed modules (not needed: each model names its modules) |
//!
//! [`from_dump`] takes the files' contents keyed by their path relative to the dump directory; the
//! caller reads them and inflates `.gz` files (registering them under the name without `.gz`).
//!
//! # Precedence between the bulk data and `fields_get`
//! `ir.model.fields` is the catalog: it lists every field, including those `fields_get` hides from the
//! introspecting user because of `groups`, and its values are authoritative for type, label, help,
//! required, readonly, store, relation, inverse, related, company_dependent, translate and modules.
//! `fields_get` is consulted only for what the bulk data cannot give ([`fields_get_needs`]):
//! - the values of a selection or reference field that has no `ir.model.fields.selection` row
//!   (dynamic selections, and related selection fields, which Odoo does not reflect);
//! - the `currency_field` of a monetary field whose reflected `currency_field` is empty (`fields_get`
//!   applies Odoo's `currency_id` / `x_currency_id` fallback);
//! - the `model_field` of a `many2one_reference` field (not reflected at all).
//!
//! Everything else `fields_get` reports is ignored on purpose, so the result does not depend on whether
//! `fields_get` was called for every model (a dump) or only where needed (live introspection). In
//! particular fields that only `fields_get` reports (the virtual `in_group_<id>` / `sel_groups_<ids>`
//! booleans of `res.users`, named after database ids) are left out, and so are the groups restricting a
//! field: Odoo has no bulk source for them (`ir.model.fields.groups` is an empty table), and
//! `fields_get` leaves out the fields restricted to groups the introspecting user lacks, so the IR
//! does not model them.
//!
//! When `fields_get` of a model is missing or failed, its fields keep the bulk data (an empty
//! selection, no currency or model field) and a [`Warning`] names the model and the fields affected.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Deserializer};

use crate::error::{Error, Result, Warning};
use crate::schema::{Field, FieldType, Model, Schema, SelectionOption};

/// `version.json`.
pub const VERSION_FILE: &str = "version.json";
/// `ir.model.json`.
pub const MODELS_FILE: &str = "ir.model.json";
/// `ir.model.fields.json` (the dump holds it gzip-compressed as `ir.model.fields.json.gz`).
pub const FIELDS_FILE: &str = "ir.model.fields.json";
/// `ir.model.fields.selection.json`.
pub const SELECTIONS_FILE: &str = "ir.model.fields.selection.json";
/// `fields_get-failures.json`.
pub const FAILURES_FILE: &str = "fields_get-failures.json";
/// The directory holding one `fields_get` result per model.
pub const FIELDS_GET_DIR: &str = "fields_get/";

/// `common.version()` (only what is used).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Version {
    /// `"18.0"`.
    pub server_version: String,
}

/// One `ir.model` row.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
pub struct IrModel {
    /// Record id (live introspection pages by it).
    pub id: i64,
    /// Technical name (`res.partner`).
    #[serde(deserialize_with = "false_or_string")]
    pub model: String,
    /// Description (`Contact`).
    #[serde(deserialize_with = "false_or_string")]
    pub name: String,
    /// Class docstring.
    #[serde(deserialize_with = "false_or_opt_string")]
    pub info: Option<String>,
    /// `base` or `manual`.
    #[serde(deserialize_with = "false_or_string")]
    pub state: String,
    /// A `TransientModel`.
    pub transient: bool,
    /// Comma-separated modules.
    #[serde(deserialize_with = "false_or_string")]
    pub modules: String,
    /// `_order`.
    #[serde(deserialize_with = "false_or_opt_string")]
    pub order: Option<String>,
}

impl IrModel {
    /// The `ir.model` fields to read (explicit list, never all fields: `count` runs a `COUNT(*)`).
    pub const FIELDS: [&'static str; 7] = [
        "model",
        "name",
        "info",
        "state",
        "transient",
        "modules",
        "order",
    ];
}

/// One `ir.model.fields` row.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
pub struct IrField {
    /// Record id (links selection rows to their field).
    pub id: i64,
    /// Model technical name.
    #[serde(deserialize_with = "false_or_string")]
    pub model: String,
    /// Field name.
    #[serde(deserialize_with = "false_or_string")]
    pub name: String,
    /// Field type.
    #[serde(deserialize_with = "false_or_string")]
    pub ttype: String,
    /// Label.
    #[serde(deserialize_with = "false_or_string")]
    pub field_description: String,
    #[serde(deserialize_with = "false_or_opt_string")]
    pub help: Option<String>,
    pub required: bool,
    pub readonly: bool,
    pub store: bool,
    /// `base` or `manual`.
    #[serde(deserialize_with = "false_or_string")]
    pub state: String,
    #[serde(deserialize_with = "false_or_opt_string")]
    pub relation: Option<String>,
    #[serde(deserialize_with = "false_or_opt_string")]
    pub relation_field: Option<String>,
    #[serde(deserialize_with = "false_or_opt_string")]
    pub related: Option<String>,
    pub company_dependent: bool,
    /// A boolean on 18.0; a non-empty text (a translation mode) also counts as translated.
    #[serde(deserialize_with = "bool_or_text")]
    pub translate: bool,
    #[serde(deserialize_with = "false_or_string")]
    pub modules: String,
    #[serde(deserialize_with = "false_or_opt_string")]
    pub currency_field: Option<String>,
}

impl IrField {
    /// The `ir.model.fields` fields to read.
    pub const FIELDS: [&'static str; 17] = [
        "id",
        "model",
        "name",
        "ttype",
        "field_description",
        "help",
        "required",
        "readonly",
        "store",
        "state",
        "relation",
        "relation_field",
        "related",
        "company_dependent",
        "translate",
        "modules",
        "currency_field",
    ];
}

/// One `ir.model.fields.selection` row.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
pub struct IrSelection {
    pub id: i64,
    /// The `ir.model.fields` id (`field_id` is a many2one: `[id, name]`).
    #[serde(deserialize_with = "many2one_id")]
    pub field_id: i64,
    #[serde(deserialize_with = "false_or_string")]
    pub value: String,
    /// The label.
    #[serde(deserialize_with = "false_or_string")]
    pub name: String,
    pub sequence: i64,
}

impl IrSelection {
    /// The `ir.model.fields.selection` fields to read.
    pub const FIELDS: [&'static str; 5] = ["id", "field_id", "value", "name", "sequence"];
}

/// The attributes of one field in a `fields_get` answer that [`merge`] uses.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
pub struct FieldsGetField {
    #[serde(rename = "type", deserialize_with = "false_or_string")]
    pub field_type: String,
    /// `[[value, label], ...]`.
    #[serde(deserialize_with = "selection_pairs")]
    pub selection: Option<Vec<SelectionOption>>,
    #[serde(deserialize_with = "false_or_opt_string")]
    pub currency_field: Option<String>,
    #[serde(deserialize_with = "false_or_opt_string")]
    pub model_field: Option<String>,
}

/// The `attributes` to pass to `fields_get` (what [`FieldsGetField`] reads).
pub const FIELDS_GET_ATTRIBUTES: [&str; 4] = ["type", "selection", "currency_field", "model_field"];

/// One model's `fields_get` answer, by field name.
pub type FieldsGet = BTreeMap<String, FieldsGetField>;

/// Everything [`merge`] needs, whatever its source.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// `server_version`.
    pub odoo_version: String,
    pub models: Vec<IrModel>,
    pub fields: Vec<IrField>,
    pub selections: Vec<IrSelection>,
    /// `fields_get` answers by model (all models, or only those [`fields_get_needs`] names).
    pub fields_get: BTreeMap<String, FieldsGet>,
    /// Models whose `fields_get` failed, with the error (used when `fields_get` holds no answer).
    pub fields_get_failures: BTreeMap<String, String>,
}

/// The field types for which [`fields_get_needs`] may ask for `fields_get` data: a field of any
/// other type never needs it (live introspection reads the rows of these types first).
pub const FIELDS_GET_TTYPES: [&str; 4] =
    ["selection", "reference", "monetary", "many2one_reference"];

/// Why a field needs `fields_get` data.
fn need_of(field: &IrField, has_rows: bool) -> bool {
    if !FIELDS_GET_TTYPES.contains(&field.ttype.as_str()) {
        return false;
    }
    match field.ttype.as_str() {
        "selection" | "reference" => !has_rows,
        "monetary" => field.currency_field.is_none(),
        "many2one_reference" => true,
        _ => false,
    }
}

/// The fields whose bulk data is not enough, by model: the only models live introspection calls
/// `fields_get` on (with `allfields` set to these names and [`FIELDS_GET_ATTRIBUTES`]).
pub fn fields_get_needs(
    fields: &[IrField],
    selections: &[IrSelection],
) -> BTreeMap<String, Vec<String>> {
    let with_rows: BTreeSet<i64> = selections.iter().map(|s| s.field_id).collect();
    let mut needs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for field in fields {
        if need_of(field, with_rows.contains(&field.id)) {
            needs
                .entry(field.model.clone())
                .or_default()
                .push(field.name.clone());
        }
    }
    for names in needs.values_mut() {
        names.sort();
        names.dedup();
    }
    needs
}

fn split_modules(modules: &str) -> Vec<String> {
    let set: BTreeSet<String> = modules
        .split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_owned)
        .collect();
    set.into_iter().collect()
}

fn non_empty(value: &Option<String>) -> Option<String> {
    value.as_ref().filter(|v| !v.is_empty()).cloned()
}

/// Builds the schema from the reflection rows and the `fields_get` answers (see the module docs for
/// the precedence rules). Never fails: what is inconsistent or missing becomes a [`Warning`].
pub fn merge(sources: &Sources) -> (Schema, Vec<Warning>) {
    let mut warnings = Vec::new();
    let mut schema = Schema {
        odoo_version: sources.odoo_version.clone(),
        models: BTreeMap::new(),
    };

    for row in &sources.models {
        if row.model.is_empty() {
            warnings.push(Warning::model(
                "",
                "an ir.model row has no technical name; skipped",
            ));
            continue;
        }
        if schema.models.contains_key(&row.model) {
            warnings.push(Warning::model(
                &row.model,
                "listed twice in ir.model; the first row is kept",
            ));
            continue;
        }
        let model = Model {
            name: row.model.clone(),
            description: row.name.clone(),
            info: non_empty(&row.info),
            order: non_empty(&row.order),
            transient: row.transient,
            custom: row.state == "manual",
            modules: split_modules(&row.modules),
            fields: BTreeMap::new(),
            methods: BTreeMap::new(),
        };
        schema.models.insert(row.model.clone(), model);
    }

    let mut rows_by_field: BTreeMap<i64, Vec<&IrSelection>> = BTreeMap::new();
    for sel in &sources.selections {
        rows_by_field.entry(sel.field_id).or_default().push(sel);
    }
    for rows in rows_by_field.values_mut() {
        rows.sort_by_key(|s| (s.sequence, s.id));
    }

    // Fields whose fields_get data was needed but not found, by model.
    let mut incomplete: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut orphans: BTreeMap<&str, usize> = BTreeMap::new();

    for row in &sources.fields {
        let Some(model) = schema.models.get_mut(&row.model) else {
            *orphans.entry(row.model.as_str()).or_default() += 1;
            continue;
        };
        if model.fields.contains_key(&row.name) {
            warnings.push(Warning::field(
                &row.model,
                &row.name,
                "listed twice in ir.model.fields; the first row is kept",
            ));
            continue;
        }
        let field_type = FieldType::parse(&row.ttype);
        let rows = rows_by_field.get(&row.id);
        let fg = sources
            .fields_get
            .get(&row.model)
            .and_then(|fields| fields.get(&row.name));
        let needed = need_of(row, rows.is_some());
        if needed && fg.is_none() {
            incomplete
                .entry(row.model.as_str())
                .or_default()
                .push(row.name.as_str());
        }

        let selection = match field_type {
            FieldType::Selection | FieldType::Reference => Some(first_of_each_value(match rows {
                Some(rows) => rows
                    .iter()
                    .map(|s| SelectionOption {
                        value: s.value.clone(),
                        label: s.name.clone(),
                    })
                    .collect(),
                None => fg.and_then(|f| f.selection.clone()).unwrap_or_default(),
            })),
            _ => None,
        };
        let currency_field = match field_type {
            FieldType::Monetary => non_empty(&row.currency_field)
                .or_else(|| fg.and_then(|f| non_empty(&f.currency_field))),
            _ => None,
        };
        let model_field = match field_type {
            FieldType::Many2oneReference => fg.and_then(|f| non_empty(&f.model_field)),
            _ => None,
        };
        let relation = if field_type.is_relational() {
            non_empty(&row.relation)
        } else {
            None
        };
        if field_type.is_relational() && relation.is_none() {
            warnings.push(Warning::field(
                &row.model,
                &row.name,
                format!("{} field without a relation (comodel)", row.ttype),
            ));
        }
        let inverse = match field_type {
            FieldType::One2many => non_empty(&row.relation_field),
            _ => None,
        };
        let field = Field {
            name: row.name.clone(),
            field_type,
            label: row.field_description.clone(),
            help: non_empty(&row.help),
            required: row.required,
            readonly: row.readonly,
            store: row.store,
            custom: row.state == "manual",
            relation,
            inverse,
            model_field,
            selection,
            currency_field,
            company_dependent: row.company_dependent,
            related: non_empty(&row.related),
            translate: row.translate,
            modules: split_modules(&row.modules),
            module: None,
        };
        model.fields.insert(row.name.clone(), field);
    }

    for (model, count) in orphans {
        warnings.push(Warning::model(
            model,
            format!("{count} ir.model.fields row(s) name a model missing from ir.model; skipped"),
        ));
    }
    for (model, error) in &sources.fields_get_failures {
        let message = if sources.fields_get.contains_key(model) {
            format!("fields_get failed ({error}); an answer from another transport was used")
        } else {
            format!("fields_get failed ({error}); falling back to the ir.model.fields data")
        };
        warnings.push(Warning::model(model, message));
    }
    for (model, mut fields) in incomplete {
        // Named in a fixed order, whatever the order the rows arrived in.
        fields.sort_unstable();
        let reason = if sources.fields_get.contains_key(model) {
            "fields_get did not report"
        } else {
            "no fields_get answer for"
        };
        warnings.push(Warning::model(
            model,
            format!(
                "{reason} {} (dynamic selection, currency or model field left empty)",
                fields.join(", ")
            ),
        ));
    }
    (schema, warnings)
}

fn parse<'a, T: Deserialize<'a>>(file: &str, bytes: &'a [u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|error| Error::Json {
        what: format!("dump file `{file}`"),
        error,
    })
}

/// A list of rows, each decoded on its own so that an error names the row (index, and the model and
/// field it describes when the row says).
fn parse_rows<T: serde::de::DeserializeOwned>(file: &str, bytes: &[u8]) -> Result<Vec<T>> {
    let rows: Vec<serde_json::Value> = parse(file, bytes)?;
    rows.into_iter()
        .enumerate()
        .map(|(index, row)| {
            let what = {
                let text = |key: &str| row.get(key).and_then(serde_json::Value::as_str);
                match (text("model"), text("name")) {
                    (Some(model), Some(name)) if file == FIELDS_FILE => {
                        format!(" ({model}.{name})")
                    }
                    (Some(model), _) => format!(" ({model})"),
                    _ => String::new(),
                }
            };
            serde_json::from_value(row).map_err(|error| Error::Json {
                what: format!("dump file `{file}`, row {index}{what}"),
                error,
            })
        })
        .collect()
}

fn required<'a>(files: &'a BTreeMap<String, Vec<u8>>, file: &str) -> Result<&'a [u8]> {
    files
        .get(file)
        .map(Vec::as_slice)
        .ok_or_else(|| Error::Input {
            what: format!("dump file `{file}`"),
            reason: "missing".to_owned(),
        })
}

/// Reads the raw rows of a dump (contents keyed by relative path, `.gz` already inflated and stored
/// under the name without `.gz`).
pub fn sources_from_dump(files: &BTreeMap<String, Vec<u8>>) -> Result<Sources> {
    let version: Version = parse(VERSION_FILE, required(files, VERSION_FILE)?)?;
    let models: Vec<IrModel> = parse_rows(MODELS_FILE, required(files, MODELS_FILE)?)?;
    let fields: Vec<IrField> = parse_rows(FIELDS_FILE, required(files, FIELDS_FILE)?)?;
    let selections: Vec<IrSelection> = match files.get(SELECTIONS_FILE) {
        Some(bytes) => parse_rows(SELECTIONS_FILE, bytes)?,
        None => Vec::new(),
    };
    let fields_get_failures: BTreeMap<String, String> = match files.get(FAILURES_FILE) {
        Some(bytes) => parse(FAILURES_FILE, bytes)?,
        None => BTreeMap::new(),
    };
    let mut fields_get = BTreeMap::new();
    for (path, bytes) in files.range(FIELDS_GET_DIR.to_owned()..) {
        let Some(rest) = path.strip_prefix(FIELDS_GET_DIR) else {
            break;
        };
        let Some(model) = rest.strip_suffix(".json") else {
            continue;
        };
        if model.is_empty() || model.contains('/') {
            continue;
        }
        let answer: FieldsGet = parse(path, bytes)?;
        fields_get.insert(model.to_owned(), answer);
    }
    if version.server_version.is_empty() {
        return Err(Error::Input {
            what: format!("dump file `{VERSION_FILE}`"),
            reason: "empty server_version".to_owned(),
        });
    }
    Ok(Sources {
        odoo_version: version.server_version,
        models,
        fields,
        selections,
        fields_get,
        fields_get_failures,
    })
}

/// Loads a dump: [`sources_from_dump`] then [`merge`].
pub fn from_dump(files: &BTreeMap<String, Vec<u8>>) -> Result<(Schema, Vec<Warning>)> {
    let sources = sources_from_dump(files)?;
    Ok(merge(&sources))
}

// ---- serde helpers for Odoo's `false`-for-empty values -------------------------------------------

struct FalseOrString;

impl<'de> serde::de::Visitor<'de> for FalseOrString {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or false")
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        if v {
            Err(E::invalid_value(serde::de::Unexpected::Bool(true), &self))
        } else {
            Ok(None)
        }
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

fn false_or_opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(FalseOrString)
}

fn false_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(d.deserialize_any(FalseOrString)?.unwrap_or_default())
}

/// `true`/`false`, or a text (non-empty: true), or null (false).
fn bool_or_text<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a boolean or a text")
        }
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<bool, E> {
            Ok(!v.is_empty())
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<bool, E> {
            Ok(false)
        }
    }
    d.deserialize_any(V)
}

struct Many2oneId;

impl<'de> serde::de::Visitor<'de> for Many2oneId {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a many2one value ([id, name] or id)")
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<i64, E> {
        Err(E::invalid_value(serde::de::Unexpected::Bool(v), &self))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<i64, A::Error> {
        let id: i64 = seq
            .next_element()?
            .ok_or_else(|| serde::de::Error::invalid_length(0, &self))?;
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(id)
    }
}

fn many2one_id<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    d.deserialize_any(Many2oneId)
}

/// The options with each value once, the first kept (a server answer repeating a value would
/// otherwise reach the snapshot and the diff twice).
fn first_of_each_value(options: Vec<SelectionOption>) -> Vec<SelectionOption> {
    let mut seen = std::collections::BTreeSet::new();
    options
        .into_iter()
        .filter(|o| seen.insert(o.value.clone()))
        .collect()
}

/// `fields_get`'s `selection`: `[[value, label], ...]` (or `false` / absent).
fn selection_pairs<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Vec<SelectionOption>>, D::Error> {
    struct Pairs;
    impl<'de> serde::de::Visitor<'de> for Pairs {
        type Value = Option<Vec<SelectionOption>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of [value, label] pairs")
        }
        fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        // A selection given as a method name is evaluated by fields_get; a string here is unusable.
        fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(Pair(value, label)) = seq.next_element::<Pair>()? {
                out.push(SelectionOption { value, label });
            }
            Ok(Some(out))
        }
    }
    d.deserialize_any(Pairs)
}

/// `[value, label]`; a value may be an integer in some selections (kept as its text).
struct Pair(String, String);

impl<'de> Deserialize<'de> for Pair {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Pair;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a [value, label] pair")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Pair, A::Error> {
                let value: Scalar = seq
                    .next_element()?
                    .ok_or_else(|| serde::de::Error::invalid_length(0, &self))?;
                let label: Option<String> = seq
                    .next_element::<Scalar>()?
                    .map(|s| s.0)
                    .ok_or_else(|| serde::de::Error::invalid_length(1, &self))?;
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Pair(value.0.unwrap_or_default(), label.unwrap_or_default()))
            }
        }
        d.deserialize_seq(V)
    }
}

/// A string, a number (as text) or `false` (None).
struct Scalar(Option<String>);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, a number or false")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.then(|| "True".to_owned())))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar(Some(v)))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar(None))
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar(None))
            }
        }
        d.deserialize_any(V)
    }
}

//! The plain-data schema IR between introspection and emission.
//!
//! Everything here is `serde`, ordered (`BTreeMap`, sorted `Vec`s), and holds no secret, URL or volatile
//! data (timestamps, record counts), so the same Odoo schema always gives the same bytes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A whole Odoo database schema: every model introspected, keyed by technical name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Schema {
    /// `server_version` as `common.version()` reports it, e.g. `"18.0"`.
    pub odoo_version: String,
    /// Models by technical name (`res.partner`).
    pub models: BTreeMap<String, Model>,
}

/// One Odoo model (`ir.model` row enriched with its fields).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Model {
    /// Technical name, e.g. `res.partner`.
    pub name: String,
    /// Human description (`ir.model.name`), e.g. `Contact`.
    #[serde(default)]
    pub description: String,
    /// Class docstring (`ir.model.info`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<String>,
    /// `_order` of the model, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    /// A `TransientModel` (wizard).
    #[serde(default)]
    pub transient: bool,
    /// `ir.model.state == "manual"`: a custom model created in the database (`x_...`).
    #[serde(default)]
    pub custom: bool,
    /// Odoo modules that define or extend the model, sorted.
    #[serde(default)]
    pub modules: Vec<String>,
    /// Fields by technical name.
    pub fields: BTreeMap<String, Field>,
    /// Public methods by name, as Odoo 19's `/doc-bearer` describes them (see [`Method`]); empty
    /// when they were not read (an older Odoo, a user without the documentation group, a dump or
    /// snapshot made without them).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub methods: BTreeMap<String, Method>,
}

/// One field of a model.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Field {
    /// Technical name, e.g. `partner_id`.
    pub name: String,
    /// The Odoo field type (`ttype`).
    #[serde(rename = "type")]
    pub field_type: FieldType,
    /// The label (`string` / `field_description`).
    #[serde(default)]
    pub label: String,
    /// Help text, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub readonly: bool,
    /// Stored in the database (false for non-stored computed or related fields).
    #[serde(default)]
    pub store: bool,
    /// A custom field created in the database (`x_...`, `ir.model.fields.state == "manual"`).
    #[serde(default)]
    pub custom: bool,
    /// Comodel of a relational field (many2one, one2many, many2many).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
    /// Inverse field of a one2many (`relation_field`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inverse: Option<String>,
    /// For many2one_reference: the char field holding the target model name (`model_field`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_field: Option<String>,
    /// Selection values `(value, label)` in server order, for selection and reference fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<Vec<SelectionOption>>,
    /// For monetary fields: the field holding the currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_field: Option<String>,
    #[serde(default)]
    pub company_dependent: bool,
    /// The dotted path of a related field, e.g. `partner_id.email`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related: Option<String>,
    /// Translated field (char, text, html).
    #[serde(default)]
    pub translate: bool,
    /// Odoo modules that define or extend the field, sorted.
    #[serde(default)]
    pub modules: Vec<String>,
    /// The Odoo module that introduced the field (`/doc-bearer`'s `module`: the first of the
    /// field's modules in loading order), when it was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
}

/// One public method of a model, as Odoo 19's `/doc-bearer/<model>.json` describes it.
///
/// Odoo describes the method as the class that introduced it declares it (an override in a later
/// module keeps that signature): `model` and `module` name that class (`core` for the ORM's own
/// `BaseModel`). Docs are kept as the server sends them (HTML); emission makes them inert.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Method {
    /// The method name, e.g. `action_confirm`.
    pub name: String,
    /// The signature as Odoo prints it, without annotations: `(domain, offset=0, limit=None)`.
    /// Memory addresses in default values (`<object at 0x7f...>`) are removed, so the same server
    /// gives the same text.
    pub signature: String,
    /// Parameters in declaration order (`self` excluded).
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// `@api.model`: called on the model, without record ids.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub api_model: bool,
    /// `@api.readonly`: may run on a read-only cursor.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub readonly: bool,
    /// The return annotation (free text: `bool`, `list[int]`, `dict`...), if any. Odoo writes
    /// `list[int]` for methods returning records (they arrive as their ids).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<String>,
    /// What the method returns, in words (HTML), if documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns_doc: Option<String>,
    /// Documented exceptions: exception name (may be empty) → when (HTML).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub raises: BTreeMap<String, String>,
    /// The docstring (HTML), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// The model whose class introduced the method (`core` for `BaseModel`, `base`,
    /// `mail.thread`, `sale.order`...).
    #[serde(default)]
    pub model: String,
    /// The Odoo module of that class (`core`, `web`, `sale`...).
    #[serde(default)]
    pub module: String,
}

/// One parameter of a [`Method`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Parameter {
    /// The parameter name, e.g. `limit`.
    pub name: String,
    /// How Python binds it (omitted for the usual positional-or-keyword).
    #[serde(
        default,
        skip_serializing_if = "ParameterKind::is_positional_or_keyword"
    )]
    pub kind: ParameterKind,
    /// The parameter has a default value (so it may be left out). Odoo only sends defaults that
    /// are JSON; this is also true for the others (read from the signature text).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
    /// The default value, when Odoo sent it (JSON; `null` for Python's `None`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present_value"
    )]
    pub default: Option<serde_json::Value>,
    /// The annotation (free text: `int`, `DomainType`, `record/str`...), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation: Option<String>,
    /// What the parameter means (HTML), if documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
}

/// A present member is `Some`, even `null` (`Option<Value>` alone reads `null` as absent).
fn present_value<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<serde_json::Value>, D::Error> {
    serde_json::Value::deserialize(deserializer).map(Some)
}

/// How a parameter binds (Python's `inspect.Parameter.kind`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum ParameterKind {
    /// By position or by name (Odoo omits `kind` for these).
    #[default]
    PositionalOrKeyword,
    /// By position only (before `/`).
    PositionalOnly,
    /// By name only (after `*`).
    KeywordOnly,
    /// `*args`.
    VarPositional,
    /// `**kwargs`.
    VarKeyword,
    /// A kind this generator does not know.
    Unknown(String),
}

impl ParameterKind {
    /// Odoo's name (`KEYWORD_ONLY`).
    pub fn as_str(&self) -> &str {
        match self {
            ParameterKind::PositionalOrKeyword => "POSITIONAL_OR_KEYWORD",
            ParameterKind::PositionalOnly => "POSITIONAL_ONLY",
            ParameterKind::KeywordOnly => "KEYWORD_ONLY",
            ParameterKind::VarPositional => "VAR_POSITIONAL",
            ParameterKind::VarKeyword => "VAR_KEYWORD",
            ParameterKind::Unknown(other) => other,
        }
    }

    /// Parses Odoo's name; anything unknown becomes [`ParameterKind::Unknown`].
    pub fn parse(name: &str) -> ParameterKind {
        match name {
            "POSITIONAL_OR_KEYWORD" => ParameterKind::PositionalOrKeyword,
            "POSITIONAL_ONLY" => ParameterKind::PositionalOnly,
            "KEYWORD_ONLY" => ParameterKind::KeywordOnly,
            "VAR_POSITIONAL" => ParameterKind::VarPositional,
            "VAR_KEYWORD" => ParameterKind::VarKeyword,
            other => ParameterKind::Unknown(other.to_owned()),
        }
    }

    /// The usual kind (serialisation leaves it out).
    pub fn is_positional_or_keyword(&self) -> bool {
        *self == ParameterKind::PositionalOrKeyword
    }

    /// `*args` or `**kwargs`.
    pub fn is_variadic(&self) -> bool {
        matches!(
            self,
            ParameterKind::VarPositional | ParameterKind::VarKeyword
        )
    }
}

impl Serialize for ParameterKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ParameterKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(ParameterKind::parse(&name))
    }
}

impl Parameter {
    /// A call must give it: not variadic and without a default.
    pub fn is_required(&self) -> bool {
        !self.optional && !self.kind.is_variadic()
    }
}

/// One value of a selection field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SelectionOption {
    /// The key sent over the wire, e.g. `"draft"`.
    pub value: String,
    /// The human label, e.g. `"Quotation"`.
    pub label: String,
}

/// Odoo's field types (`ir.model.fields.ttype`), plus a fallback for types this generator does not know.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum FieldType {
    Binary,
    #[default]
    Boolean,
    Char,
    Date,
    Datetime,
    Float,
    Html,
    Integer,
    Json,
    Many2many,
    Many2one,
    Many2oneReference,
    Monetary,
    One2many,
    Properties,
    PropertiesDefinition,
    Reference,
    Selection,
    Text,
    /// A type this generator does not know (a future Odoo): emitted as a dynamic value with a warning.
    Unknown(String),
}

/// Fields the ORM sets itself: never in create or write values.
pub const MAGIC_FIELDS: [&str; 7] = [
    "id",
    "create_date",
    "create_uid",
    "write_date",
    "write_uid",
    "display_name",
    "__last_update",
];

impl Field {
    /// `write` values may set it: not readonly (readonly covers computed fields without inverse)
    /// and not set by the ORM itself. Emission gives such fields a setter for both modes; the diff
    /// calls losing it a break.
    pub fn is_writable(&self) -> bool {
        !self.readonly && !MAGIC_FIELDS.contains(&self.name.as_str())
    }

    /// `create` values may set it: writable, or readonly but stored and not related (Odoo takes
    /// those at creation: `ir.model.state`, `sale.order.state`).
    pub fn is_creatable(&self) -> bool {
        self.is_writable()
            || (self.store && self.related.is_none() && !MAGIC_FIELDS.contains(&self.name.as_str()))
    }
}

impl FieldType {
    /// Every known type, in the order of their technical names.
    pub const KNOWN: [FieldType; 19] = [
        FieldType::Binary,
        FieldType::Boolean,
        FieldType::Char,
        FieldType::Date,
        FieldType::Datetime,
        FieldType::Float,
        FieldType::Html,
        FieldType::Integer,
        FieldType::Json,
        FieldType::Many2many,
        FieldType::Many2one,
        FieldType::Many2oneReference,
        FieldType::Monetary,
        FieldType::One2many,
        FieldType::Properties,
        FieldType::PropertiesDefinition,
        FieldType::Reference,
        FieldType::Selection,
        FieldType::Text,
    ];

    /// The technical name Odoo uses (`"many2one"`).
    pub fn as_str(&self) -> &str {
        match self {
            FieldType::Binary => "binary",
            FieldType::Boolean => "boolean",
            FieldType::Char => "char",
            FieldType::Date => "date",
            FieldType::Datetime => "datetime",
            FieldType::Float => "float",
            FieldType::Html => "html",
            FieldType::Integer => "integer",
            FieldType::Json => "json",
            FieldType::Many2many => "many2many",
            FieldType::Many2one => "many2one",
            FieldType::Many2oneReference => "many2one_reference",
            FieldType::Monetary => "monetary",
            FieldType::One2many => "one2many",
            FieldType::Properties => "properties",
            FieldType::PropertiesDefinition => "properties_definition",
            FieldType::Reference => "reference",
            FieldType::Selection => "selection",
            FieldType::Text => "text",
            FieldType::Unknown(other) => other,
        }
    }

    /// Parses a technical name; anything unknown becomes [`FieldType::Unknown`].
    pub fn parse(name: &str) -> FieldType {
        FieldType::KNOWN
            .iter()
            .find(|t| t.as_str() == name)
            .cloned()
            .unwrap_or_else(|| FieldType::Unknown(name.to_owned()))
    }

    /// many2one, one2many or many2many.
    pub fn is_relational(&self) -> bool {
        matches!(
            self,
            FieldType::Many2one | FieldType::One2many | FieldType::Many2many
        )
    }
}

impl std::fmt::Display for FieldType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for FieldType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FieldType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(FieldType::parse(&name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_type_round_trips_through_its_name() {
        for t in FieldType::KNOWN {
            assert_eq!(FieldType::parse(t.as_str()), t);
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(serde_json::from_str::<FieldType>(&json).unwrap(), t);
        }
        assert_eq!(
            FieldType::parse("vector"),
            FieldType::Unknown("vector".to_owned())
        );
        assert_eq!(FieldType::parse("vector").as_str(), "vector");
    }
}
